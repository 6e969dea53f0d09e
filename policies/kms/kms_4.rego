package regent.kms_4

import data.regent.lib.values

metadata := {
	"id": "KMS.4",
	"title": "AWS KMS key rotation should be enabled",
	"description": concat(" ", [
		"Checks that automatic rotation is on for customer managed symmetric encryption keys: supplementaryConfiguration.KeyRotationStatus must be true (\"true\" strings count; false or a missing key is NON_COMPLIANT).",
		"Only keys that can be rotated are evaluated: configuration.keyManager CUSTOMER, keySpec (or the older customerMasterKeySpec) SYMMETRIC_DEFAULT, origin AWS_KMS (not imported key material or a custom key store) and keyState Enabled.",
		"AWS managed keys (rotated by AWS), asymmetric and HMAC keys, imported or external keys, and disabled or pending-deletion keys are NOT_APPLICABLE.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::KMS::Key"],
	"requires": [],
	"standards": {
		"cis-aws-foundations-benchmark/v1.2.0": ["2.8"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.8"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.6"],
	},
	"config_rule": "CMK_BACKING_KEY_ROTATION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableKeyRotation",
		"parameters": {
			"KeyId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Rotation keeps the old key material for decryption; callers see no change.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration

_spec := _conf.keySpec if is_string(_conf.keySpec)

_spec := _conf.customerMasterKeySpec if not is_string(_conf.keySpec)

default applicable := false

applicable if {
	_conf.keyManager == "CUSTOMER"
	_spec == "SYMMETRIC_DEFAULT"
	_conf.origin == "AWS_KMS"
	_conf.keyState == "Enabled"
}

_rotation := object.get(object.get(input, "supplementaryConfiguration", {}), "KeyRotationStatus", "not recorded")

violation contains msg if {
	not values.is_true(_rotation)
	msg := sprintf("automatic key rotation is not enabled (KeyRotationStatus is %v)", [_rotation])
}
