package regent.ec2_18

import data.regent.lib.ec2_helpers
import data.regent.lib.network

metadata := {
	"id": "EC2.18",
	"title": "Security groups should only allow unrestricted incoming traffic for authorized ports",
	"description": "Checks every inbound rule (configuration.ipPermissions) that admits exactly 0.0.0.0/0 or ::/0 for TCP and UDP, as AWS Config's vpc-sg-open-only-to-authorized-ports does: NON_COMPLIANT when a tcp rule's (ipProtocol \"tcp\" or \"6\") port range is not wholly inside authorizedTcpPorts (default 80 and 443), when a udp rule's (\"udp\" or \"17\") range is not wholly inside authorizedUdpPorts (default none), or when the rule's protocol is \"-1\" (all traffic, every TCP and UDP port). A range such as 0-65535 or 80-443 fails unless every port in it is authorized; tcp/udp rules recorded without ports count as 0-65535. Port parameters are lists or comma-separated strings and may contain ranges (\"1020-1025\"). IPv4 sources are read from ipv4Ranges and the legacy ipRanges strings, IPv6 from ipv6Ranges; ports recorded as strings are read as numbers. ICMP and other protocols, narrower CIDRs and outbound rules are not flagged.",
	"severity": "high",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.18"],
	},
	"config_rule": "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
	"parameters": {
		"authorizedTcpPorts": {
			"default": [80, 443],
			"description": "TCP ports that may be open to 0.0.0.0/0 or ::/0 (a list, or a comma-separated string; ranges such as 1020-1025 allowed).",
			"type": "list(port_range)|csv(port_range)",
		},
		"authorizedUdpPorts": {
			"default": null,
			"description": "UDP ports that may be open to 0.0.0.0/0 or ::/0 (same format); null authorizes none.",
			"type": "list(port_range)|csv(port_range)",
		},
	},
	"remediation": {
		"runbook": "ASR-RevokeUnauthorizedInboundRules",
		"parameters": {
			"SecurityGroupId": "{{resourceId}}",
			"AuthorizedTcpPorts": [80, 443],
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: revoking open rules may cut services that are meant to be public.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

# The authorized port ranges by protocol, parsed once per run by the view.
_authorized := data.views.security_group_ports.ec2_18_authorized

# A destructuring, not `r := network.port_range(perm)`: on regorus 0.14.1's VM an undefined
# `r := f(x)` ends the function undefined without trying the else branch (see
# network.covered_ports).
_range(perm) := [from, to] if {
	[from, to] := network.port_range(perm)
} else := [0, 65535]

violation contains msg if {
	some [perm, world] in network.open_ingress
	network.all_traffic(perm)
	some cidr in world
	msg := sprintf("ingress all traffic (protocol -1) from %s opens every port", [cidr])
}

# The range, the uncovered ports and the description once per rule, not once per CIDR.
violation contains msg if {
	some [perm, world] in network.open_ingress
	proto := network.protocol(perm)
	proto in {"tcp", "udp"}
	[from, to] := _range(perm)
	missing := ec2_helpers.uncovered_ports(from, to, _authorized[proto])
	count(missing) > 0
	described := network.describe_protocol(proto, perm)
	some cidr in world
	msg := sprintf("ingress %s from %s includes unauthorized %s port %v", [described, cidr, proto, missing[0]])
}
