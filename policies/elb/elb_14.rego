package regent.elb_14

import data.regent.lib.edge_helpers

metadata := {
	"id": "ELB.14",
	"title": "Classic Load Balancer should be configured with defensive or strictest desync mitigation mode",
	"description": "Checks the Classic Load Balancer attribute elb.http.desyncmitigationmode, recorded in supplementaryConfiguration.LoadBalancerAttributes.additionalAttributes (a list of {key, value}): it must be one of desyncMode (default defensive, strictest; compared case-insensitively). NON_COMPLIANT for monitor or any other value. When the attribute is not recorded the mode was never changed and the AWS default defensive applies.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancing::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.14"],
	},
	"config_rule": "CLB_DESYNC_MODE_CHECK",
	"parameters": {
		"desyncMode": {
			"default": ["defensive", "strictest"],
			"description": "Accepted desync mitigation modes (a list, or a comma-separated string).",
			"type": "list(string)|csv(string)",
			"values": ["defensive", "strictest", "monitor"],
		},
	},
	"remediation": {
		"runbook": "AWS-UpdateCLBDesyncMitigationMode",
		"parameters": {
			"LoadBalancerName": "{{configuration.loadBalancerName}}",
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

_key := "elb.http.desyncmitigationmode"

_allowed := {lower(m) | some m in edge_helpers.csv(data.parameters["ELB.14"].desyncMode)}

_recorded := edge_helpers.clb_additional_attribute(input, _key)

# Not recorded: the attribute was never set, and AWS's default is "defensive".
_mode := _recorded if is_string(_recorded)

_mode := "defensive" if not is_string(_recorded)

violation contains msg if {
	not lower(_mode) in _allowed
	msg := sprintf("load balancer attribute %s is %q (accepted: %s)", [_key, _mode, concat(", ", sort(_allowed))])
}
