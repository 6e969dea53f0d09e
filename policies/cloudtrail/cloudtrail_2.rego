package regent.cloudtrail_2

metadata := {
	"id": "CloudTrail.2",
	"title": "CloudTrail should have encryption at-rest enabled",
	"description": "Checks that a CloudTrail trail encrypts its log files with SSE-KMS: configuration.kmsKeyId must be a non-empty string (a KMS key ARN). NON_COMPLIANT when kmsKeyId is missing, null or empty, which leaves the logs with the bucket's default S3 encryption only.",
	"severity": "medium",
	"resource_types": ["AWS::CloudTrail::Trail"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CloudTrail.2"],
		"cis-aws-foundations-benchmark/v1.2.0": ["2.7"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.7"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.5"],
	},
	"config_rule": "CLOUD_TRAIL_ENCRYPTION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableCloudTrailEncryption",
		"parameters": {
			"TrailArn": "{{ARN}}",
			"TrailRegion": "{{awsRegion}}",
			"KMSKeyArn": "{{settings.remediation_kms_key_arn}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_encrypted if {
	key := _conf.kmsKeyId
	is_string(key)
	trim_space(key) != ""
}

violation contains "trail log files are not encrypted with SSE-KMS (no kmsKeyId)" if {
	not _encrypted
}
