package regent.rds_7

import data.regent.lib.values

metadata := {
	"id": "RDS.7",
	"title": "RDS clusters should have deletion protection enabled",
	"description": "Checks configuration.deletionProtection of an RDS DB cluster (Aurora, Multi-AZ DB cluster, and the Neptune and DocumentDB clusters AWS also records as AWS::RDS::DBCluster): it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT.",
	"severity": "low",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.7"],
	},
	"config_rule": "RDS_CLUSTER_DELETION_PROTECTION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableRDSClusterDeletionProtection",
		"parameters": {
			"RDSClusterARN": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Protective and reversible: ModifyDBCluster with DeletionProtection only.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.deletionProtection)
	msg := sprintf("DB cluster does not have deletion protection enabled (deletionProtection is %v)", [values.show(_conf, "deletionProtection")])
}
