package regent.s3_15_test

import data.regent.s3_15

_bucket(lock) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-audit", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-audit"},
	"supplementaryConfiguration": {"ObjectLockConfiguration": lock},
}

test_mode_parameter if {
	lock := {"objectLockEnabled": "Enabled", "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 30}}}
	count(s3_15.violation) == 0 with input as _bucket(lock) with data.parameters as {"S3.15": {"mode": "governance"}}
	s3_15.violation == {"Object Lock default retention mode is GOVERNANCE, not the required COMPLIANCE"} with input as _bucket(lock)
		with data.parameters as {"S3.15": {"mode": "COMPLIANCE"}}
	s3_15.violation == {"Object Lock default retention mode is null, not the required COMPLIANCE"} with input as _bucket({"objectLockEnabled": "Enabled"})
		with data.parameters as {"S3.15": {"mode": "COMPLIANCE"}}
}
