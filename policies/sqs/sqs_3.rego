package regent.sqs_3

import data.regent.lib.resource_policy

metadata := {
	"id": "SQS.3",
	"title": "SQS queue access policies should not allow public access",
	"description": concat(" ", [
		"Checks the queue access policy (configuration.Policy, recorded as JSON text and decoded by the loader).",
		"NON_COMPLIANT when an Allow statement has a public principal (\"*\", {\"AWS\": \"*\"}, {\"AWS\": [\"*\"]}, a wildcard ARN or a NotPrincipal) and is not narrowed by a condition comparing a source or principal key (aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, aws:SourceIp, ...) with fixed values (not \"*\", no policy variables) through StringEquals, StringLike, ArnEquals, ArnLike or IpAddress.",
		"A queue without an access policy is COMPLIANT.",
	]),
	"severity": "critical",
	"resource_types": ["AWS::SQS::Queue"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["SQS.3"],
	},
	"config_rule": "SQS_QUEUE_NO_PUBLIC_ACCESS",
	"parameters": {},
}

violation contains msg if {
	some stmt in resource_policy.public_statements(input.configuration.Policy)
	msg := sprintf("queue policy %s grants %s to everyone without a fixed-value condition", [resource_policy.label(stmt), resource_policy.actions_text(stmt)])
}
