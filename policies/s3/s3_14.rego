package regent.s3_14

import data.regent.lib.values

metadata := {
	"id": "S3.14",
	"title": "S3 general purpose buckets should have versioning enabled",
	"description": concat(" ", [
		"Checks that supplementaryConfiguration.BucketVersioningConfiguration.status is Enabled (any letter case); Off, Suspended or a missing key (not configured) is NON_COMPLIANT.",
		"With isMfaDeleteEnabled set to true, isMfaDeleteEnabled must also be true (\"true\" strings count; null, which Config records when MFA delete was never configured, is not).",
	]),
	"severity": "low",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {},
	"config_rule": "S3_BUCKET_VERSIONING_ENABLED",
	"parameters": {
		"isMfaDeleteEnabled": {
			"default": null,
			"description": "Set to true to also require MFA delete; null or false does not check it.",
			"type": "boolean",
		},
	},
	"remediation": {
		"runbook": "AWS-ConfigureS3BucketVersioning",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"VersioningState": "Enabled",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Versioning can only be suspended afterwards, never removed, and every overwrite then
		# keeps a paid-for noncurrent version.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_versioning := object.get(object.get(input, "supplementaryConfiguration", {}), "BucketVersioningConfiguration", null)

_status := object.get(_versioning, "status", null) if is_object(_versioning)

_enabled if {
	is_string(_status)
	lower(_status) == "enabled"
}

violation contains "bucket versioning is not configured (BucketVersioningConfiguration absent)" if {
	not is_object(_versioning)
}

violation contains msg if {
	is_object(_versioning)
	not _enabled
	msg := sprintf("bucket versioning status is %v (must be Enabled)", [values.show(_versioning, "status")])
}

violation contains msg if {
	values.is_true(data.parameters["S3.14"].isMfaDeleteEnabled)
	is_object(_versioning)
	not values.is_true(_versioning.isMfaDeleteEnabled)
	msg := sprintf("MFA delete is not enabled on the bucket (isMfaDeleteEnabled is %v)", [values.show(_versioning, "isMfaDeleteEnabled")])
}
