package regent.codebuild_4

import data.regent.lib.container_helpers

metadata := {
	"id": "CodeBuild.4",
	"title": "CodeBuild project environments should have a logging AWS Configuration",
	"description": "Checks configuration.logsConfig of a CodeBuild project: at least one of cloudWatchLogs.status and s3Logs.status must be \"ENABLED\" (any letter case). NON_COMPLIANT when every recorded log configuration is DISABLED or logsConfig is missing. With s3BucketNames set, enabled S3 logs must go to one of those buckets (the bucket part of s3Logs.location, \"bucket/prefix\" or an S3 ARN); with cloudWatchGroupNames set, enabled CloudWatch logs must name one of those groups in cloudWatchLogs.groupName.",
	"severity": "medium",
	"resource_types": ["AWS::CodeBuild::Project"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["CodeBuild.4"],
	},
	"config_rule": "CODEBUILD_PROJECT_LOGGING_ENABLED",
	"parameters": {
		"s3BucketNames": {
			"default": null,
			"description": "S3 buckets that S3 build logs must go to when enabled (a list, or a comma-separated string); null accepts any bucket.",
			"type": "list(string)|csv(string)",
		},
		"cloudWatchGroupNames": {
			"default": null,
			"description": "CloudWatch Logs groups that build logs must go to when enabled (a list, or a comma-separated string); null accepts any group.",
			"type": "list(string)|csv(string)",
		},
	},
}

_logs := container_helpers.get(input.configuration, "logsConfig")

_cw := container_helpers.get(_logs, "cloudWatchLogs")

_s3 := container_helpers.get(_logs, "s3Logs")

_enabled(cfg) if container_helpers.upper_string(container_helpers.get(cfg, "status")) == "ENABLED"

_status(cfg) := container_helpers.get(cfg, "status") if is_object(cfg)

_status(cfg) := "not configured" if not is_object(cfg)

_params := data.parameters["CodeBuild.4"]

_buckets := {b | some b in container_helpers.string_list(_params.s3BucketNames)}

_groups := {g | some g in container_helpers.string_list(_params.cloudWatchGroupNames)}

violation contains msg if {
	not _enabled(_cw)
	not _enabled(_s3)
	msg := sprintf("no build logging is enabled (logsConfig.cloudWatchLogs.status is %v, logsConfig.s3Logs.status is %v)", [_status(_cw), _status(_s3)])
}

_bucket := b if {
	is_string(_s3.location)
	location := regex.replace(trim_space(_s3.location), `^arn:aws[a-z-]*:s3:::`, "")
	b := split(location, "/")[0]
}

violation contains msg if {
	count(_buckets) > 0
	_enabled(_s3)
	not _bucket in _buckets
	msg := sprintf("S3 build logs go to %v, which is not one of s3BucketNames", [_show(_s3, "location")])
}

violation contains msg if {
	count(_groups) > 0
	_enabled(_cw)
	not container_helpers.get(_cw, "groupName") in _groups
	msg := sprintf("CloudWatch build logs go to log group %v, which is not one of cloudWatchGroupNames", [_show(_cw, "groupName")])
}

_show(obj, key) := v if {
	v := container_helpers.get(obj, key)
	v != null
}

_show(obj, key) := "not set (the default group)" if container_helpers.get(obj, key) == null
