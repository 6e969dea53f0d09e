package regent.cloudformation_1_test

import data.regent.cloudformation_1

_ops := "arn:aws:sns:us-east-1:123456789012:cfn-stack-events"

_oncall := "arn:aws:sns:us-east-1:123456789012:billing-oncall"

_stack(arns) := {"resourceType": "AWS::CloudFormation::Stack", "configuration": {"stackName": "orders-api", "notificationARNs": arns}}

test_required_topics_all_present if {
	count(cloudformation_1.violation) == 0 with input as _stack([_oncall, _ops])
		with data.parameters as {"CloudFormation.1": {"snsTopic1": _ops, "snsTopic2": null, "snsTopic3": "", "snsTopic4": _oncall, "snsTopic5": null}}
}

test_missing_required_topic_is_named if {
	v := cloudformation_1.violation with input as _stack([_ops])
		with data.parameters as {"CloudFormation.1": {"snsTopic1": _ops, "snsTopic2": _oncall}}
	v == {sprintf("stack does not notify the required SNS topic(s) %s (notificationARNs: %s)", [_oncall, _ops])}
}

test_no_topics_reports_empty_list_only if {
	v := cloudformation_1.violation with input as _stack(null)
		with data.parameters as {"CloudFormation.1": {"snsTopic1": _ops}}
	v == {"stack sends no event notifications to SNS (notificationARNs is empty)"}
}
