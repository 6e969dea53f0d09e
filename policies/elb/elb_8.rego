package regent.elb_8

import data.regent.lib.edge_helpers

metadata := {
	"id": "ELB.8",
	"title": "Classic Load Balancers with SSL listeners should use a predefined security policy that has strong AWS Configuration",
	"description": "Checks the SSL negotiation policy of every HTTPS or SSL listener of a Classic Load Balancer. The listener's policies are configuration.listenerDescriptions[].policyNames; the one whose entry in supplementaryConfiguration.LoadBalancerPolicies has policyTypeName SSLNegotiationPolicyType must have the policy attribute Reference-Security-Policy equal to predefinedPolicyName (default ELBSecurityPolicy-TLS-1-2-2017-01). When the policy descriptions are not recorded, a policy named exactly predefinedPolicyName is accepted. NON_COMPLIANT when a secure listener references another predefined policy, a custom cipher policy (no Reference-Security-Policy), or no SSL negotiation policy at all. Load balancers without an HTTPS or SSL listener are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancing::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.8"],
	},
	"config_rule": "ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK",
	"parameters": {
		"predefinedPolicyName": {
			"default": "ELBSecurityPolicy-TLS-1-2-2017-01",
			"description": "The predefined security policy every HTTPS/SSL listener must use.",
			"type": "string",
		},
	},
}

_wanted := data.parameters["ELB.8"].predefinedPolicyName

# Listener descriptions whose listener is HTTPS or SSL.
_secure := [d |
	descriptions := input.configuration.listenerDescriptions
	is_array(descriptions)
	some d in descriptions
	is_object(d)
	edge_helpers.clb_secure_protocol(d.listener)
]

default applicable := false

applicable if count(_secure) > 0

_policy_names(d) := [n | some n in d.policyNames; is_string(n)] if is_array(d.policyNames)

_policy_names(d) := [] if not is_array(d.policyNames)

_descriptions := [p | some p in input.supplementaryConfiguration.LoadBalancerPolicies; is_object(p)] if {
	is_array(input.supplementaryConfiguration.LoadBalancerPolicies)
}

_descriptions := [] if not is_array(input.supplementaryConfiguration.LoadBalancerPolicies)

_described(name) if {
	some p in _descriptions
	edge_helpers.field(p, ["policyName", "PolicyName"]) == name
}

# The SSL negotiation policies a listener references, as [name, reference] pairs (reference
# is the Reference-Security-Policy value, or "none" for a custom cipher policy).
_ssl_policies(d) := {[name, ref] |
	some name in _policy_names(d)
	some p in _descriptions
	edge_helpers.field(p, ["policyName", "PolicyName"]) == name
	edge_helpers.field(p, ["policyTypeName", "PolicyTypeName"]) == "SSLNegotiationPolicyType"
	ref := _reference(p)
}

_reference(p) := refs[0] if {
	refs := _reference_values(p)
	count(refs) > 0
}

_reference(p) := "none" if count(_reference_values(p)) == 0

_reference_values(p) := [v |
	attrs := edge_helpers.field(p, ["policyAttributeDescriptions", "PolicyAttributeDescriptions"])
	is_array(attrs)
	some a in attrs
	edge_helpers.field(a, ["attributeName", "AttributeName"]) == "Reference-Security-Policy"
	v := edge_helpers.field(a, ["attributeValue", "AttributeValue"])
]

_uses_wanted(d) if {
	some pair in _ssl_policies(d)
	pair[1] == _wanted
}

# Policy descriptions not recorded: accept a policy named after the predefined policy.
_uses_wanted(d) if {
	some name in _policy_names(d)
	name == _wanted
	not _described(name)
}

violation contains msg if {
	some d in _secure
	not _uses_wanted(d)
	msg := sprintf("listener %s does not use the predefined security policy %s (%s)", [
		edge_helpers.describe_clb_listener(d.listener),
		_wanted,
		_found(d),
	])
}

_found(d) := sprintf("SSL negotiation policies: %s", [concat(", ", [sprintf("%s with Reference-Security-Policy %v", [pair[0], pair[1]]) | some pair in _ssl_policies(d)])]) if {
	count(_ssl_policies(d)) > 0
}

_found(d) := sprintf("no SSL negotiation policy is recorded; policyNames %v", [_policy_names(d)]) if {
	count(_ssl_policies(d)) == 0
}
