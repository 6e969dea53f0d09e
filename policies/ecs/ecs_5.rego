package regent.ecs_5

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "ECS.5",
	"title": "ECS containers should be limited to read-only access to root filesystems",
	"description": "Checks EVERY container definition of a task definition (configuration.ContainerDefinitions[]): ReadonlyRootFilesystem must be true (\"true\"/\"True\" count); false, \"false\", null or missing (ECS then mounts the root filesystem writable) is NON_COMPLIANT, and the reason names each such container. Only the latest ACTIVE revision of each family is evaluated (family and revision from configuration.TaskDefinitionArn, compared with the other AWS::ECS::TaskDefinition CIs of the account and region); superseded and INACTIVE revisions are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::ECS::TaskDefinition"],
	"requires": ["AWS::ECS::TaskDefinition"],
	# Only the latest active revision is in scope: a newer one may be missing from a partial input.
	"needs_complete": true,
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.5"],
	},
	"config_rule": "ECS_CONTAINERS_READONLY_ACCESS",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-LimitECSRootFilesystemAccess",
		"parameters": {
			# The runbook wants "family:revision" (pattern ^[a-zA-Z0-9_-]{1,255}:\d$, so only
			# revisions 1-9 pass); this assumes Config's resourceName for a task definition CI
			# is "family:revision" (not verified against a real CI).
			"TaskDefinitionId": "{{resourceName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Registers a new revision with read-only root filesystems; containers that write to
		# their root filesystem would then fail, so never unattended.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

default applicable := false

applicable if container_helpers.latest_active_revision(input)

violation contains msg if {
	some i, c in container_helpers.containers(input.configuration)
	not values.is_true(container_helpers.get(c, "ReadonlyRootFilesystem"))
	msg := sprintf("%s has a writable root filesystem (ReadonlyRootFilesystem is %v)", [
		container_helpers.container_label(c, i),
		values.show(c, "ReadonlyRootFilesystem"),
	])
}
