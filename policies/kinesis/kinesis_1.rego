package regent.kinesis_1

metadata := {
	"id": "Kinesis.1",
	"title": "Kinesis streams should be encrypted at rest",
	"description": "Checks that a Kinesis data stream uses server-side encryption: configuration.StreamEncryption.EncryptionType must be \"KMS\" (any letter case). NON_COMPLIANT when it is \"NONE\", or when StreamEncryption or its EncryptionType is missing (encryption not configured). Any KMS key (the AWS managed alias/aws/kinesis or a customer managed key in StreamEncryption.KeyId) is accepted.",
	"severity": "medium",
	"resource_types": ["AWS::Kinesis::Stream"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Kinesis.1"],
	},
	"config_rule": "KINESIS_STREAM_ENCRYPTED",
	"parameters": {},
	"remediation": {
		"runbook": "AWS-EnableKinesisStreamEncryption",
		"parameters": {
			"KinesisStreamName": "{{configuration.Name}}",
			"KeyId": "alias/aws/kinesis",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Producers and consumers need kms:GenerateDataKey / kms:Decrypt on the key afterwards.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_type := input.configuration.StreamEncryption.EncryptionType

violation contains msg if {
	is_string(_type)
	upper(_type) != "KMS"
	msg := sprintf("stream is not encrypted at rest (StreamEncryption.EncryptionType is %q)", [_type])
}

violation contains "stream is not encrypted at rest (no StreamEncryption.EncryptionType recorded)" if {
	not is_string(_type)
}
