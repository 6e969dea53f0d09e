package regent.dynamodb_2

metadata := {
	"id": "DynamoDB.2",
	"title": "DynamoDB tables should have point-in-time recovery enabled",
	"description": "Checks supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus of a DynamoDB table: COMPLIANT only when it is \"ENABLED\" (any letter case). NON_COMPLIANT when it is \"DISABLED\" (or any other value), or when the ContinuousBackupsDescription supplementary item or its pointInTimeRecoveryDescription is missing (not configured). continuousBackupsStatus alone (on-demand backups) does not count.",
	"severity": "medium",
	"resource_types": ["AWS::DynamoDB::Table"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["DynamoDB.2"],
	},
	"config_rule": "DYNAMODB_PITR_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnablePITRForDynamoDbTable",
		"parameters": {
			"TableName": "{{configuration.tableName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive, but point-in-time recovery is billed per GB of table size every month.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_backups := input.supplementaryConfiguration.ContinuousBackupsDescription

_status := _backups.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus

violation contains msg if {
	is_string(_status)
	upper(_status) != "ENABLED"
	msg := sprintf("point-in-time recovery is not enabled (pointInTimeRecoveryStatus is %q)", [_status])
}

violation contains "point-in-time recovery is not configured (no ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus recorded)" if {
	not is_string(_status)
}
