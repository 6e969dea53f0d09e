package regent.cloudtrail_1

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "CloudTrail.1",
	"title": "CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events",
	"description": "Account-level: looks at every AWS::CloudTrail::Trail CI recorded for the account, in any region. COMPLIANT when at least one trail is multi-region (configuration.isMultiRegionTrail true or \"true\"), is not recorded as stopped (a recorded TrailStatus/isLogging of false fails it), and records management events of type readWriteType (default ALL): a basic event selector with includeManagementEvents not false, readWriteType All and no excludeManagementEventSources, or an advanced selector on eventCategory Management with no readOnly or eventSource exclusion. When the CI records no event selectors the trail is taken to log all management events (CloudTrail's default). NON_COMPLIANT when no trail is recorded for the account, or none qualifies; the reason says what each trail lacks. Organization trails that Config records only in the management account are not seen from member accounts.",
	"severity": "high",
	"resource_types": ["AWS::::Account"],
	"requires": ["AWS::CloudTrail::Trail"],
	# No trail, or none that qualifies, among those recorded: a qualifying trail may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CloudTrail.1"],
		"cis-aws-foundations-benchmark/v1.2.0": ["2.1"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.1"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.1"],
	},
	"config_rule": "MULTI_REGION_CLOUD_TRAIL_ENABLED",
	"parameters": {
		"readWriteType": {
			"default": "ALL",
			"description": "Management events the trail must record: ALL, READ_ONLY or WRITE_ONLY (a selector of type All satisfies each).",
			"type": "string",
			"values": ["ALL", "READ_ONLY", "WRITE_ONLY", "ReadOnly", "WriteOnly"],
		},
	},
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

_rw := data.parameters["CloudTrail.1"].readWriteType

_trails := edge_helpers.trails(input.awsAccountId)

# Why a trail does not satisfy the control (empty when it does).
_gaps(ci) := {g |
	not values.is_true(ci.configuration.isMultiRegionTrail)
	g := "not multi-region"
} | {g |
	edge_helpers.trail_logging_stopped(ci)
	g := "logging is stopped"
} | {g |
	not edge_helpers.trail_records_management(ci, _rw)
	g := sprintf("does not record %v management events", [_rw])
}

_qualifies(ci) if count(_gaps(ci)) == 0

violation contains msg if {
	count(_trails) == 0
	msg := sprintf("no CloudTrail trail is recorded for account %s", [input.awsAccountId])
}

violation contains msg if {
	count(_trails) > 0
	not _any_qualifies
	details := sort([sprintf("%s: %s", [edge_helpers.trail_name(ci), concat(", ", sort(_gaps(ci)))]) | some ci in _trails])
	msg := sprintf("no multi-region trail logging %v management events in account %s (%s)", [_rw, input.awsAccountId, concat("; ", details)])
}

_any_qualifies if {
	some ci in _trails
	_qualifies(ci)
}
