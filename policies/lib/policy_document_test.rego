package regent.lib.policy_document_test

import data.regent.lib.policy_document

_deny_http := {
	"Effect": "Deny", "Principal": "*", "Action": "s3:*",
	"Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
	"Condition": {"Bool": {"aws:SecureTransport": "false"}},
}

# _deny_http with one key replaced (object.union alone would merge nested objects)
_with(key, value) := object.union(object.remove(_deny_http, [key]), {key: value})

test_statements_object_or_array if {
	policy_document.statements({"Statement": _deny_http}) == [_deny_http]
	policy_document.statements({"Statement": [_deny_http]}) == [_deny_http]
	not policy_document.statements(null)
}

test_documents_shapes if {
	policy_document.documents(_deny_http) == [_deny_http]
	policy_document.documents([_deny_http, "x"]) == [_deny_http]
	policy_document.documents("%7B") == []
	policy_document.documents(null) == []
	policy_document.documents({"Statement": []}) == [{"Statement": []}]
	policy_document.documents([{"Statement": []}, "x"]) == [{"Statement": []}]
}

test_as_array if {
	policy_document.as_array("s3:*") == ["s3:*"]
	policy_document.as_array(["a", "b"]) == ["a", "b"]
	policy_document.as_array(null) == []
}

test_public_principal if {
	policy_document.public_principal({"Principal": "*"})
	policy_document.public_principal({"Principal": {"AWS": "*"}})
	policy_document.public_principal({"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}})
	not policy_document.public_principal({"Principal": {"AWS": "arn:aws:iam::111122223333:root"}})
	not policy_document.public_principal({"Principal": {"Service": "*"}})
}

test_denies_insecure_transport if {
	policy_document.denies_insecure_transport({"Statement": _deny_http})
	policy_document.denies_insecure_transport({"Statement": [object.union(
		_with("Condition", {"BoolIfExists": {"AWS:SECURETRANSPORT": false}}),
		{"Action": ["*"]},
	)]})
	not policy_document.denies_insecure_transport(null)
	not policy_document.denies_insecure_transport({"Statement": [_with("Effect", "Allow")]})
	not policy_document.denies_insecure_transport({"Statement": [_with("Action", "s3:GetObject")]})
	not policy_document.denies_insecure_transport({"Statement": [_with("Principal", {"AWS": "arn:aws:iam::111122223333:root"})]})
	not policy_document.denies_insecure_transport({"Statement": [_with("Condition", {"Bool": {"aws:SecureTransport": "true"}})]})
	not policy_document.denies_insecure_transport({"Statement": [_with("Condition", {
		"Bool": {"aws:SecureTransport": "false"},
		"StringNotEquals": {"aws:SourceVpce": "vpce-1"},
	})]})
}

test_allows_full_admin if {
	policy_document.allows_full_admin({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
	policy_document.allows_full_admin({"Statement": {"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}})
	not policy_document.allows_full_admin({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
	not policy_document.allows_full_admin({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})
	not policy_document.allows_full_admin({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}]})
}
