package regent.sns_2

metadata := {
	"id": "SNS.2",
	"title": "Logging of delivery status should be enabled for notification messages sent to a topic",
	"description": concat(" ", [
		"Checks that delivery status logging is configured for at least one protocol: one of the topic attributes HTTPSuccessFeedbackRoleArn, HTTPFailureFeedbackRoleArn, SQSSuccessFeedbackRoleArn, SQSFailureFeedbackRoleArn, LambdaSuccessFeedbackRoleArn, LambdaFailureFeedbackRoleArn, ApplicationSuccessFeedbackRoleArn, ApplicationFailureFeedbackRoleArn, FirehoseSuccessFeedbackRoleArn or FirehoseFailureFeedbackRoleArn in configuration must be a non-empty IAM role ARN.",
		"NON_COMPLIANT when none is set.",
		"Security Hub retired this control in April 2024; it is kept because the Automated Security Response solution still remediates it.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::SNS::Topic"],
	"requires": [],
	"standards": {},
	"config_rule": "SNS_TOPIC_MESSAGE_DELIVERY_NOTIFICATION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableDeliveryStatusLoggingForSNSTopic",
		"parameters": {
			"SNSTopicArn": "{{ARN}}",
			"LoggingRole": "arn:{{settings.partition}}:iam::{{awsAccountId}}:role/SO0111-SNS2DeliveryStatusLogging-remediationRole-{{settings.asr_namespace}}",
			"SampleRate": 0,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Only adds CloudWatch Logs delivery-status logging; message delivery is unchanged.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_attributes := [sprintf("%s%sFeedbackRoleArn", [protocol, outcome]) |
	some protocol in ["HTTP", "SQS", "Lambda", "Application", "Firehose"]
	some outcome in ["Success", "Failure"]
]

_logging_roles := [a |
	some a in _attributes
	role := input.configuration[a]
	is_string(role)
	trim_space(role) != ""
]

violation contains "delivery status logging is not configured for any protocol (no *SuccessFeedbackRoleArn or *FailureFeedbackRoleArn attribute set)" if {
	count(_logging_roles) == 0
}
