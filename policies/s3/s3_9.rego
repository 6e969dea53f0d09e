package regent.s3_9

metadata := {
	"id": "S3.9",
	"title": "S3 general purpose buckets should have server access logging enabled",
	"description": concat(" ", [
		"Checks that server access logging is on: supplementaryConfiguration.BucketLoggingConfiguration.destinationBucketName must be a non-empty bucket name (Config records null when logging is off; a missing key means not configured).",
		"With the targetBucket parameter set, the destination must be that bucket; with targetPrefix set, logFilePrefix must equal it.",
		"Both parameters are unset in Security Hub.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.9"],
	},
	"config_rule": "S3_BUCKET_LOGGING_ENABLED",
	"parameters": {
		"targetBucket": {
			"default": null,
			"description": "Name of the bucket access logs must be delivered to; null accepts any.",
			"type": "string",
		},
		"targetPrefix": {
			"default": null,
			"description": "Prefix the access logs must be written under; null accepts any.",
			"type": "string",
		},
	},
	"remediation": {
		# ASR runs ASR-CreateAccessLoggingBucket first (creating
		# so0111-cloudtrailaccesslogs-<account>-<region>), then this AWS-owned document.
		"runbook": "AWS-ConfigureS3BucketLogging",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"TargetBucket": "so0111-cloudtrailaccesslogs-{{awsAccountId}}-{{awsRegion}}",
			"TargetPrefix": "{{resourceName}}",
			"GrantedPermission": "READ",
			"GranteeType": "Group",
			"GranteeUri": "http://acs.amazonaws.com/groups/s3/LogDelivery",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Needs the log bucket to exist, and the log-delivery ACL grant fails on target buckets
		# whose Object Ownership is BucketOwnerEnforced.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_logging := object.get(object.get(input, "supplementaryConfiguration", {}), "BucketLoggingConfiguration", null)

_destination := d if {
	d := _logging.destinationBucketName
	is_string(d)
	trim_space(d) != ""
}

_param(name) := v if {
	v := data.parameters["S3.9"][name]
	is_string(v)
	trim_space(v) != ""
}

violation contains "server access logging is not configured (BucketLoggingConfiguration absent)" if {
	not is_object(_logging)
}

violation contains msg if {
	is_object(_logging)
	not _destination
	msg := sprintf("server access logging is disabled (destinationBucketName is %v)", [object.get(_logging, "destinationBucketName", "not set")])
}

violation contains msg if {
	wanted := _param("targetBucket")
	_destination != wanted
	msg := sprintf("access logs go to bucket %s, not the required %s", [_destination, wanted])
}

violation contains msg if {
	_destination
	wanted := _param("targetPrefix")
	object.get(_logging, "logFilePrefix", null) != wanted
	msg := sprintf("access log prefix is %v, not the required %s", [object.get(_logging, "logFilePrefix", "not set"), wanted])
}
