package regent.s3_17_test

import data.regent.s3_17

_key := "arn:aws:kms:eu-west-1:111122223333:key/3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"

_bucket(key) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-payroll", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-payroll"},
	"supplementaryConfiguration": {"ServerSideEncryptionConfiguration": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyID": key}}]}},
}

test_kms_key_arns if {
	count(s3_17.violation) == 0 with input as _bucket(_key) with data.parameters as {"S3.17": {"kmsKeyArns": [_key]}}
	count(s3_17.violation) == 0 with input as _bucket(_key) with data.parameters as {"S3.17": {"kmsKeyArns": "other, 3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"}}
	s3_17.violation == {"bucket default encryption uses KMS key [null], not one of the allowed keys 3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"} with input as _bucket(null)
		with data.parameters as {"S3.17": {"kmsKeyArns": ["3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"]}}
}
