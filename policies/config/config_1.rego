package regent.config_1

import data.regent.lib.values

metadata := {
	"id": "Config.1",
	"title": "AWS Config should be enabled and use the service-linked role for resource recording",
	"description": "Account-level, per region, from AWS::Config::ConfigurationRecorder CIs (the control only runs for regions with recorded CIs, which shows Config ran there). NON_COMPLIANT when the region has no recorder CI (a recorder of all supported types records itself, so none means Config is off or records only some types), or when no recorder of the region has all of: Recording not false (missing is accepted: live status needs DescribeConfigurationRecorderStatus), RecordingGroup.AllSupported true (stands in for 'records every type the enabled controls need'), and, while includeConfigServiceLinkedRoleCheck is true, RoleARN = the service-linked role aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig. Also NON_COMPLIANT when no recorder in any region of the account has RecordingGroup.IncludeGlobalResourceTypes true (IAM must be recorded in one region; the home region is unknown). Region \"global\" is NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::::Account"],
	"requires": ["AWS::Config::ConfigurationRecorder"],
	# No recorder, or none that qualifies, among those recorded: one may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Config.1"],
		"cis-aws-foundations-benchmark/v1.2.0": ["2.5"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.5"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.3"],
	},
	"parameters": {
		"includeConfigServiceLinkedRoleCheck": {
			"default": true,
			"description": "When false, the recorder's role is not checked against the service-linked role AWSServiceRoleForConfig.",
			"type": "boolean",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableAWSConfig",
		"parameters": {
			"SNSTopicName": "SO0111-ASR-AWSConfigNotification",
			"KMSKeyArn": "{{settings.remediation_kms_key_arn}}",
			"AWSServiceRoleForConfig": "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive, but recording every resource type is billed per configuration item.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_type := "AWS::Config::ConfigurationRecorder"

default applicable := true

applicable := false if input.awsRegion == "global"

_recorders := [ci |
	some id
	ci := data.inventory[_type][input.awsAccountId][input.awsRegion][id]
	is_object(ci.configuration)
]

_account_recorders := [ci |
	some region, id
	ci := data.inventory[_type][input.awsAccountId][region][id]
	is_object(ci.configuration)
]

_check_role if not values.is_false(data.parameters["Config.1"].includeConfigServiceLinkedRoleCheck)

_name(ci) := ci.configuration.Name if is_string(ci.configuration.Name)

_name(ci) := ci.resourceId if not is_string(ci.configuration.Name)

_group(ci) := ci.configuration.RecordingGroup if is_object(ci.configuration.RecordingGroup)

_group(ci) := {} if not is_object(ci.configuration.RecordingGroup)

_service_linked_role(arn) if {
	is_string(arn)
	regex.match(`^arn:[a-z-]+:iam::[0-9]{12}:role/aws-service-role/config\.amazonaws\.com/AWSServiceRoleForConfig$`, arn)
}

# Reasons why one recorder does not satisfy the control.
_problems(ci) := (_stopped(ci) | _partial(ci)) | _wrong_role(ci)

_stopped(ci) := {sprintf("recorder %s is stopped (Recording is %v)", [_name(ci), ci.configuration.Recording]) |
	values.is_false(ci.configuration.Recording)
}

_partial(ci) := {msg |
	not values.is_true(_group(ci).AllSupported)
	msg := sprintf("recorder %s does not record all supported resource types (RecordingGroup.AllSupported is %v)", [_name(ci), values.show(_group(ci), "AllSupported")])
}

_wrong_role(ci) := {msg |
	_check_role
	not _service_linked_role(ci.configuration.RoleARN)
	msg := sprintf("recorder %s uses role %v, not the service-linked role AWSServiceRoleForConfig", [_name(ci), values.show(ci.configuration, "RoleARN")])
}

_good(ci) if count(_problems(ci)) == 0

violation contains msg if {
	count(_recorders) == 0
	msg := sprintf("no AWS::Config::ConfigurationRecorder is recorded in %s: AWS Config is not enabled there or does not record all supported resource types", [input.awsRegion])
}

violation contains msg if {
	count(_recorders) > 0
	count([ci | some ci in _recorders; _good(ci)]) == 0
	some ci in _recorders
	some msg in _problems(ci)
}

violation contains msg if {
	count(_recorders) > 0
	count([ci | some ci in _account_recorders; values.is_true(_group(ci).IncludeGlobalResourceTypes)]) == 0
	msg := sprintf("no configuration recorder in account %s records global IAM resources (RecordingGroup.IncludeGlobalResourceTypes is not true in any region)", [input.awsAccountId])
}
