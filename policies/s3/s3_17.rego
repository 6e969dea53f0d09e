package regent.s3_17

import data.regent.lib.kms
import data.regent.lib.resource_policy

metadata := {
	"id": "S3.17",
	"title": "S3 general purpose buckets should be encrypted at rest with AWS KMS keys",
	"description": concat(" ", [
		"Checks that the bucket's default encryption uses AWS KMS: some rule in supplementaryConfiguration.ServerSideEncryptionConfiguration.rules[] has applyServerSideEncryptionByDefault.sseAlgorithm aws:kms or aws:kms:dsse (any letter case).",
		"NON_COMPLIANT for SSE-S3 (AES256), for no rules, or when the key is absent (not configured).",
		"With kmsKeyArns set (a list or comma-separated string of key ARNs or key ids), the rule's kmsMasterKeyID must be one of them; a KMS rule without kmsMasterKeyID (the AWS managed key aws/s3) then fails, and aliases cannot be resolved from the configuration item.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {},
	"config_rule": "S3_DEFAULT_ENCRYPTION_KMS",
	"parameters": {
		"kmsKeyArns": {
			"default": null,
			"description": "KMS keys (ARNs or key ids) buckets must be encrypted with, as a list or comma-separated string; null accepts any KMS key.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableDefaultEncryptionS3",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"AccountId": "{{awsAccountId}}",
			# Must name a real customer managed key alias: the solution's default value
			# ("default-s3-encryption") applies AES256, which this control does not accept.
			"KmsKeyAlias": "{{settings.s3_cmk_alias}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Readers and writers then need kms:Decrypt / kms:GenerateDataKey on the key.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_sse := object.get(object.get(input, "supplementaryConfiguration", {}), "ServerSideEncryptionConfiguration", null)

_defaults := [d |
	some rule in _sse.rules
	d := rule.applyServerSideEncryptionByDefault
	is_object(d)
] if is_array(_sse.rules)

_defaults := [] if not is_array(_sse.rules)

_kms_defaults := [d | some d in _defaults; is_string(d.sseAlgorithm); lower(d.sseAlgorithm) in {"aws:kms", "aws:kms:dsse"}]

_algorithms := [a | some d in _defaults; a := object.get(d, "sseAlgorithm", null)]

_allowed_keys := resource_policy.csv_list(data.parameters["S3.17"].kmsKeyArns)

_allowed(key) if {
	some wanted in _allowed_keys
	kms.key_matches(key, wanted)
}

violation contains "bucket has no default encryption (ServerSideEncryptionConfiguration not configured)" if {
	not is_object(_sse)
}

violation contains msg if {
	is_object(_sse)
	count(_kms_defaults) == 0
	msg := sprintf("bucket default encryption does not use AWS KMS (sseAlgorithm %v; expected aws:kms or aws:kms:dsse)", [_algorithms])
}

violation contains msg if {
	count(_kms_defaults) > 0
	count(_allowed_keys) > 0
	keys := [object.get(d, "kmsMasterKeyID", null) | some d in _kms_defaults]
	not _some_allowed(keys)
	msg := sprintf("bucket default encryption uses KMS key %v, not one of the allowed keys %s", [keys, concat(", ", _allowed_keys)])
}

_some_allowed(keys) if {
	some key in keys
	_allowed(key)
}
