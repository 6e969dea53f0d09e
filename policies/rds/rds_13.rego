package regent.rds_13

import data.regent.lib.values

metadata := {
	"id": "RDS.13",
	"title": "RDS automatic minor version upgrades should be enabled",
	"description": "Checks configuration.autoMinorVersionUpgrade of an RDS DB instance: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT.",
	"severity": "high",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.13"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.3.2"],
	},
	"config_rule": "RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableMinorVersionUpgradeOnRDSDBInstance",
		"parameters": {
			"RDSInstanceARN": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: once enabled, RDS upgrades (and restarts) the engine on its own in
		# the maintenance window, which owners should agree to first.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.autoMinorVersionUpgrade)
	msg := sprintf("automatic minor version upgrades are not enabled (autoMinorVersionUpgrade is %v)", [values.show(_conf, "autoMinorVersionUpgrade")])
}
