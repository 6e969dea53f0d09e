package regent.ec2_19

import data.regent.lib.network

metadata := {
	"id": "EC2.19",
	"title": "Security groups should not allow unrestricted access to ports with high risk",
	"description": "Checks every inbound rule (configuration.ipPermissions) of a security group for TCP traffic, as AWS Config's restricted-common-ports does: NON_COMPLIANT when a rule admits exactly 0.0.0.0/0 or ::/0 to any port in blockedPorts, either because it is a TCP rule (ipProtocol \"tcp\" or \"6\") whose port range contains the port (a range such as 0-65535 contains them all; ports recorded as strings are read as numbers) or because its protocol is \"-1\" (all traffic, no ports). UDP rules (\"udp\" or \"17\"), ICMP and other protocols are not flagged. The reason names every high-risk port each such rule opens. IPv4 sources are read from ipv4Ranges and from the legacy ipRanges strings; IPv6 from ipv6Ranges. Narrower CIDRs (10.0.0.0/8, 0.0.0.0/1) and outbound rules are not flagged.",
	"severity": "critical",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.19"],
	},
	"config_rule": "vpc-sg-restricted-common-ports",
	"parameters": {
		"blockedPorts": {
			"default": [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300],
			"description": "Ports that must not be open to 0.0.0.0/0 or ::/0 (a list of numbers, or a comma-separated string).",
			"type": "list(port)|csv(port)",
		},
	},
	"remediation": {
		"runbook": "ASR-DisableUnrestrictedAccessToHighRiskPorts",
		"parameters": {
			"SecurityGroupId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

# blockedPorts as numbers, parsed once per run by the view.
_blocked := data.views.security_group_ports.ec2_19_blocked

violation contains msg if {
	# Only the rules open to the world; then the ports and the message's parts once per rule,
	# not once per CIDR. restricted-common-ports counts TCP and "-1" (see network.tcp_protocols).
	some [perm, world] in network.open_ingress
	ports := sort(network.covered_ports(perm, _blocked, network.tcp_protocols))
	count(ports) > 0
	described := network.describe(perm)
	noun := _noun(count(ports))
	listed := concat(", ", [sprintf("%v", [p]) | some p in ports])
	some cidr in world
	msg := sprintf("ingress %s from %s includes %s %s", [described, cidr, noun, listed])
}

_noun(n) := "high-risk port" if n == 1
else := "high-risk ports" if n > 1
