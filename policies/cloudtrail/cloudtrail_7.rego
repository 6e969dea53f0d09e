package regent.cloudtrail_7

import data.regent.lib.edge_helpers

metadata := {
	"id": "CloudTrail.7",
	"title": "Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket",
	"description": "Finds the trail's log bucket (configuration.s3BucketName) among the recorded AWS::S3::Bucket CIs (any account, any region) and checks its server access logging: supplementaryConfiguration.BucketLoggingConfiguration.destinationBucketName must be a non-empty string. NON_COMPLIANT when it is null, empty or BucketLoggingConfiguration is missing. When the bucket is not in the input (for example it belongs to a log-archive account whose CIs were not loaded) the trail is NOT_APPLICABLE.",
	"severity": "low",
	"resource_types": ["AWS::CloudTrail::Trail"],
	"requires": [{"type": "AWS::S3::Bucket", "fields": ["configuration.name", "supplementaryConfiguration.BucketLoggingConfiguration"]}],
	"standards": {
		"cis-aws-foundations-benchmark/v1.2.0": ["2.6"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.6"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.4"],
	},
	"parameters": {},
	"remediation": {
		# ASR first runs ASR-CreateAccessLoggingBucket to create the target bucket
		# so0111-cloudtrailaccesslogs-<account>-<region>, then this document.
		"runbook": "AWS-ConfigureS3BucketLogging",
		"parameters": {
			"BucketName": "{{configuration.s3BucketName}}",
			"TargetBucket": "so0111-cloudtrailaccesslogs-{{awsAccountId}}-{{awsRegion}}",
			"TargetPrefix": "{{configuration.s3BucketName}}",
			"GrantedPermission": "READ",
			"GranteeType": "Group",
			"GranteeUri": "http://acs.amazonaws.com/groups/s3/LogDelivery",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# The target logging bucket has to exist first (and costs storage).
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_name := input.configuration.s3BucketName

_buckets := edge_helpers.buckets_named(_name) if is_string(_name)

default applicable := false

applicable if count(_buckets) > 0

_logging_target(bucket) := t if {
	t := bucket.supplementaryConfiguration.BucketLoggingConfiguration.destinationBucketName
	is_string(t)
	trim_space(t) != ""
}

violation contains msg if {
	some bucket in _buckets
	not _logging_target(bucket)
	msg := sprintf("server access logging is not enabled on log bucket %s (BucketLoggingConfiguration.destinationBucketName is %v)", [_name, _shown(bucket)])
}

_shown(bucket) := v if {
	conf := bucket.supplementaryConfiguration.BucketLoggingConfiguration
	is_object(conf)
	v := object.get(conf, "destinationBucketName", "not set")
}

_shown(bucket) := "not set (no BucketLoggingConfiguration)" if not is_object(bucket.supplementaryConfiguration.BucketLoggingConfiguration)
