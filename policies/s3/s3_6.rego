package regent.s3_6

import data.regent.lib.resource_policy

metadata := {
	"id": "S3.6",
	"title": "S3 general purpose bucket policies should restrict access to other AWS accounts",
	"description": concat(" ", [
		"Checks the bucket policy (supplementaryConfiguration.BucketPolicy.policyText) for Allow statements that give a principal outside the bucket's account (awsAccountId) one of the blocked actions (blacklistedActionPatterns, by default s3:DeleteBucketPolicy, s3:PutBucketAcl, s3:PutBucketPolicy, s3:PutEncryptionConfiguration and s3:PutObjectAcl).",
		"A principal is foreign when it is \"*\" or holds a wildcard, when its account id (a bare 12-digit id or the account field of an IAM ARN) differs from the bucket's, or when no account can be read from it (an IAM unique id); service principals are not accounts and are ignored.",
		"An action is allowed when an Action pattern overlaps a blocked pattern (s3:*, s3:Put*, *) or a NotAction leaves it out. Conditions are not evaluated.",
		"A bucket without a policy is COMPLIANT.",
	]),
	"severity": "high",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.6"],
	},
	"config_rule": "S3_BUCKET_BLACKLISTED_ACTIONS_PROHIBITED",
	"parameters": {
		"blacklistedActionPatterns": {
			"default": [
				"s3:DeleteBucketPolicy",
				"s3:PutBucketAcl",
				"s3:PutBucketPolicy",
				"s3:PutEncryptionConfiguration",
				"s3:PutObjectAcl",
			],
			"description": "Actions (or action patterns) that principals of other accounts must not be allowed; a list or a comma-separated string. Security Hub does not let this be customised.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-S3BlockDenylist",
		"parameters": {
			"BucketName": "{{resourceName}}",
			# ASR reads the list from the Config rule's InputParameters; Security Hub fixes it.
			"DenyList": "s3:DeleteBucketPolicy,s3:PutBucketAcl,s3:PutBucketPolicy,s3:PutEncryptionConfiguration,s3:PutObjectAcl",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Denying these actions to other accounts breaks cross-account integrations.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_policy := input.supplementaryConfiguration.BucketPolicy.policyText

_blocked := resource_policy.csv_list(data.parameters["S3.6"].blacklistedActionPatterns)

violation contains msg if {
	some stmt in resource_policy.allow_statements(_policy)
	some principal in resource_policy.aws_principals(stmt)
	resource_policy.foreign_principal(principal, input.awsAccountId)
	allowed := sort([b | some b in _blocked; resource_policy.covers_action(stmt, b)])
	count(allowed) > 0
	msg := sprintf("bucket policy %s allows %s to principal %s outside account %s", [resource_policy.label(stmt), concat(", ", allowed), principal, input.awsAccountId])
}
