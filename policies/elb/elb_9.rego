package regent.elb_9

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "ELB.9",
	"title": "Classic Load Balancers should have cross-zone load balancing enabled",
	"description": "Checks supplementaryConfiguration.LoadBalancerAttributes.crossZoneLoadBalancing.enabled of a Classic Load Balancer (the DescribeLoadBalancerAttributes object; CrossZoneLoadBalancing.Enabled is accepted too). NON_COMPLIANT unless it is true (true or \"true\"); false or not recorded fails.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancing::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.9"],
	},
	"config_rule": "ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableCLBCrossZoneLoadBalancing",
		"parameters": {
			"LoadBalancerName": "{{configuration.loadBalancerName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Only spreads requests evenly over the registered instances; Classic Load Balancers
		# charge nothing for cross-zone traffic.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_cross_zone := edge_helpers.clb_attribute_group(input, "crossZoneLoadBalancing")

violation contains msg if {
	not values.is_true(edge_helpers.field(_cross_zone, ["enabled", "Enabled"]))
	msg := sprintf("cross-zone load balancing (LoadBalancerAttributes.crossZoneLoadBalancing.enabled) is %v (must be true)", [_shown])
}

_shown := edge_helpers.show_field(_cross_zone, ["enabled", "Enabled"]) if is_object(_cross_zone)

_shown := "not recorded" if not is_object(_cross_zone)
