package regent.codebuild_5

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "CodeBuild.5",
	"title": "CodeBuild project environments should not have privileged mode enabled",
	"description": "Checks configuration.environment.privilegedMode of a CodeBuild project: true (or \"true\"/\"True\") is NON_COMPLIANT because the build container gets root access to the host's Docker daemon; false or missing is COMPLIANT. Projects named (configuration.name) in exemptedProjects are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::CodeBuild::Project"],
	"requires": [],
	"standards": {},
	"config_rule": "CODEBUILD_PROJECT_ENVIRONMENT_PRIVILEGED_CHECK",
	"parameters": {
		"exemptedProjects": {
			"default": null,
			"description": "Names of CodeBuild projects allowed to use privileged mode (a list, or a comma-separated string); null exempts none.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-RemoveCodeBuildPrivilegedMode",
		"parameters": {
			"ProjectName": "{{configuration.name}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Builds that run Docker (docker build, docker-in-docker) stop working.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_exempt := {p | some p in container_helpers.string_list(data.parameters["CodeBuild.5"].exemptedProjects)}

default applicable := true

applicable := false if container_helpers.get(input.configuration, "name") in _exempt

_env := container_helpers.get(input.configuration, "environment")

violation contains msg if {
	values.is_true(container_helpers.get(_env, "privilegedMode"))
	msg := sprintf("build environment runs in privileged mode (environment.privilegedMode is %v)", [_env.privilegedMode])
}
