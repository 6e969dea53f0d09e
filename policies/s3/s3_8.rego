package regent.s3_8

import data.regent.lib.values

metadata := {
	"id": "S3.8",
	"title": "S3 general purpose buckets should block public access",
	"description": "Checks the bucket-level Block Public Access settings (supplementaryConfiguration.PublicAccessBlockConfiguration): blockPublicAcls, ignorePublicAcls, blockPublicPolicy and restrictPublicBuckets must all be true (\"true\"/\"True\" strings count). NON_COMPLIANT when any flag is false, \"false\" or missing, or when the key is absent altogether (Config omits it when the bucket has no public access block, which is not the same as false). Account-level settings are S3.1's concern and are not consulted. Buckets named in excludedPublicBuckets are COMPLIANT, as in the AWS Config rule, which only reports buckets that are not listed.",
	"severity": "high",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.8"],
		"cis-aws-foundations-benchmark/v1.4.0": ["2.1.5"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.1.4"],
	},
	"config_rule": "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
	"parameters": {
		"excludedPublicBuckets": {
			"default": [],
			"description": "Names of buckets that are meant to be public (a list, or a comma-separated string); they are reported COMPLIANT.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-ConfigureS3BucketPublicAccessBlock",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"BlockPublicAcls": true,
			"IgnorePublicAcls": true,
			"BlockPublicPolicy": true,
			"RestrictPublicBuckets": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_flags := ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"]

_block := input.supplementaryConfiguration.PublicAccessBlockConfiguration

_excluded_names := p if {
	p := data.parameters["S3.8"].excludedPublicBuckets
	is_array(p)
}

_excluded_names := split(p, ",") if {
	p := data.parameters["S3.8"].excludedPublicBuckets
	is_string(p)
}

_excluded if {
	some name in _excluded_names
	is_string(name)
	trim_space(name) == input.resourceId
}

violation contains "bucket has no bucket-level public access block (PublicAccessBlockConfiguration not configured)" if {
	not _excluded
	not is_object(_block)
}

violation contains msg if {
	not _excluded
	is_object(_block)
	some flag in _flags
	not values.is_true(_block[flag])
	msg := sprintf("bucket-level public access block: %s is %v (must be true)", [flag, values.show(_block, flag)])
}
