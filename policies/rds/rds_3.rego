package regent.rds_3

import data.regent.lib.kms
import data.regent.lib.values

metadata := {
	"id": "RDS.3",
	"title": "RDS DB instances should have encryption at-rest enabled",
	"description": "Checks configuration.storageEncrypted of an RDS DB instance: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. With the kmsKeyId parameter set (a key id or key ARN), the instance's kmsKeyId must also be that key.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.3"],
		"cis-aws-foundations-benchmark/v1.4.0": ["2.3.1"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.3.1"],
	},
	"config_rule": "RDS_STORAGE_ENCRYPTED",
	"parameters": {
		"kmsKeyId": {
			"default": null,
			"description": "ID or ARN of the KMS key DB instance storage must be encrypted with; null accepts any key.",
			"type": "string",
		},
	},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.storageEncrypted)
	msg := sprintf("DB instance storage is not encrypted (storageEncrypted is %v)", [values.show(_conf, "storageEncrypted")])
}

_wanted_key := k if {
	k := data.parameters["RDS.3"].kmsKeyId
	is_string(k)
	trim_space(k) != ""
}

violation contains msg if {
	values.is_true(_conf.storageEncrypted)
	wanted := _wanted_key
	not kms.key_matches(_conf.kmsKeyId, wanted)
	msg := sprintf("DB instance storage is encrypted with KMS key %v, not the required key %s", [values.show(_conf, "kmsKeyId"), wanted])
}
