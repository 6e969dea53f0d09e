package regent.elb_13

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "ELB.13",
	"title": "Application, Network and Gateway Load Balancers should span multiple Availability Zones",
	"description": "Counts the distinct Availability Zones of an Application, Network or Gateway Load Balancer (configuration.availabilityZones[].zoneName). NON_COMPLIANT when there are fewer than minAvailabilityZones (default 2).",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.13"],
	},
	"config_rule": "ELBV2_MULTIPLE_AZ",
	"parameters": {
		"minAvailabilityZones": {
			"default": 2,
			"description": "Minimum number of Availability Zones the load balancer must span.",
			"type": "integer",
			"minimum": 2,
			"maximum": 10,
		},
	},
}

_minimum := values.number(data.parameters["ELB.13"].minAvailabilityZones)

_zones contains zone if {
	azs := input.configuration.availabilityZones
	is_array(azs)
	some az in azs
	zone := edge_helpers.field(az, ["zoneName", "ZoneName"])
	is_string(zone)
}

violation contains msg if {
	count(_zones) < _minimum
	msg := sprintf("load balancer spans %d Availability Zone(s) (%s), fewer than minAvailabilityZones %v", [count(_zones), _zone_list, _minimum])
}

_zone_list := concat(", ", sort(_zones)) if count(_zones) > 0

_zone_list := "none recorded" if count(_zones) == 0
