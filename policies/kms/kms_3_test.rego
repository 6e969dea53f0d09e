package regent.kms_3_test

import data.regent.kms_3

_key := {
	"resourceType": "AWS::KMS::Key", "resourceId": "3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"ARN": "arn:aws:kms:eu-west-1:111122223333:key/3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01",
	"configuration": {"keyId": "3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01", "keyState": "PendingDeletion"},
}

test_kms_key_ids_scope if {
	kms_3.applicable with input as _key with data.parameters as {"KMS.3": {"kmsKeyIds": "arn:aws:kms:eu-west-1:111122223333:key/3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"}}
	kms_3.applicable with input as _key with data.parameters as {"KMS.3": {"kmsKeyIds": ["other", "3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01"]}}
	not kms_3.applicable with input as _key with data.parameters as {"KMS.3": {"kmsKeyIds": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a"}}
	kms_3.violation == {"KMS key is scheduled for deletion (keyState PendingDeletion, deletionDate not recorded)"} with input as _key
}
