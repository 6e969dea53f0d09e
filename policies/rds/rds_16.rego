package regent.rds_16

import data.regent.lib.values

metadata := {
	"id": "RDS.16",
	"title": "Aurora DB clusters should be configured to copy tags to DB snapshots",
	"description": "Checks configuration.copyTagsToSnapshot of an RDS DB cluster: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. Every cluster recorded as AWS::RDS::DBCluster is evaluated, whatever its engine.",
	"severity": "low",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.16"],
	},
	"config_rule": "rds-cluster-copy-tags-to-snapshots-enabled",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableCopyTagsToSnapshotOnRDSCluster",
		"parameters": {
			"RDSClusterARN": "{{ARN}}",
			"ApplyImmediately": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic although the setting is metadata only: ApplyImmediately true also
		# applies any modification already pending on the cluster, which may restart it.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.copyTagsToSnapshot)
	msg := sprintf("DB cluster does not copy tags to snapshots (copyTagsToSnapshot is %v)", [values.show(_conf, "copyTagsToSnapshot")])
}
