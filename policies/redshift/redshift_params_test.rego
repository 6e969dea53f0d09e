package regent.redshift_params_test

import data.regent.redshift_10
import data.regent.redshift_3
import data.regent.redshift_6
import data.regent.redshift_8
import data.regent.redshift_9

_cluster(conf) := {"resourceType": "AWS::Redshift::Cluster", "configuration": conf}

test_redshift_3_max_retention if {
	redshift_3.violation == {"automated snapshots are kept for 35 day(s), more than the allowed 14 (automatedSnapshotRetentionPeriod)"} with input as _cluster({"automatedSnapshotRetentionPeriod": 35})
		with data.parameters as {"Redshift.3": {"MinRetentionPeriod": 7, "MaxRetentionPeriod": 14}}
	count(redshift_3.violation) == 0 with input as _cluster({"automatedSnapshotRetentionPeriod": 14})
		with data.parameters as {"Redshift.3": {"MinRetentionPeriod": 7, "MaxRetentionPeriod": "14"}}
}

test_redshift_6_parameter_false if {
	redshift_6.violation == {"automatic major version upgrades are enabled although the allowVersionUpgrade parameter is false (allowVersionUpgrade is true)"} with input as _cluster({"allowVersionUpgrade": true})
		with data.parameters as {"Redshift.6": {"allowVersionUpgrade": false}}
	count(redshift_6.violation) == 0 with input as _cluster({"allowVersionUpgrade": false})
		with data.parameters as {"Redshift.6": {"allowVersionUpgrade": "false"}}
}

test_redshift_8_valid_admin_user_names if {
	count(redshift_8.violation) == 0 with input as _cluster({"masterUsername": "analytics_owner"})
		with data.parameters as {"Redshift.8": {"validAdminUserNames": "analytics_owner,etl_owner"}}
	redshift_8.violation == {"Redshift cluster administrator username root (masterUsername) is not one of validAdminUserNames (analytics_owner, etl_owner)"} with input as _cluster({"masterUsername": "root"})
		with data.parameters as {"Redshift.8": {"validAdminUserNames": ["analytics_owner", "etl_owner"]}}
}

test_redshift_9_valid_database_names if {
	count(redshift_9.violation) == 0 with input as _cluster({"dBName": "analytics"})
		with data.parameters as {"Redshift.9": {"validDatabaseNames": ["analytics"]}}
	redshift_9.violation == {"Redshift cluster database name sales (dBName) is not one of validDatabaseNames (analytics)"} with input as _cluster({"dBName": "sales"})
		with data.parameters as {"Redshift.9": {"validDatabaseNames": "analytics"}}
}

test_redshift_10_kms_key_arns if {
	key := "arn:aws:kms:us-east-1:123456789012:key/7c1e4b2a-93d5-4f0e-b6a8-2d9c5e1f3a47"
	count(redshift_10.violation) == 0 with input as _cluster({"encrypted": true, "kmsKeyId": key})
		with data.parameters as {"Redshift.10": {"kmsKeyArns": ["arn:aws:kms:us-east-1:123456789012:key/other", key]}}
	count(redshift_10.violation) == 0 with input as _cluster({"encrypted": true, "kmsKeyId": key})
		with data.parameters as {"Redshift.10": {"kmsKeyArns": "7c1e4b2a-93d5-4f0e-b6a8-2d9c5e1f3a47"}}
	redshift_10.violation == {"Redshift cluster is encrypted with KMS key not set, not one of kmsKeyArns (arn:aws:kms:us-east-1:123456789012:key/other)"} with input as _cluster({"encrypted": true})
		with data.parameters as {"Redshift.10": {"kmsKeyArns": "arn:aws:kms:us-east-1:123456789012:key/other"}}
}
