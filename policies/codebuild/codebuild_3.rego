package regent.codebuild_3

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "CodeBuild.3",
	"title": "CodeBuild S3 logs should be encrypted",
	"description": "For a CodeBuild project that sends build logs to S3 (configuration.logsConfig.s3Logs.status \"ENABLED\"), checks s3Logs.encryptionDisabled: true (or \"true\"/\"True\") is NON_COMPLIANT; false or missing (S3 logs are encrypted by default) is COMPLIANT. Projects without S3 logs enabled, and projects named (configuration.name) in exemptedProjects, are NOT_APPLICABLE.",
	"severity": "low",
	"resource_types": ["AWS::CodeBuild::Project"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CodeBuild.3"],
	},
	"config_rule": "CODEBUILD_PROJECT_S3_LOGS_ENCRYPTED",
	"parameters": {
		"exemptedProjects": {
			"default": null,
			"description": "Names of CodeBuild projects allowed to write unencrypted S3 logs (a list, or a comma-separated string); null exempts none.",
			"type": "list(string)|csv(string)",
		},
	},
}

_s3_logs := container_helpers.get(container_helpers.get(input.configuration, "logsConfig"), "s3Logs")

_exempt := {p | some p in container_helpers.string_list(data.parameters["CodeBuild.3"].exemptedProjects)}

default applicable := false

applicable if {
	container_helpers.upper_string(container_helpers.get(_s3_logs, "status")) == "ENABLED"
	not container_helpers.get(input.configuration, "name") in _exempt
}

violation contains msg if {
	values.is_true(container_helpers.get(_s3_logs, "encryptionDisabled"))
	msg := sprintf("S3 build logs written to %v are not encrypted (logsConfig.s3Logs.encryptionDisabled is %v)", [values.show(_s3_logs, "location"), _s3_logs.encryptionDisabled])
}
