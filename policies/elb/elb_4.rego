package regent.elb_4

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "ELB.4",
	"title": "Application Load Balancer should be configured to drop invalid http headers",
	"description": "Checks the Application Load Balancer attribute routing.http.drop_invalid_header_fields.enabled in supplementaryConfiguration.LoadBalancerAttributes (a list of {key, value} with string values). NON_COMPLIANT unless it is true (\"true\" in any letter case); \"false\" or an attribute that is not recorded (AWS default false) fails. Network and gateway load balancers (configuration.type other than application) are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.4"],
	},
	"config_rule": "ALB_HTTP_DROP_INVALID_HEADER_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-DropInvalidHeadersForALB",
		"parameters": {
			"LoadBalancerArn": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Clients that send header names the ALB considers invalid (e.g. with underscores)
		# would lose those headers, so this is not applied unattended.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_key := "routing.http.drop_invalid_header_fields.enabled"

default applicable := false

applicable if edge_helpers.elbv2_type(input) == "application"

violation contains msg if {
	not values.is_true(edge_helpers.elbv2_attribute(input, _key))
	msg := sprintf("load balancer attribute %s is %v (must be true)", [_key, edge_helpers.elbv2_attribute_show(input, _key)])
}
