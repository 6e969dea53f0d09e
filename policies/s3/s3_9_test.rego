package regent.s3_9_test

import data.regent.s3_9

_bucket(dest, prefix) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-web", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-web"},
	"supplementaryConfiguration": {"BucketLoggingConfiguration": {"destinationBucketName": dest, "logFilePrefix": prefix}},
}

_params(bucket, prefix) := {"S3.9": {"targetBucket": bucket, "targetPrefix": prefix}}

test_target_bucket_and_prefix_match if {
	count(s3_9.violation) == 0 with input as _bucket("acme-logs", "web/") with data.parameters as _params("acme-logs", "web/")
}

test_wrong_target_bucket if {
	s3_9.violation == {"access logs go to bucket other-logs, not the required acme-logs"} with input as _bucket("other-logs", "web/")
		with data.parameters as _params("acme-logs", null)
}

test_wrong_prefix if {
	s3_9.violation == {"access log prefix is , not the required web/"} with input as _bucket("acme-logs", "")
		with data.parameters as _params(null, "web/")
}

test_blank_parameters_accept_any if {
	count(s3_9.violation) == 0 with input as _bucket("acme-logs", "x/") with data.parameters as _params(" ", "")
}
