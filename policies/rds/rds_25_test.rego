package regent.rds_25_test

import data.regent.rds_25

_instance(user) := {"resourceType": "AWS::RDS::DBInstance", "configuration": {"engine": "mysql", "masterUsername": user}}

test_valid_admin_user_names if {
	count(rds_25.violation) == 0 with input as _instance("inventory_owner") with data.parameters as {"RDS.25": {"validAdminUserNames": "inventory_owner"}}
	rds_25.violation == {"DB instance administrator username root (masterUsername) is not one of validAdminUserNames (inventory_owner)"} with input as _instance("root")
		with data.parameters as {"RDS.25": {"validAdminUserNames": ["inventory_owner"]}}
}

test_missing_username_not_in_list if {
	rds_25.violation == {"DB instance administrator username not set (masterUsername) is not one of validAdminUserNames (inventory_owner)"} with input as {"resourceType": "AWS::RDS::DBInstance", "configuration": {"engine": "mysql"}}
		with data.parameters as {"RDS.25": {"validAdminUserNames": ["inventory_owner"]}}
}
