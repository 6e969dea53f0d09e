package regent.config_1_test

import data.regent.config_1

_account := {"resourceType": "AWS::::Account", "resourceId": "123456789012", "awsAccountId": "123456789012", "awsRegion": "us-east-1"}

_recorder(conf) := {"AWS::Config::ConfigurationRecorder": {"123456789012": {"us-east-1": {"default": {
	"resourceType": "AWS::Config::ConfigurationRecorder", "resourceId": "default", "configuration": conf,
}}}}}

_custom_role := {
	"RoleARN": "arn:aws:iam::123456789012:role/config-recorder",
	"RecordingGroup": {"AllSupported": true, "IncludeGlobalResourceTypes": true},
}

test_role_not_checked_when_parameter_false if {
	v := config_1.violation with input as _account with data.inventory as _recorder(_custom_role)
		with data.parameters as {"Config.1": {"includeConfigServiceLinkedRoleCheck": false}}
	count(v) == 0
}

test_role_checked_by_default_and_unnamed_recorder_uses_resource_id if {
	v := config_1.violation with input as _account with data.inventory as _recorder(_custom_role)
		with data.parameters as {"Config.1": {"includeConfigServiceLinkedRoleCheck": true}}
	v == {"recorder default uses role arn:aws:iam::123456789012:role/config-recorder, not the service-linked role AWSServiceRoleForConfig"}
}

test_one_good_recorder_is_enough if {
	inv := {"AWS::Config::ConfigurationRecorder": {"123456789012": {"us-east-1": {
		"default": {"resourceId": "default", "configuration": {"Name": "default", "RoleARN": "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", "RecordingGroup": {"AllSupported": "true", "IncludeGlobalResourceTypes": "true"}, "Recording": "true"}},
		"partial": {"resourceId": "partial", "configuration": {"Name": "partial", "RecordingGroup": {"AllSupported": false}}},
	}}}}
	v := config_1.violation with input as _account with data.inventory as inv
		with data.parameters as {"Config.1": {"includeConfigServiceLinkedRoleCheck": true}}
	count(v) == 0
}
