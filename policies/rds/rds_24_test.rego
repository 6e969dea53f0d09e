package regent.rds_24_test

import data.regent.rds_24

_cluster(user) := {"resourceType": "AWS::RDS::DBCluster", "configuration": {"engine": "aurora-postgresql", "masterUsername": user}}

test_valid_admin_user_names if {
	count(rds_24.violation) == 0 with input as _cluster("ledger_owner") with data.parameters as {"RDS.24": {"validAdminUserNames": "ledger_owner, payments_owner"}}
	rds_24.violation == {"DB cluster administrator username dba (masterUsername) is not one of validAdminUserNames (ledger_owner, payments_owner)"} with input as _cluster("dba")
		with data.parameters as {"RDS.24": {"validAdminUserNames": ["ledger_owner", "payments_owner"]}}
}

test_default_name_reported_once_with_list if {
	rds_24.violation == {`DB cluster uses the default administrator username "postgres" (masterUsername)`} with input as _cluster("postgres")
		with data.parameters as {"RDS.24": {"validAdminUserNames": "postgres,dba"}}
}
