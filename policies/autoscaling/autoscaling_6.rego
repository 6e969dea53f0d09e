package regent.autoscaling_6

import data.regent.lib.ec2_helpers

metadata := {
	"id": "AutoScaling.6",
	"title": "Amazon EC2 Auto Scaling groups should use multiple instance types in multiple Availability Zones",
	"description": "Counts the distinct instance types an Auto Scaling group defines in configuration.mixedInstancesPolicy.launchTemplate.overrides[].instanceType (compared case-insensitively): NON_COMPLIANT when fewer than 2, which includes every group without a mixed instances policy (one launch template or launch configuration, one type). Groups whose overrides use attribute-based instance type selection (instanceRequirements) are NOT_APPLICABLE, as the AWS rule does not evaluate them. Spreading across Availability Zones is checked by AutoScaling.2.",
	"severity": "medium",
	"resource_types": ["AWS::AutoScaling::AutoScalingGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["AutoScaling.6"],
	},
	"config_rule": "AUTOSCALING_MULTIPLE_INSTANCE_TYPES",
	"parameters": {},
}

_overrides := ec2_helpers.array(ec2_helpers.get(ec2_helpers.get(ec2_helpers.get(
	object.get(input, "configuration", null),
	"mixedInstancesPolicy",
), "launchTemplate"), "overrides"))

default applicable := true

applicable := false if {
	some o in _overrides
	is_object(ec2_helpers.get(o, "instanceRequirements"))
}

_types := {lower(t) | some o in _overrides; t := ec2_helpers.text(ec2_helpers.get(o, "instanceType"))}

violation contains msg if {
	count(_types) == 0
	msg := "group defines a single instance type (no mixed instances policy overrides)"
}

violation contains msg if {
	count(_types) == 1
	msg := sprintf("group defines a single instance type (%s) in its mixed instances policy", [concat("", _types)])
}
