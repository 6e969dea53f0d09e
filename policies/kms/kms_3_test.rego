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

test_deletion_date_is_shown_as_rfc3339 if {
	epoch_ms := object.union(_key, {"configuration": {"keyState": "PendingDeletion", "deletionDate": 1795918072000}})
	kms_3.violation == {"KMS key is scheduled for deletion (keyState PendingDeletion, deletionDate 2026-11-29T02:07:52Z)"} with input as epoch_ms
	text := object.union(_key, {"configuration": {"keyState": "PendingDeletion", "deletionDate": "2026-11-29T02:07:52.000Z"}})
	kms_3.violation == {"KMS key is scheduled for deletion (keyState PendingDeletion, deletionDate 2026-11-29T02:07:52Z)"} with input as text
	odd := object.union(_key, {"configuration": {"keyState": "PendingDeletion", "deletionDate": "next week"}})
	kms_3.violation == {"KMS key is scheduled for deletion (keyState PendingDeletion, deletionDate next week)"} with input as odd
}
