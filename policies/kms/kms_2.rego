package regent.kms_2

import data.regent.lib.policy_document
import data.regent.lib.resource_policy

metadata := {
	"id": "KMS.2",
	"title": "IAM principals should not have IAM inline policies that allow decryption actions on all KMS keys",
	"description": concat(" ", [
		"Checks the inline policies embedded in an IAM role, user or group: configuration.rolePolicyList[], userPolicyList[] or groupPolicyList[], each with policyName and policyDocument (URL-decoded by the loader).",
		"NON_COMPLIANT when an Allow statement of any inline policy allows a blocked action (blockedActionsPatterns: kms:Decrypt and kms:ReEncryptFrom; matched through wildcards such as kms:*, kms:ReEncrypt*, * or a NotAction that leaves them out) on all KMS keys: a Resource that matches every key of the account in every region (\"*\", arn:aws:kms:*:*:key/*) or a NotResource that excludes no key.",
		"Conditions are not evaluated. Managed policies attached to the principal are KMS.1's concern; a principal without inline policies is COMPLIANT.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["KMS.2"],
	},
	"config_rule": "IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS",
	"parameters": {
		"blockedActionsPatterns": {
			"default": ["kms:ReEncryptFrom", "kms:Decrypt"],
			"description": "KMS actions (or patterns) that must not be allowed on all keys; a list or a comma-separated string. Not customisable in Security Hub.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "AWS-DeleteIAMInlinePolicy",
		"parameters": {
			"IamArns": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Deletes every inline policy of the principal, not only the one that allows decryption on
		# all keys: whatever else those policies allowed stops working.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_blocked := resource_policy.csv_list(data.parameters["KMS.2"].blockedActionsPatterns)

_inline := [p |
	some key in ["rolePolicyList", "userPolicyList", "groupPolicyList"]
	is_array(input.configuration[key])
	some p in input.configuration[key]
	is_object(p)
]

_any_key := sprintf("arn:aws:kms:zz-nowhere-9:%s:key/00000000-0000-4000-8000-000000000000", [input.awsAccountId])

violation contains msg if {
	some policy in _inline
	some doc in policy_document.documents(policy.policyDocument)
	some stmt in resource_policy.allow_statements(doc)
	resource_policy.covers_resource(stmt, _any_key)
	allowed := sort([b | some b in _blocked; resource_policy.covers_action(stmt, b)])
	count(allowed) > 0
	msg := sprintf("inline policy %v %s allows %s on all KMS keys", [object.get(policy, "policyName", "?"), resource_policy.label(stmt), concat(", ", allowed)])
}
