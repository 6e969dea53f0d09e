package regent.ec2_13

import data.regent.lib.network

metadata := {
	"id": "EC2.13",
	"title": "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22",
	"description": "Checks every inbound rule (configuration.ipPermissions) of a security group for SSH, which is TCP, as AWS Config's restricted-ssh does: NON_COMPLIANT when a rule that reaches TCP port 22 (ipProtocol \"tcp\" or \"6\" with fromPort <= 22 <= toPort, including wide ranges such as 0-65535, or protocol \"-1\", all traffic, which has no ports) admits exactly 0.0.0.0/0 or ::/0. UDP rules (\"udp\" or \"17\", even to port 22), ICMP and other protocols are not flagged. IPv4 sources are read from ipv4Ranges and from the legacy ipRanges strings; IPv6 from ipv6Ranges; ports recorded as strings are read as numbers. Narrower CIDRs (10.0.0.0/8, 0.0.0.0/1), security-group and prefix-list sources and outbound rules are not flagged.",
	"severity": "high",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.13"],
		"cis-aws-foundations-benchmark/v1.2.0": ["4.1"],
	},
	"config_rule": "INCOMING_SSH_DISABLED",
	"parameters": {},
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

# restricted-ssh counts TCP and "-1" (see network.tcp_protocols); open_ingress is shared with
# the other port controls, so the protocol is filtered here.
violation contains msg if {
	some [perm, world] in network.open_ingress
	network.covers_port(perm, 22, network.tcp_protocols)
	described := network.describe(perm)
	some cidr in world
	msg := sprintf("ingress %s from %s includes port 22", [described, cidr])
}
