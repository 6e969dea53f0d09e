package regent.lib.network_test

import data.regent.lib.network
import data.regent.lib.values

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

# describe, sources, covers_port and covered_ports work the protocol, the port range and the
# sources out once per call (else branches, one set); the _reference_* functions below are the
# forms they replaced (one definition per case, each recomputing what it needs), and the
# rewrites must give the same value for every permission shape.

_protocol_shapes := [
	{}, {"ipProtocol": null}, {"ipProtocol": "-1"}, {"ipProtocol": -1}, {"ipProtocol": "6"},
	{"ipProtocol": "TCP"}, {"ipProtocol": 17}, {"ipProtocol": "udp"}, {"ipProtocol": "icmp"},
	{"ipProtocol": "58"}, {"ipProtocol": "132"}, {"ipProtocol": true},
]

_port_shapes := [
	{}, {"fromPort": 22, "toPort": 22}, {"fromPort": "20", "toPort": "23"}, {"fromPort": 0, "toPort": 65535},
	{"fromPort": null, "toPort": null}, {"fromPort": 22}, {"fromPort": "x", "toPort": 5}, {"fromPort": 443, "toPort": 80},
]

_source_shapes := [
	{},
	{"ipRanges": ["0.0.0.0/0"], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipv6Ranges": [{"cidrIpv6": "::/0"}]},
	{"userIdGroupPairs": [{"groupId": "sg-b"}, {"groupId": "sg-a"}, {"groupId": 5}, {"userId": "1"}]},
	{"prefixListIds": [{"prefixListId": "pl-1"}, "pl-0", {"other": 1}], "ipRanges": null},
	{"ipv4Ranges": [{"cidrIp": "10.0.0.0/8"}], "userIdGroupPairs": [{"groupId": "10.0.0.0/8"}]},
]

_perms := array.concat(
	[object.union(object.union(p, r), s) | some p in _protocol_shapes; some r in _port_shapes; some s in [{}, {"ipRanges": ["0.0.0.0/0"]}]],
	[s | some s in _source_shapes],
)

_odd_perms := ["not an object", null, 5, ["0.0.0.0/0"]]

_reference_describe(perm) := "all traffic" if network.all_traffic(perm)

_reference_describe(perm) := d if {
	network.protocol(perm) in {"tcp", "udp"}
	[from, to] := network.port_range(perm)
	from == to
	d := sprintf("%s %v", [network.protocol(perm), from])
}

_reference_describe(perm) := d if {
	network.protocol(perm) in {"tcp", "udp"}
	[from, to] := network.port_range(perm)
	from != to
	d := sprintf("%s %v-%v", [network.protocol(perm), from, to])
}

_reference_describe(perm) := sprintf("%s (no ports recorded)", [network.protocol(perm)]) if {
	network.protocol(perm) in {"tcp", "udp"}
	not network.port_range(perm)
}

_reference_describe(perm) := sprintf("protocol %s", [network.protocol(perm)]) if {
	not network.protocol(perm) in {"tcp", "udp", "-1"}
}

_reference_describe(perm) := "protocol not recorded" if not network.protocol(perm)

_reference_sources(perm) := concat(", ", sort([x | some x in _reference_source_set(perm)])) if count(_reference_source_set(perm)) > 0

_reference_sources(perm) := "no source" if count(_reference_source_set(perm)) == 0

_reference_source_set(perm) := (network.cidrs(perm) | groups) | prefixes if {
	groups := {g | some pair in _array(perm.userIdGroupPairs); g := pair.groupId; is_string(g)}
	prefixes := {p | some pl in _array(perm.prefixListIds); p := _prefix(pl)}
}

_array(x) := x if is_array(x)
else := []

_prefix(pl) := pl if is_string(pl)
else := pl.prefixListId if is_string(pl.prefixListId)

_reference_covers_port(perm, port, protocols) if {
	network.all_traffic(perm)
	"-1" in protocols
}

_reference_covers_port(perm, port, protocols) if {
	network.counts_ports(perm, protocols)
	p := values.number(port)
	[from, to] := network.port_range(perm)
	from <= p
	p <= to
}

test_describe_names_each_case if {
	network.describe({"ipProtocol": "-1", "fromPort": 22, "toPort": 22}) == "all traffic"
	network.describe({"ipProtocol": -1}) == "all traffic"
	network.describe({"ipProtocol": "6", "fromPort": "22", "toPort": 22}) == "tcp 22"
	network.describe({"ipProtocol": "UDP", "fromPort": 0, "toPort": "65535"}) == "udp 0-65535"
	network.describe({"ipProtocol": "tcp"}) == "tcp (no ports recorded)"
	network.describe({"ipProtocol": "17", "fromPort": 53}) == "udp (no ports recorded)"
	network.describe({"ipProtocol": "tcp", "fromPort": null, "toPort": null}) == "tcp (no ports recorded)"
	network.describe({"ipProtocol": "58", "fromPort": -1, "toPort": -1}) == "protocol icmpv6"
	network.describe({"ipProtocol": "132", "fromPort": 22, "toPort": 22}) == "protocol 132"
	network.describe({"ipProtocol": null}) == "protocol null"
	network.describe({"fromPort": 22, "toPort": 22}) == "protocol not recorded"
	network.describe("not an object") == "protocol not recorded"
}

test_describe_gives_what_the_six_definitions_gave if {
	every perm in array.concat(_perms, _odd_perms) {
		network.describe(perm) == _reference_describe(perm)
	}
}

test_describe_protocol_is_describe_given_the_protocol if {
	every perm in [p | some p in _perms; network.protocol(p)] {
		network.describe_protocol(network.protocol(perm), perm) == network.describe(perm)
	}
	network.describe_protocol("tcp", {"fromPort": 80, "toPort": 81}) == "tcp 80-81"
}

test_sources_names_each_case if {
	network.sources({}) == "no source"
	network.sources({"ipRanges": null, "userIdGroupPairs": [{"groupId": 5}], "prefixListIds": [{}]}) == "no source"
	network.sources({"ipRanges": ["0.0.0.0/0"], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}) == "0.0.0.0/0"
	network.sources({
		"ipv6Ranges": [{"cidrIpv6": "::/0"}], "userIdGroupPairs": [{"groupId": "sg-b"}, {"groupId": "sg-a"}],
		"prefixListIds": [{"prefixListId": "pl-1"}, "pl-0"],
	}) == "::/0, pl-0, pl-1, sg-a, sg-b"
}

test_sources_gives_what_the_two_definitions_gave if {
	every perm in array.concat(_perms, _odd_perms) {
		network.sources(perm) == _reference_sources(perm)
	}
}

test_covers_port_gives_what_the_two_definitions_gave if {
	every perm in array.concat(_perms, _odd_perms) {
		every port in [22, "22", 3389, 80, "x"] {
			every protocols in [network.tcp_protocols, network.tcp_udp_protocols, {"tcp"}, set()] {
				# Both hold or neither does.
				{1 | network.covers_port(perm, port, protocols)} == {1 | _reference_covers_port(perm, port, protocols)}
			}
		}
	}
}

test_covered_ports_names_each_case if {
	ports := [22, 80, 3389]
	tcp := network.tcp_protocols
	network.covered_ports({"fromPort": 0, "toPort": 65535}, ports, tcp) == []
	network.covered_ports("not an object", ports, tcp) == []
	network.covered_ports({"ipProtocol": "-1"}, ports, tcp) == ports
	network.covered_ports({"ipProtocol": -1}, {3389, 22}, tcp) == [22, 3389]
	network.covered_ports({"ipProtocol": "-1"}, ports, {"tcp", "udp"}) == []
	network.covered_ports({"ipProtocol": "tcp", "fromPort": "22", "toPort": 80}, ports, tcp) == [22, 80]
	network.covered_ports({"ipProtocol": "tcp"}, ports, tcp) == []
	network.covered_ports({"ipProtocol": "udp", "fromPort": 0, "toPort": 65535}, ports, tcp) == []
	network.covered_ports({"ipProtocol": "icmp", "fromPort": 0, "toPort": 65535}, ports, network.tcp_udp_protocols) == []
}

test_covered_ports_over_every_shape_keeps_what_covers_port_keeps if {
	ports := [22, 80, 443, 3389]
	every perm in array.concat(_perms, _odd_perms) {
		every protocols in [network.tcp_protocols, network.tcp_udp_protocols, {"udp"}] {
			network.covered_ports(perm, ports, protocols) == [p | some p in ports; _reference_covers_port(perm, p, protocols)]
		}
	}
}
