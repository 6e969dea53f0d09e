package regent.lambda_1

import data.regent.lib.edge_helpers
import data.regent.lib.policy_document
import data.regent.lib.resource_policy

metadata := {
	"id": "Lambda.1",
	"title": "Lambda function policies should prohibit public access",
	"description": "Checks the function's resource-based policy (supplementaryConfiguration.Policy, decoded from its JSON text). NON_COMPLIANT when an Allow statement is open to everyone (Principal \"*\", {\"AWS\": \"*\"}, a wildcard ARN or a NotPrincipal) and is not narrowed by a fixed-value condition (aws:SourceAccount, aws:SourceArn, aws:SourceOwner, aws:PrincipalOrgID, ... compared with StringEquals/StringLike/ArnEquals/ArnLike against values that hold no wildcard \"*\" or \"?\" and no policy variable, so ArnLike aws:SourceArn \"arn:aws:sns:us-east-1:*:*\" does not count); a function URL with lambda:FunctionUrlAuthType NONE and Principal \"*\" is public. Also NON_COMPLIANT when an Allow statement lets Amazon S3 (service principal s3.amazonaws.com) invoke the function without an aws:SourceAccount condition, since any account's bucket could then trigger it. A function with no policy is COMPLIANT.",
	"severity": "critical",
	"resource_types": ["AWS::Lambda::Function"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Lambda.1"],
	},
	"config_rule": "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-RemoveLambdaPublicAccess",
		"parameters": {
			"FunctionName": "{{configuration.functionName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Removing the public statements breaks callers that rely on them (public function
		# URLs, cross-account event sources).
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_policy := input.supplementaryConfiguration.Policy

violation contains msg if {
	some stmt in resource_policy.allow_statements(_policy)
	resource_policy.public_principal(stmt)
	not _restricted_to_fixed_values(stmt)
	msg := sprintf("function policy %s allows %v to everyone without a fixed-value condition", [resource_policy.label(stmt), object.get(stmt, "Action", "any action")])
}

violation contains msg if {
	some stmt in resource_policy.allow_statements(_policy)
	_s3_principal(stmt)
	not _has_source_account(stmt)
	msg := sprintf("function policy %s lets Amazon S3 invoke the function without an aws:SourceAccount condition", [resource_policy.label(stmt)])
}

_s3_principal(stmt) if {
	is_object(stmt.Principal)
	some service in policy_document.as_array(edge_helpers.field(stmt.Principal, ["Service", "service"]))
	is_string(service)
	lower(service) == "s3.amazonaws.com"
}

_has_source_account(stmt) if {
	is_object(stmt.Condition)
	some _, tests in stmt.Condition
	is_object(tests)
	some key, _ in tests
	is_string(key)
	lower(key) == "aws:sourceaccount"
}

# Lambda's definition of "fixed": every value of a narrowing condition on one of the
# identifying keys is free of wildcards ("*", "?") and policy variables ("${...}"), so
# "arn:aws:sns:us-east-1:*:*" does not restrict a public principal.
_restricted_to_fixed_values(stmt) if {
	is_object(stmt.Condition)
	some operator, tests in stmt.Condition
	is_string(operator)
	trim_prefix(lower(operator), "foranyvalue:") in _narrowing_operators
	is_object(tests)
	some key, value in tests
	is_string(key)
	lower(key) in resource_policy.fixed_value_keys
	vals := policy_document.as_array(value)
	count(vals) > 0
	count([v | some v in vals; not _fixed(v)]) == 0
}

_narrowing_operators := {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"}

_fixed(v) if is_number(v)

_fixed(v) if {
	is_string(v)
	not regex.match(`[*?]`, v)
	not contains(v, "${")
	not v in {"0.0.0.0/0", "::/0"}
}
