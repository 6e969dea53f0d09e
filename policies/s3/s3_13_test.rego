package regent.s3_13_test

import data.regent.s3_13

_rule(status, exp, transitions) := {"id": "r", "status": status, "expirationInDays": exp, "transitions": transitions}

_bucket(rules) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-data", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-data"},
	"supplementaryConfiguration": {"BucketLifecycleConfiguration": {"rules": rules}},
}

_params(days, class, exp) := {"S3.13": {"targetTransitionDays": days, "targetTransitionStorageClass": class, "targetExpirationDays": exp}}

test_matching_rule if {
	rules := [_rule("Enabled", 365, [{"days": 30, "storageClass": "INTELLIGENT_TIERING"}])]
	count(s3_13.violation) == 0 with input as _bucket(rules) with data.parameters as _params(30, "intelligent_tiering", "365")
	count(s3_13.violation) == 0 with input as _bucket(rules) with data.parameters as _params(null, "INTELLIGENT_TIERING", null)
	count(s3_13.violation) == 0 with input as _bucket(rules) with data.parameters as _params("30", null, null)
}

test_no_rule_matches if {
	rules := [
		_rule("Enabled", null, [{"days": 30, "storageClass": "GLACIER"}]),
		_rule("Disabled", 365, [{"days": 30, "storageClass": "INTELLIGENT_TIERING"}]),
		_rule("Enabled", 90, null),
	]
	s3_13.violation == {"no enabled lifecycle rule matches the required settings (transition after 30 days, transition to INTELLIGENT_TIERING, expiration after 365 days)"} with input as _bucket(rules)
		with data.parameters as _params(30, "INTELLIGENT_TIERING", 365)
}
