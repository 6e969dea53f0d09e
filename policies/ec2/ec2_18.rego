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

# Two definitions, not an else branch: regorus 0.14.1's VM does not take an else branch when
# the first body is undefined because a function call is.
_range(perm) := r if r := network.port_range(perm)

_range(perm) := [0, 65535] if not network.port_range(perm)

violation contains msg if {
	some [perm, world] in network.open_ingress
	network.all_traffic(perm)
	some cidr in world
	msg := sprintf("ingress all traffic (protocol -1) from %s opens every port", [cidr])
}

violation contains msg if {
	some [perm, world] in network.open_ingress
	proto := network.protocol(perm)
	proto in {"tcp", "udp"}
	some cidr in world
	[from, to] := _range(perm)
	missing := ec2_helpers.uncovered_ports(from, to, _authorized[proto])
	count(missing) > 0
	msg := sprintf("ingress %s from %s includes unauthorized %s port %v", [network.describe(perm), cidr, proto, missing[0]])
}
