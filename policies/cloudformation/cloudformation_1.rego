package regent.cloudformation_1

metadata := {
	"id": "CloudFormation.1",
	"title": "CloudFormation stacks should be integrated with Simple Notification Service (SNS)",
	"description": "Checks that a CloudFormation stack sends its events to SNS: NON_COMPLIANT when configuration.notificationARNs is empty, null or missing. When any of the parameters snsTopic1..snsTopic5 is set to a topic ARN, every topic so named must also be in notificationARNs; the reason lists the missing ones.",
	"severity": "low",
	"resource_types": ["AWS::CloudFormation::Stack"],
	"requires": [],
	"standards": {},
	"config_rule": "CLOUDFORMATION_STACK_NOTIFICATION_CHECK",
	"parameters": {
		"snsTopic1": {"default": null, "description": "ARN of an SNS topic the stack must notify (optional).", "type": "string"},
		"snsTopic2": {"default": null, "description": "ARN of an SNS topic the stack must notify (optional).", "type": "string"},
		"snsTopic3": {"default": null, "description": "ARN of an SNS topic the stack must notify (optional).", "type": "string"},
		"snsTopic4": {"default": null, "description": "ARN of an SNS topic the stack must notify (optional).", "type": "string"},
		"snsTopic5": {"default": null, "description": "ARN of an SNS topic the stack must notify (optional).", "type": "string"},
	},
	"remediation": {
		"runbook": "ASR-ConfigureSNSTopicForStack",
		"parameters": {
			"StackArn": "{{ARN}}",
			"TopicName": "SO0111-ASR-CloudFormationNotifications",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Adding a notification ARN runs a stack update.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_listed := input.configuration.notificationARNs if is_array(input.configuration.notificationARNs)

_listed := [] if not is_array(input.configuration.notificationARNs)

_arns := {a | some a in _listed; is_string(a); trim_space(a) != ""}

_required := {trim_space(t) |
	some name in ["snsTopic1", "snsTopic2", "snsTopic3", "snsTopic4", "snsTopic5"]
	t := data.parameters["CloudFormation.1"][name]
	is_string(t)
	trim_space(t) != ""
}

violation contains "stack sends no event notifications to SNS (notificationARNs is empty)" if {
	count(_arns) == 0
}

violation contains msg if {
	count(_arns) > 0
	missing := _required - _arns
	count(missing) > 0
	msg := sprintf("stack does not notify the required SNS topic(s) %s (notificationARNs: %s)", [
		concat(", ", sort(missing)),
		concat(", ", sort(_arns)),
	])
}
