package regent.ec2_22

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.22",
	"title": "Unused Amazon EC2 security groups should be removed",
	"description": "Checks that a non-default security group is attached to a network interface: COMPLIANT when an AWS::EC2::NetworkInterface CI recorded in the same account and region lists the group in configuration.groups[].groupId, or when the security group's own relationships include an AWS::EC2::NetworkInterface or AWS::EC2::Instance; NON_COMPLIANT otherwise. Default security groups (groupName \"default\") and groups owned by another account (configuration.ownerId differs from the CI's account) are NOT_APPLICABLE. Network interfaces must be recorded by AWS Config for the cross-check to work.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [{"type": "AWS::EC2::NetworkInterface", "fields": ["configuration.groups"]}],
	# "Unused" means no recorded interface lists the group: the interface may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {},
	"config_rule": "EC2_SECURITY_GROUP_ATTACHED_TO_ENI_PERIODIC",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-DeleteUnusedSecurityGroup",
		"parameters": {
			"GroupId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: the group may still be referenced by other groups' rules, launch
		# templates or infrastructure code.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_group_id := g if g := ec2_helpers.text(ec2_helpers.get(_conf, "groupId"))

_group_id := input.resourceId if not ec2_helpers.text(ec2_helpers.get(_conf, "groupId"))

default applicable := true

applicable := false if ec2_helpers.text(ec2_helpers.get(_conf, "groupName")) == "default"

applicable := false if {
	owner := ec2_helpers.text(ec2_helpers.get(_conf, "ownerId"))
	owner != input.awsAccountId
}

# Interfaces list their groups; the view indexes every (account, region, group) they list.
_listed_by_interface if {
	[input.awsAccountId, input.awsRegion, _group_id] in data.views.network_interfaces.security_groups
}

_related_enis := ec2_helpers.relationship_ids(input, "AWS::EC2::NetworkInterface")

_attached_instances := ec2_helpers.relationship_ids(input, "AWS::EC2::Instance")

violation contains msg if {
	not _listed_by_interface
	count(_related_enis) == 0
	count(_attached_instances) == 0
	msg := sprintf("security group %s is not attached to any network interface or instance", [_group_id])
}
