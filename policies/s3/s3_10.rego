package regent.s3_10

import data.regent.lib.resource_policy

metadata := {
	"id": "S3.10",
	"title": "S3 general purpose buckets with versioning enabled should have Lifecycle configurations",
	"description": concat(" ", [
		"For buckets whose versioning is enabled (supplementaryConfiguration.BucketVersioningConfiguration.status Enabled, any letter case), checks that supplementaryConfiguration.BucketLifecycleConfiguration has at least one rule with status Enabled.",
		"NON_COMPLIANT when the lifecycle key is absent (not configured), has no rules, or all rules are Disabled.",
		"Buckets with versioning Off or Suspended are NOT_APPLICABLE, as are buckets not named in bucketNames when that parameter is set.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {},
	"config_rule": "S3_VERSION_LIFECYCLE_POLICY_CHECK",
	"parameters": {
		"bucketNames": {
			"default": null,
			"description": "Only evaluate these buckets (a list or a comma-separated string); null evaluates every versioned bucket.",
			"type": "list(string)|csv(string)",
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

_supp := object.get(input, "supplementaryConfiguration", {})

_versioning := _supp.BucketVersioningConfiguration.status

_lifecycle := object.get(_supp, "BucketLifecycleConfiguration", null)

_rules := _lifecycle.rules if is_array(_lifecycle.rules)

_rules := [] if not is_array(_lifecycle.rules)

_enabled := [r | some r in _rules; is_string(r.status); lower(r.status) == "enabled"]

_selected := resource_policy.csv_list(data.parameters["S3.10"].bucketNames)

default applicable := false

applicable if {
	is_string(_versioning)
	lower(_versioning) == "enabled"
	_in_scope
}

_in_scope if count(_selected) == 0

_in_scope if input.resourceId in _selected

violation contains "versioned bucket has no lifecycle configuration (BucketLifecycleConfiguration not configured)" if {
	not is_object(_lifecycle)
}

violation contains msg if {
	is_object(_lifecycle)
	count(_enabled) == 0
	msg := sprintf("versioned bucket has no enabled lifecycle rule (%d rules, none with status Enabled)", [count(_rules)])
}
