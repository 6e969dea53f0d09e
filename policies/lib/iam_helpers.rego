package regent.lib.iam_helpers

import data.regent.lib.policy_document
import data.regent.lib.values

# Helpers over IAM configuration items (AWS::IAM::Policy, User, Role, Group). The engine has
# already decoded the URL-encoded policy documents, so documents are objects here (or, in
# hand-edited RDK-style CIs, an array of objects). Every helper is undefined (never an error)
# for null or odd shapes.

# default_versions(conf): the entries of an AWS::IAM::Policy's configuration.policyVersionList
# that are the default version: isDefaultVersion true (or "true"/"True"). When no entry is
# flagged, the entry whose versionId equals configuration.defaultVersionId. Only the default
# version grants permissions; older versions are ignored.
#
# One definition with else branches, not three exclusive definitions: the VM evaluates every
# definition of a function on every call, and this one runs several times per policy.
default_versions(conf) := flagged if {
	flagged := [v | some v in _array(_get(conf, "policyVersionList")); is_object(v); values.is_true(v.isDefaultVersion)]
	count(flagged) > 0
} else := by_id if {
	wanted := _get(conf, "defaultVersionId")
	is_string(wanted)
	by_id := [v | some v in _array(_get(conf, "policyVersionList")); is_object(v); v.versionId == wanted]
} else := []

# default_statements(conf): every statement of the default version's document(s), as
# objects {"version": <versionId>, "index": <position in the document>, "statement": <stmt>}.
default_statements(conf) := [s |
	some v in default_versions(conf)
	some doc in policy_document.documents(v.document)
	some i, stmt in policy_document.statements(doc)
	is_object(stmt)
	s := {"version": object.get(v, "versionId", "?"), "index": i, "statement": stmt}
]

# input_configuration, input_statements, input_has_default_document: the configuration of
# the AWS::IAM::Policy in `input` ({} when it has none), and its default_statements and
# has_default_document. Rules, not functions: the VM computes a rule once per item for all
# the controls of its type (IAM.1 and IAM.21 read them).
input_configuration := input.configuration if is_object(input.configuration)
else := {}

input_statements := default_statements(input_configuration)

input_has_default_document if has_default_document(input_configuration)

# has_default_document(conf): the CI records at least one document for the default version.
has_default_document(conf) if {
	some v in default_versions(conf)
	count(policy_document.documents(v.document)) > 0
}

# statement_label(s): "statement 0" or "statement 0 (Sid AdminAll)" for messages, where s is
# an element of default_statements.
statement_label(s) := sprintf("statement %d (Sid %s)", [s.index, s.statement.Sid]) if {
	is_string(s.statement.Sid)
	s.statement.Sid != ""
} else := sprintf("statement %d", [s.index])

# aws_managed_policy_arn(arn): the ARN is an AWS managed policy (arn:<partition>:iam::aws:policy/...).
aws_managed_policy_arn(arn) if {
	is_string(arn)
	# A string test first: most policies are the customer's, and a regex costs far more.
	contains(arn, ":iam::aws:policy/")
	regex.match(`^arn:[a-z-]+:iam::aws:policy/`, arn)
}

# used_as_permissions_boundary(conf): an AWS::IAM::Policy whose
# configuration.permissionsBoundaryUsageCount is a number (or numeric string) above 0.
used_as_permissions_boundary(conf) if values.number(_get(conf, "permissionsBoundaryUsageCount")) > 0

# arn_matches(actual, wanted): two ARNs are equal ignoring the partition field (aws, aws-cn,
# aws-us-gov), so that "arn:aws:iam::aws:policy/X" also finds "arn:aws-cn:iam::aws:policy/X".
arn_matches(actual, wanted) if {
	is_string(actual)
	is_string(wanted)
	_without_partition(actual) == _without_partition(wanted)
}

# arn_key(arn): the ARN without its partition field, so that arn_matches(a, b) holds exactly
# when arn_key(a) == arn_key(b); an index keyed by it finds a policy in any partition.
# Undefined for a non-string or a text with fewer than three ":"-separated fields.
arn_key(arn) := _without_partition(arn) if is_string(arn)

# attached_policy_arns(conf): the policyArn of every entry of configuration.attachedManagedPolicies
# (users, groups and roles), as a set.
attached_policy_arns(conf) := {arn |
	some p in _array(_get(conf, "attachedManagedPolicies"))
	arn := p.policyArn
	is_string(arn)
}

# attached_policy_names(conf): the policyName (or, failing that, policyArn) of each attached
# managed policy, as a sorted array for messages.
attached_policy_names(conf) := sort([_policy_label(p) | some p in _array(_get(conf, "attachedManagedPolicies"))])

# inline_policy_names(list): the policyName of each entry of an inline policy list
# (userPolicyList, rolePolicyList, groupPolicyList), as a sorted array.
inline_policy_names(list) := sort([_policy_label(p) | some p in _array(list)])

# trusts_someone(role_conf): the role's trust policy (assumeRolePolicyDocument) has an Allow
# statement naming at least one principal, i.e. the role has a trusted entity.
trusts_someone(role_conf) if {
	some doc in policy_document.documents(_get(role_conf, "assumeRolePolicyDocument"))
	some stmt in policy_document.statements(doc)
	stmt.Effect == "Allow"
	_has_principal(stmt.Principal)
}

_has_principal(p) if p == "*"

_has_principal(p) if {
	is_object(p)
	some _, v in p
	count(policy_document.as_array(v)) > 0
}

_policy_label(p) := p.policyName if is_string(p.policyName)
else := p.policyArn if is_string(p.policyArn)
else := "unnamed policy"

_without_partition(arn) := concat(":", array.concat([parts[0]], array.slice(parts, 2, count(parts)))) if {
	parts := split(arn, ":")
	count(parts) > 2
}

_get(obj, key) := object.get(obj, key, null) if is_object(obj)
else := null

_array(x) := x if is_array(x)
else := []
