package regent.secretsmanager_1

import data.regent.lib.values

metadata := {
	"id": "SecretsManager.1",
	"title": "Secrets Manager secrets should have automatic rotation enabled",
	"description": concat(" ", [
		"Checks that configuration.RotationEnabled is true (\"true\" strings count; false or missing is NON_COMPLIANT).",
		"With maximumAllowedRotationFrequency set (days), the rotation interval must not be longer: RotationRules.AutomaticallyAfterDays, or a RotationRules.ScheduleExpression of the form rate(N days) or rate(N hours); cron schedules cannot be measured and are accepted.",
		"Security Hub sets no maximum.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::SecretsManager::Secret"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["SecretsManager.1"],
	},
	"config_rule": "SECRETSMANAGER_ROTATION_ENABLED_CHECK",
	"parameters": {
		"maximumAllowedRotationFrequency": {
			"default": null,
			"description": "Longest allowed rotation interval in days; null accepts any interval.",
			"type": "integer",
			"minimum": 1,
		},
	},
	"remediation": {
		"runbook": "ASR-EnableAutoSecretRotation",
		"parameters": {
			"SecretARN": "{{ARN}}",
			"MaximumAllowedRotationFrequency": 90,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Rotation needs a working rotation function; turning it on without one breaks the secret.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration

_rules := _conf.RotationRules if is_object(_conf.RotationRules)

_rules := {} if not is_object(_conf.RotationRules)

_max_days := values.number(data.parameters["SecretsManager.1"].maximumAllowedRotationFrequency)

# The rotation interval in days, when it can be told.
_interval_days := d if d := values.number(_rules.AutomaticallyAfterDays)

_interval_days := d if {
	not values.number(_rules.AutomaticallyAfterDays)
	[n, unit] := _rate(_rules.ScheduleExpression)
	d := n * {"day": 1, "hour": 1 / 24}[unit]
}

_rate(expr) := [to_number(m[1]), m[2]] if {
	is_string(expr)
	m := regex.find_all_string_submatch_n(`^\s*rate\(\s*([0-9]+)\s+(day|hour)s?\s*\)\s*$`, lower(expr), 1)[0]
}

violation contains msg if {
	not values.is_true(_conf.RotationEnabled)
	msg := sprintf("automatic rotation is not enabled (RotationEnabled is %v)", [values.show(_conf, "RotationEnabled")])
}

violation contains msg if {
	values.is_true(_conf.RotationEnabled)
	_interval_days > _max_days
	msg := sprintf("secret rotates every %v days, more than the allowed %v days", [_interval_days, _max_days])
}
