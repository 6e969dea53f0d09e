package regent.lib.network

import data.regent.lib.values

# Helpers over EC2 security-group permissions: the entries of
# `configuration.ipPermissions` (ingress) and `configuration.ipPermissionsEgress` (egress).
# CIs written before 2018 carry IPv4 sources only as `ipRanges: ["cidr", ...]`; newer ones
# carry both `ipv4Ranges: [{cidrIp}]` and `ipRanges`, plus `ipv6Ranges: [{cidrIpv6}]`.
# Ports may be numbers, numeric strings, null or absent (protocol "-1" has none).

# ingress(conf) / egress(conf): the permission lists of a security group's configuration,
# [] when absent or null.
#
# Helpers with exclusive cases are written as one definition with else branches: the VM
# evaluates every definition of a function on every call, else branches only when needed.
ingress(conf) := conf.ipPermissions if is_array(conf.ipPermissions)
else := []

egress(conf) := conf.ipPermissionsEgress if is_array(conf.ipPermissionsEgress)
else := []

# ipv4_cidrs(perm): every IPv4 CIDR of a permission, from `ipv4Ranges[].cidrIp` and from the
# legacy `ipRanges[]` (plain strings, or objects with `cidrIp` in API-shaped data).
ipv4_cidrs(perm) := {c |
	some r in _array(perm.ipv4Ranges)
	c := _cidr(r, "cidrIp")
} | {c |
	some r in _array(perm.ipRanges)
	c := _cidr(r, "cidrIp")
}

# ipv6_cidrs(perm): every IPv6 CIDR of a permission (`ipv6Ranges[].cidrIpv6`).
ipv6_cidrs(perm) := {c |
	some r in _array(perm.ipv6Ranges)
	c := _cidr(r, "cidrIpv6")
}

# cidrs(perm): all IPv4 and IPv6 CIDRs of a permission: ipv4_cidrs(perm) | ipv6_cidrs(perm),
# in one comprehension. Every security-group control calls it for every rule, and each
# helper call costs the VM about a microsecond.
cidrs(perm) := {c |
	some key, field in _range_fields
	ranges := perm[key]
	is_array(ranges)
	some r in ranges
	c := _cidr(r, field)
}

_range_fields := {"ipv4Ranges": "cidrIp", "ipRanges": "cidrIp", "ipv6Ranges": "cidrIpv6"}

_world := {"0.0.0.0/0", "::/0"}

# unrestricted(cidr): the CIDR is exactly "0.0.0.0/0" or "::/0" (not 0.0.0.0/1, not 10.0.0.0/8).
unrestricted(cidr) if cidr in _world

# world_cidrs(perm): the unrestricted CIDRs of a permission (empty set if none): the members
# of cidrs(perm) in _world, without building cidrs(perm) or calling _cidr. A string range is
# its own CIDR, an object range names it under the field; only the two world CIDRs are kept,
# and they are strings. Every security-group control asks this of every rule first.
#
# A quick negative test comes first: most rules name no world CIDR anywhere, and on the VM
# serialising a rule costs about a tenth of walking its ranges (measured). JSON escapes no
# character of "0.0.0.0/0" or "::/0", so a rule whose text holds neither has none.
world_cidrs(perm) := set() if {
	text := json.marshal(perm)
	not contains(text, "0.0.0.0/0")
	not contains(text, "::/0")
} else := {r |
	some key, _ in _range_fields
	ranges := perm[key]
	is_array(ranges)
	some r in ranges
	r in _world
} | {c |
	some key, field in _range_fields
	ranges := perm[key]
	is_array(ranges)
	some r in ranges
	is_object(r)
	c := r[field]
	c in _world
}

# open_ingress: the ingress permissions of the security group in `input` that admit
# 0.0.0.0/0 or ::/0, each as [perm, world_cidrs(perm)], in the order of ipPermissions. A rule
# rather than a function: the security-group controls all start here, and the VM computes a
# rule once per item for all the controls of its resource type (see "What costs on the VM"
# in policies/README.md).
open_ingress := [[perm, world] |
	some perm in ingress(input.configuration)
	world := world_cidrs(perm)
	count(world) > 0
]

# open_to_world(perm): the permission has at least one unrestricted CIDR.
open_to_world(perm) if count(world_cidrs(perm)) > 0

