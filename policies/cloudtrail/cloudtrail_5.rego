package regent.cloudtrail_5

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "CloudTrail.5",
	"title": "CloudTrail trails should be integrated with Amazon CloudWatch Logs",
	"description": "Checks that a CloudTrail trail delivers to CloudWatch Logs: configuration.cloudWatchLogsLogGroupArn must be a non-empty string. NON_COMPLIANT when it is missing, null or empty. With expectedDeliveryWindowAge set (hours), a trail whose recorded status (supplementaryConfiguration.TrailStatus.latestCloudWatchLogsDeliveryTime) shows no delivery within that many hours before the evaluation time is NON_COMPLIANT too; when no delivery time is recorded that part cannot be checked and is skipped.",
	"severity": "low",
	"resource_types": ["AWS::CloudTrail::Trail"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CloudTrail.5"],
		"cis-aws-foundations-benchmark/v1.2.0": ["2.4"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.4"],
	},
	"config_rule": "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED",
	"parameters": {
		"expectedDeliveryWindowAge": {
			"default": null,
			"description": "Maximum age in hours of the latest delivery to CloudWatch Logs; null does not check delivery age.",
			"type": "integer",
			"minimum": 1,
		},
	},
	"remediation": {
		"runbook": "ASR-EnableCloudTrailToCloudWatchLogging",
		"parameters": {
			"TrailName": "{{configuration.name}}",
			"LogGroupName": "CloudTrail/{{configuration.name}}",
			"CloudWatchLogsRole": "{{settings.cloudtrail_cloudwatch_logs_role_arn}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Sends every trail event to CloudWatch Logs, whose ingestion cost can be large.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_group := input.configuration.cloudWatchLogsLogGroupArn

_integrated if {
	is_string(_group)
	trim_space(_group) != ""
}

violation contains msg if {
	not _integrated
	msg := sprintf("trail does not send events to CloudWatch Logs (cloudWatchLogsLogGroupArn is %v)", [values.show(input.configuration, "cloudWatchLogsLogGroupArn")])
}

_window_hours := values.number(data.parameters["CloudTrail.5"].expectedDeliveryWindowAge)

_latest_text := edge_helpers.field(input.supplementaryConfiguration.TrailStatus, ["latestCloudWatchLogsDeliveryTime", "LatestCloudWatchLogsDeliveryTime"])

violation contains msg if {
	_integrated
	latest := edge_helpers.timestamp_ns(_latest_text)
	age := data.context.as_of_ns - latest
	age > ((_window_hours * 60) * 60) * 1000000000
	msg := sprintf("latest delivery to CloudWatch Logs was at %v, more than expectedDeliveryWindowAge %v hour(s) before the evaluation time %v", [edge_helpers.timestamp_text(_latest_text), _window_hours, data.context.as_of])
}
