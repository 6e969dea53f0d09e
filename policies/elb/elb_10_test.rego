package regent.elb_10_test

import data.regent.elb_10

# Zones recorded as objects ({"zoneName": ...}) are counted as well as plain zone names.
test_zone_objects_are_counted if {
	count(elb_10.violation) == 0 with input as {"configuration": {"availabilityZones": [{"zoneName": "us-east-1a"}, "us-east-1b"]}}
		with data.parameters as {"ELB.10": {"minAvailabilityZones": 2}}
}

test_minimum_from_string_parameter if {
	count(elb_10.violation) == 1 with input as {"configuration": {"availabilityZones": ["us-east-1a", "us-east-1b"]}}
		with data.parameters as {"ELB.10": {"minAvailabilityZones": "3"}}
}
