package regent.s3_4

import data.regent.lib.policy_document
import data.regent.lib.resource_policy

metadata := {
	"id": "S3.4",
	"title": "S3 buckets should have server-side encryption enabled",
	"description": concat(" ", [
		"Checks that the bucket has default server-side encryption: some rule in supplementaryConfiguration.ServerSideEncryptionConfiguration.rules[] has applyServerSideEncryptionByDefault.sseAlgorithm AES256, aws:kms or aws:kms:dsse (any letter case).",
		"As in the AWS Config rule, a bucket without default encryption is still COMPLIANT when its bucket policy denies s3:PutObject to everyone unless the request asks for server-side encryption (a Deny statement covering s3:PutObject with StringNotEquals s3:x-amz-server-side-encryption AES256/aws:kms or Null s3:x-amz-server-side-encryption true).",
		"NON_COMPLIANT when the ServerSideEncryptionConfiguration key is absent (not configured), has no rules, or names no supported algorithm, and the policy does not enforce encryption.",
		"Security Hub has retired this control from AWS Foundational Security Best Practices (S3 now encrypts new objects by default); it remains in CIS 1.4.0 as 2.1.1.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"cis-aws-foundations-benchmark/v1.4.0": ["2.1.1"],
	},
	"config_rule": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableDefaultEncryptionS3",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"AccountId": "{{awsAccountId}}",
			# SSM /Solutions/SO0111/afsbp/1.0.0/S3.4/KmsKeyAlias: "default-s3-encryption" gives
			# AES256, any other value aws:kms with that alias.
			"KmsKeyAlias": "{{settings.s3_kms_key_alias}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Adding a default-encryption rule only affects objects written afterwards; with the
		# solution's default (SSE-S3) readers need nothing new.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_supported := {"aes256", "aws:kms", "aws:kms:dsse"}

_supp := object.get(input, "supplementaryConfiguration", {})

_sse := object.get(_supp, "ServerSideEncryptionConfiguration", null)

_rules := _sse.rules if is_array(_sse.rules)

_rules := [] if not is_array(_sse.rules)

_algorithms := [a |
	some rule in _rules
	a := rule.applyServerSideEncryptionByDefault.sseAlgorithm
	is_string(a)
]

_encrypted if {
	some a in _algorithms
	lower(a) in _supported
}

_policy := input.supplementaryConfiguration.BucketPolicy.policyText

# A Deny statement for s3:PutObject that fires when the request does not ask for SSE.
_policy_enforces_encryption if {
	some stmt in policy_document.statements(_policy)
	is_string(stmt.Effect)
	lower(stmt.Effect) == "deny"
	resource_policy.covers_action(stmt, "s3:PutObject")
	_sse_condition(stmt.Condition)
}

_sse_condition(condition) if {
	is_object(condition)
	some operator, tests in condition
	lower(operator) == "stringnotequals"
	is_object(tests)
	some key, value in tests
	lower(key) == "s3:x-amz-server-side-encryption"
	some v in policy_document.as_array(value)
	is_string(v)
	lower(v) in {"aes256", "aws:kms"}
}

_sse_condition(condition) if {
	is_object(condition)
	some operator, tests in condition
	lower(operator) == "null"
	is_object(tests)
	some key, value in tests
	lower(key) == "s3:x-amz-server-side-encryption"
	some v in policy_document.as_array(value)
	lower(sprintf("%v", [v])) == "true"
}

violation contains "bucket has no default encryption (ServerSideEncryptionConfiguration not configured) and its policy does not deny unencrypted uploads" if {
	not is_object(_sse)
	not _policy_enforces_encryption
}

violation contains msg if {
	is_object(_sse)
	not _encrypted
	not _policy_enforces_encryption
	msg := sprintf("bucket default encryption names no supported algorithm (sseAlgorithm %v; expected AES256, aws:kms or aws:kms:dsse)", [_algorithms])
}
