package regent.s3_14_test

import data.regent.s3_14

_bucket(status, mfa) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-docs", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-docs"},
	"supplementaryConfiguration": {"BucketVersioningConfiguration": {"status": status, "isMfaDeleteEnabled": mfa}},
}

test_mfa_delete_required if {
	s3_14.violation == {"MFA delete is not enabled on the bucket (isMfaDeleteEnabled is null)"} with input as _bucket("Enabled", null)
		with data.parameters as {"S3.14": {"isMfaDeleteEnabled": "true"}}
	count(s3_14.violation) == 0 with input as _bucket("Enabled", true) with data.parameters as {"S3.14": {"isMfaDeleteEnabled": true}}
	count(s3_14.violation) == 0 with input as _bucket("Enabled", null) with data.parameters as {"S3.14": {"isMfaDeleteEnabled": false}}
}
