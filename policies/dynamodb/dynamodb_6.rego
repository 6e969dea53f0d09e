package regent.dynamodb_6

import data.regent.lib.values

metadata := {
	"id": "DynamoDB.6",
	"title": "DynamoDB tables should have deletion protection enabled",
	"description": "Checks configuration.deletionProtectionEnabled of a DynamoDB table (DescribeTable's DeletionProtectionEnabled, recorded in camelCase): COMPLIANT only when it is true (\"true\"/\"True\" strings count). NON_COMPLIANT when it is false, \"false\", null or missing; CIs captured before DynamoDB added the flag do not carry it and are treated as not protected.",
	"severity": "medium",
	"resource_types": ["AWS::DynamoDB::Table"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["DynamoDB.6"],
	},
	"config_rule": "DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableDynamoDBDeletionProtection",
		"parameters": {
			"ResourceArn": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Protective and reversible, no cost, no effect on reads or writes.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration if is_object(input.configuration)

_conf := {} if not is_object(input.configuration)

violation contains msg if {
	not values.is_true(_conf.deletionProtectionEnabled)
	msg := sprintf("deletion protection is not enabled (deletionProtectionEnabled is %v)", [values.show(_conf, "deletionProtectionEnabled")])
}
