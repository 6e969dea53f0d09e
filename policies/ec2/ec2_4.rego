package regent.ec2_4

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.4",
	"title": "Stopped EC2 instances should be removed after a specified time period",
	"description": "Checks EC2 instances whose configuration.state.name is \"stopped\": NON_COMPLIANT when the instance has been stopped for more than allowedDays days (default 30) at the evaluation time (data.context.as_of). The stop time is the timestamp EC2 writes into configuration.stateTransitionReason (\"User initiated (2026-01-05 10:31:02 GMT)\"); when that text carries no timestamp, configuration.launchTime is used instead, which is the last start and so at or before the stop (this can only overstate the stopped period). A stopped instance with neither timestamp is NON_COMPLIANT as its stop time cannot be established. Instances in any other state (running, pending, stopping) are COMPLIANT; terminated or shutting-down instances are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::Instance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.4"],
	},
	"config_rule": "EC2_STOPPED_INSTANCE",
	"parameters": {
		"AllowedDays": {
			"default": 30,
			"description": "Number of days an instance may stay stopped (a number or numeric string).",
			"type": "integer",
			"minimum": 1,
		},
	},
	"remediation": {
		"runbook": "AWS-TerminateEC2Instance",
		"parameters": {
			"InstanceId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Terminating an instance destroys it (and any delete-on-termination volumes).
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_state := lower(s) if s := ec2_helpers.text(ec2_helpers.get(ec2_helpers.get(_conf, "state"), "name"))

default applicable := true

applicable := false if _state in {"terminated", "shutting-down"}

_allowed_days := d if d := values.number(data.parameters["EC2.4"].AllowedDays)

_allowed_days := 30 if not values.number(data.parameters["EC2.4"].AllowedDays)

_day_ns := ((24 * 60) * 60) * 1000000000

# "User initiated (2026-01-05 10:31:02 GMT)" -> "2026-01-05T10:31:02Z"
_reason_time := t if {
	reason := ec2_helpers.text(ec2_helpers.get(_conf, "stateTransitionReason"))
	m := regex.find_all_string_submatch_n(`\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)`, reason, 1)
	count(m) > 0
	t := sprintf("%sT%sZ", [m[0][1], m[0][2]])
}

_launch_time := t if t := ec2_helpers.text(ec2_helpers.get(_conf, "launchTime"))

_stopped_since := [t, "stateTransitionReason"] if t := _reason_time

_stopped_since := [t, "launchTime"] if {
	not _reason_time
	t := _launch_time
}

violation contains msg if {
	_state == "stopped"
	[since, source] := _stopped_since
	days := (data.context.as_of_ns - time.parse_rfc3339_ns(since)) / _day_ns
	days > _allowed_days
	msg := sprintf("instance has been stopped since %s (from %s), %v days, more than the %v allowed", [since, source, floor(days), _allowed_days])
}

violation contains msg if {
	_state == "stopped"
	not _stopped_since
	msg := sprintf("instance is stopped and no stop time is recorded (stateTransitionReason \"%v\" has no timestamp and launchTime is missing)", [values.show(_conf, "stateTransitionReason")])
}
