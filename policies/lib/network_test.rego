package regent.lib.network_test

import data.regent.lib.network

test_cidrs_read_new_and_legacy_shapes if {
	perm := {
		"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
		"ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}], "ipRanges": ["10.0.0.0/8", "0.0.0.0/0"],
		"ipv6Ranges": [{"cidrIpv6": "::/0"}],
	}
	network.ipv4_cidrs(perm) == {"10.0.0.0/8", "0.0.0.0/0"}
	network.ipv6_cidrs(perm) == {"::/0"}
	network.cidrs({"ipProtocol": "-1", "ipRanges": null}) == set()
}

test_unrestricted_is_exact if {
	network.unrestricted("0.0.0.0/0")
	network.unrestricted("::/0")
	not network.unrestricted("0.0.0.0/1")
	not network.unrestricted("10.0.0.0/8")
	not network.unrestricted("::/1")
}

test_open_to_world if {
	network.open_to_world({"ipProtocol": "tcp", "ipRanges": ["0.0.0.0/0"]})
	network.open_to_world({"ipProtocol": "tcp", "ipv6Ranges": [{"cidrIpv6": "::/0"}]})
	not network.open_to_world({"ipProtocol": "tcp", "ipv4Ranges": [{"cidrIp": "0.0.0.0/1"}]})
}

test_covers_port if {
	tcp := network.tcp_protocols
	all := network.tcp_udp_protocols
	network.covers_port({"ipProtocol": "-1"}, 22, tcp)
	network.covers_port({"ipProtocol": -1, "fromPort": null, "toPort": null}, 3389, tcp)
	network.covers_port({"ipProtocol": "tcp", "fromPort": 0, "toPort": 65535}, 22, tcp)
	network.covers_port({"ipProtocol": "6", "fromPort": "20", "toPort": "23"}, 22, tcp)
	network.covers_port({"ipProtocol": "TCP", "fromPort": 22, "toPort": 22}, 22, tcp)
	network.covers_port({"ipProtocol": "udp", "fromPort": 22, "toPort": 22}, "22", all)
	network.covers_port({"ipProtocol": "17", "fromPort": 22, "toPort": 22}, 22, all)
	not network.covers_port({"ipProtocol": "tcp", "fromPort": 23, "toPort": 65535}, 22, all)
	not network.covers_port({"ipProtocol": "icmp", "fromPort": -1, "toPort": -1}, 22, all)
	not network.covers_port({"ipProtocol": "tcp", "fromPort": null, "toPort": null}, 22, all)
}

# restricted-ssh and restricted-common-ports count TCP and "-1", not UDP; vpc-sg-port-restriction-check
# (protocolType ALL) counts TCP, UDP and "-1". Neither counts ICMP, whose "ports" are a type and a code.
test_protocol_sets_follow_the_aws_rules if {
	network.tcp_protocols == {"tcp", "-1"}
	network.tcp_udp_protocols == {"tcp", "udp", "-1"}
	udp_22 := {"ipProtocol": "udp", "fromPort": 22, "toPort": 22}
	not network.covers_port(udp_22, 22, network.tcp_protocols)
	network.covers_port(udp_22, 22, network.tcp_udp_protocols)
	udp_by_number := {"ipProtocol": "17", "fromPort": "0", "toPort": "65535"}
	not network.covers_port(udp_by_number, 3389, network.tcp_protocols)
	network.covers_port(udp_by_number, 3389, network.tcp_udp_protocols)
	every protocols in [network.tcp_protocols, network.tcp_udp_protocols] {
		network.covers_port({"ipProtocol": "-1"}, 22, protocols)
		network.covers_port({"ipProtocol": "6", "fromPort": 22, "toPort": 22}, 22, protocols)
		not network.covers_port({"ipProtocol": "icmp", "fromPort": 22, "toPort": 22}, 22, protocols)
		not network.covers_port({"ipProtocol": "1", "fromPort": 0, "toPort": 65535}, 22, protocols)
		not network.covers_port({"ipProtocol": "58", "fromPort": 0, "toPort": 65535}, 22, protocols)
		not network.covers_port({"ipProtocol": "132", "fromPort": 22, "toPort": 22}, 22, protocols)
	}
	# A set without "-1" does not take an all-traffic rule.
	not network.covers_port({"ipProtocol": "-1"}, 22, {"tcp"})
	network.covered_ports({"ipProtocol": "-1"}, [22], {"tcp"}) == []
	network.counts_ports({"ipProtocol": "udp"}, network.tcp_udp_protocols)
	not network.counts_ports({"ipProtocol": "udp"}, network.tcp_protocols)
	not network.counts_ports({"ipProtocol": "-1"}, network.tcp_udp_protocols)
	not network.counts_ports({"fromPort": 22, "toPort": 22}, network.tcp_udp_protocols)
}

