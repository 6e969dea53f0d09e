package regent.ec2_16

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.16",
	"title": "Unused Network Access Control Lists should be removed",
	"description": "Checks that a network ACL is associated with at least one subnet: COMPLIANT when configuration.associations has an entry with a subnetId or the CI has a relationship to an AWS::EC2::Subnet; NON_COMPLIANT when it has neither (its only relationship is its VPC). Default network ACLs (configuration.isDefault true, including \"true\" strings) cannot be deleted and are NOT_APPLICABLE.",
	"severity": "low",
	"resource_types": ["AWS::EC2::NetworkAcl"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.16"],
	},
	"config_rule": "VPC_NETWORK_ACL_UNUSED_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-DeleteUnusedVPCNetworkACL",
		"parameters": {
			"NetworkAclId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: deleting the ACL loses its entries, which may be kept for later use.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

default applicable := true

applicable := false if values.is_true(ec2_helpers.get(_conf, "isDefault"))

_subnets := {s |
	some assoc in ec2_helpers.array(ec2_helpers.get(_conf, "associations"))
	s := ec2_helpers.text(ec2_helpers.get(assoc, "subnetId"))
} | ec2_helpers.relationship_ids(input, "AWS::EC2::Subnet")

violation contains msg if {
	count(_subnets) == 0
	msg := sprintf("network ACL %s is not associated with any subnet", [input.resourceId])
}
