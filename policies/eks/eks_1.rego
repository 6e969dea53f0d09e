package regent.eks_1

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "EKS.1",
	"title": "EKS cluster endpoints should not be publicly accessible",
	"description": "Checks configuration.ResourcesVpcConfig.EndpointPublicAccess of an EKS cluster: true (or \"true\"/\"True\") is NON_COMPLIANT even when PublicAccessCidrs narrows the sources (the reason lists them); a missing value is also NON_COMPLIANT because EKS makes the endpoint public by default. false is COMPLIANT.",
	"severity": "high",
	"resource_types": ["AWS::EKS::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EKS.1"],
	},
	"config_rule": "EKS_ENDPOINT_NO_PUBLIC_ACCESS",
	"parameters": {},
}

_vpc := container_helpers.get(input.configuration, "ResourcesVpcConfig")

_public := container_helpers.get(_vpc, "EndpointPublicAccess")

_cidrs := concat(", ", container_helpers.string_list(container_helpers.get(_vpc, "PublicAccessCidrs")))

_sources := sprintf("from %s", [_cidrs]) if _cidrs != ""

_sources := "from 0.0.0.0/0 (PublicAccessCidrs not set)" if _cidrs == ""

violation contains msg if {
	values.is_true(_public)
	msg := sprintf("cluster API endpoint is publicly accessible (ResourcesVpcConfig.EndpointPublicAccess is %v) %s", [_public, _sources])
}

violation contains msg if {
	not values.is_true(_public)
	not values.is_false(_public)
	msg := sprintf("ResourcesVpcConfig.EndpointPublicAccess is %v, and EKS makes the endpoint public by default", [values.show(_vpc, "EndpointPublicAccess")])
}
