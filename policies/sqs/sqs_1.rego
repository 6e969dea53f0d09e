package regent.sqs_1

import data.regent.lib.values

metadata := {
	"id": "SQS.1",
	"title": "Amazon SQS queues should be encrypted at rest",
	"description": concat(" ", [
		"Checks that the queue uses server-side encryption: either SSE-KMS, configuration.KmsMasterKeyId a non-empty key id, ARN or alias, or SSE-SQS, configuration.SqsManagedSseEnabled true.",
		"Queue attributes are recorded as strings, so \"true\"/\"True\" count and \"false\", a missing attribute or an empty key id do not.",
		"NON_COMPLIANT when neither is set.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::SQS::Queue"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["SQS.1"],
	},
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableEncryptionForSQSQueue",
		"parameters": {
			"SQSQueueName": "{{resourceName}}",
			# SSM /Solutions/SO0111/CMK_REMEDIATION_ARN, the key ASR deploys for remediation.
			"KmsKeyArn": "{{settings.cmk_remediation_arn}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Producers and consumers (and services sending to the queue) then need access to the key.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration

_kms if {
	is_string(_conf.KmsMasterKeyId)
	trim_space(_conf.KmsMasterKeyId) != ""
}

violation contains msg if {
	not _kms
	not values.is_true(_conf.SqsManagedSseEnabled)
	msg := sprintf("queue is not encrypted at rest (KmsMasterKeyId is %v, SqsManagedSseEnabled is %v)", [_shown(values.show(_conf, "KmsMasterKeyId")), values.show(_conf, "SqsManagedSseEnabled")])
}

_shown(v) := "empty" if v == ""

_shown(v) := v if v != ""
