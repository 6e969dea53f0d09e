package regent.elb_1

import data.regent.lib.edge_helpers

metadata := {
	"id": "ELB.1",
	"title": "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
	"description": "Checks every HTTP listener of an Application Load Balancer: the AWS::ElasticLoadBalancingV2::Listener CIs recorded in the load balancer's account and region whose configuration.LoadBalancerArn is the load balancer's ARN and whose Protocol is HTTP. NON_COMPLIANT when such a listener's DefaultActions has no action of Type redirect with RedirectConfig.Protocol HTTPS (for example a forward to an HTTP target group, or a redirect that keeps the protocol with \"#{protocol}\"). Listener rules other than the default action are not recorded in the CI and are not checked. An ALB with no HTTP listener is COMPLIANT; network and gateway load balancers are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
	"requires": ["AWS::ElasticLoadBalancingV2::Listener"],
	# Compliant when no recorded HTTP listener fails to redirect: such a listener may be missing from a partial input.
	"needs_complete": ["COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.1"],
	},
	"config_rule": "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnforceHTTPSForALB",
		"parameters": {
			"ResourceARN": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Replacing the HTTP default action needs an HTTPS listener to redirect to.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_listener_type := "AWS::ElasticLoadBalancingV2::Listener"

default applicable := false

applicable if edge_helpers.elbv2_type(input) == "application"

# The load balancer's ARN as the CI records it (ARN, resourceId, configuration.loadBalancerArn).
_lb_arns contains arn if {
	some arn in [object.get(input, "ARN", null), object.get(input, "resourceId", null)]
	is_string(arn)
}

_lb_arns contains arn if {
	arn := input.configuration.loadBalancerArn
	is_string(arn)
}

_http_listeners contains listener if {
	some id
	listener := data.inventory[_listener_type][input.awsAccountId][input.awsRegion][id]
	conf := listener.configuration
	edge_helpers.field(conf, ["LoadBalancerArn", "loadBalancerArn"]) in _lb_arns
	protocol := edge_helpers.field(conf, ["Protocol", "protocol"])
	is_string(protocol)
	upper(protocol) == "HTTP"
}

_redirects_to_https(listener) if {
	actions := edge_helpers.field(listener.configuration, ["DefaultActions", "defaultActions"])
	is_array(actions)
	some action in actions
	type := edge_helpers.field(action, ["Type", "type"])
	is_string(type)
	lower(type) == "redirect"
	protocol := edge_helpers.field(edge_helpers.field(action, ["RedirectConfig", "redirectConfig"]), ["Protocol", "protocol"])
	is_string(protocol)
	upper(protocol) == "HTTPS"
}

violation contains msg if {
	some listener in _http_listeners
	not _redirects_to_https(listener)
	msg := sprintf("HTTP listener on port %v (%s) does not redirect to HTTPS: default actions are %s", [
		edge_helpers.show_field(listener.configuration, ["Port", "port"]),
		listener.resourceId,
		_describe_actions(listener),
	])
}

_describe_actions(listener) := concat(", ", [d |
	some action in edge_helpers.field(listener.configuration, ["DefaultActions", "defaultActions"])
	d := _describe_action(action)
]) if is_array(edge_helpers.field(listener.configuration, ["DefaultActions", "defaultActions"]))

_describe_actions(listener) := "not recorded" if not is_array(edge_helpers.field(listener.configuration, ["DefaultActions", "defaultActions"]))

_describe_action(action) := sprintf("%v to %v", [
	edge_helpers.show_field(action, ["Type", "type"]),
	edge_helpers.show_field(redirect, ["Protocol", "protocol"]),
]) if {
	redirect := edge_helpers.field(action, ["RedirectConfig", "redirectConfig"])
	is_object(redirect)
}

_describe_action(action) := sprintf("%v", [edge_helpers.show_field(action, ["Type", "type"])]) if {
	not is_object(edge_helpers.field(action, ["RedirectConfig", "redirectConfig"]))
}
