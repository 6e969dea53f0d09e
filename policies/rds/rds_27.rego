package regent.rds_27

import data.regent.lib.values

metadata := {
	"id": "RDS.27",
	"title": "RDS DB clusters should be encrypted at rest",
	"description": "Checks configuration.storageEncrypted of an RDS DB cluster: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. The KMS key is not examined.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.27"],
	},
	"config_rule": "RDS_CLUSTER_ENCRYPTED_AT_REST",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.storageEncrypted)
	msg := sprintf("DB cluster storage is not encrypted (storageEncrypted is %v)", [values.show(_conf, "storageEncrypted")])
}
