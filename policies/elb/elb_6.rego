package regent.elb_6

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "ELB.6",
	"title": "Application, Gateway, and Network Load Balancers should have deletion protection enabled",
	"description": "Checks the load balancer attribute deletion_protection.enabled in supplementaryConfiguration.LoadBalancerAttributes (a list of {key, value} with string values) of every Application, Network and Gateway Load Balancer. NON_COMPLIANT unless it is true (\"true\" in any letter case); \"false\" or an attribute that is not recorded (AWS default false) fails.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.6"],
	},
	"config_rule": "ELB_DELETION_PROTECTION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableELBDeletionProtection",
		"parameters": {
			"LoadBalancerArn": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Deletion protection only blocks DeleteLoadBalancer and can be turned off again.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_key := "deletion_protection.enabled"

violation contains msg if {
	not values.is_true(edge_helpers.elbv2_attribute(input, _key))
	msg := sprintf("load balancer attribute %s is %v (must be true)", [_key, edge_helpers.elbv2_attribute_show(input, _key)])
}
