package regent.ec2_24

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.24",
	"title": "Amazon EC2 paravirtual instance types should not be used",
	"description": "Checks an EC2 instance's configuration.virtualizationType: NON_COMPLIANT when it is \"paravirtual\" (any letter case); \"hvm\" or a missing value is COMPLIANT.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::Instance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.24"],
	},
	"config_rule": "EC2_PARAVIRTUAL_INSTANCE_CHECK",
	"parameters": {},
}

_type := ec2_helpers.text(ec2_helpers.get(object.get(input, "configuration", null), "virtualizationType"))

violation contains msg if {
	lower(_type) == "paravirtual"
	msg := sprintf("instance uses paravirtual virtualization (virtualizationType is %s)", [_type])
}