# protocol(perm): the lower-cased protocol name; protocol numbers 6, 17, 1 and 58 become
# "tcp", "udp", "icmp" and "icmpv6"; "-1" (all traffic) stays "-1".
protocol(perm) := p if {
	raw := lower(sprintf("%v", [perm.ipProtocol]))
	p := object.get({"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}, raw, raw)
}

# all_traffic(perm): protocol "-1", which opens every protocol and port whatever the port fields say.
all_traffic(perm) if protocol(perm) == "-1"

# port_range(perm): [fromPort, toPort] as numbers; undefined when either is missing or null.
port_range(perm) := [from, to] if {
	from := values.number(perm.fromPort)
	to := values.number(perm.toPort)
}

# The protocols an AWS Config rule counts, named as protocol(perm) names them ("6" is "tcp",
# "17" is "udp"). A "-1" rule (all traffic) admits every protocol on every port, so both sets
# hold it. A control filters the shared open_ingress with its own set.
#
# tcp_protocols: restricted-ssh (INCOMING_SSH_DISABLED, EC2.13) checks "incoming SSH traffic",
# which is TCP, and restricted-common-ports (RESTRICTED_INCOMING_TRAFFIC, EC2.14, EC2.19)
# "unrestricted incoming Transmission Control Protocol (TCP) traffic". A UDP rule to port 22
# carries no SSH and no TCP: these rules do not count it.
tcp_protocols := {"tcp", "-1"}

# tcp_udp_protocols: vpc-sg-port-restriction-check (VPC_SG_PORT_RESTRICTION_CHECK, EC2.53,
# EC2.54) with its default protocolType ALL "will check for rules that use either 'TCP',
# 'UDP', or 'ALL' (-1) protocol". (vpc-sg-open-only-to-authorized-ports, EC2.18, checks
# "inbound TCP or UDP connections" too, but each protocol against its own parameter, so
# ec2_18.rego tells tcp from udp itself.)
tcp_udp_protocols := {"tcp", "udp", "-1"}

# _ported_protocols: the protocols whose fromPort/toPort are a port range (for ICMP they are
# a type and a code).
_ported_protocols := {"tcp", "udp"}

# counts_ports(perm, protocols): the permission is tcp or udp, and its protocol is one of
# `protocols`.
counts_ports(perm, protocols) if {
	proto := protocol(perm)
	proto in _ported_protocols
	proto in protocols
}

# covers_port(perm, port, protocols): traffic to `port` over one of `protocols` is allowed by
# this permission: protocol "-1" when `protocols` holds "-1", or tcp/udp in `protocols` with
# fromPort <= port <= toPort. `port` may be a number or a numeric string.
covers_port(perm, port, protocols) if {
	proto := protocol(perm)
	_covers_port(proto, perm, port, protocols)
}

# _covers_port: covers_port for a permission whose protocol(perm) is proto, worked out once.
_covers_port(proto, perm, port, protocols) if {
	proto == "-1"
	"-1" in protocols
} else := true if {
	proto in _ported_protocols
	proto in protocols
	n := values.number(port)
	[from, to] := port_range(perm)
	from <= n
	n <= to
}

# covered_ports(perm, ports, protocols): the members of `ports` (numbers), in iteration order,
# that the permission covers over one of `protocols`: the same as keeping each port for which
# covers_port(perm, port, protocols) holds, with the protocol and port range worked out once
# per permission instead of once per port. [] when it covers none.
#
# `[proto] := [protocol(perm)]`, not `proto := protocol(perm)`, where an else branch follows:
# on regorus 0.14.1's VM an undefined `x := f(y)` ends the function undefined without trying
# the else branch (the interpreter tries it); a destructuring that fails tries it on both.
covered_ports(perm, ports, protocols) := _covered_ports(proto, perm, ports, protocols) if {
	[proto] := [protocol(perm)]
} else := []

_covered_ports(proto, perm, ports, protocols) := [p | some p in ports] if {
	proto == "-1"
	"-1" in protocols
} else := [p | some p in ports; from <= p; p <= to] if {
	proto in _ported_protocols
	proto in protocols
	[from, to] := port_range(perm)
} else := []

# describe(perm): a short text for messages: "all traffic", "tcp 22", "tcp 0-65535",
# "tcp (no ports recorded)", "protocol icmp", "protocol not recorded". The protocol and the port
# range are each worked out once (message builders run for every reported rule).
describe(perm) := describe_protocol(proto, perm) if {
	[proto] := [protocol(perm)]
} else := "protocol not recorded"

# describe_protocol(proto, perm): describe(perm) for a permission whose protocol(perm) is
# `proto`, for callers that have worked the protocol out already.
describe_protocol(proto, perm) := "all traffic" if proto == "-1"
else := _describe_range(proto, from, to) if {
	proto in _ported_protocols
	[from, to] := port_range(perm)
} else := sprintf("%s (no ports recorded)", [proto]) if {
	proto in _ported_protocols
} else := sprintf("protocol %s", [proto])

_describe_range(proto, from, to) := sprintf("%s %v", [proto, from]) if from == to
else := sprintf("%s %v-%v", [proto, from, to])

# sources(perm): what a permission allows, as one text: CIDRs, security groups and prefix
# lists, sorted and comma-separated ("0.0.0.0/0, sg-0123"); "no source" when empty. The set is
# built once: every member is a string, so sorting it sorts its members.
sources(perm) := _sources_text(_sources(perm))

_sources_text(found) := concat(", ", sort(found)) if count(found) > 0
else := "no source"

_sources(perm) := (cidrs(perm) | groups) | prefixes if {
	groups := {g | some pair in _array(perm.userIdGroupPairs); g := pair.groupId; is_string(g)}
	prefixes := {p | some pl in _array(perm.prefixListIds); p := _cidr(pl, "prefixListId")}
}

# _array(x): x when it is an array, [] otherwise (null, scalar).
_array(x) := x if is_array(x)
else := []

# _cidr(r, key): r itself when it is a string, else r[key] when that is a string.
_cidr(r, key) := r if is_string(r)
else := r[key] if {
	is_object(r)
	is_string(r[key])
}
