package regent.cloudfront_12

import data.regent.lib.edge_helpers

metadata := {
	"id": "CloudFront.12",
	"title": "CloudFront distributions should not point to non-existent S3 origins",
	"description": "Checks every S3 origin of a CloudFront distribution (configuration.distributionConfig.origins.items[] with an s3OriginConfig) whose domainName is an S3 REST endpoint (bucket.s3.amazonaws.com, bucket.s3.<region>.amazonaws.com, bucket.s3-<region>.amazonaws.com, dualstack and China endpoints): the named bucket must exist, i.e. an AWS::S3::Bucket CI with that name must be recorded in the input, in any account and region. NON_COMPLIANT when a bucket is not found. Existence is judged only from the loaded CIs, so a bucket owned by an account whose snapshot is not in the input counts as missing. Custom origins (customOriginConfig, including S3 website endpoints such as bucket.s3-website-<region>.amazonaws.com) are not checked; a distribution with no such S3 origin is NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::CloudFront::Distribution"],
	"requires": [{"type": "AWS::S3::Bucket", "fields": ["configuration.name"]}],
	# An origin bucket that is not recorded counts as non-existent: it may exist and only be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CloudFront.12"],
	},
	"config_rule": "CLOUDFRONT_S3_ORIGIN_NON_EXISTENT_BUCKET",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-SetCloudFrontOriginDomain",
		"parameters": {
			"DistributionId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Replaces the origin's domain, which takes the content the origin served offline.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

# [origin id, bucket] for every S3 origin (s3OriginConfig set) on an S3 REST endpoint.
_s3_origins contains [id, bucket] if {
	items := input.configuration.distributionConfig.origins.items
	is_array(items)
	some origin in items
	is_object(origin)
	is_object(origin.s3OriginConfig)
	bucket := edge_helpers.s3_rest_bucket(origin.domainName)
	id := object.get(origin, "id", origin.domainName)
}

default applicable := false

applicable if count(_s3_origins) > 0

violation contains msg if {
	some origin in _s3_origins
	[id, bucket] := origin
	count(edge_helpers.buckets_named(bucket)) == 0
	msg := sprintf("origin %v points to S3 bucket %q, which is not recorded in any account or region of the input (non-existent bucket)", [id, bucket])
}
