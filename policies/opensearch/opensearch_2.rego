package regent.opensearch_2

import data.regent.lib.container_helpers

metadata := {
	"id": "Opensearch.2",
	"title": "OpenSearch domains should not be publicly accessible",
	"description": "Checks that an OpenSearch Service domain is placed in a VPC: configuration.VPCOptions.SubnetIds must hold at least one subnet id. NON_COMPLIANT when VPCOptions is missing or its SubnetIds list is empty or null (the domain has a public endpoint, whatever its access policy says).",
	"severity": "critical",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.2"],
	},
	"config_rule": "OPENSEARCH_IN_VPC_ONLY",
	"parameters": {},
}

_subnets := container_helpers.string_list(container_helpers.get(container_helpers.get(input.configuration, "VPCOptions"), "SubnetIds"))

violation contains "domain is not in a VPC (VPCOptions.SubnetIds is empty or not set), so its endpoint is public" if {
	count(_subnets) == 0
}
