package regent.ec2_9

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.9",
	"title": "Amazon EC2 instances should not have a public IPv4 address",
	"description": "Checks that an EC2 instance has no public IPv4 address anywhere in its configuration item: configuration.publicIpAddress, and for every network interface (not only the primary one) networkInterfaces[].association.publicIp and networkInterfaces[].privateIpAddresses[].association.publicIp (Elastic IPs on secondary addresses). Any such address, auto-assigned or Elastic, is NON_COMPLIANT; null or empty values are not addresses. IPv6 addresses are not checked.",
	"severity": "high",
	"resource_types": ["AWS::EC2::Instance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.9"],
	},
	"config_rule": "EC2_INSTANCE_NO_PUBLIC_IP",
	"parameters": {},
}

_ips := ec2_helpers.instance_public_ips(object.get(input, "configuration", null))

violation contains msg if {
	some ip in _ips
	msg := sprintf("instance has the public IPv4 address %s", [ip])
}
