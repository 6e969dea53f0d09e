package regent.lib.resource_policy_test

import data.regent.lib.resource_policy

_public_read := {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}

test_wildcard_matches if {
	resource_policy.wildcard_matches("s3:Get*", "s3:GetObject")
	resource_policy.wildcard_matches("S3:GETOBJECT", "s3:getobject")
	resource_policy.wildcard_matches("*", "")
	resource_policy.wildcard_matches("s3:?etObject", "s3:GetObject")
	resource_policy.wildcard_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y.z")
	resource_policy.wildcard_matches("s3:Get[x", "s3:get[x")
	not resource_policy.wildcard_matches("s3:Get", "s3:GetObject")
	not resource_policy.wildcard_matches("arn:aws:s3:::b.c", "arn:aws:s3:::bxc")
	not resource_policy.wildcard_matches(null, "x")
}

test_patterns_overlap if {
	resource_policy.patterns_overlap("s3:*", "s3:PutBucketAcl")
	resource_policy.patterns_overlap("kms:ReEncryptFrom", "kms:ReEncrypt*")
	not resource_policy.patterns_overlap("s3:Get*", "s3:PutObject")
}

test_covers_action_and_not_action if {
	resource_policy.covers_action({"Action": ["s3:Put*"]}, "s3:PutObject")
	resource_policy.covers_action({"NotAction": "s3:Delete*"}, "s3:GetObject")
	not resource_policy.covers_action({"NotAction": ["s3:*"]}, "s3:GetObject")
	not resource_policy.covers_action({"Action": "s3:GetObject"}, "s3:PutObject")
}

test_covers_resource if {
	resource_policy.covers_resource({"Resource": "*"}, "arn:aws:kms:us-east-1:111122223333:key/k")
	resource_policy.covers_resource({"NotResource": "arn:aws:s3:::b"}, "arn:aws:kms:us-east-1:111122223333:key/k")
	resource_policy.covers_resource({"Action": "sqs:*"}, "arn:aws:sqs:us-east-1:111122223333:q")
	not resource_policy.covers_resource({"Resource": "arn:aws:kms:us-east-1:111122223333:key/a"}, "arn:aws:kms:us-east-1:111122223333:key/b")
	not resource_policy.covers_resource({"NotResource": "arn:aws:kms:*"}, "arn:aws:kms:us-east-1:111122223333:key/b")
}

