package regent.rds_6

import data.regent.lib.values

metadata := {
	"id": "RDS.6",
	"title": "Enhanced monitoring should be configured for RDS DB instances",
	"description": "Checks configuration.monitoringInterval of an RDS DB instance (seconds between Enhanced Monitoring samples; numbers held as strings are read too): NON_COMPLIANT when it is 0 or missing, which means Enhanced Monitoring is off. With the monitoringInterval parameter set (1, 5, 10, 15, 30 or 60), the instance's interval must also equal it. configuration.monitoringRoleArn is not required.",
	"severity": "low",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.6"],
	},
	"config_rule": "RDS_ENHANCED_MONITORING_ENABLED",
	"parameters": {
		"monitoringInterval": {
			"default": null,
			"description": "Interval in seconds (1, 5, 10, 15, 30 or 60) the instance must use; null accepts any non-zero interval.",
			"type": "integer",
			"minimum": 1,
			"maximum": 60,
		},
	},
	"remediation": {
		"runbook": "ASR-EnableEnhancedMonitoringOnRDSInstance",
		"parameters": {
			"RDSInstanceARN": "{{ARN}}",
			"MonitoringRoleArn": "{{settings.rds_monitoring_role_arn}}",
			"MonitoringInterval": 60,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive: the runbook calls ModifyDBInstance with ApplyImmediately false and only
		# sets the monitoring interval and role (no restart, no client impact).
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_interval := values.number(_conf.monitoringInterval)

_enabled if _interval > 0

violation contains msg if {
	not _enabled
	msg := sprintf("Enhanced Monitoring is not enabled (monitoringInterval is %v)", [values.show(_conf, "monitoringInterval")])
}

_wanted := values.number(data.parameters["RDS.6"].monitoringInterval)

violation contains msg if {
	_enabled
	_interval != _wanted
	msg := sprintf("Enhanced Monitoring interval is %v seconds, not the required %v", [_interval, _wanted])
}
