package regent.es_2

import data.regent.lib.container_helpers

metadata := {
	"id": "ES.2",
	"title": "Elasticsearch domains should not be publicly accessible",
	"description": "Checks that a legacy Elasticsearch domain is placed in a VPC: COMPLIANT when configuration.vpcoptions.subnetIds (Config's spelling; vpcOptions/vPCOptions also read) holds at least one subnet id, or configuration.endpoints.vpc names a VPC endpoint. NON_COMPLIANT otherwise, i.e. the domain only has a public endpoint (configuration.endpoint), whatever its access policy says.",
	"severity": "critical",
	"resource_types": ["AWS::Elasticsearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ES.2"],
	},
	"config_rule": "ELASTICSEARCH_IN_VPC_ONLY",
	"parameters": {},
}

_conf := input.configuration

_subnets := [s |
	some key in ["vpcoptions", "vpcOptions", "vPCOptions"]
	some s in container_helpers.string_list(container_helpers.get(container_helpers.get(_conf, key), "subnetIds"))
]

_in_vpc if count(_subnets) > 0

_in_vpc if container_helpers.non_empty_string(container_helpers.get(container_helpers.get(_conf, "endpoints"), "vpc"))

_public_endpoint := sprintf(" (public endpoint %s)", [e]) if {
	e := container_helpers.get(_conf, "endpoint")
	container_helpers.non_empty_string(e)
}

_public_endpoint := "" if not container_helpers.non_empty_string(container_helpers.get(_conf, "endpoint"))

violation contains msg if {
	not _in_vpc
	msg := sprintf("domain is not in a VPC (vpcoptions.subnetIds is empty or not set and there is no endpoints.vpc)%s", [_public_endpoint])
}
