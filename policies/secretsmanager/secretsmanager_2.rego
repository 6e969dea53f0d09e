package regent.secretsmanager_2

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "SecretsManager.2",
	"title": "Secrets Manager secrets configured with automatic rotation should rotate successfully",
	"description": concat(" ", [
		"For secrets with automatic rotation (configuration.RotationEnabled true; others are NOT_APPLICABLE), checks that rotation happens on schedule: configuration.RotationOccurringAsScheduled false (or \"false\") is NON_COMPLIANT.",
		"When Config has not recorded RotationOccurringAsScheduled, the secret is NON_COMPLIANT if its last rotation (LastRotatedDate, an ISO-8601 string or epoch number) is older than RotationRules.AutomaticallyAfterDays at the evaluation time (data.context.as_of_ns); with neither field, nothing can be concluded and the secret is COMPLIANT.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::SecretsManager::Secret"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["SecretsManager.2"],
	},
	"config_rule": "SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-RotateSecret",
		"parameters": {
			"SecretId": "{{ARN}}",
			"RotationLambdaArn": "{{configuration.RotationLambdaARN}}",
			"RotationInterval": "{{configuration.RotationRules.AutomaticallyAfterDays}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Retries the rotation with the secret's own function and schedule: it fixes a rotation that
		# failed once, not a broken rotation function, and rotating changes the credential.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration

default applicable := false

applicable if values.is_true(_conf.RotationEnabled)

_recorded if "RotationOccurringAsScheduled" in object.keys(_conf)

violation contains "rotation is not occurring as scheduled (RotationOccurringAsScheduled is false)" if {
	values.is_false(_conf.RotationOccurringAsScheduled)
}

_ns_per_day := ((24 * 60) * 60) * 1000000000

_last_rotated_ns := time.parse_rfc3339_ns(_conf.LastRotatedDate) if is_string(_conf.LastRotatedDate)

# Epoch numbers: milliseconds when large, else seconds.
_last_rotated_ns := _conf.LastRotatedDate * 1000000 if {
	is_number(_conf.LastRotatedDate)
	_conf.LastRotatedDate > 100000000000
}

_last_rotated_ns := _conf.LastRotatedDate * 1000000000 if {
	is_number(_conf.LastRotatedDate)
	_conf.LastRotatedDate <= 100000000000
}

violation contains msg if {
	not _recorded
	days := values.number(_conf.RotationRules.AutomaticallyAfterDays)
	overdue := (data.context.as_of_ns - _last_rotated_ns) - (days * _ns_per_day)
	overdue > 0
	msg := sprintf("last rotation (%v) is more than %v days before %s: the scheduled rotation did not happen", [edge_helpers.timestamp_text(_conf.LastRotatedDate), days, data.context.as_of])
}
