package regent.cloudtrail_3

import data.regent.lib.edge_helpers

metadata := {
	"id": "CloudTrail.3",
	"title": "CloudTrail should be enabled",
	"description": "Account-level, per region: COMPLIANT when the account has a CloudTrail trail that logs the evaluated region, i.e. an AWS::CloudTrail::Trail CI recorded in any region of the account that is multi-region (isMultiRegionTrail true) or whose home region (configuration.homeRegion, else the region it is recorded in) is the evaluated region, and that is not recorded as stopped (TrailStatus/isLogging false). For the pseudo-region global (IAM and other global resources) any trail that includes global service events counts. NON_COMPLIANT when no such trail exists; single-region trails of other regions do not count.",
	"severity": "high",
	"resource_types": ["AWS::::Account"],
	"requires": ["AWS::CloudTrail::Trail"],
	# No logging trail covers the region among those recorded: one may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {},
	"config_rule": "CLOUD_TRAIL_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-CreateCloudTrailMultiRegionTrail",
		"parameters": {
			"KMSKeyArn": "{{settings.remediation_kms_key_arn}}",
			"AWSPartition": "{{settings.aws_partition}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Creates a new trail and log bucket, with their running cost; not applied unattended.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_trails := edge_helpers.trails(input.awsAccountId)

_covering := [ci | some ci in _trails; edge_helpers.trail_covers_region(ci, input.awsRegion)]

_enabled := [ci | some ci in _covering; not edge_helpers.trail_logging_stopped(ci)]

violation contains msg if {
	count(_covering) == 0
	msg := sprintf("no CloudTrail trail logs region %s of account %s (%d trail(s) recorded, none multi-region or homed there)", [input.awsRegion, input.awsAccountId, count(_trails)])
}

violation contains msg if {
	count(_covering) > 0
	count(_enabled) == 0
	msg := sprintf("every trail that covers region %s of account %s has logging stopped (%s)", [input.awsRegion, input.awsAccountId, concat(", ", sort([edge_helpers.trail_name(ci) | some ci in _covering]))])
}
