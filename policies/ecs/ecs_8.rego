package regent.ecs_8

import data.regent.lib.container_helpers

metadata := {
	"id": "ECS.8",
	"title": "Secrets should not be passed as container environment variables",
	"description": "Checks the plain environment variables of EVERY container definition of a task definition (configuration.ContainerDefinitions[].Environment[].Name): a variable whose name is one of secretKeys (exact, case-sensitive match after trimming) is NON_COMPLIANT, and the reason names the container and variable. Values injected through Secrets (Secrets Manager / Parameter Store references) and EnvironmentFiles in S3 are not checked. Only the latest ACTIVE revision of each family is evaluated (family and revision from configuration.TaskDefinitionArn, compared with the other AWS::ECS::TaskDefinition CIs of the account and region); superseded and INACTIVE revisions are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::ECS::TaskDefinition"],
	"requires": ["AWS::ECS::TaskDefinition"],
	# Only the latest active revision is in scope: a newer one may be missing from a partial input.
	"needs_complete": true,
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.8"],
	},
	"config_rule": "ECS_NO_ENVIRONMENT_SECRETS",
	"parameters": {
		"secretKeys": {
			"default": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"],
			"description": "Environment variable names that must not be set in plain text (a list, or a comma-separated string).",
			"type": "list(string)|csv(string)",
		},
	},
}

_secret_keys := {k | some k in container_helpers.string_list(data.parameters["ECS.8"].secretKeys)}

default applicable := false

applicable if container_helpers.latest_active_revision(input)

violation contains msg if {
	some i, c in container_helpers.containers(input.configuration)
	some env in container_helpers.as_array(container_helpers.get(c, "Environment"))
	is_string(env.Name)
	name := trim_space(env.Name)
	name in _secret_keys
	msg := sprintf("%s passes %s as a plain environment variable", [container_helpers.container_label(c, i), name])
}
