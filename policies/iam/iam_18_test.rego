package regent.iam_18_test

import data.regent.iam_18
import data.regent.views.iam_entities

_account := {"resourceType": "AWS::::Account", "resourceId": "123456789012", "awsAccountId": "123456789012", "awsRegion": "global"}

_support := "arn:aws:iam::aws:policy/AWSSupportAccess"

_inventory := {"AWS::IAM::User": {"123456789012": {"global": {"AIDA4EXAMPLE0000000701": {
	"resourceType": "AWS::IAM::User", "resourceId": "AIDA4EXAMPLE0000000701",
	"configuration": {"userName": "support.engineer", "groupList": null, "attachedManagedPolicies": [{"policyName": "AWSSupportAccess", "policyArn": _support}]},
}}}}}

# The iam_entities view as a run publishes it for _inventory.
_view := view if {
	view := iam_entities.by_account with data.inventory as _inventory
}

test_user_counts_for_any if {
	v := iam_18.violation with input as _account with data.inventory as _inventory with data.views.iam_entities.by_account as _view
		with data.parameters as {"IAM.18": {"policyARN": _support, "policyUsageType": "any"}}
	count(v) == 0
}

test_user_does_not_count_when_roles_required if {
	v := iam_18.violation with input as _account with data.inventory as _inventory with data.views.iam_entities.by_account as _view
		with data.parameters as {"IAM.18": {"policyARN": _support, "policyUsageType": "IAM_ROLE"}}
	v == {"arn:aws:iam::aws:policy/AWSSupportAccess is not attached to an IAM role with a trusted entity in account 123456789012"}
}

test_blank_usage_type_means_any if {
	v := iam_18.violation with input as _account with data.inventory as _inventory with data.views.iam_entities.by_account as _view
		with data.parameters as {"IAM.18": {"policyARN": _support, "policyUsageType": ""}}
	count(v) == 0
}

test_unknown_usage_type_is_reported if {
	v := iam_18.violation with input as _account with data.inventory as _inventory with data.views.iam_entities.by_account as _view
		with data.parameters as {"IAM.18": {"policyARN": _support, "policyUsageType": "IAM_ROBOT"}}
	v == {"arn:aws:iam::aws:policy/AWSSupportAccess is not attached to an entity of type IAM_ROBOT in account 123456789012"}
}
