package regent.ssm_1_test

import data.regent.ssm_1

_instance := {
	"resourceType": "AWS::EC2::Instance", "resourceId": "i-0a1b2c3d4e5f60718",
	"awsAccountId": "123456789012", "awsRegion": "us-east-1",
	"configuration": {"instanceId": "i-0a1b2c3d4e5f60718", "state": {"code": 16, "name": "running"}},
	"relationships": [],
}

_inventory(info) := {"AWS::SSM::ManagedInstanceInventory": {"123456789012": {"us-east-1": {"i-0a1b2c3d4e5f60718": {
	"resourceType": "AWS::SSM::ManagedInstanceInventory", "resourceId": "i-0a1b2c3d4e5f60718",
	"configuration": {"AWS:InstanceInformation": info}, "supplementaryConfiguration": {}, "relationships": [],
}}}}}

test_content_as_list_of_entries if {
	v := ssm_1.violation with input as _instance
		with data.inventory as _inventory({"Content": [{"InstanceId": "i-0a1b2c3d4e5f60718", "InstanceStatus": "Terminated"}]})
	v == {"instance is running but its Systems Manager inventory reports instance status \"Terminated\" (SSM Agent not reporting)"}
}

test_content_as_single_entry if {
	v := ssm_1.violation with input as _instance
		with data.inventory as _inventory({"Content": {"InstanceId": "i-0a1b2c3d4e5f60718", "InstanceStatus": "Stopped"}})
	count(v) == 1
}

test_unreadable_content_still_counts_as_managed if {
	v := ssm_1.violation with input as _instance
		with data.inventory as _inventory({"Content": "unavailable"})
	count(v) == 0
}

test_pending_instance_not_applicable if {
	not ssm_1.applicable with input as object.union(_instance, {"configuration": {"state": {"code": 0, "name": "pending"}}})
}
