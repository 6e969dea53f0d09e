package regent.lib.resource_policy

import data.regent.lib.policy_document
import data.regent.lib.values

# Helpers over resource-based policies (S3 bucket policies, KMS key policies, SNS topic and
# SQS queue access policies) and over IAM identity policies, for the "public access",
# "cross-account" and "blocked action" controls. Documents are already decoded objects (or
# null). Every helper is undefined, never an error, for null or odd shapes.

# wildcard_matches(pattern, value): IAM wildcard matching, case-insensitive: "*" matches any
# run of characters (also none), "?" exactly one; everything else is literal.
wildcard_matches(pattern, value) if {
	is_string(pattern)
	is_string(value)
	_wildcard_match(lower(pattern), lower(value))
}

# A pattern without * or ? matches only itself. One with up to three * and no ? ("s3:Get*",
# "arn:aws:logs:*:111122223333:log-group:*") is matched with string builtins: nearly every
# pattern in practice. Only the rest go to a regex, which regorus compiles per distinct
# pattern (every account's ARNs differ) and prepares afresh on every call: tens of
# microseconds, the larger part of a policy-document control's time.
_wildcard_match(pattern, value) if {
	not contains(pattern, "*")
	not contains(pattern, "?")
	pattern == value
} else := true if {
	_by_parts(pattern, value)
	_star_match(split(pattern, "*"), value)
} else := true if {
	_has_wildcard(pattern)
	not _by_parts(pattern, value)
	regex.match(_regex(pattern), value)
}

# The regex's .* does not cross a line break, so a value holding one goes to the regex.
_by_parts(pattern, value) if {
	contains(pattern, "*")
	not contains(pattern, "?")
	count(split(pattern, "*")) <= 4
	not contains(value, "\n")
}

# _star_match(parts, value): value is parts joined by runs of any characters: it starts with
# the first part, ends with the last, and holds the inner parts in order between them.
# Placing each inner part at its leftmost occurrence is exact when the only wildcard is *.
_star_match(parts, value) if {
	n := count(parts)
	first := parts[0]
	last := parts[n - 1]
	startswith(value, first)
	endswith(value, last)
	between := count(value) - count(first) - count(last)
	between >= 0
	_in_order(array.slice(parts, 1, n - 1), substring(value, count(first), between))
}

_in_order(inner, _) if count(inner) == 0

_in_order(inner, text) if {
	count(inner) == 1
	contains(text, inner[0])
}

_in_order(inner, text) if {
	count(inner) == 2
	at := indexof(text, inner[0])
	at >= 0
	contains(substring(text, at + count(inner[0]), -1), inner[1])
}

_has_wildcard(pattern) if contains(pattern, "*")
else := true if contains(pattern, "?")

# patterns_overlap(a, b): two action patterns can name the same action: "s3:*" and
# "s3:PutBucketAcl", "s3:Put*" and "s3:PutObject*", "*" and anything.
patterns_overlap(a, b) if wildcard_matches(a, b)
else := true if wildcard_matches(b, a)

# allows(stmt): the statement is an Allow statement ("Allow" in any letter case).
allows(stmt) if {
	is_object(stmt)
	is_string(stmt.Effect)
	lower(stmt.Effect) == "allow"
}

# allow_statements(doc): the Allow statements of a document, in order ([] for null).
allow_statements(doc) := [stmt | some stmt in _statements(doc); allows(stmt)]

# covers_action(stmt, action): the statement's Action names `action` (which may itself be a
# pattern, e.g. "kms:ReEncrypt*"), or its NotAction leaves `action` out.
covers_action(stmt, action) if {
	some pattern in policy_document.as_array(stmt.Action)
	patterns_overlap(pattern, action)
}

covers_action(stmt, action) if {
	is_object(stmt)
	not "Action" in object.keys(stmt)
	"NotAction" in object.keys(stmt)
	not _any_overlap(policy_document.as_array(stmt.NotAction), action)
}

# covers_resource(stmt, arn): the statement's Resource matches `arn`, or its NotResource
# does not. A statement with neither (resource policies may omit Resource) covers `arn`.
covers_resource(stmt, arn) if {
	some pattern in policy_document.as_array(stmt.Resource)
	wildcard_matches(pattern, arn)
}

covers_resource(stmt, arn) if {
	is_object(stmt)
	not "Resource" in object.keys(stmt)
	"NotResource" in object.keys(stmt)
	not _any_match(policy_document.as_array(stmt.NotResource), arn)
}

covers_resource(stmt, _) if {
	is_object(stmt)
	not "Resource" in object.keys(stmt)
	not "NotResource" in object.keys(stmt)
}

