package regent.lambda_5

import data.regent.lib.values

metadata := {
	"id": "Lambda.5",
	"title": "VPC Lambda functions should operate in multiple Availability Zones",
	"description": "For a Lambda function attached to a VPC (non-empty configuration.vpcConfig.subnetIds), looks up each subnet's AWS::EC2::Subnet CI in the function's account and region and counts the distinct Availability Zones (configuration.availabilityZone). NON_COMPLIANT when there are fewer than availabilityZones (default: at least 2); subnets whose CI is not recorded cannot be placed and are named in the reason. Functions that are not in a VPC are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::Lambda::Function"],
	"requires": [{"type": "AWS::EC2::Subnet", "fields": ["configuration.availabilityZone"]}],
	# Zones are read from the recorded subnets: subnets may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Lambda.5"],
	},
	"config_rule": "LAMBDA_VPC_MULTI_AZ_CHECK",
	"parameters": {
		"availabilityZones": {
			"default": null,
			"description": "Minimum number of Availability Zones; null means at least 2.",
			"type": "integer",
			"minimum": 1,
		},
	},
}

_subnets := {s | some s in input.configuration.vpcConfig.subnetIds; is_string(s); s != ""} if {
	is_array(input.configuration.vpcConfig.subnetIds)
}

default applicable := false

applicable if count(_subnets) > 0

_minimum := n if n := values.number(data.parameters["Lambda.5"].availabilityZones)

_minimum := 2 if not values.number(data.parameters["Lambda.5"].availabilityZones)

_recorded := {id: ci |
	some id in _subnets
	ci := data.inventory["AWS::EC2::Subnet"][input.awsAccountId][input.awsRegion][id]
}

_zones := {az |
	some _, ci in _recorded
	az := ci.configuration.availabilityZone
	is_string(az)
}

_unrecorded := {id | some id in _subnets; not _recorded[id]}

violation contains msg if {
	count(_zones) < _minimum
	msg := sprintf("function's subnets span %d Availability Zone(s) (%s), fewer than %v%s", [count(_zones), _zone_list, _minimum, _unknown])
}

_zone_list := concat(", ", sort(_zones)) if count(_zones) > 0

_zone_list := "none known" if count(_zones) == 0

_unknown := sprintf("; subnets not recorded, so their zones are unknown: %s", [concat(", ", sort(_unrecorded))]) if count(_unrecorded) > 0

_unknown := "" if count(_unrecorded) == 0
