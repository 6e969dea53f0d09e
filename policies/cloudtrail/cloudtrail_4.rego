package regent.cloudtrail_4

import data.regent.lib.values

metadata := {
	"id": "CloudTrail.4",
	"title": "CloudTrail log file validation should be enabled",
	"description": "Checks configuration.logFileValidationEnabled of a CloudTrail trail. NON_COMPLIANT unless it is true (true or \"true\"); false, \"false\" or missing fails, since CloudTrail then writes no digest files to prove the log files were not changed.",
	"severity": "low",
	"resource_types": ["AWS::CloudTrail::Trail"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CloudTrail.4"],
		"cis-aws-foundations-benchmark/v1.2.0": ["2.2"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.2"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.2"],
	},
	"config_rule": "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableCloudTrailLogFileValidation",
		"parameters": {
			"TrailName": "{{configuration.name}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Only adds hourly digest files next to the logs.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

violation contains msg if {
	not values.is_true(input.configuration.logFileValidationEnabled)
	msg := sprintf("log file validation is not enabled (logFileValidationEnabled is %v)", [values.show(input.configuration, "logFileValidationEnabled")])
}
