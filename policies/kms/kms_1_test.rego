package regent.kms_1_test

import data.regent.kms_1

_doc := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}

_policy(arn, versions, default_id) := {
	"resourceType": "AWS::IAM::Policy", "resourceId": "ANPAQXYZEXAMPLE000001", "awsAccountId": "111122223333", "awsRegion": "global",
	"ARN": arn,
	"configuration": {"policyName": "p", "defaultVersionId": default_id, "permissionsBoundaryUsageCount": 0, "policyVersionList": versions},
}

# When no version carries isDefaultVersion, the one named by defaultVersionId is read.
test_default_version_id_fallback if {
	versions := [{"versionId": "v1", "document": {"Statement": []}}, {"versionId": "v2", "document": _doc}]
	kms_1.violation == {"default policy version v2 statement without Sid allows kms:Decrypt on all KMS keys"} with input as _policy("arn:aws:iam::111122223333:policy/p", versions, "v2")
	count(kms_1.violation) == 0 with input as _policy("arn:aws:iam::111122223333:policy/p", versions, "v1")
}

test_aws_managed_policy_not_applicable if {
	not kms_1.applicable with input as _policy("arn:aws:iam::aws:policy/AdministratorAccess", [], "v1")
	kms_1.applicable with input as _policy("arn:aws:iam::111122223333:policy/p", "not a list", "v1")
}

test_boundary_policies_evaluated_when_not_excluded if {
	p := object.union(_policy("arn:aws:iam::111122223333:policy/b", [{"versionId": "v1", "isDefaultVersion": "true", "document": _doc}], "v1"), {"configuration": {"permissionsBoundaryUsageCount": "3"}})
	not kms_1.applicable with input as p
	kms_1.applicable with input as p with data.parameters as {"KMS.1": {"blockedActionsPatterns": "kms:Decrypt", "excludePermissionBoundaryPolicy": "false"}}
}
