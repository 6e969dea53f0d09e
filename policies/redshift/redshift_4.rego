package regent.redshift_4

import data.regent.lib.values

metadata := {
	"id": "Redshift.4",
	"title": "Amazon Redshift clusters should have audit logging enabled",
	"description": "Checks supplementaryConfiguration.LoggingStatus.loggingEnabled of an Amazon Redshift cluster: it must be true (\"true\"/\"True\" strings count); false, \"false\", a missing value or no LoggingStatus at all is NON_COMPLIANT. The destination (LoggingStatus.bucketName, or CloudWatch Logs, where no bucket is recorded) is not examined. Setting the loggingEnabled parameter to false stops requiring audit logging.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.4"],
	},
	"config_rule": "redshift-cluster-audit-logging-enabled",
	"parameters": {
		"loggingEnabled": {
			"default": true,
			"description": "Require audit logging to be enabled.",
			"type": "boolean",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableRedshiftClusterAuditLogging",
		"parameters": {
			"ClusterIdentifier": "{{resourceId}}",
			"BucketName": "{{settings.redshift_audit_log_bucket}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive: turns on delivery of audit logs to the deployment's log bucket (which
		# ASR checks exists first); no restart, no client impact.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_status := input.supplementaryConfiguration.LoggingStatus

_required if not values.is_false(data.parameters["Redshift.4"].loggingEnabled)

violation contains "audit logging is not configured (no supplementaryConfiguration.LoggingStatus recorded)" if {
	_required
	not is_object(_status)
}

violation contains msg if {
	_required
	is_object(_status)
	not values.is_true(_status.loggingEnabled)
	msg := sprintf("audit logging is not enabled (LoggingStatus.loggingEnabled is %v)", [values.show(_status, "loggingEnabled")])
}
