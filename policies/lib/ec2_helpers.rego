package regent.lib.ec2_helpers

import data.regent.lib.values

# Helpers shared by the EC2 / VPC / Auto Scaling controls (EC2.4 ... EC2.170, AutoScaling.*).
# Every helper is undefined or empty, never an error, on null, missing or odd shapes.

# get(obj, key): obj[key], or null when obj is not an object or has no such key. Chain it for
# paths (get(get(conf, "metadataOptions"), "httpTokens")): a missing step gives null, never
# an undefined value or an error.
get(obj, key) := object.get(obj, key, null) if is_object(obj)
else := null

# array(x): x when it is an array, [] otherwise (null, scalar).
array(x) := x if is_array(x)
else := []

# text(x): a scalar that AWS Config records either as a plain string or wrapped as
# {"value": "..."} (the resource schema lists e.g. VPCEndpoint `state.value` and Auto Scaling
# `availabilityZones.value`); undefined for anything else or an empty string.
text(x) := x if {
	is_string(x)
	x != ""
} else := x.value if {
	is_object(x)
	is_string(x.value)
	x.value != ""
}

# texts(xs): the non-empty strings of a list whose items may be strings or {"value": "..."}.
texts(xs) := [t | some x in array(xs); t := text(x)]

# csv(param): a parameter given as a list (["a", "b"], [80, 443]) or as a comma-separated
# string ("a, b"), as a list of trimmed, non-empty strings; [] for null or "".
csv(param) := [s | some p in param; s := trim_space(sprintf("%v", [p])); s != ""] if is_array(param)
else := [s | some p in split(param, ","); s := trim_space(p); s != ""] if is_string(param)
else := []

# port_ranges(param): the ports of a parameter such as "80,443,1020-1025" or [80, 443] as
# [[low, high], ...]; entries that are not a port or a "low-high" range are ignored.
port_ranges(param) := [r | some s in csv(param); r := _port_range(s)]

_port_range(s) := [n, n] if n := values.number(s)

_port_range(s) := [lo, hi] if {
	parts := split(s, "-")
	count(parts) == 2
	lo := values.number(parts[0])
	hi := values.number(parts[1])
	lo <= hi
}

# port_covered(port, ranges): some [low, high] of ranges contains port.
port_covered(port, ranges) if {
	some r in ranges
	r[0] <= port
	port <= r[1]
}

# uncovered_ports(from, to, ranges): the ports of from..to that no range covers, reported as
# the candidate points only (from, and high + 1 of every range ending inside from..to): the
# set is empty exactly when ranges cover the whole of from..to. (The smallest uncovered port
# is always one of these candidates, so the first element names a real uncovered port.)
uncovered_ports(from, to, ranges) := sort([p |
	some p in _candidates(from, to, ranges)
	not port_covered(p, ranges)
])

_candidates(from, to, ranges) := {from} | {p |
	some r in ranges
	from <= r[1]
	r[1] < to
	p := r[1] + 1
}

# range_covered(from, to, ranges): every port from..to is inside some range.
range_covered(from, to, ranges) if count(uncovered_ports(from, to, ranges)) == 0

# network_interfaces(conf): every network interface of an EC2 instance configuration.
network_interfaces(conf) := array(get(conf, "networkInterfaces"))

# instance_public_ips(conf): every public IPv4 address recorded anywhere on an instance:
# configuration.publicIpAddress and, for every network interface (not just the first),
# association.publicIp and privateIpAddresses[].association.publicIp (secondary addresses
# with an Elastic IP). A set of strings, empty when none.
instance_public_ips(conf) := (({ip | ip := text(get(conf, "publicIpAddress"))} | {ip |
	some eni in network_interfaces(conf)
	ip := text(get(get(eni, "association"), "publicIp"))
}) | {ip |
	some eni in network_interfaces(conf)
	some addr in array(get(eni, "privateIpAddresses"))
	ip := text(get(get(addr, "association"), "publicIp"))
})

# relationship_ids(ci, type): the resource ids of the CI's relationships to resources of
# `type` (e.g. "AWS::EC2::Subnet").
relationship_ids(ci, type) := {id |
	some rel in array(get(ci, "relationships"))
	rel.resourceType == type
	id := text(rel.resourceId)
}

# inventory(type): the normalised CIs of `type` recorded in the evaluated account and region
# (data.inventory, listed in the control's `requires`); [] when none.
inventory(type) := [ci | some id; ci := data.inventory[type][input.awsAccountId][input.awsRegion][id]]

# lower_text(x): x lower-cased when it is a string (or {"value": ...}); undefined otherwise.
lower_text(x) := lower(text(x))

# nacl_protocol(entry): a network ACL entry's protocol as a name: "-1" (all), "tcp", "udp",
# "icmp", "icmpv6", or the number as text for any other protocol.
nacl_protocol(entry) := p if {
	raw := lower(trim_space(sprintf("%v", [entry.protocol])))
	p := object.get({"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}, raw, raw)
}

# nacl_port_range(entry): [from, to] of a network ACL entry; [0, 65535] when the entry has
# no port range (protocol -1, or a tcp/udp entry recorded without one). Each port is read
# once; a destructuring, not `from := ...`, because on regorus 0.14.1's VM an undefined
# `x := f(y)` ends the function undefined without trying the else branch.
nacl_port_range(entry) := [from, to] if {
	[from, to] := [values.number(entry.portRange.from), values.number(entry.portRange.to)]
} else := [0, 65535]
