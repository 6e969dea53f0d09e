package regent.ec2_3

import data.regent.lib.kms
import data.regent.lib.values

metadata := {
	"id": "EC2.3",
	"title": "Attached Amazon EBS volumes should be encrypted at-rest",
	"description": "Checks that an EBS volume attached to an instance (non-empty configuration.attachments) is encrypted: configuration.encrypted must be true (\"true\"/\"True\" strings count; false, \"false\" or missing is NON_COMPLIANT). With the kmsId parameter set (a key id or key ARN), the volume's kmsKeyId must also be that key. Volumes with no attachments are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::Volume"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.3"],
	},
	"config_rule": "ENCRYPTED_VOLUMES",
	"parameters": {
		"kmsId": {
			"default": null,
			"description": "ID or ARN of the KMS key attached volumes must be encrypted with; null accepts any key.",
			"type": "string",
		},
	},
}

_conf := object.get(input, "configuration", null)

default applicable := false

applicable if {
	is_array(_conf.attachments)
	count(_conf.attachments) > 0
}

violation contains msg if {
	not values.is_true(_conf.encrypted)
	msg := sprintf("attached EBS volume is not encrypted (encrypted is %v)", [values.show(_conf, "encrypted")])
}

_wanted_key := k if {
	k := data.parameters["EC2.3"].kmsId
	is_string(k)
	trim_space(k) != ""
}

violation contains msg if {
	values.is_true(_conf.encrypted)
	wanted := _wanted_key
	not kms.key_matches(_conf.kmsKeyId, wanted)
	msg := sprintf("EBS volume is encrypted with KMS key %v, not the required key %s", [values.show(_conf, "kmsKeyId"), wanted])
}
