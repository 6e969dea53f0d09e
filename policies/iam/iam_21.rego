package regent.iam_21

import data.regent.lib.iam_helpers
import data.regent.lib.policy_document
import data.regent.lib.values

metadata := {
	"id": "IAM.21",
	"title": "IAM customer managed policies that you create should not allow wildcard actions for services",
	"description": "Checks the default version of a customer managed IAM policy (the configuration.policyVersionList[] entry with isDefaultVersion true, or \"true\"; else the one named by defaultVersionId). NON_COMPLIANT when a statement with Effect \"Allow\" has an Action that is a whole-service wildcard \"<service>:*\" (any letter case, e.g. \"ec2:*\", \"S3:*\") or \"*\" (every service), whatever its Resource, or when an Allow statement uses NotAction (it grants every action of every service not listed; NotAction \"*\" grants nothing and is ignored). Prefixed wildcards such as \"ec2:Describe*\" are allowed. Action/NotAction may be strings or arrays. NOT_APPLICABLE: AWS managed policies, policies used as permissions boundaries (permissionsBoundaryUsageCount > 0) while excludePermissionBoundaryPolicy is true, and CIs with no readable default-version document.",
	"severity": "low",
	"resource_types": ["AWS::IAM::Policy"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["IAM.21"],
	},
	"config_rule": "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS",
	"parameters": {
		"excludePermissionBoundaryPolicy": {
			"default": true,
			"description": "When true, policies used as permissions boundaries (permissionsBoundaryUsageCount > 0) are not evaluated (NOT_APPLICABLE).",
			"type": "boolean",
		},
	},
}

_conf := iam_helpers.input_configuration

default applicable := true

applicable := false if iam_helpers.aws_managed_policy_arn(input.ARN)

applicable := false if iam_helpers.aws_managed_policy_arn(_conf.arn)

applicable := false if {
	values.is_true(data.parameters["IAM.21"].excludePermissionBoundaryPolicy)
	iam_helpers.used_as_permissions_boundary(_conf)
}

applicable := false if not iam_helpers.input_has_default_document

violation contains msg if {
	some s in iam_helpers.input_statements
	s.statement.Effect == "Allow"
	wild := [a | some a in policy_document.as_array(s.statement.Action); _full_service(a)]
	count(wild) > 0
	msg := sprintf("default version %s, %s: Effect Allow with Action %s grants every action of a service", [
		s.version,
		iam_helpers.statement_label(s),
		concat(", ", [sprintf("%q", [a]) | some a in wild]),
	])
}

violation contains msg if {
	some s in iam_helpers.input_statements
	s.statement.Effect == "Allow"
	not_actions := policy_document.as_array(s.statement.NotAction)
	count(not_actions) > 0
	not "*" in not_actions
	msg := sprintf("default version %s, %s: Effect Allow with NotAction %s grants every other action of every service", [
		s.version,
		iam_helpers.statement_label(s),
		concat(", ", [sprintf("%q", [a]) | some a in not_actions]),
	])
}

# "*" or "<service>:*" (a service prefix followed by a bare wildcard), any letter case.
_full_service(action) if {
	is_string(action)
	a := lower(trim_space(action))
	# Only a text ending in * can match; most actions do not, and a regex costs far more.
	endswith(a, "*")
	regex.match(`^(\*|[a-z0-9-]+:\*)$`, a)
}