test_covered_ports_keeps_what_covers_port_keeps if {
	ports := [22, 80, 443, 3389]
	perms := [
		{"ipProtocol": "-1"},
		{"ipProtocol": "tcp", "fromPort": 0, "toPort": 65535},
		{"ipProtocol": "6", "fromPort": "20", "toPort": "80"},
		{"ipProtocol": "udp", "fromPort": 443, "toPort": 443},
		{"ipProtocol": "17", "fromPort": 0, "toPort": 65535},
		{"ipProtocol": "tcp", "fromPort": 23, "toPort": 79},
		{"ipProtocol": "icmp", "fromPort": -1, "toPort": -1},
		{"ipProtocol": "tcp", "fromPort": null, "toPort": null},
		{"fromPort": 22, "toPort": 22},
	]
	every protocols in [network.tcp_protocols, network.tcp_udp_protocols, {"tcp"}, {"udp"}, set()] {
		every perm in perms {
			network.covered_ports(perm, ports, protocols) == [p | some p in ports; network.covers_port(perm, p, protocols)]
		}
	}
	network.covered_ports({"ipProtocol": "6", "fromPort": "20", "toPort": "80"}, ports, network.tcp_protocols) == [22, 80]
	network.covered_ports({"ipProtocol": "udp", "fromPort": 0, "toPort": 65535}, ports, network.tcp_protocols) == []
	network.covered_ports({"ipProtocol": "udp", "fromPort": 0, "toPort": 65535}, ports, network.tcp_udp_protocols) == ports
	network.covered_ports({"ipProtocol": "icmp"}, ports, network.tcp_udp_protocols) == []
}

test_describe_and_sources if {
	network.describe({"ipProtocol": "-1"}) == "all traffic"
	network.describe({"ipProtocol": "tcp", "fromPort": 22, "toPort": 22}) == "tcp 22"
	network.describe({"ipProtocol": "tcp", "fromPort": 0, "toPort": 65535}) == "tcp 0-65535"
	network.describe({"ipProtocol": "icmp", "fromPort": -1, "toPort": -1}) == "protocol icmp"
	network.sources({"ipRanges": ["0.0.0.0/0"], "userIdGroupPairs": [{"groupId": "sg-1"}]}) == "0.0.0.0/0, sg-1"
	network.sources({"ipRanges": []}) == "no source"
}

test_ingress_and_egress_default_to_empty if {
	network.ingress({}) == []
	network.egress({"ipPermissionsEgress": null}) == []
}

# cidrs is ipv4_cidrs | ipv6_cidrs written as one comprehension; it must stay equal to it.
test_cidrs_is_the_union_of_the_ipv4_and_ipv6_cidrs if {
	every perm in [
		{"ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0", "10.0.0.0/8"], "ipv6Ranges": [{"cidrIpv6": "::/0"}]},
		{"ipRanges": [{"cidrIp": "192.0.2.0/24"}], "ipv6Ranges": ["2001:db8::/32", {"cidrIp": "::/0"}]},
		{"ipv4Ranges": null, "ipRanges": "0.0.0.0/0", "ipv6Ranges": {"cidrIpv6": "::/0"}},
		{"ipv4Ranges": [{"cidrIp": 5}, {}, null, "172.16.0.0/12"]},
		{},
		"not an object",
	] {
		network.cidrs(perm) == network.ipv4_cidrs(perm) | network.ipv6_cidrs(perm)
	}
}

# world_cidrs skips building cidrs; it must stay the world CIDRs among them.
test_world_cidrs_are_the_unrestricted_members_of_cidrs if {
	every perm in [
		{"ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0", "10.0.0.0/8"], "ipv6Ranges": [{"cidrIpv6": "::/0"}]},
		{"ipRanges": [{"cidrIp": "0.0.0.0/0"}], "ipv6Ranges": ["::/0", {"cidrIp": "::/0"}]},
		{"ipv4Ranges": [{"cidrIpv6": "::/0"}, {"cidrIp": "0.0.0.0/1"}], "ipv6Ranges": [{"cidrIpv6": "0.0.0.0/0"}]},
		{"ipv4Ranges": null, "ipRanges": "0.0.0.0/0", "ipv6Ranges": {"cidrIpv6": "::/0"}},
		{"ipv4Ranges": [{"cidrIp": 5}, {}, null, ["0.0.0.0/0"]]},
		{"ipv4Ranges": [{"cidrIp": "10.0.0.0/8", "description": "not 0.0.0.0/0 or ::/0"}]},
		{"ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}], "ipRanges": ["192.0.2.0/24"]},
		{},
		"not an object",
		"0.0.0.0/0",
	] {
		network.world_cidrs(perm) == {c | some c in network.cidrs(perm); network.unrestricted(c)}
	}
	network.open_to_world({"ipv6Ranges": [{"cidrIpv6": "::/0"}]})
	not network.open_to_world({"ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}]})
}

test_open_ingress_keeps_the_rules_open_to_the_world_with_their_world_cidrs if {
	open := {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": ["0.0.0.0/0", "10.0.0.0/8"], "ipv6Ranges": [{"cidrIpv6": "::/0"}]}
	private := {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}]}
	all := {"ipProtocol": "-1", "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}
	conf := {"ipPermissions": [open, private, all], "ipPermissionsEgress": [all]}
	network.open_ingress == [[open, {"0.0.0.0/0", "::/0"}], [all, {"0.0.0.0/0"}]] with input as {"configuration": conf}
	network.open_ingress == [] with input as {"configuration": {"ipPermissions": [private]}}
	network.open_ingress == [] with input as {"configuration": {}}
}
