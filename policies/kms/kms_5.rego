package regent.kms_5

import data.regent.lib.resource_policy

metadata := {
	"id": "KMS.5",
	"title": "KMS keys should not be publicly accessible",
	"description": concat(" ", [
		"Checks the key policy (supplementaryConfiguration.Policy, recorded as JSON text and decoded by the loader).",
		"NON_COMPLIANT when an Allow statement has a public principal (\"*\", {\"AWS\": \"*\"}, {\"AWS\": [\"*\"]}, a wildcard ARN such as arn:aws:iam::*:root, or a NotPrincipal) and is not narrowed by a condition comparing a source or caller key (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, aws:SourceVpce, aws:SourceIp, ...) with fixed values (not \"*\", no policy variables) through StringEquals, StringLike, ArnEquals, ArnLike or IpAddress.",
		"The default policies of AWS managed keys (principal * limited by kms:CallerAccount) are therefore not public. A key whose policy is not recorded is COMPLIANT.",
	]),
	"severity": "critical",
	"resource_types": ["AWS::KMS::Key"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["KMS.5"],
	},
	"config_rule": "KMS_KEY_POLICY_NO_PUBLIC_ACCESS",
	"parameters": {},
}

violation contains msg if {
	some stmt in resource_policy.public_statements(input.supplementaryConfiguration.Policy)
	msg := sprintf("key policy %s grants %s to everyone without a fixed-value condition", [resource_policy.label(stmt), resource_policy.actions_text(stmt)])
}
