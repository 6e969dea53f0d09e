package regent.ec2_15

import data.regent.lib.values

metadata := {
	"id": "EC2.15",
	"title": "Amazon EC2 subnets should not automatically assign public IP addresses",
	"description": "Checks that a subnet does not auto-assign public addresses to network interfaces launched in it: NON_COMPLIANT when configuration.mapPublicIpOnLaunch is true (public IPv4) or configuration.assignIpv6AddressOnCreation is true (IPv6, which AWS Config treats as public whatever the range). \"true\"/\"True\" strings count as true; false, \"false\" or a missing field is COMPLIANT.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::Subnet"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.15"],
	},
	"config_rule": "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-DisablePublicIPAutoAssign",
		"parameters": {
			"SubnetARN": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: instances launched later in a public subnet would get no public address.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", {})

violation contains msg if {
	values.is_true(_conf.mapPublicIpOnLaunch)
	msg := sprintf("subnet auto-assigns public IPv4 addresses (mapPublicIpOnLaunch is %v)", [_conf.mapPublicIpOnLaunch])
}

violation contains msg if {
	values.is_true(_conf.assignIpv6AddressOnCreation)
	msg := sprintf("subnet auto-assigns IPv6 addresses (assignIpv6AddressOnCreation is %v)", [_conf.assignIpv6AddressOnCreation])
}
