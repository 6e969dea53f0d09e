package regent.sns_1_test

import data.regent.sns_1

_topic(key) := {
	"resourceType": "AWS::SNS::Topic", "resourceId": "arn:aws:sns:eu-west-1:111122223333:t", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"TopicArn": "arn:aws:sns:eu-west-1:111122223333:t", "KmsMasterKeyId": key},
}

test_kms_key_ids if {
	key := "arn:aws:kms:eu-west-1:111122223333:key/3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"
	count(sns_1.violation) == 0 with input as _topic(key) with data.parameters as {"SNS.1": {"kmsKeyIds": "3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"}}
	count(sns_1.violation) == 0 with input as _topic("alias/aws/sns") with data.parameters as {"SNS.1": {"kmsKeyIds": ["alias/aws/sns"]}}
	sns_1.violation == {"topic is encrypted with alias/aws/sns, not one of the allowed keys 3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"} with input as _topic("alias/aws/sns")
		with data.parameters as {"SNS.1": {"kmsKeyIds": ["3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"]}}
}
