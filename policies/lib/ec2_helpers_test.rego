package regent.lib.ec2_helpers_test

import data.regent.lib.ec2_helpers
import data.regent.lib.values

test_get_and_array_never_fail if {
	ec2_helpers.get({"a": 1}, "a") == 1
	ec2_helpers.get({"a": 1}, "b") == null
	ec2_helpers.get(null, "a") == null
	ec2_helpers.get(ec2_helpers.get(null, "a"), "b") == null
	ec2_helpers.array([1]) == [1]
	ec2_helpers.array(null) == []
	ec2_helpers.array("x") == []
}

test_text_reads_plain_and_wrapped_strings if {
	ec2_helpers.text("available") == "available"
	ec2_helpers.text({"value": "available"}) == "available"
	not ec2_helpers.text("")
	not ec2_helpers.text(null)
	not ec2_helpers.text({"value": 5})
	ec2_helpers.texts(["us-east-1a", {"value": "us-east-1b"}, "", null]) == ["us-east-1a", "us-east-1b"]
	ec2_helpers.texts(null) == []
	ec2_helpers.lower_text({"value": "Available"}) == "available"
}

test_csv_reads_lists_and_strings if {
	ec2_helpers.csv("80, 443,,") == ["80", "443"]
	ec2_helpers.csv([80, " 443 "]) == ["80", "443"]
	ec2_helpers.csv(null) == []
	ec2_helpers.csv("") == []
	ec2_helpers.csv(5) == []
}

test_port_ranges if {
	ec2_helpers.port_ranges("80,443,1020-1025") == [[80, 80], [443, 443], [1020, 1025]]
	ec2_helpers.port_ranges([80, "443"]) == [[80, 80], [443, 443]]
	ec2_helpers.port_ranges("abc, 5-3, 1-2-3") == []
	ec2_helpers.port_ranges(null) == []
}

test_range_covered if {
	ranges := [[80, 80], [443, 443], [1000, 2000], [2001, 3000]]
	ec2_helpers.range_covered(80, 80, ranges)
	ec2_helpers.range_covered(1000, 3000, ranges)
	ec2_helpers.range_covered(1500, 2500, ranges)
	not ec2_helpers.range_covered(80, 443, ranges)
	ec2_helpers.uncovered_ports(80, 443, ranges) == [81]
	ec2_helpers.uncovered_ports(0, 65535, []) == [0]
	ec2_helpers.uncovered_ports(999, 3000, ranges) == [999]
	ec2_helpers.uncovered_ports(1000, 3001, ranges) == [3001]
	not ec2_helpers.range_covered(22, 22, [])
}

test_instance_public_ips_scans_every_interface if {
	conf := {"networkInterfaces": [
		{"association": null, "privateIpAddresses": [{"association": null}]},
		{
			"association": {"publicIp": "3.3.3.3"},
			"privateIpAddresses": [{"association": {"publicIp": "3.3.3.3"}}, {"association": {"publicIp": "4.4.4.4"}}],
		},
	]}
	ec2_helpers.instance_public_ips(conf) == {"3.3.3.3", "4.4.4.4"}
	ec2_helpers.instance_public_ips({"publicIpAddress": "5.5.5.5"}) == {"5.5.5.5"}
	ec2_helpers.instance_public_ips({"publicIpAddress": null, "networkInterfaces": null}) == set()
	ec2_helpers.instance_public_ips(null) == set()
}

test_relationship_ids if {
	ci := {"relationships": [
		{"resourceType": "AWS::EC2::Subnet", "resourceId": "subnet-1"},
		{"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-1"},
		{"resourceType": "AWS::EC2::Subnet", "resourceName": "x"},
	]}
	ec2_helpers.relationship_ids(ci, "AWS::EC2::Subnet") == {"subnet-1"}
	ec2_helpers.relationship_ids({}, "AWS::EC2::Subnet") == set()
}

test_nacl_protocol_and_ports if {
	ec2_helpers.nacl_protocol({"protocol": "6"}) == "tcp"
	ec2_helpers.nacl_protocol({"protocol": 17}) == "udp"
	ec2_helpers.nacl_protocol({"protocol": "-1"}) == "-1"
	ec2_helpers.nacl_protocol({"protocol": "50"}) == "50"
	ec2_helpers.nacl_port_range({"portRange": {"from": 20, "to": "23"}}) == [20, 23]
	ec2_helpers.nacl_port_range({"portRange": null}) == [0, 65535]
	ec2_helpers.nacl_port_range({}) == [0, 65535]
	ec2_helpers.nacl_port_range({"portRange": {"from": 22}}) == [0, 65535]
}

# nacl_port_range reads each port once (one definition and an else branch); the two
# definitions it replaced read them twice. Both give the same range for every shape.
_reference_nacl_port_range(entry) := [from, to] if {
	from := values.number(entry.portRange.from)
	to := values.number(entry.portRange.to)
}

_reference_nacl_port_range(entry) := [0, 65535] if not _reference_has_ports(entry)

_reference_has_ports(entry) if {
	values.number(entry.portRange.from)
	values.number(entry.portRange.to)
}

test_nacl_port_range_names_each_case if {
	ec2_helpers.nacl_port_range({"portRange": {"from": 3389, "to": 3389}}) == [3389, 3389]
	ec2_helpers.nacl_port_range({"portRange": {"from": " 20", "to": "23"}}) == [20, 23]
	ec2_helpers.nacl_port_range({"portRange": {"from": "x", "to": 23}}) == [0, 65535]
	ec2_helpers.nacl_port_range({"portRange": {"to": 23}}) == [0, 65535]
	ec2_helpers.nacl_port_range({"portRange": {"from": null, "to": null}}) == [0, 65535]
	ec2_helpers.nacl_port_range("not an object") == [0, 65535]
}

test_nacl_port_range_gives_what_the_two_definitions_gave if {
	every entry in [
		{}, {"portRange": null}, {"portRange": {"from": 22, "to": 22}}, {"portRange": {"from": "0", "to": "65535"}},
		{"portRange": {"from": 22}}, {"portRange": {"from": "x", "to": 5}}, {"portRange": {"from": 3389, "to": 22}},
		{"portRange": "22-23"}, "not an object", null,
	] {
		ec2_helpers.nacl_port_range(entry) == _reference_nacl_port_range(entry)
	}
}
