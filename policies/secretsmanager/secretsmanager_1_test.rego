package regent.secretsmanager_1_test

import data.regent.secretsmanager_1

_secret(rules) := {
	"resourceType": "AWS::SecretsManager::Secret", "resourceId": "s", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"Name": "s", "RotationEnabled": true, "RotationRules": rules},
}

_max(days) := {"SecretsManager.1": {"maximumAllowedRotationFrequency": days}}

test_maximum_rotation_frequency if {
	count(secretsmanager_1.violation) == 0 with input as _secret({"AutomaticallyAfterDays": 30}) with data.parameters as _max(30)
	secretsmanager_1.violation == {"secret rotates every 120 days, more than the allowed 90 days"} with input as _secret({"AutomaticallyAfterDays": "120"})
		with data.parameters as _max("90")
	secretsmanager_1.violation == {"secret rotates every 45 days, more than the allowed 30 days"} with input as _secret({"ScheduleExpression": "rate(45 days)"})
		with data.parameters as _max(30)
	count(secretsmanager_1.violation) == 0 with input as _secret({"ScheduleExpression": "rate(4 hours)"}) with data.parameters as _max(1)
	count(secretsmanager_1.violation) == 0 with input as _secret({"ScheduleExpression": "cron(0 16 1,15 * ? *)"}) with data.parameters as _max(1)
	count(secretsmanager_1.violation) == 0 with input as _secret(null) with data.parameters as _max(1)
}
