package regent.codebuild_2

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "CodeBuild.2",
	"title": "CodeBuild project environment variables should not contain clear text credentials",
	"description": "Checks configuration.environment.environmentVariables[] of a CodeBuild project: a variable named AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY (names compared upper-cased) whose type is PLAINTEXT, or missing (CodeBuild's default), is NON_COMPLIANT; the same names stored as PARAMETER_STORE or SECRETS_MANAGER references are COMPLIANT. The reason names each variable, never its value.",
	"severity": "critical",
	"resource_types": ["AWS::CodeBuild::Project"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CodeBuild.2"],
	},
	"config_rule": "CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-ReplaceCodeBuildClearTextCredentials",
		"parameters": {
			"ProjectName": "{{configuration.name}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Moves the values to SecureString parameters and edits the project's service role
		# policy; the keys themselves still need rotating, so run it deliberately.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_credential_names := {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}

_variables := container_helpers.as_array(container_helpers.get(container_helpers.get(input.configuration, "environment"), "environmentVariables"))

_plaintext(v) if not container_helpers.non_empty_string(container_helpers.get(v, "type"))

_plaintext(v) if container_helpers.upper_string(v.type) == "PLAINTEXT"

violation contains msg if {
	some v in _variables
	container_helpers.upper_string(v.name) in _credential_names
	_plaintext(v)
	msg := sprintf("environment variable %s holds AWS credentials in clear text (type %v)", [v.name, values.show(v, "type")])
}
