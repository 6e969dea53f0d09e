package regent.ec2_2

import data.regent.lib.network

metadata := {
	"id": "EC2.2",
	"title": "VPC default security groups should not allow inbound or outbound traffic",
	"description": "Checks that a VPC's default security group (groupName \"default\") has no inbound rules (configuration.ipPermissions) and no outbound rules (configuration.ipPermissionsEgress). Any rule at all is NON_COMPLIANT, whatever its source: the self-referencing all-traffic rule AWS creates, a CIDR, a prefix list. Security groups with any other name are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.2"],
		"cis-aws-foundations-benchmark/v1.2.0": ["4.3"],
		"cis-aws-foundations-benchmark/v1.4.0": ["5.3"],
		"cis-aws-foundations-benchmark/v3.0.0": ["5.4"],
	},
	"config_rule": "VPC_DEFAULT_SECURITY_GROUP_CLOSED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-RemoveVPCDefaultSecurityGroupRules",
		"parameters": {
			"GroupId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

default applicable := false

applicable if input.configuration.groupName == "default"

violation contains msg if {
	some perm in network.ingress(input.configuration)
	msg := sprintf("default security group allows inbound %s from %s", [network.describe(perm), network.sources(perm)])
}

violation contains msg if {
	some perm in network.egress(input.configuration)
	msg := sprintf("default security group allows outbound %s to %s", [network.describe(perm), network.sources(perm)])
}
