package regent.secretsmanager_2_test

import data.regent.secretsmanager_2

_secret(last) := {
	"resourceType": "AWS::SecretsManager::Secret", "resourceId": "s", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"Name": "s", "RotationEnabled": "true", "RotationRules": {"AutomaticallyAfterDays": 30}, "LastRotatedDate": last},
}

_ctx := {"as_of": "2026-10-30T08:15:02.311Z", "as_of_ns": 1761812102311000000}

# LastRotatedDate recorded as epoch milliseconds or seconds.
test_epoch_last_rotated_date if {
	count(secretsmanager_2.violation) == 1 with input as _secret(1755658329000) with data.context as _ctx
	count(secretsmanager_2.violation) == 1 with input as _secret(1755658329) with data.context as _ctx
	count(secretsmanager_2.violation) == 0 with input as _secret(1760930000) with data.context as _ctx
	count(secretsmanager_2.violation) == 0 with input as _secret(null) with data.context as _ctx
}
