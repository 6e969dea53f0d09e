package regent.s3_13

import data.regent.lib.values

metadata := {
	"id": "S3.13",
	"title": "S3 general purpose buckets should have Lifecycle configurations",
	"description": concat(" ", [
		"Checks that supplementaryConfiguration.BucketLifecycleConfiguration has at least one rule with status Enabled (any letter case).",
		"With parameters set, one enabled rule must also match all of them: targetTransitionDays (a transitions[].days value), targetTransitionStorageClass (the storageClass of that same transition, or of any transition when no days are asked for) and targetExpirationDays (expirationInDays); numbers may be recorded as strings.",
		"NON_COMPLIANT when the key is absent (not configured), has no enabled rule, or no enabled rule matches the parameters. Security Hub sets no parameters.",
	]),
	"severity": "low",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.13"],
	},
	"config_rule": "S3_LIFECYCLE_POLICY_CHECK",
	"parameters": {
		"targetTransitionDays": {
			"default": null,
			"description": "Number of days after creation after which objects must be transitioned; null accepts any.",
			"type": "integer",
			"minimum": 0,
		},
		"targetExpirationDays": {
			"default": null,
			"description": "Number of days after creation after which objects must expire; null accepts any.",
			"type": "integer",
			"minimum": 1,
		},
		"targetTransitionStorageClass": {
			"default": null,
			"description": "Storage class objects must be transitioned to (e.g. GLACIER, INTELLIGENT_TIERING); null accepts any.",
			"type": "string",
			"values": ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
		},
	},
	"remediation": {
		"runbook": "ASR-SetS3LifecyclePolicy",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"TargetTransitionDays": 30,
			"TargetExpirationDays": 0,
			"TargetTransitionStorageClass": "INTELLIGENT_TIERING",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# A lifecycle policy moves or expires data and changes storage costs.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_lifecycle := object.get(object.get(input, "supplementaryConfiguration", {}), "BucketLifecycleConfiguration", null)

_rules := _lifecycle.rules if is_array(_lifecycle.rules)

_rules := [] if not is_array(_lifecycle.rules)

_enabled := [r | some r in _rules; is_string(r.status); lower(r.status) == "enabled"]

_params := object.get(data.parameters, "S3.13", {})

_transition_days := values.number(_params.targetTransitionDays)

_expiration_days := values.number(_params.targetExpirationDays)

_storage_class := upper(trim_space(_params.targetTransitionStorageClass)) if {
	is_string(_params.targetTransitionStorageClass)
	trim_space(_params.targetTransitionStorageClass) != ""
}

_transitions(rule) := [t | some t in rule.transitions; is_object(t)] if is_array(rule.transitions)

_transitions(rule) := [] if not is_array(rule.transitions)

_transition_ok(rule) if {
	not _transition_days
	not _storage_class
}

_transition_ok(rule) if {
	some t in _transitions(rule)
	_days_ok(t)
	_class_ok(t)
	_asked_for_transition
}

_asked_for_transition if _transition_days

_asked_for_transition if _storage_class

_days_ok(t) if not _transition_days

_days_ok(t) if values.number(t.days) == _transition_days

_class_ok(t) if not _storage_class

_class_ok(t) if {
	is_string(t.storageClass)
	upper(t.storageClass) == _storage_class
}

_expiration_ok(rule) if not _expiration_days

_expiration_ok(rule) if values.number(rule.expirationInDays) == _expiration_days

_matches(rule) if {
	_transition_ok(rule)
	_expiration_ok(rule)
}

_wanted := concat(", ", array.concat(
	array.concat(
		[sprintf("transition after %v days", [d]) | d := _transition_days],
		[sprintf("transition to %s", [c]) | c := _storage_class],
	),
	[sprintf("expiration after %v days", [d]) | d := _expiration_days],
))

violation contains "bucket has no lifecycle configuration (BucketLifecycleConfiguration not configured)" if {
	not is_object(_lifecycle)
}

violation contains msg if {
	is_object(_lifecycle)
	count(_enabled) == 0
	msg := sprintf("bucket has no enabled lifecycle rule (%d rules, none with status Enabled)", [count(_rules)])
}

violation contains msg if {
	count(_enabled) > 0
	not _some_match
	msg := sprintf("no enabled lifecycle rule matches the required settings (%s)", [_wanted])
}

_some_match if {
	some rule in _enabled
	_matches(rule)
}
