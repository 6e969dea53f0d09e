package regent.s3_19

import data.regent.lib.resource_policy
import data.regent.lib.values

metadata := {
	"id": "S3.19",
	"title": "S3 access points should have block public access settings enabled",
	"description": concat(" ", [
		"Checks the access point's own Block Public Access settings, configuration.PublicAccessBlockConfiguration (PascalCase, as for CloudFormation-modelled types): BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets must all be true (\"true\"/\"True\" strings count).",
		"NON_COMPLIANT when any flag is false, \"false\" or missing, or when the whole block is absent.",
		"Access points named in excludedAccessPoints (allowed public access points; Security Hub sets none) are COMPLIANT.",
		"The settings cannot be changed after the access point is created, so remediation means replacing the access point.",
	]),
	"severity": "critical",
	"resource_types": ["AWS::S3::AccessPoint"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.19"],
	},
	"config_rule": "S3_ACCESS_POINT_PUBLIC_ACCESS_BLOCKS",
	"parameters": {
		"excludedAccessPoints": {
			"default": null,
			"description": "Names of access points that are allowed to be public (a list or a comma-separated string); they are reported COMPLIANT.",
			"type": "list(string)|csv(string)",
		},
	},
}

_flags := ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]

_block := input.configuration.PublicAccessBlockConfiguration

_excluded if {
	some name in resource_policy.csv_list(data.parameters["S3.19"].excludedAccessPoints)
	name in {object.get(input, "resourceName", ""), object.get(input.configuration, "Name", "")}
}

violation contains "access point has no block public access settings (PublicAccessBlockConfiguration not recorded)" if {
	not _excluded
	not is_object(_block)
}

violation contains msg if {
	not _excluded
	is_object(_block)
	some flag in _flags
	not values.is_true(_block[flag])
	msg := sprintf("access point block public access: %s is %v (must be true)", [flag, values.show(_block, flag)])
}
