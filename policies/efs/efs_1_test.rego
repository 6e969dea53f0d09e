package regent.efs_1_test

import data.regent.efs_1

_key := "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"

_fs(conf) := {"resourceType": "AWS::EFS::FileSystem", "resourceId": "fs-0a1b2c3d4e5f60718", "configuration": conf}

test_required_key_given_as_key_id_matches_arn if {
	count(efs_1.violation) == 0 with input as _fs({"Encrypted": true, "KmsKeyId": _key})
		with data.parameters as {"EFS.1": {"KmsKeyId": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}}
}

test_other_key_is_flagged if {
	v := efs_1.violation with input as _fs({"Encrypted": "true", "KmsKeyId": _key})
		with data.parameters as {"EFS.1": {"KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/ffffffff-5e6f-4a7b-8c9d-0e1f2a3b4c5d"}}
	v == {sprintf("file system is encrypted with KMS key %s, not the required key arn:aws:kms:us-east-1:123456789012:key/ffffffff-5e6f-4a7b-8c9d-0e1f2a3b4c5d", [_key])}
}

test_blank_parameter_accepts_any_key if {
	count(efs_1.violation) == 0 with input as _fs({"Encrypted": true, "KmsKeyId": _key})
		with data.parameters as {"EFS.1": {"KmsKeyId": "  "}}
}

test_unencrypted_reports_only_encryption if {
	v := efs_1.violation with input as _fs({"Encrypted": false})
		with data.parameters as {"EFS.1": {"KmsKeyId": _key}}
	v == {"file system is not encrypted at rest (Encrypted is false)"}
}
