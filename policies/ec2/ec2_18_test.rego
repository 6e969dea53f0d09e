package regent.ec2_18_test

import data.regent.ec2_18

# _range is one definition with an else branch: the rule's ports, or 0-65535 when either is
# missing, null or not a number.
test_range_is_the_ports_or_every_port if {
	ec2_18._range({"fromPort": 22, "toPort": "23"}) == [22, 23]
	ec2_18._range({"fromPort": 22}) == [0, 65535]
	ec2_18._range({"fromPort": null, "toPort": null}) == [0, 65535]
	ec2_18._range({"fromPort": "x", "toPort": 22}) == [0, 65535]
	ec2_18._range({}) == [0, 65535]
}

# The description and the first unauthorized port are worked out once per rule and named for
# every world CIDR of it.
test_one_message_per_world_cidr if {
	perm := {"ipProtocol": "6", "fromPort": 80, "toPort": 8080, "ipRanges": ["0.0.0.0/0"], "ipv6Ranges": [{"cidrIpv6": "::/0"}]}
	ec2_18.violation == {
		"ingress tcp 80-8080 from 0.0.0.0/0 includes unauthorized tcp port 81",
		"ingress tcp 80-8080 from ::/0 includes unauthorized tcp port 81",
	} with input as {"configuration": {"ipPermissions": [perm]}}
		with data.views.security_group_ports.ec2_18_authorized as {"tcp": [[80, 80], [443, 443]], "udp": []}
}

test_rules_without_ports_count_as_every_port if {
	perm := {"ipProtocol": "udp", "ipRanges": ["0.0.0.0/0"]}
	ec2_18.violation == {"ingress udp (no ports recorded) from 0.0.0.0/0 includes unauthorized udp port 0"} with input as {"configuration": {"ipPermissions": [perm]}}
		with data.views.security_group_ports.ec2_18_authorized as {"tcp": [], "udp": [[1, 65535]]}
}
