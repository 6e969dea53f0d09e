package regent.autoscaling_2

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "AutoScaling.2",
	"title": "Amazon EC2 Auto Scaling group should cover multiple Availability Zones",
	"description": "Counts the distinct Availability Zones in configuration.availabilityZones of an Auto Scaling group (entries may be strings or {\"value\": ...}): NON_COMPLIANT when there are fewer than minAvailabilityZones, or fewer than 2 when the parameter is not set (null, a number or a numeric string).",
	"severity": "medium",
	"resource_types": ["AWS::AutoScaling::AutoScalingGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["AutoScaling.2"],
	},
	"config_rule": "AUTOSCALING_MULTIPLE_AZ",
	"parameters": {
		"minAvailabilityZones": {
			"default": null,
			"description": "Minimum number of Availability Zones the group must span; null means at least 2.",
			"type": "integer",
			"minimum": 1,
		},
	},
}

_zones := {z | some z in ec2_helpers.texts(ec2_helpers.get(object.get(input, "configuration", null), "availabilityZones"))}

_param := object.get(object.get(data.parameters, "AutoScaling.2", {}), "minAvailabilityZones", null)

_minimum := n if n := values.number(_param)

_minimum := 2 if not values.number(_param)

violation contains msg if {
	count(_zones) < _minimum
	msg := sprintf("group spans %d Availability Zone(s) (%s), fewer than %v", [count(_zones), concat(", ", sort(_zones)), _minimum])
}
