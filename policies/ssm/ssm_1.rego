package regent.ssm_1

metadata := {
	"id": "SSM.1",
	"title": "Amazon EC2 instances should be managed by AWS Systems Manager",
	"description": "Checks that a running EC2 instance (configuration.state.name \"running\") is a Systems Manager managed instance, using the AWS::SSM::ManagedInstanceInventory CIs recorded in the same account and region: one whose resourceId is the instance id, or that has a relationship to this AWS::EC2::Instance; a relationship from the instance to an AWS::SSM::ManagedInstanceInventory also counts. NON_COMPLIANT when there is none, or when the inventory reports the instance status Stopped or Terminated (supplementaryConfiguration.instanceStatus, or InstanceStatus in configuration[\"AWS:InstanceInformation\"].Content), i.e. the SSM Agent is no longer reporting. NOT_APPLICABLE: instances that are not running (pending, stopped, terminated...). An inventory CI exists only when AWS Config records AWS::SSM::ManagedInstanceInventory; if that type is not recorded every running instance is NON_COMPLIANT.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::Instance"],
	"requires": ["AWS::SSM::ManagedInstanceInventory"],
	# No managed-instance inventory recorded for the instance: it may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["SSM.1"],
	},
	"config_rule": "EC2_INSTANCE_MANAGED_BY_SSM",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-AttachSSMPermissionsToEC2",
		"parameters": {
			"InstanceArn": "{{ARN}}",
			"RemediationRole": "{{settings.ssm_attach_permissions_remediation_role_arn}}",
			"InstanceProfile": "{{settings.ssm_instance_profile_name}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Changes the instance profile / role of a running instance.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_inventory_type := "AWS::SSM::ManagedInstanceInventory"

_state := lower(input.configuration.state.name) if is_string(input.configuration.state.name)

default applicable := false

applicable if _state == "running"

_inventories := [ci |
	some id
	ci := data.inventory[_inventory_type][input.awsAccountId][input.awsRegion][id]
	_describes_this_instance(ci)
]

_describes_this_instance(ci) if ci.resourceId == input.resourceId

_describes_this_instance(ci) if {
	is_array(ci.relationships)
	some rel in ci.relationships
	rel.resourceType == "AWS::EC2::Instance"
	rel.resourceId == input.resourceId
}

_related_from_instance if {
	is_array(input.relationships)
	some rel in input.relationships
	rel.resourceType == _inventory_type
}

violation contains msg if {
	count(_inventories) == 0
	not _related_from_instance
	msg := sprintf("running instance %s is not a Systems Manager managed instance (no %s recorded for it)", [input.resourceId, _inventory_type])
}

violation contains msg if {
	some ci in _inventories
	some status in _statuses(ci)
	lower(status) in {"stopped", "terminated"}
	msg := sprintf("instance is running but its Systems Manager inventory reports instance status %q (SSM Agent not reporting)", [status])
}

# Instance statuses recorded on an inventory CI.
_statuses(ci) := {s | s := ci.supplementaryConfiguration.instanceStatus; is_string(s)} | {s |
	info := ci.configuration["AWS:InstanceInformation"].Content
	some entry in _entries(info)
	s := entry.InstanceStatus
	is_string(s)
}

# Content is a map keyed by instance id (or, in some shapes, one entry or a list of entries).
_entries(content) := array.concat(
	[e | some _, e in content; is_object(e)],
	[content | is_string(content.InstanceStatus)],
) if is_object(content)

_entries(content) := [e | some e in content; is_object(e)] if is_array(content)

_entries(content) := [] if {
	not is_object(content)
	not is_array(content)
}
