package regent.elb_12

import data.regent.lib.edge_helpers

metadata := {
	"id": "ELB.12",
	"title": "Application Load Balancer should be configured with defensive or strictest desync mitigation mode",
	"description": "Checks the Application Load Balancer attribute routing.http.desync_mitigation_mode in supplementaryConfiguration.LoadBalancerAttributes (a list of {key, value} with string values): it must be one of desyncMode (default defensive, strictest; compared case-insensitively). NON_COMPLIANT for monitor (or any other value). An attribute that is not recorded means the mode was never changed, so the AWS default defensive applies. Network and gateway load balancers are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancingV2::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.12"],
	},
	"config_rule": "ALB_DESYNC_MODE_CHECK",
	"parameters": {
		"desyncMode": {
			"default": ["defensive", "strictest"],
			"description": "Accepted desync mitigation modes (a list, or a comma-separated string).",
			"type": "list(string)|csv(string)",
			"values": ["defensive", "strictest", "monitor"],
		},
	},
	"remediation": {
		"runbook": "AWS-UpdateALBDesyncMitigationMode",
		"parameters": {
			"LoadBalancerArn": "{{ARN}}",
			"DesyncMitigationMode": "defensive",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# defensive (the default AWS recommends) drops only requests that risk desync; clients that
		# follow the HTTP specification are unaffected.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_key := "routing.http.desync_mitigation_mode"

_allowed := {lower(m) | some m in edge_helpers.csv(data.parameters["ELB.12"].desyncMode)}

default applicable := false

applicable if edge_helpers.elbv2_type(input) == "application"

# Not recorded: the attribute was never set, and AWS's default is "defensive".
_recorded := edge_helpers.elbv2_attribute(input, _key)

_mode := _recorded if is_string(_recorded)

_mode := "defensive" if not is_string(_recorded)

violation contains msg if {
	not lower(_mode) in _allowed
	msg := sprintf("load balancer attribute %s is %q (accepted: %s)", [_key, _mode, concat(", ", sort(_allowed))])
}
