package regent.kms_1

import data.regent.lib.policy_document
import data.regent.lib.resource_policy
import data.regent.lib.values

metadata := {
	"id": "KMS.1",
	"title": "IAM customer managed policies should not allow decryption actions on all KMS keys",
	"description": concat(" ", [
		"Checks the default version of a customer managed IAM policy: the configuration.policyVersionList[] entry with isDefaultVersion true (\"true\" strings count; when none is flagged, the entry whose versionId equals defaultVersionId). Other versions are ignored.",
		"NON_COMPLIANT when an Allow statement of that document (URL-decoded by the loader) allows a blocked action (blockedActionsPatterns: kms:Decrypt and kms:ReEncryptFrom; matched through wildcards such as kms:*, kms:ReEncrypt*, * or a NotAction that leaves them out) on all KMS keys: a Resource that matches every key of the account in every region (\"*\", arn:aws:kms:*:*:key/*, arn:aws:kms:*:<account>:*) or a NotResource that excludes no key.",
		"As in Security Hub, Condition elements are not evaluated.",
		"With excludePermissionBoundaryPolicy true (the Security Hub setting), policies used as permissions boundaries (configuration.permissionsBoundaryUsageCount > 0) are NOT_APPLICABLE; so are AWS managed policies (arn:aws:iam::aws:policy/...).",
	]),
	"severity": "medium",
	"resource_types": ["AWS::IAM::Policy"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["KMS.1"],
	},
	"config_rule": "IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS",
	"parameters": {
		"blockedActionsPatterns": {
			"default": ["kms:ReEncryptFrom", "kms:Decrypt"],
			"description": "KMS actions (or patterns) that must not be allowed on all keys; a list or a comma-separated string. Not customisable in Security Hub.",
			"type": "list(string)|csv(string)",
		},
		"excludePermissionBoundaryPolicy": {
			"default": true,
			"description": "When true, policies used as permissions boundaries are not evaluated.",
			"type": "boolean",
		},
	},
}

_conf := input.configuration

_params := data.parameters["KMS.1"]

_blocked := resource_policy.csv_list(_params.blockedActionsPatterns)

default applicable := true

applicable := false if {
	values.is_true(_params.excludePermissionBoundaryPolicy)
	values.number(_conf.permissionsBoundaryUsageCount) > 0
}

applicable := false if {
	is_string(input.ARN)
	contains(input.ARN, ":aws:policy/")
}

_versions := [v | some v in _conf.policyVersionList; is_object(v)] if is_array(_conf.policyVersionList)

_versions := [] if not is_array(_conf.policyVersionList)

_flagged := [v | some v in _versions; values.is_true(v.isDefaultVersion)]

_default_version := _flagged[0] if count(_flagged) > 0

_default_version := v if {
	count(_flagged) == 0
	some v in _versions
	v.versionId == _conf.defaultVersionId
}

# A KMS key ARN no pattern could name unless it covers every key of the account.
_any_key := sprintf("arn:aws:kms:zz-nowhere-9:%s:key/00000000-0000-4000-8000-000000000000", [input.awsAccountId])

violation contains msg if {
	version := _default_version
	some doc in policy_document.documents(version.document)
	some stmt in resource_policy.allow_statements(doc)
	resource_policy.covers_resource(stmt, _any_key)
	allowed := sort([b | some b in _blocked; resource_policy.covers_action(stmt, b)])
	count(allowed) > 0
	msg := sprintf("default policy version %v %s allows %s on all KMS keys", [object.get(version, "versionId", "?"), resource_policy.label(stmt), concat(", ", allowed)])
}
