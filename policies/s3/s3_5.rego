package regent.s3_5

import data.regent.lib.policy_document

metadata := {
	"id": "S3.5",
	"title": "S3 general purpose buckets should require requests to use SSL",
	"description": "Checks that the bucket policy (supplementaryConfiguration.BucketPolicy.policyText) has a statement that denies every S3 action (\"s3:*\" or \"*\") to every principal (\"*\" or {\"AWS\": \"*\"}) under the single condition Bool or BoolIfExists aws:SecureTransport = false (condition key matched case-insensitively, false or \"false\"). NON_COMPLIANT when the bucket has no policy (policyText null or absent), or when no statement does this, for example an Allow statement with aws:SecureTransport true, a deny limited to some actions or principals, or a deny narrowed by further conditions. The statement's Resource is not checked.",
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.5"],
		"cis-aws-foundations-benchmark/v1.4.0": ["2.1.2"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.1.1"],
	},
	"config_rule": "S3_BUCKET_SSL_REQUESTS_ONLY",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-SetSSLBucketPolicy",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"AccountId": "{{awsAccountId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# The runbook appends one deny-HTTP statement to the existing policy and keeps the
		# rest, so running it unattended only cuts off plain-HTTP clients.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_policy := input.supplementaryConfiguration.BucketPolicy.policyText

_has_policy if {
	_policy != null
}

violation contains "bucket has no bucket policy, so requests over plain HTTP (aws:SecureTransport false) are not denied" if {
	not _has_policy
}

violation contains "bucket policy has no statement denying s3:* to all principals when aws:SecureTransport is false" if {
	_has_policy
	not policy_document.denies_insecure_transport(_policy)
}
