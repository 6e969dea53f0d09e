package regent.ec2_53

import data.regent.lib.network

metadata := {
	"id": "EC2.53",
	"title": "EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports",
	"description": "Checks every inbound rule (configuration.ipPermissions) of a security group: NON_COMPLIANT when a rule admits exactly 0.0.0.0/0 (ipType IPv4; IPv6 checks ::/0 instead, ALL checks both) to a port in restrictPorts (default 22 and 3389) over TCP, UDP or all traffic, as AWS Config's vpc-sg-port-restriction-check does with its default protocolType ALL: either with ipProtocol \"tcp\"/\"6\" or \"udp\"/\"17\" and a port range containing the port (0-65535 contains them all; ports recorded as strings are read as numbers) or with protocol \"-1\" (all traffic, no ports). IPv4 sources are read from ipv4Ranges and from the legacy ipRanges strings. Narrower CIDRs (0.0.0.0/1), security-group and prefix-list sources, ICMP rules and outbound rules are not flagged.",
	"severity": "high",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.53"],
		"cis-aws-foundations-benchmark/v3.0.0": ["5.2"],
	},
	"config_rule": "VPC_SG_PORT_RESTRICTION_CHECK",
	"parameters": {
		"ipType": {
			"default": "IPv4",
			"description": "Which unrestricted source to look for: IPv4 (0.0.0.0/0), IPv6 (::/0) or ALL (case-insensitive).",
			"type": "string",
			"values": ["IPv4", "IPv6", "ALL", "ipv4", "ipv6", "all", "IPV4", "IPV6"],
		},
		"restrictPorts": {
			"default": [22, 3389],
			"description": "Ports that must not be open to the unrestricted source (a list, or a comma-separated string).",
			"type": "list(port)|csv(port)",
		},
	},
	"remediation": {
		"runbook": "AWS-DisablePublicAccessForSecurityGroup",
		"parameters": {
			"GroupId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: it removes SSH/RDP access people may rely on, and the AWS document
		# fails with InvalidPermission.NotFound on rules that do not match its patterns.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

# restrictPorts and the CIDRs ipType selects, worked out once per run by the view.
_ports := data.views.security_group_ports.ec2_53_ports

_sources := data.views.security_group_ports.ec2_53_sources

violation contains msg if {
	# Only the rules open to the world: most rules are ruled out before any port is looked at.
	# vpc-sg-port-restriction-check counts TCP, UDP and "-1" (see network.tcp_udp_protocols).
	# The ports and the message's parts once per rule, not once per CIDR.
	some [perm, world] in network.open_ingress
	cidrs := world & _sources
	count(cidrs) > 0
	ports := network.covered_ports(perm, _ports, network.tcp_udp_protocols)
	count(ports) > 0
	described := network.describe(perm)
	noun := _noun(count(ports))
	listed := concat(", ", [sprintf("%v", [p]) | some p in ports])
	some cidr in cidrs
	msg := sprintf("ingress %s from %s includes remote administration %s %s", [described, cidr, noun, listed])
}

_noun(n) := "port" if n == 1
else := "ports" if n > 1
