package regent.redshift_10

import data.regent.lib.db_helpers
import data.regent.lib.kms
import data.regent.lib.values

metadata := {
	"id": "Redshift.10",
	"title": "Redshift clusters should be encrypted at rest",
	"description": "Checks configuration.encrypted of an Amazon Redshift cluster: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. With the kmsKeyArns parameter set (a list or comma-separated string of key ARNs or key ids), the cluster's configuration.kmsKeyId must also be one of those keys.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.10"],
	},
	"config_rule": "REDSHIFT_CLUSTER_KMS_ENABLED",
	"parameters": {
		"kmsKeyArns": {
			"default": null,
			"description": "KMS keys (ARNs or key ids; a list or comma-separated string) clusters must be encrypted with; null accepts any key.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableRedshiftClusterEncryption",
		"parameters": {
			"ClusterIdentifer": "{{resourceId}}",
			"KmsKeyArn": "{{settings.redshift_kms_key_arn}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.encrypted)
	msg := sprintf("Redshift cluster is not encrypted at rest (encrypted is %v)", [values.show(_conf, "encrypted")])
}

_keys := db_helpers.names(data.parameters["Redshift.10"].kmsKeyArns)

violation contains msg if {
	values.is_true(_conf.encrypted)
	count(_keys) > 0
	not _allowed_key
	msg := sprintf("Redshift cluster is encrypted with KMS key %v, not one of kmsKeyArns (%s)", [values.show(_conf, "kmsKeyId"), concat(", ", sort(_keys))])
}

_allowed_key if {
	some wanted in _keys
	kms.key_matches(_conf.kmsKeyId, wanted)
}
