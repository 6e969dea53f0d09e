package regent.lib.kms_test

import data.regent.lib.kms

_arn := "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"

test_key_matches_arn_or_key_id if {
	kms.key_matches(_arn, _arn)
	kms.key_matches(_arn, "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
	kms.key_matches("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", _arn)
	not kms.key_matches(_arn, "ffffffff-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
	not kms.key_matches(_arn, "alias/aws/ebs")
	not kms.key_matches(null, _arn)
}
