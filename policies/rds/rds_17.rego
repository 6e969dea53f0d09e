package regent.rds_17

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.17",
	"title": "RDS DB instances should be configured to copy tags to snapshots",
	"description": "Checks configuration.copyTagsToSnapshot of an RDS DB instance: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. Instances that belong to a DB cluster (a non-empty configuration.dBClusterIdentifier: Aurora, Multi-AZ DB cluster, Neptune and DocumentDB members) are NOT_APPLICABLE, because their snapshots are cluster snapshots governed by the cluster's own setting (RDS.16).",
	"severity": "low",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.17"],
	},
	"config_rule": "rds-instance-copy-tags-to-snapshots-enabled",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableCopyTagsToSnapshotOnRDSDBInstance",
		"parameters": {
			"DbiResourceId": "{{resourceId}}",
			"ApplyImmediately": false,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Metadata only, applied without ApplyImmediately: no restart, no client impact.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

default applicable := true

applicable := false if db_helpers.text(_conf.dBClusterIdentifier)

violation contains msg if {
	not values.is_true(_conf.copyTagsToSnapshot)
	msg := sprintf("DB instance does not copy tags to snapshots (copyTagsToSnapshot is %v)", [values.show(_conf, "copyTagsToSnapshot")])
}
