package regent.efs_1

import data.regent.lib.kms
import data.regent.lib.values

metadata := {
	"id": "EFS.1",
	"title": "Elastic File System should be configured to encrypt file data at-rest using AWS KMS",
	"description": "Checks that an EFS file system is encrypted at rest: configuration.Encrypted must be true (\"true\"/\"True\" strings count; false, \"false\" or missing is NON_COMPLIANT). With the KmsKeyId parameter set (a key id or key ARN), configuration.KmsKeyId must also be that key; an alias cannot be resolved from the CI and never matches.",
	"severity": "medium",
	"resource_types": ["AWS::EFS::FileSystem"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EFS.1"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.4.1"],
	},
	"config_rule": "EFS_ENCRYPTED_CHECK",
	"parameters": {
		"KmsKeyId": {
			"default": null,
			"description": "ID or ARN of the KMS key file systems must be encrypted with; null accepts any key.",
			"type": "string",
		},
	},
}

_conf := input.configuration if is_object(input.configuration)

_conf := {} if not is_object(input.configuration)

violation contains msg if {
	not values.is_true(_conf.Encrypted)
	msg := sprintf("file system is not encrypted at rest (Encrypted is %v)", [values.show(_conf, "Encrypted")])
}

_wanted_key := k if {
	k := data.parameters["EFS.1"].KmsKeyId
	is_string(k)
	trim_space(k) != ""
}

violation contains msg if {
	values.is_true(_conf.Encrypted)
	wanted := _wanted_key
	not kms.key_matches(_conf.KmsKeyId, wanted)
	msg := sprintf("file system is encrypted with KMS key %v, not the required key %s", [values.show(_conf, "KmsKeyId"), wanted])
}
