package regent.sns_4

import data.regent.lib.resource_policy

metadata := {
	"id": "SNS.4",
	"title": "SNS topic access policies should not allow public access",
	"description": concat(" ", [
		"Checks the topic access policy (configuration.Policy, recorded as JSON text and decoded by the loader).",
		"NON_COMPLIANT when an Allow statement has a public principal (\"*\", {\"AWS\": \"*\"}, {\"AWS\": [\"*\"]}, a wildcard ARN or a NotPrincipal) and is not narrowed by a condition comparing a source or principal key (aws:SourceOwner, aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, aws:SourceIp, ...) with fixed values (not \"*\", no policy variables) through StringEquals, StringLike, ArnEquals, ArnLike or IpAddress.",
		"The default topic policy (principal * limited by AWS:SourceOwner) is therefore not public. A topic whose policy is not recorded is COMPLIANT.",
	]),
	"severity": "critical",
	"resource_types": ["AWS::SNS::Topic"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["SNS.4"],
	},
	"config_rule": "SNS_TOPIC_NO_PUBLIC_ACCESS",
	"parameters": {},
}

violation contains msg if {
	some stmt in resource_policy.public_statements(input.configuration.Policy)
	msg := sprintf("topic policy %s grants %s to everyone without a fixed-value condition", [resource_policy.label(stmt), resource_policy.actions_text(stmt)])
}