# public_principal(stmt): the statement applies to everyone: Principal "*", any principal
# type holding "*" ({"AWS": "*"}, {"AWS": ["*"]}, {"CanonicalUser": "*"}), an AWS principal
# with a wildcard in it ("arn:aws:iam::*:root"), or a NotPrincipal (which, in an Allow
# statement, grants everyone but the principals listed).
public_principal(stmt) if stmt.Principal == "*"
else := true if {
	is_object(stmt.Principal)
	some principals in stmt.Principal
	some p in policy_document.as_array(principals)
	is_string(p)
	contains(p, "*")
}
else := true if {
	is_object(stmt)
	"NotPrincipal" in object.keys(stmt)
}

# fixed_value_keys: the condition keys that, compared with fixed values, narrow a public
# principal down to known accounts, organisations, networks or sources (lower case). This
# follows the Amazon S3 definition of a non-public policy, which the AWS Config public-access
# rules for S3, SNS, SQS and KMS share, plus kms:CallerAccount for key policies.
fixed_value_keys := {
	"aws:principalaccount",
	"aws:principalarn",
	"aws:principalorgid",
	"aws:principalorgpaths",
	"aws:sourceaccount",
	"aws:sourcearn",
	"aws:sourceip",
	"aws:sourceorgid",
	"aws:sourceorgpaths",
	"aws:sourceowner",
	"aws:sourcevpc",
	"aws:sourcevpce",
	"aws:userid",
	"kms:calleraccount",
	"s3:dataaccesspointaccount",
	"s3:dataaccesspointarn",
}

# Condition operators that only let a request through when the key equals (or matches) one
# of the listed values. Negated operators (StringNotEquals, NotIpAddress, ...) and the
# ...IfExists forms (true when the key is absent) do not narrow access.
_narrowing_operators := {
	"stringequals",
	"stringequalsignorecase",
	"stringlike",
	"arnequals",
	"arnlike",
	"ipaddress",
}

# restricted_to_fixed_values(stmt): the statement's Condition compares at least one of the
# fixed_value_keys with a narrowing operator, and every value it lists is fixed: not "*"
# (or "?", or only wildcards), holds no policy variable "${...}", and for aws:SourceIp is not
# "0.0.0.0/0" or "::/0".
restricted_to_fixed_values(stmt) if {
	is_object(stmt.Condition)
	some operator, tests in stmt.Condition
	_narrowing_operator(operator)
	is_object(tests)
	some key, value in tests
	is_string(key)
	lower(key) in fixed_value_keys
	vals := policy_document.as_array(value)
	count(vals) > 0
	every v in vals {
		_fixed_value(lower(key), v)
	}
}

# public_statement(stmt): an Allow statement open to everyone and not narrowed by a
# fixed-value condition.
public_statement(stmt) if {
	allows(stmt)
	public_principal(stmt)
	not restricted_to_fixed_values(stmt)
}

# public_statements(doc): the public statements of a document ([] for null).
public_statements(doc) := [stmt | some stmt in _statements(doc); public_statement(stmt)]

# label(stmt): how a message names a statement: its Sid, or "without Sid".
label(stmt) := sprintf("statement %q", [stmt.Sid]) if {
	is_string(stmt.Sid)
	stmt.Sid != ""
}
else := "statement without Sid"

# actions_text(stmt): the statement's actions for a message: "Action [...]", "NotAction [...]"
# or "no Action".
actions_text(stmt) := sprintf("Action %v", [stmt.Action]) if "Action" in object.keys(stmt)

actions_text(stmt) := sprintf("NotAction %v", [stmt.NotAction]) if {
	not "Action" in object.keys(stmt)
	"NotAction" in object.keys(stmt)
}

actions_text(stmt) := "no Action" if {
	not "Action" in object.keys(stmt)
	not "NotAction" in object.keys(stmt)
}

# aws_principals(stmt): the AWS principals of a statement as strings ("*" for Principal "*").
aws_principals(stmt) := ["*"] if stmt.Principal == "*"
else := [p | some p in policy_document.as_array(stmt.Principal.AWS); is_string(p)] if {
	is_object(stmt.Principal)
}
else := []

# principal_account(p): the account an AWS principal belongs to: a bare 12-digit account id,
# or the account field of an IAM ARN ("arn:aws:iam::111122223333:role/x"); undefined for "*"
# and for ARNs with a wildcard account.
principal_account(p) := p if values.digits(p, 12)

principal_account(p) := account if {
	parts := split(p, ":")
	count(parts) >= 6
	parts[0] == "arn"
	account := parts[4]
	values.digits(account, 12)
}

# foreign_principal(p, own): the AWS principal is not (only) in account `own`: everyone
# ("*" or a wildcard ARN), another account's id or ARN, or something whose account cannot
# be read (an unresolved unique id such as "AROA...").
foreign_principal(p, own) if {
	is_string(p)
	contains(p, "*")
}

foreign_principal(p, own) if {
	is_string(p)
	not contains(p, "*")
	principal_account(p) != own
}

foreign_principal(p, own) if {
	is_string(p)
	not contains(p, "*")
	not principal_account(p)
}

