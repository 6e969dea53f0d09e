package regent.elb_3

import data.regent.lib.edge_helpers

metadata := {
	"id": "ELB.3",
	"title": "Classic Load Balancer listeners should be configured with HTTPS or TLS termination",
	"description": "Checks every front-end listener of a Classic Load Balancer (configuration.listenerDescriptions[].listener.protocol): each must be HTTPS or SSL (any letter case). NON_COMPLIANT when any listener uses HTTP or TCP (or records no protocol); the reason names each such listener. A load balancer with no listener recorded is NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancing::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.3"],
	},
	"config_rule": "ELB_TLS_HTTPS_LISTENERS_ONLY",
	"parameters": {},
}

default applicable := false

applicable if count(edge_helpers.clb_listeners(input)) > 0

violation contains msg if {
	some listener in edge_helpers.clb_listeners(input)
	not edge_helpers.clb_secure_protocol(listener)
	msg := sprintf("listener %s does not use HTTPS or SSL", [edge_helpers.describe_clb_listener(listener)])
}
