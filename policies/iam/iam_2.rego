package regent.iam_2

import data.regent.lib.iam_helpers

metadata := {
	"id": "IAM.2",
	"title": "IAM users should not have IAM policies attached",
	"description": "Checks that an IAM user has no policies of its own: NON_COMPLIANT when configuration.attachedManagedPolicies[] (AWS or customer managed policies attached directly) or configuration.userPolicyList[] (inline policies) is non-empty; the reason names every policy. Permissions should come from groups or roles. NOT_APPLICABLE: users created by Amazon SES for SMTP credentials, recognised (approximately) as users whose only policies are inline policies named AmazonSesSendingAccess, the name SES gives the policy it creates; Security Hub exempts such users.",
	"severity": "low",
	"resource_types": ["AWS::IAM::User"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["IAM.2"],
		"cis-aws-foundations-benchmark/v1.2.0": ["1.16"],
		"cis-aws-foundations-benchmark/v3.0.0": ["1.15"],
	},
	"config_rule": "IAM_USER_NO_POLICIES_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-RemoveUserPolicies",
		"parameters": {
			"IAMUserID": "{{resourceId}}",
			"PolicyType": "All",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Removing a user's policies takes away whatever access the user relies on.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration if is_object(input.configuration)

_conf := {} if not is_object(input.configuration)

_managed := iam_helpers.attached_policy_names(_conf)

_inline := iam_helpers.inline_policy_names(object.get(_conf, "userPolicyList", null))

default applicable := true

# SES SMTP users: SES creates the user with a single inline policy "AmazonSesSendingAccess".
applicable := false if {
	count(_managed) == 0
	count(_inline) > 0
	every name in _inline {
		name == "AmazonSesSendingAccess"
	}
}

violation contains msg if {
	count(_managed) > 0
	msg := sprintf("user has %d managed %s attached directly (attachedManagedPolicies): %s", [
		count(_managed),
		_noun(count(_managed)),
		concat(", ", _managed),
	])
}

violation contains msg if {
	count(_inline) > 0
	msg := sprintf("user has %d inline %s (userPolicyList): %s", [
		count(_inline),
		_noun(count(_inline)),
		concat(", ", _inline),
	])
}

_noun(1) := "policy"

_noun(n) := "policies" if n > 1
