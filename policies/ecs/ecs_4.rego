package regent.ecs_4

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "ECS.4",
	"title": "ECS containers should run as non-privileged",
	"description": "Checks EVERY container definition of a task definition (configuration.ContainerDefinitions[]): a container with Privileged true (or \"true\"/\"True\") is NON_COMPLIANT; false, null or missing is COMPLIANT. The reason names each privileged container. Only the latest ACTIVE revision of each family is evaluated (family and revision from configuration.TaskDefinitionArn, compared with the other AWS::ECS::TaskDefinition CIs of the account and region); superseded and INACTIVE revisions are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::ECS::TaskDefinition"],
	"requires": ["AWS::ECS::TaskDefinition"],
	# Only the latest active revision is in scope: a newer one may be missing from a partial input.
	"needs_complete": true,
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.4"],
	},
	"config_rule": "ECS_CONTAINERS_NONPRIVILEGED",
	"parameters": {},
}

default applicable := false

applicable if container_helpers.latest_active_revision(input)

violation contains msg if {
	some i, c in container_helpers.containers(input.configuration)
	values.is_true(container_helpers.get(c, "Privileged"))
	msg := sprintf("%s runs privileged (Privileged is %v)", [container_helpers.container_label(c, i), c.Privileged])
}
