package regent.s3_15

import data.regent.lib.values

metadata := {
	"id": "S3.15",
	"title": "S3 general purpose buckets should have Object Lock enabled",
	"description": concat(" ", [
		"Checks that supplementaryConfiguration.ObjectLockConfiguration.objectLockEnabled is Enabled (any letter case).",
		"NON_COMPLIANT when the key is absent (Object Lock never enabled) or holds another value.",
		"With the mode parameter set (GOVERNANCE or COMPLIANCE), the default retention rule (rule.defaultRetention.mode) must use that mode; a bucket with Object Lock but no default retention then fails too.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {},
	"config_rule": "S3_BUCKET_DEFAULT_LOCK_ENABLED",
	"parameters": {
		"mode": {
			"default": null,
			"description": "Required default retention mode, GOVERNANCE or COMPLIANCE; null accepts any (or none).",
			"type": "string",
			"values": ["GOVERNANCE", "COMPLIANCE"],
		},
	},
}

_lock := object.get(object.get(input, "supplementaryConfiguration", {}), "ObjectLockConfiguration", null)

_enabled if {
	is_string(_lock.objectLockEnabled)
	lower(_lock.objectLockEnabled) == "enabled"
}

_wanted_mode := upper(trim_space(m)) if {
	m := data.parameters["S3.15"].mode
	is_string(m)
	trim_space(m) != ""
}

_mode := object.get(_lock, ["rule", "defaultRetention", "mode"], null) if is_object(_lock)

violation contains "Object Lock is not enabled on the bucket (ObjectLockConfiguration not configured)" if {
	not is_object(_lock)
}

violation contains msg if {
	is_object(_lock)
	not _enabled
	msg := sprintf("Object Lock is not enabled on the bucket (objectLockEnabled is %v)", [values.show(_lock, "objectLockEnabled")])
}

violation contains msg if {
	_enabled
	wanted := _wanted_mode
	not _mode_is(wanted)
	msg := sprintf("Object Lock default retention mode is %v, not the required %s", [_mode, wanted])
}

_mode_is(wanted) if {
	is_string(_mode)
	upper(_mode) == wanted
}
