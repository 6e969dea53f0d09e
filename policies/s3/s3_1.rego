package regent.s3_1

import data.regent.lib.values

metadata := {
	"id": "S3.1",
	"title": "S3 general purpose buckets should have block public access settings enabled",
	"description": "Checks the account-level S3 Block Public Access settings (one AWS::S3::AccountPublicAccessBlock CI per account, which may be recorded in any region; the one in the evaluated region is preferred). NON_COMPLIANT when no such CI is recorded for the account (never configured), or when any of blockPublicAcls, ignorePublicAcls, blockPublicPolicy and restrictPublicBuckets is not true (false, \"false\" or missing); \"true\"/\"True\" strings count as true. Setting a parameter to false stops requiring that flag.",
	"severity": "medium",
	"resource_types": ["AWS::::Account"],
	"requires": ["AWS::S3::AccountPublicAccessBlock"],
	# No account public access block recorded: it may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.1"],
		"cis-aws-foundations-benchmark/v1.4.0": ["2.1.5"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.1.4"],
	},
	"config_rule": "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
	"parameters": {
		"BlockPublicAcls": {"default": true, "description": "Require blockPublicAcls to be true.", "type": "boolean"},
		"IgnorePublicAcls": {"default": true, "description": "Require ignorePublicAcls to be true.", "type": "boolean"},
		"BlockPublicPolicy": {"default": true, "description": "Require blockPublicPolicy to be true.", "type": "boolean"},
		"RestrictPublicBuckets": {"default": true, "description": "Require restrictPublicBuckets to be true.", "type": "boolean"},
	},
	"remediation": {
		"runbook": "ASR-ConfigureS3PublicAccessBlock",
		"parameters": {
			"AccountId": "{{awsAccountId}}",
			"BlockPublicAcls": true,
			"IgnorePublicAcls": true,
			"BlockPublicPolicy": true,
			"RestrictPublicBuckets": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_type := "AWS::S3::AccountPublicAccessBlock"

# configuration key -> parameter that says whether it is required
_flags := {
	"blockPublicAcls": "BlockPublicAcls",
	"ignorePublicAcls": "IgnorePublicAcls",
	"blockPublicPolicy": "BlockPublicPolicy",
	"restrictPublicBuckets": "RestrictPublicBuckets",
}

# The account's public access block CIs: those recorded in the evaluated region if any,
# else those of any region.
_here := [ci | some id; ci := data.inventory[_type][input.awsAccountId][input.awsRegion][id]]

_anywhere := [ci | some region, id; ci := data.inventory[_type][input.awsAccountId][region][id]]

_blocks := _here if count(_here) > 0

_blocks := _anywhere if count(_here) == 0

_required(param) if not values.is_false(data.parameters["S3.1"][param])

violation contains msg if {
	count(_blocks) == 0
	msg := sprintf("no account-level S3 public access block is recorded for account %s (not configured)", [input.awsAccountId])
}

violation contains msg if {
	some ci in _blocks
	some flag, param in _flags
	_required(param)
	not values.is_true(ci.configuration[flag])
	msg := sprintf("account-level public access block: %s is %v (must be true)", [flag, values.show(ci.configuration, flag)])
}
