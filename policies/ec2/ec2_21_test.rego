package regent.ec2_21_test

import data.regent.ec2_21

# The protocol and port range of an entry are read once and passed to _reached and _describe,
# each one definition with else branches.
test_reached_ports_by_protocol if {
	ec2_21._reached("-1", 0, 65535) == [22, 3389]
	ec2_21._reached("tcp", 0, 65535) == [22, 3389]
	ec2_21._reached("udp", 22, 3388) == [22]
	ec2_21._reached("tcp", 3389, 3389) == [3389]
	ec2_21._reached("tcp", 23, 3388) == []
	ec2_21._reached("icmp", 0, 65535) == []
}

test_describe_each_case if {
	ec2_21._describe("-1", 0, 65535) == "all traffic"
	ec2_21._describe("tcp", 22, 22) == "tcp 22"
	ec2_21._describe("udp", 0, 65535) == "udp 0-65535"
	ec2_21._noun(1) == "port"
	ec2_21._noun(2) == "ports"
	not ec2_21._noun(0)
}

test_one_message_per_world_source if {
	entry := {"ruleNumber": 100, "egress": false, "ruleAction": "allow", "protocol": "6", "portRange": {"from": "20", "to": 3389}, "cidrBlock": "0.0.0.0/0", "ipv6CidrBlock": "::/0"}
	no_ports := {"ruleNumber": 110, "egress": "false", "ruleAction": "ALLOW", "protocol": "17", "cidrBlock": "0.0.0.0/0"}
	ec2_21.violation == {
		"inbound entry 100 allows tcp 20-3389 from 0.0.0.0/0 to ports 22 and 3389",
		"inbound entry 100 allows tcp 20-3389 from ::/0 to ports 22 and 3389",
		"inbound entry 110 allows udp 0-65535 from 0.0.0.0/0 to ports 22 and 3389",
	} with input as {"configuration": {"entries": [entry, no_ports]}}
}
