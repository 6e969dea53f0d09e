package regent.sns_1

import data.regent.lib.kms
import data.regent.lib.resource_policy

metadata := {
	"id": "SNS.1",
	"title": "SNS topics should be encrypted at-rest using AWS KMS",
	"description": concat(" ", [
		"Checks that the topic has server-side encryption: configuration.KmsMasterKeyId (PascalCase, as SNS topic attributes are recorded) must be a non-empty key id, key ARN, alias (alias/aws/sns) or alias ARN.",
		"NON_COMPLIANT when the attribute is missing, null or empty.",
		"With kmsKeyIds set (a list or comma-separated string), the key must be one of them: the same text, or the same key given as key id versus key ARN; aliases cannot be resolved to keys from the configuration item.",
		"Security Hub no longer lists this control in AWS Foundational Security Best Practices.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::SNS::Topic"],
	"requires": [],
	"standards": {},
	"config_rule": "SNS_ENCRYPTED_KMS",
	"parameters": {
		"kmsKeyIds": {
			"default": null,
			"description": "KMS keys (ids, ARNs or aliases) topics must be encrypted with, as a list or comma-separated string; null accepts any key.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableEncryptionForSNSTopic",
		"parameters": {
			"TopicArn": "{{ARN}}",
			# SSM /Solutions/SO0111/CMK_REMEDIATION_ARN, the key ASR deploys for remediation.
			"KmsKeyArn": "{{settings.cmk_remediation_arn}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Publishers (and services such as CloudWatch alarms or S3 events) then need
		# kms:GenerateDataKey and kms:Decrypt on the key.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_key := k if {
	k := input.configuration.KmsMasterKeyId
	is_string(k)
	trim_space(k) != ""
}

_allowed := resource_policy.csv_list(data.parameters["SNS.1"].kmsKeyIds)

_key_allowed if {
	some wanted in _allowed
	kms.key_matches(_key, wanted)
}

violation contains msg if {
	not _key
	msg := sprintf("topic is not encrypted with AWS KMS (KmsMasterKeyId is %v)", [_shown(object.get(input.configuration, "KmsMasterKeyId", "not set"))])
}

_shown(v) := "empty" if v == ""

_shown(v) := v if v != ""

violation contains msg if {
	count(_allowed) > 0
	not _key_allowed
	msg := sprintf("topic is encrypted with %s, not one of the allowed keys %s", [_key, concat(", ", _allowed)])
}