test_public_principal if {
	resource_policy.public_principal({"Principal": "*"})
	resource_policy.public_principal({"Principal": {"AWS": "*"}})
	resource_policy.public_principal({"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}})
	resource_policy.public_principal({"Principal": {"AWS": "arn:aws:iam::*:root"}})
	resource_policy.public_principal({"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}})
	not resource_policy.public_principal({"Principal": {"AWS": "arn:aws:iam::111122223333:root"}})
	not resource_policy.public_principal({"Principal": {"Service": "cloudtrail.amazonaws.com"}})
}

test_fixed_value_conditions if {
	resource_policy.restricted_to_fixed_values({"Condition": {"StringEquals": {"AWS:SourceOwner": "111122223333"}}})
	resource_policy.restricted_to_fixed_values({"Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket-*"}}})
	resource_policy.restricted_to_fixed_values({"Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}})
	resource_policy.restricted_to_fixed_values({"Condition": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})
	resource_policy.restricted_to_fixed_values({"Condition": {"StringEquals": {"kms:CallerAccount": 111122223333}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"StringEquals": {"aws:SourceAccount": "*"}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"StringLike": {"aws:userid": "${aws:username}"}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"Bool": {"aws:SecureTransport": "true"}}})
	not resource_policy.restricted_to_fixed_values({"Condition": {"StringEquals": {"aws:SourceVpce": []}}})
	not resource_policy.restricted_to_fixed_values({})
}

test_public_statements if {
	doc := {"Statement": [
		_public_read,
		{"Effect": "Deny", "Principal": "*", "Action": "s3:*"},
		{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}},
	]}
	resource_policy.public_statements(doc) == [_public_read]
	resource_policy.public_statements(null) == []
	resource_policy.allow_statements({"Statement": _public_read}) == [_public_read]
	resource_policy.allow_statements(null) == []
}

test_label if {
	resource_policy.label(_public_read) == "statement \"PublicRead\""
	resource_policy.label({"Sid": ""}) == "statement without Sid"
	resource_policy.label({}) == "statement without Sid"
}

test_aws_principals_and_accounts if {
	resource_policy.aws_principals({"Principal": "*"}) == ["*"]
	resource_policy.aws_principals({"Principal": {"AWS": "arn:aws:iam::111122223333:root"}}) == ["arn:aws:iam::111122223333:root"]
	resource_policy.aws_principals({"Principal": {"Service": "logging.s3.amazonaws.com"}}) == []
	resource_policy.aws_principals({}) == []
	resource_policy.principal_account("111122223333") == "111122223333"
	resource_policy.principal_account("arn:aws:iam::444455556666:role/x") == "444455556666"
	not resource_policy.principal_account("AROAEXAMPLE")
	resource_policy.foreign_principal("*", "111122223333")
	resource_policy.foreign_principal("arn:aws:iam::444455556666:root", "111122223333")
	resource_policy.foreign_principal("AROAEXAMPLE", "111122223333")
	not resource_policy.foreign_principal("arn:aws:iam::111122223333:role/x", "111122223333")
}

test_csv_list if {
	resource_policy.csv_list("kms:Decrypt, kms:ReEncryptFrom,") == ["kms:Decrypt", "kms:ReEncryptFrom"]
	resource_policy.csv_list(["a", " b ", 3, ""]) == ["a", "b"]
	resource_policy.csv_list(null) == []
}

test_acl_helpers if {
	acl := {
		"grantSet": null,
		"grantList": [
			{"grantee": {"id": "79a5", "displayName": null}, "permission": "FullControl"},
			{"grantee": "AllUsers", "permission": "Read"},
			{"grantee": {"uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}, "permission": "WRITE_ACP"},
			{"grantee": "LogDelivery", "permission": "Write"},
			{"grantee": {"emailAddress": "ops@example.com"}, "permission": "Read"},
			{"grantee": null, "permission": null},
		],
	}
	grants := resource_policy.acl_grants(acl)
	count(grants) == 6
	resource_policy.acl_grants(null) == []
	resource_policy.acl_grants({"grantList": null, "grantSet": [{"grantee": "AllUsers", "permission": "Read"}]}) == [{"grantee": "AllUsers", "permission": "Read"}]
	not resource_policy.public_group(grants[0])
	resource_policy.public_group(grants[1])
	resource_policy.public_group(grants[2])
	not resource_policy.public_group(grants[3])
	resource_policy.grantee_group(grants[3]) == "logdelivery"
	resource_policy.public_group({"grantee": "http://acs.amazonaws.com/groups/global/AllUsers"})
	resource_policy.grant_permission(grants[2]) == "writeacp"
	not resource_policy.grant_permission(grants[5])
	resource_policy.grantee_text(grants[0]) == "79a5"
	resource_policy.grantee_text(grants[1]) == "AllUsers"
	resource_policy.grantee_text(grants[4]) == "ops@example.com"
	resource_policy.grantee_text(grants[5]) == "unknown grantee"
}

test_s3_account_blocks if {
	inv := {"AWS::S3::AccountPublicAccessBlock": {"111122223333": {
		"us-east-1": {"111122223333": {"configuration": {"restrictPublicBuckets": true}}},
		"eu-west-1": {"111122223333": {"configuration": null}},
	}}}
	resource_policy.s3_account_blocks("111122223333") == [{"restrictPublicBuckets": true}] with data.inventory as inv
	resource_policy.s3_account_blocks("444455556666") == [] with data.inventory as inv
}

test_actions_text if {
	resource_policy.actions_text({"Action": "s3:GetObject"}) == "Action s3:GetObject"
	resource_policy.actions_text({"NotAction": ["s3:Delete*"]}) == "NotAction [\"s3:Delete*\"]"
	resource_policy.actions_text({}) == "no Action"
}

# The character-by-character translation _regex replaced, as the reference it must equal.
_reference_escapes := {
	"\\": "\\\\", ".": "\\.", "+": "\\+", "^": "\\^", "$": "\\$", "(": "\\(", ")": "\\)",
	"[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}", "|": "\\|", "*": ".*", "?": ".",
}

_reference_regex(pattern) := concat("", ["^", concat("", [object.get(_reference_escapes, ch, ch) | some ch in split(pattern, "")]), "$"])

test_regex_escapes_every_metacharacter_as_the_reference_does if {
	every pattern in [
		"s3:get*", "arn:aws:s3:::b/*", "a.b*c?d[e]f{g}h|i(j)k+l^m$n\\o", "kms:reencrypt*", "*", "?", "",
		"arn:aws:kms:*:123456789012:key/*", "x$0y", "\\*",
	] {
		resource_policy._regex(pattern) == _reference_regex(pattern)
	}
}

test_wildcard_matches_without_a_wildcard_is_equality if {
	resource_policy.wildcard_matches("KMS:Decrypt", "kms:decrypt")
	not resource_policy.wildcard_matches("kms:decrypt", "kms:decrypts")
	resource_policy.wildcard_matches("a.b", "A.B")
	not resource_policy.wildcard_matches("a.b", "axb")
}

_matches(pattern, value) := true if resource_policy.wildcard_matches(pattern, value)

else := false

# The shortcuts (equality, a final *) must agree with the regex every pattern once went to.
test_wildcard_shortcuts_agree_with_the_regex if {
	every pattern in [
		"s3:get*", "s3:*", "*", "s3:getobject", "arn:aws:s3:::b/*", "arn:aws:s3:::b.c/*", "a**",
		"s3:get?bject", "*object", "s3:*object", "kms:reencrypt*", "",
		"arn:aws:logs:*:123:log-group:*", "arn:*:kms:*:123:key/*", "a*a", "a*b*a", "ab*ba", "*a*",
		"a*b*c*d*e", "**", "a*bb*b", "é*ü", "arn:aws:s3:::b.c*", "s3:get*object*",
	] {
		every value in [
			"s3:getobject", "s3:get", "s3:getobject\nx", "s3:put", "arn:aws:s3:::b/x/y.z",
			"arn:aws:s3:::bxc/k", "arn:aws:s3:::b.c/k", "a", "", "kms:reencryptfrom", "s3:*",
			"arn:aws:logs:eu-west-1:123:log-group:/x", "arn:aws:logs:eu-west-1:124:log-group:/x",
			"arn:aws-cn:kms:cn-north-1:123:key/k", "aa", "aba", "abba", "abbba", "abcde", "a-b-c-d-e",
			"éxü", "éü", "ü", "s3:getxobjecty", "s3:getobject", "a\nb",
		] {
			_matches(pattern, value) == regex.match(_reference_regex(pattern), value)
		}
	}
}

# _statements and _list are one definition with an else branch (the statements are worked
# out once); each case of the two definitions they replaced.
test_statements_or_none if {
	stmt := {"Effect": "Allow", "Action": "s3:GetObject", "Principal": "*"}
	resource_policy.allow_statements({"Statement": [stmt, {"Effect": "Deny"}]}) == [stmt]
	resource_policy.allow_statements({"Statement": stmt}) == [stmt]
	resource_policy.allow_statements({"Statement": "not a statement"}) == []
	resource_policy.allow_statements({}) == []
	resource_policy.allow_statements(null) == []
	resource_policy.public_statements({"Statement": stmt}) == [stmt]
	resource_policy.public_statements(null) == []
}

test_acl_grants_lists_or_none if {
	grant := {"grantee": "AllUsers", "permission": "Read"}
	resource_policy.acl_grants({"grantList": [grant], "grantSet": null}) == [grant]
	resource_policy.acl_grants({"grantList": [grant], "grantSet": [grant]}) == [grant, grant]
	resource_policy.acl_grants({"grantList": "x"}) == []
	resource_policy.acl_grants(null) == []
}
