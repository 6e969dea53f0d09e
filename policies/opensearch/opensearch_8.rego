package regent.opensearch_8

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.8",
	"title": "Connections to OpenSearch domains should be encrypted using the latest TLS security policy",
	"description": "Checks configuration.DomainEndpointOptions of an OpenSearch Service domain: EnforceHTTPS must be true (or \"true\"), and TLSSecurityPolicy must be one of tlsPolicies (default Policy-Min-TLS-1-2-PFS-2023-10, exact match). NON_COMPLIANT when HTTPS is not enforced (false or missing), or when the policy is missing or older (e.g. Policy-Min-TLS-1-0-2019-07, Policy-Min-TLS-1-2-2019-07); each shortfall is a separate reason.",
	"severity": "medium",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.8"],
	},
	"config_rule": "OPENSEARCH_HTTPS_REQUIRED",
	"parameters": {
		"tlsPolicies": {
			"default": ["Policy-Min-TLS-1-2-PFS-2023-10"],
			"description": "TLS security policies a domain endpoint may use (a list, or a comma-separated string).",
			"type": "list(string)|csv(string)",
		},
	},
}

_endpoint := container_helpers.get(input.configuration, "DomainEndpointOptions")

_policies := {p | some p in container_helpers.string_list(data.parameters["Opensearch.8"].tlsPolicies)}

violation contains msg if {
	not values.is_true(container_helpers.get(_endpoint, "EnforceHTTPS"))
	msg := sprintf("domain endpoint does not require HTTPS (DomainEndpointOptions.EnforceHTTPS is %v)", [values.show(_endpoint, "EnforceHTTPS")])
}

violation contains msg if {
	count(_policies) > 0
	policy := container_helpers.get(_endpoint, "TLSSecurityPolicy")
	not policy in _policies
	msg := sprintf("domain endpoint TLS security policy is %v, not %s", [values.show(_endpoint, "TLSSecurityPolicy"), concat(" or ", sort(_policies))])
}
