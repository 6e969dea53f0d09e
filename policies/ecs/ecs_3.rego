package regent.ecs_3

import data.regent.lib.container_helpers

metadata := {
	"id": "ECS.3",
	"title": "ECS task definitions should not share the host's process namespace",
	"description": "Checks configuration.PidMode of a task definition: \"host\" (any letter case) is NON_COMPLIANT because the containers share the host's process namespace; \"task\", null or missing is COMPLIANT. Only the latest ACTIVE revision of each family is evaluated (family and revision from configuration.TaskDefinitionArn, compared with the other AWS::ECS::TaskDefinition CIs of the account and region); superseded and INACTIVE revisions are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::ECS::TaskDefinition"],
	"requires": ["AWS::ECS::TaskDefinition"],
	# Only the latest active revision is in scope: a newer one may be missing from a partial input.
	"needs_complete": true,
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.3"],
	},
	"config_rule": "ECS_TASK_DEFINITION_PID_MODE_CHECK",
	"parameters": {},
}

default applicable := false

applicable if container_helpers.latest_active_revision(input)

violation contains msg if {
	mode := input.configuration.PidMode
	container_helpers.upper_string(mode) == "HOST"
	msg := sprintf("task definition shares the host's process namespace (PidMode is %q)", [mode])
}
