package regent.iam_1

import data.regent.lib.iam_helpers
import data.regent.lib.policy_document
import data.regent.lib.values

metadata := {
	"id": "IAM.1",
	"title": "IAM policies should not allow full \"*\" administrative privileges",
	"description": "Checks the default version of a customer managed IAM policy (the configuration.policyVersionList[] entry with isDefaultVersion true, or \"true\"; else the one named by defaultVersionId; older versions are ignored). NON_COMPLIANT when any statement of that document has Effect \"Allow\", an Action of \"*\" or \"*:*\" (Action may be a string or an array) and a Resource of \"*\". Statements granting service:* or limited to specific resources do not count. NOT_APPLICABLE: AWS managed policies (arn:...:iam::aws:policy/...), policies used as permissions boundaries (permissionsBoundaryUsageCount > 0) while excludePermissionBoundaryPolicy is true, and CIs that record no readable default-version document. Inline policies are not AWS::IAM::Policy CIs and are not checked.",
	"severity": "high",
	"resource_types": ["AWS::IAM::Policy"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["IAM.1"],
		"cis-aws-foundations-benchmark/v1.2.0": ["1.22"],
		"cis-aws-foundations-benchmark/v1.4.0": ["1.16"],
	},
	"config_rule": "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
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
	values.is_true(data.parameters["IAM.1"].excludePermissionBoundaryPolicy)
	iam_helpers.used_as_permissions_boundary(_conf)
}

applicable := false if not iam_helpers.input_has_default_document

violation contains msg if {
	some s in iam_helpers.input_statements
	policy_document.allows_full_admin({"Statement": [s.statement]})
	msg := sprintf("default version %s, %s: Effect Allow with Action %s on Resource \"*\" grants full administrative privileges", [
		s.version,
		iam_helpers.statement_label(s),
		_actions(s.statement),
	])
}

_actions(stmt) := concat(", ", [sprintf("%q", [a]) | some a in policy_document.as_array(stmt.Action); a in {"*", "*:*"}])
