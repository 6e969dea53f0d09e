package regent.lib.iam_helpers_test

import data.regent.lib.iam_helpers

_admin := {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}

_read := {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}

test_default_versions_flagged_or_by_id if {
	conf := {"policyVersionList": [
		{"versionId": "v1", "isDefaultVersion": false, "document": _admin},
		{"versionId": "v2", "isDefaultVersion": "True", "document": _read},
	]}
	[v.versionId | some v in iam_helpers.default_versions(conf)] == ["v2"]
	by_id := {"defaultVersionId": "v1", "policyVersionList": [{"versionId": "v1", "document": _admin}, {"versionId": "v2", "document": _read}]}
	[v.versionId | some v in iam_helpers.default_versions(by_id)] == ["v1"]
	iam_helpers.default_versions({}) == []
	iam_helpers.default_versions(null) == []
}

test_default_statements_and_labels if {
	conf := {"policyVersionList": [{"versionId": "v3", "isDefaultVersion": true, "document": [_admin, _read]}]}
	stmts := iam_helpers.default_statements(conf)
	count(stmts) == 2
	iam_helpers.statement_label(stmts[0]) == "statement 0 (Sid All)"
	iam_helpers.statement_label(stmts[1]) == "statement 0"
	iam_helpers.has_default_document(conf)
	not iam_helpers.has_default_document({"policyVersionList": [{"versionId": "v1", "isDefaultVersion": true, "document": null}]})
}

test_input_statements_are_those_of_the_input_configuration if {
	conf := {"policyVersionList": [{"versionId": "v3", "isDefaultVersion": true, "document": [_admin, _read]}]}
	iam_helpers.input_statements == iam_helpers.default_statements(conf) with input as {"configuration": conf}
	iam_helpers.input_has_default_document with input as {"configuration": conf}
	iam_helpers.input_statements == [] with input as {"configuration": "not an object"}
	not iam_helpers.input_has_default_document with input as {"configuration": null}
}

test_policy_kinds if {
	iam_helpers.aws_managed_policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
	iam_helpers.aws_managed_policy_arn("arn:aws-us-gov:iam::aws:policy/job-function/SupportUser")
	not iam_helpers.aws_managed_policy_arn("arn:aws:iam::111122223333:policy/aws")
	not iam_helpers.aws_managed_policy_arn(null)
	iam_helpers.used_as_permissions_boundary({"permissionsBoundaryUsageCount": "2"})
	not iam_helpers.used_as_permissions_boundary({"permissionsBoundaryUsageCount": 0})
	not iam_helpers.used_as_permissions_boundary({})
}

test_arn_matches_ignores_partition if {
	iam_helpers.arn_matches("arn:aws-cn:iam::aws:policy/AWSSupportAccess", "arn:aws:iam::aws:policy/AWSSupportAccess")
	not iam_helpers.arn_matches("arn:aws:iam::aws:policy/AWSSupportAccessX", "arn:aws:iam::aws:policy/AWSSupportAccess")
	not iam_helpers.arn_matches(null, "arn:aws:iam::aws:policy/AWSSupportAccess")
	not iam_helpers.arn_matches("AWSSupportAccess", "AWSSupportAccess")
}

test_attached_and_inline_names if {
	conf := {"attachedManagedPolicies": [
		{"policyName": "b", "policyArn": "arn:aws:iam::aws:policy/b"},
		{"policyArn": "arn:aws:iam::111122223333:policy/a"},
		{},
	]}
	iam_helpers.attached_policy_arns(conf) == {"arn:aws:iam::aws:policy/b", "arn:aws:iam::111122223333:policy/a"}
	iam_helpers.attached_policy_names(conf) == ["arn:aws:iam::111122223333:policy/a", "b", "unnamed policy"]
	iam_helpers.attached_policy_arns({"attachedManagedPolicies": null}) == set()
	iam_helpers.inline_policy_names([{"policyName": "z"}, {"policyName": "y"}]) == ["y", "z"]
	iam_helpers.inline_policy_names(null) == []
}

test_trusts_someone if {
	iam_helpers.trusts_someone({"assumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}})
	iam_helpers.trusts_someone({"assumeRolePolicyDocument": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}}})
	not iam_helpers.trusts_someone({"assumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": []}, "Action": "sts:AssumeRole"}]}})
	not iam_helpers.trusts_someone({"assumeRolePolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]}})
	not iam_helpers.trusts_someone({"assumeRolePolicyDocument": null})
}

test_arn_key_equal_exactly_when_arns_match if {
	iam_helpers.arn_key("arn:aws-cn:iam::aws:policy/AWSSupportAccess") == iam_helpers.arn_key("arn:aws:iam::aws:policy/AWSSupportAccess")
	iam_helpers.arn_key("arn:aws:iam::aws:policy/AWSSupportAccessX") != iam_helpers.arn_key("arn:aws:iam::aws:policy/AWSSupportAccess")
	not iam_helpers.arn_key("not:an-arn")
	not iam_helpers.arn_key(42)
}

# statement_label and _policy_label are one definition with else branches (the Sid and the
# names are tested once); each case of the definitions they replaced.
test_statement_label_each_case if {
	iam_helpers.statement_label({"index": 2, "statement": {"Sid": "Admin"}}) == "statement 2 (Sid Admin)"
	iam_helpers.statement_label({"index": 2, "statement": {"Sid": ""}}) == "statement 2"
	iam_helpers.statement_label({"index": 3, "statement": {"Sid": 7}}) == "statement 3"
	iam_helpers.statement_label({"index": 4, "statement": {}}) == "statement 4"
	iam_helpers.statement_label({"index": 5}) == "statement 5"
}

test_policy_label_each_case if {
	iam_helpers.inline_policy_names([
		{"policyName": "b", "policyArn": "arn:aws:iam::111122223333:policy/x"},
		{"policyName": 5, "policyArn": "arn:aws:iam::111122223333:policy/a"},
		{"policyArn": null},
		"not an object",
	]) == ["arn:aws:iam::111122223333:policy/a", "b", "unnamed policy", "unnamed policy"]
}
