# The IAM roles, users and groups of every account with the managed policies attached to
# them, computed once per run (see "Views" in policies/README.md). IAM is global, so an
# account-level control asks the same question in every region of the account; the view
# answers it once.
package regent.views.iam_entities

import data.regent.lib.iam_helpers

_kinds := {
	"AWS::IAM::Role": {"kind": "IAM_ROLE", "name_key": "roleName"},
	"AWS::IAM::User": {"kind": "IAM_USER", "name_key": "userName"},
	"AWS::IAM::Group": {"kind": "IAM_GROUP", "name_key": "groupName"},
}

# by_account[account]: one entry per recorded role, user and group of the account (with a
# configuration object): {"kind": "IAM_ROLE" | "IAM_USER" | "IAM_GROUP", "id": [region,
# resource id], "name": its name
# (or resource id), "policies": the ARNs of its attached managed policies, "in_use": a role
# that trusts at least one principal, any user, a group with at least one recorded member}.
by_account := {account: _entities(account) | some account in _accounts}

_accounts contains account if {
	some type, _ in _kinds
	some account, _ in data.inventory[type]
}

_entities(account) := {entity |
	some type, spec in _kinds
	some region, cis in object.get(data.inventory[type], account, {})
	some id, ci in cis
	is_object(ci.configuration)
	entity := {
		"kind": spec.kind,
		"id": [region, id],
		"name": _name(ci, spec.name_key),
		"policies": _policy_arns(ci.configuration),
		"in_use": _in_use(spec.kind, account, ci),
	}
}

# iam_helpers.attached_policy_arns with plain references: this runs once per role, user and
# group of the organisation, on the interpreter, where every function call counts.
_policy_arns(conf) := {arn |
	policies := conf.attachedManagedPolicies
	is_array(policies)
	some policy in policies
	arn := policy.policyArn
	is_string(arn)
}

_name(ci, key) := ci.configuration[key] if is_string(ci.configuration[key])

_name(ci, key) := ci.resourceId if not is_string(ci.configuration[key])

# Groups that at least one recorded user of the account belongs to.
_groups_with_members := {account: groups |
	some account, regions in data.inventory["AWS::IAM::User"]
	groups := {group |
		some region, users in regions
		some id, user in users
		is_object(user.configuration)
		listed := object.get(user.configuration, "groupList", [])
		is_array(listed)
		some group in listed
		is_string(group)
	}
}

_in_use("IAM_ROLE", _, ci) := true if iam_helpers.trusts_someone(ci.configuration) else := false

_in_use("IAM_USER", _, _) := true

_in_use("IAM_GROUP", account, ci) := true if {
	ci.configuration.groupName in object.get(_groups_with_members, account, set())
} else := false
