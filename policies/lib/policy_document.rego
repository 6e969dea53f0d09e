package regent.lib.policy_document

import data.regent.lib.values

# Helpers over IAM and resource policy documents (bucket policies, key policies, IAM
# policies). The engine has already decoded them: `doc` is an object, or null when the
# resource has no policy. Every helper is undefined (never an error) for null or odd shapes.

# statements(doc): the document's Statement as an array (it may be one object or an array).
#
# Helpers with exclusive cases are one definition with else branches: the VM evaluates every
# definition of a function on every call, else branches only when needed.
statements(doc) := doc.Statement if is_array(doc.Statement)
else := [doc.Statement] if is_object(doc.Statement)

# documents(x): a policy document field as a list of documents: an object gives [x], a list
# (RDK example CIs wrap the document in an array) keeps its objects, and null, a string that
# could not be decoded or any other shape gives [].
documents(x) := [x] if is_object(x)
else := [d | some d in x; is_object(d)] if is_array(x)
else := []

# as_array(x): an Action / Resource / Principal value as an array: a single string becomes
# [x], an array stays as it is, null becomes [].
as_array(x) := x if is_array(x)
else := [] if x == null
else := [x]

# public_principal(stmt): the statement applies to everyone: Principal "*", {"AWS": "*"}
# or {"AWS": ["*", ...]}.
public_principal(stmt) if stmt.Principal == "*"

public_principal(stmt) if {
	is_object(stmt.Principal)
	"*" in as_array(stmt.Principal.AWS)
}

# denies_insecure_transport(doc): some statement denies, to every principal, every S3 action
# ("s3:*" or "*", any letter case) when aws:SecureTransport is false: operator Bool or
# BoolIfExists, key compared case-insensitively (IAM condition keys are), value false or
# "false". The statement must carry no other condition: any further test narrows the deny,
# so some plain-HTTP requests would still get through.
denies_insecure_transport(doc) if {
	some stmt in statements(doc)
	stmt.Effect == "Deny"
	public_principal(stmt)
	_covers_all_s3_actions(stmt)
	_only_insecure_transport_condition(stmt.Condition)
}

# allows_full_admin(doc): some statement allows every action ("*" or "*:*") on every
# resource ("*").
allows_full_admin(doc) if {
	some stmt in statements(doc)
	stmt.Effect == "Allow"
	some action in as_array(stmt.Action)
	action in {"*", "*:*"}
	"*" in as_array(stmt.Resource)
}

_covers_all_s3_actions(stmt) if {
	some action in as_array(stmt.Action)
	is_string(action)
	lower(action) in {"*", "s3:*"}
}

_only_insecure_transport_condition(condition) if {
	is_object(condition)
	count(condition) == 1
	some operator, tests in condition
	is_string(operator)
	lower(operator) in {"bool", "boolifexists"}
	is_object(tests)
	count(tests) == 1
	some key, value in tests
	is_string(key)
	lower(key) == "aws:securetransport"
	some v in as_array(value)
	values.is_false(v)
}
