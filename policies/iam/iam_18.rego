package regent.iam_18

import data.regent.lib.iam_helpers

metadata := {
	"id": "IAM.18",
	"title": "Ensure a support role has been created to manage incidents with AWS Support",
	"description": "Account-level check that the policy named by policyARN (default the AWS managed AWSSupportAccess, matched in any partition) is in use, read from the account's recorded AWS::IAM::Role, AWS::IAM::User and AWS::IAM::Group CIs (region \"global\"; AWS managed policies are not recorded as AWS::IAM::Policy CIs, so the attachments are read from each entity's configuration.attachedManagedPolicies[].policyArn). As in the IAM_POLICY_IN_USE rule, an attachment counts when it is on a role whose trust policy (assumeRolePolicyDocument) allows at least one principal, on a user, or on a group that at least one recorded user belongs to (the user's configuration.groupList). policyUsageType narrows this to IAM_ROLE, IAM_USER or IAM_GROUP (default ANY). NON_COMPLIANT when no such attachment is found, including when no IAM entities are recorded at all. The result is the same in every region of the account.",
	"severity": "low",
	"resource_types": ["AWS::::Account"],
	"requires": [
		{"type": "AWS::IAM::Role", "fields": ["configuration.roleName", "configuration.attachedManagedPolicies", "configuration.assumeRolePolicyDocument"]},
		{"type": "AWS::IAM::User", "fields": ["configuration.userName", "configuration.attachedManagedPolicies", "configuration.groupList"]},
		{"type": "AWS::IAM::Group", "fields": ["configuration.groupName", "configuration.attachedManagedPolicies"]},
	],
	# The policy is attached to no recorded entity: the entity may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"cis-aws-foundations-benchmark/v1.2.0": ["1.20"],
		"cis-aws-foundations-benchmark/v1.4.0": ["1.17"],
		"cis-aws-foundations-benchmark/v3.0.0": ["1.17"],
	},
	"config_rule": "IAM_POLICY_IN_USE",
	"parameters": {
		"policyARN": {
			"default": "arn:aws:iam::aws:policy/AWSSupportAccess",
			"description": "ARN of the policy that must be attached (the partition is ignored when matching).",
			"type": "string",
		},
		"policyUsageType": {
			"default": "ANY",
			"description": "Which entities count: IAM_ROLE, IAM_USER, IAM_GROUP or ANY.",
			"type": "string",
			"values": ["IAM_USER", "IAM_GROUP", "IAM_ROLE", "ANY"],
		},
	},
	"remediation": {
		"runbook": "ASR-CreateIAMSupportRole",
		"parameters": {
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Purely additive: creates one role with AWSSupportAccess; nothing existing changes.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_wanted := data.parameters["IAM.18"].policyARN

_usage := upper(u) if {
	u := data.parameters["IAM.18"].policyUsageType
	is_string(u)
	trim_space(u) != ""
}

_usage := "ANY" if not _has_usage

_has_usage if {
	u := data.parameters["IAM.18"].policyUsageType
	is_string(u)
	trim_space(u) != ""
}

# The account's roles, users and groups with their attached policies (the iam_entities view).
_entities := object.get(data.views.iam_entities.by_account, input.awsAccountId, set())

# The wanted policy without its partition, worked out once (iam_helpers.arn_matches would
# work it out again for every attached policy of every entity).
_wanted_key := iam_helpers.arn_key(_wanted)

# What every ARN with the wanted key ends with: ":" and the fields after the partition. A
# string test per attached policy rules out nearly all of them before the key is worked out
# (keying every attached policy of every entity, in every region of the account, was most of
# this control's time).
# The key is the first field, ":" and those fields, so the tail is the key from its first ":".
_wanted_tail := substring(_wanted_key, indexof(_wanted_key, ":"), -1)

_attached(entity) if {
	some arn in entity.policies
	endswith(arn, _wanted_tail)
	iam_helpers.arn_key(arn) == _wanted_key
}

# The entities carrying the wanted policy: one scan of the account, which the rules below
# filter.
_carrying := [entity | some entity in _entities; _attached(entity)]

_counting(kind) := [entity.name |
	some entity in _carrying
	entity.kind == kind
	entity.in_use
]

_idle_reason := {
	"IAM_ROLE": "role %s (trust policy allows no principal)",
	"IAM_GROUP": "group %s (no recorded members)",
}

_idle := [sprintf(_idle_reason[entity.kind], [entity.name]) |
	some entity in _carrying
	not entity.in_use
]

_kinds := {"IAM_ROLE", "IAM_USER", "IAM_GROUP"} if _usage == "ANY"

_kinds := {_usage} if _usage != "ANY"

_found := [e | some kind in _kinds; some e in _counting(kind)]

_scope := {
	"ANY": "an IAM role with a trusted entity, an IAM user or an IAM group with members",
	"IAM_ROLE": "an IAM role with a trusted entity",
	"IAM_USER": "an IAM user",
	"IAM_GROUP": "an IAM group with members",
}

_other_attachments := sprintf(" (attached only to: %s)", [concat(", ", sort(_idle))]) if count(_idle) > 0

_other_attachments := "" if count(_idle) == 0

violation contains msg if {
	count(_found) == 0
	msg := sprintf("%s is not attached to %s in account %s%s", [
		_wanted,
		object.get(_scope, _usage, sprintf("an entity of type %s", [_usage])),
		input.awsAccountId,
		_other_attachments,
	])
}
