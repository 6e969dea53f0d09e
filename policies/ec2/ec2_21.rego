package regent.ec2_21

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.21",
	"title": "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389",
	"description": "Checks every entry of a network ACL (configuration.entries): NON_COMPLIANT when an inbound entry (egress false or \"false\") with ruleAction allow and a source of exactly 0.0.0.0/0 (cidrBlock) or ::/0 (ipv6CidrBlock) reaches port 22 or 3389: protocol tcp (6) or udp (17) with portRange.from <= port <= portRange.to (a range such as 0-65535 counts; an entry without a port range covers all ports), or protocol -1 (all traffic, no port range). Protocols recorded as numbers or numeric strings are both read. Entries are judged one by one, as the AWS rule does: a lower-numbered deny entry does not excuse a later allow. Default network ACLs are evaluated too (the AWS default inbound allow-all entry fails).",
	"severity": "medium",
	"resource_types": ["AWS::EC2::NetworkAcl"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.21"],
		"cis-aws-foundations-benchmark/v1.4.0": ["5.1"],
		"cis-aws-foundations-benchmark/v3.0.0": ["5.1"],
	},
	"config_rule": "NACL_NO_UNRESTRICTED_SSH_RDP",
	"parameters": {},
	"remediation": {
		"runbook": "AWS-RemoveNetworkACLUnrestrictedSSHRDP",
		"parameters": {
			"NetworkAclId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Removes the entries open to the world on ports 22 and 3389, which can cut off remote
		# administration; entries whose wider port range only overlaps those ports (all traffic,
		# 0-65535) stay, so such an ACL stays NON_COMPLIANT and needs a manual fix.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_entries := ec2_helpers.array(ec2_helpers.get(object.get(input, "configuration", null), "entries"))

_world_sources(entry) := {c |
	some key in ["cidrBlock", "ipv6CidrBlock"]
	c := ec2_helpers.text(ec2_helpers.get(entry, key))
	c in {"0.0.0.0/0", "::/0"}
}

_inbound_allow(entry) if {
	not values.is_true(ec2_helpers.get(entry, "egress"))
	ec2_helpers.lower_text(ec2_helpers.get(entry, "ruleAction")) == "allow"
}

# The ports of [22, 3389] an entry with this protocol and port range reaches, in that order.
_reached(proto, from, to) := [22, 3389] if proto == "-1"
else := [p | some p in [22, 3389]; from <= p; p <= to] if proto in {"tcp", "udp"}
else := []

_describe(proto, from, to) := "all traffic" if proto == "-1"
else := sprintf("%s %v", [proto, from]) if from == to
else := sprintf("%s %v-%v", [proto, from, to])

# The protocol, the port range and the message's parts once per entry, not once per source.
violation contains msg if {
	some entry in _entries
	_inbound_allow(entry)
	sources := _world_sources(entry)
	count(sources) > 0
	proto := ec2_helpers.nacl_protocol(entry)
	[from, to] := ec2_helpers.nacl_port_range(entry)
	ports := _reached(proto, from, to)
	count(ports) > 0
	rule_number := values.show(entry, "ruleNumber")
	described := _describe(proto, from, to)
	noun := _noun(count(ports))
	listed := concat(" and ", [sprintf("%d", [p]) | some p in ports])
	some source in sources
	msg := sprintf("inbound entry %v allows %s from %s to %s %s", [rule_number, described, source, noun, listed])
}

_noun(n) := "port" if n == 1
else := "ports" if n > 1