# csv_list(x): a rule parameter given as a list or as a comma-separated string, as a list of
# trimmed non-empty strings ([] for null).
csv_list(x) := [s | some v in x; is_string(v); s := trim_space(v); s != ""] if is_array(x)
else := [s | some v in split(x, ","); s := trim_space(v); s != ""] if is_string(x)
else := []

# --- S3 access control lists -------------------------------------------------------------
# Config records a bucket's ACL (supplementaryConfiguration.AccessControlList, decoded by the
# loader) as {"grantSet": null, "grantList": [{"grantee": ..., "permission": ...}], "owner":
# {"id", "displayName"}}. A canonical-user grantee is {"id", "displayName"}; a group grantee is
# the group's name as a string ("AllUsers", "AuthenticatedUsers", "LogDelivery"). Permissions
# are "FullControl", "Read", "Write", "ReadAcp", "WriteAcp".

# acl_grants(acl): the grants of an ACL (grantList, plus grantSet when that is a list).
acl_grants(acl) := array.concat(_list(acl, "grantList"), _list(acl, "grantSet"))

# grantee_group(grant): the group a grant is to, lower-cased and without its URI prefix
# ("allusers" for "AllUsers" or "http://acs.amazonaws.com/groups/global/AllUsers", also
# inside an object's uri / URI / identifier field); undefined for canonical users.
grantee_group(grant) := _group_name(grant.grantee) if is_string(grant.grantee)

grantee_group(grant) := _group_name(uri) if {
	is_object(grant.grantee)
	some key in ["uri", "URI", "identifier"]
	uri := grant.grantee[key]
	is_string(uri)
	contains(uri, "acs.amazonaws.com/groups/")
}

# public_group(grant): the grant is to everyone (AllUsers) or to every AWS account
# (AuthenticatedUsers).
public_group(grant) if grantee_group(grant) in {"allusers", "authenticatedusers"}

# grant_permission(grant): the permission, lower-cased without "_" ("fullcontrol", "read",
# "write", "readacp", "writeacp"), whichever spelling was recorded ("READ_ACP", "ReadAcp").
grant_permission(grant) := replace(lower(grant.permission), "_", "") if is_string(grant.permission)

# grantee_text(grant): the grantee for a message: the group name, a canonical id, or an
# e-mail address.
grantee_text(grant) := grant.grantee if is_string(grant.grantee)

grantee_text(grant) := v if {
	is_object(grant.grantee)
	v := _first_string(grant.grantee, ["uri", "URI", "identifier", "id", "emailAddress"])
}

grantee_text(grant) := "unknown grantee" if {
	not is_string(grant.grantee)
	not _first_string(grant.grantee, ["uri", "URI", "identifier", "id", "emailAddress"])
}

# --- S3 Block Public Access ---------------------------------------------------------------

# s3_account_blocks(account): the account-level S3 public access block CIs recorded for the
# account, in any region (the setting is account-wide; Config records it in one or more
# regions). Needs "AWS::S3::AccountPublicAccessBlock" in the control's `requires`.
s3_account_blocks(account) := [ci.configuration |
	some region, id
	ci := data.inventory["AWS::S3::AccountPublicAccessBlock"][account][region][id]
	is_object(ci.configuration)
]

_list(obj, key) := obj[key] if {
	is_object(obj)
	is_array(obj[key])
} else := []

_group_name(text) := lower(name) if {
	parts := split(text, "/")
	name := parts[count(parts) - 1]
}

_first_string(obj, keys) := v if {
	is_object(obj)
	vs := [x | some k in keys; x := obj[k]; is_string(x)]
	count(vs) > 0
	v := vs[0]
}

# _statements(doc): policy_document.statements(doc), worked out once, or [] when the document
# has none. A destructuring, not `s := ...`: on regorus 0.14.1's VM an undefined `s := f(x)`
# ends the function undefined without trying the else branch.
_statements(doc) := s if {
	[s] := [policy_document.statements(doc)]
} else := []


_narrowing_operator(operator) if {
	is_string(operator)
	op := lower(operator)
	base := trim_prefix(op, "foranyvalue:")
	base in _narrowing_operators
}

_fixed_value(key, v) if {
	is_number(v)
}
else := true if {
	is_string(v)
	# Not only wildcards (nor empty): what ^[*?]*$ matches.
	trim(v, "*?") != ""
	not contains(v, "${")
	not _open_cidr(key, v)
}

_open_cidr("aws:sourceip", v) if v in {"0.0.0.0/0", "::/0"}

_any_overlap(patterns, action) if {
	some p in patterns
	patterns_overlap(p, action)
}

_any_match(patterns, value) if {
	some p in patterns
	wildcard_matches(p, value)
}

# _regex(pattern): the anchored regex of a lower-cased IAM pattern: regex metacharacters
# escaped (in one regex.replace, not character by character), then * as .* and ? as .
_regex(pattern) := concat("", ["^", replace(replace(escaped, "*", ".*"), "?", "."), "$"]) if {
	escaped := regex.replace(pattern, `[\\.+^$()\[\]{}|]`, `\$0`)
}
