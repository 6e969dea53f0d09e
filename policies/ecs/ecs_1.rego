package regent.ecs_1

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "ECS.1",
	"title": "Amazon ECS task definitions should have secure networking modes and user definitions",
	"description": "For a task definition with configuration.NetworkMode \"host\" (any letter case), checks EVERY container definition (configuration.ContainerDefinitions[]): a container is NON_COMPLIANT when Privileged is not true (false, \"false\", null or missing) AND it runs as root (User missing, null, empty, \"root\" or UID 0, alone or with a group such as \"root:root\" or \"0:0\"). Other network modes (awsvpc, bridge, none, missing) are COMPLIANT. Only the latest ACTIVE revision of each family is evaluated (family and revision from configuration.TaskDefinitionArn, compared with the other AWS::ECS::TaskDefinition CIs of the account and region); superseded revisions are NOT_APPLICABLE, and so are INACTIVE revisions while SkipInactiveTaskDefinitions is true (with false, an INACTIVE revision with no later revision recorded is evaluated). Security Hub retired this control in March 2026 in favour of ECS.4, ECS.17, ECS.20 and ECS.21.",
	"severity": "high",
	"resource_types": ["AWS::ECS::TaskDefinition"],
	"requires": ["AWS::ECS::TaskDefinition"],
	# Only the latest active revision is in scope: a newer one may be missing from a partial input.
	"needs_complete": true,
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.1"],
	},
	"config_rule": "ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK",
	"parameters": {
		"SkipInactiveTaskDefinitions": {
			"default": true,
			"description": "Do not evaluate INACTIVE task definition revisions (Security Hub: true, not customizable).",
			"type": "boolean",
		},
	},
}

_conf := input.configuration

_skip_inactive if not values.is_false(data.parameters["ECS.1"].SkipInactiveTaskDefinitions)

default applicable := false

applicable if container_helpers.latest_active_revision(input)

applicable if {
	not _skip_inactive
	container_helpers.inactive(input)
	not container_helpers.newer_revision_exists(input)
}

_host_mode if container_helpers.upper_string(_conf.NetworkMode) == "HOST"

violation contains msg if {
	_host_mode
	some i, c in container_helpers.containers(_conf)
	not values.is_true(container_helpers.get(c, "Privileged"))
	container_helpers.root_user(c)
	msg := sprintf("%s runs as root (User is %v) without privileged=true in host network mode (Privileged is %v)", [
		container_helpers.container_label(c, i),
		values.show(c, "User"),
		values.show(c, "Privileged"),
	])
}
