package regent.apigateway_1

import data.regent.lib.edge_helpers

metadata := {
	"id": "APIGateway.1",
	"title": "API Gateway REST and WebSocket API execution logging should be enabled",
	"description": "Checks the execution logging level of an API Gateway stage against loggingLevel (default ERROR, INFO; compared case-insensitively). REST API stages (AWS::ApiGateway::Stage): configuration.methodSettings maps \"<resource path>/<method>\" to its settings; the stage-wide entry \"*/*\" must exist with an accepted loggingLevel, and every per-method entry that sets loggingLevel must use an accepted one (OFF fails). V2 stages (AWS::ApiGatewayV2::Stage): configuration.defaultRouteSettings.loggingLevel must be accepted, and so must every loggingLevel set in configuration.routeSettings. A missing level means logging is off (NON_COMPLIANT). HTTP API stages, which cannot log executions, are recorded as the same V2 type and fail as well.",
	"severity": "medium",
	"resource_types": ["AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["APIGateway.1"],
	},
	"config_rule": "API_GW_EXECUTION_LOGGING_ENABLED",
	"parameters": {
		"loggingLevel": {
			"default": ["ERROR", "INFO"],
			"description": "Accepted execution logging levels (a list, or a comma-separated string).",
			"type": "list(string)|csv(string)",
			"values": ["ERROR", "INFO"],
		},
	},
	"remediation": {
		"runbook": "ASR-EnableAPIGatewayExecutionLogs",
		"parameters": {
			# The runbook wants the ARN's resource part (/restapis/<id>/stages/<name> or
			# /apis/<id>/stages/<name>); templates cannot cut it out of the ARN, so the whole
			# stage ARN is passed.
			"APIGatewayStageArnSuffix": "{{ARN}}",
			"LoggingLevel": "INFO",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# INFO-level execution logs can hold request data, and the account needs an API
		# Gateway CloudWatch role; not applied unattended.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_allowed := {upper(l) | some l in edge_helpers.csv(data.parameters["APIGateway.1"].loggingLevel)}

_accepted_text := concat(", ", sort(_allowed))

_accepted(level) if {
	is_string(level)
	upper(level) in _allowed
}

_conf := c if {
	c := input.configuration
	is_object(c)
}

_conf := {} if not is_object(input.configuration)

_level(settings) := edge_helpers.show_field(settings, ["loggingLevel", "LoggingLevel"])

# REST API stages

_method_settings := m if {
	m := edge_helpers.field(_conf, ["methodSettings", "MethodSettings"])
	is_object(m)
}

_method_settings := {} if not is_object(edge_helpers.field(_conf, ["methodSettings", "MethodSettings"]))

violation contains msg if {
	input.resourceType == "AWS::ApiGateway::Stage"
	not "*/*" in object.keys(_method_settings)
	msg := "stage has no stage-wide method settings (methodSettings[\"*/*\"]), so execution logging is off"
}

violation contains msg if {
	input.resourceType == "AWS::ApiGateway::Stage"
	settings := _method_settings["*/*"]
	not _accepted(edge_helpers.field(settings, ["loggingLevel", "LoggingLevel"]))
	msg := sprintf("stage-wide execution logging level (methodSettings[\"*/*\"].loggingLevel) is %v (accepted: %s)", [_level(settings), _accepted_text])
}

violation contains msg if {
	input.resourceType == "AWS::ApiGateway::Stage"
	some method, settings in _method_settings
	method != "*/*"
	level := edge_helpers.field(settings, ["loggingLevel", "LoggingLevel"])
	not _accepted(level)
	msg := sprintf("method %s overrides the execution logging level with %v (accepted: %s)", [method, level, _accepted_text])
}

# V2 (WebSocket) stages

violation contains msg if {
	input.resourceType == "AWS::ApiGatewayV2::Stage"
	defaults := edge_helpers.field(_conf, ["defaultRouteSettings", "DefaultRouteSettings"])
	is_object(defaults)
	not _accepted(edge_helpers.field(defaults, ["loggingLevel", "LoggingLevel"]))
	msg := sprintf("default route execution logging level (defaultRouteSettings.loggingLevel) is %v (accepted: %s)", [_level(defaults), _accepted_text])
}

violation contains msg if {
	input.resourceType == "AWS::ApiGatewayV2::Stage"
	not is_object(edge_helpers.field(_conf, ["defaultRouteSettings", "DefaultRouteSettings"]))
	msg := "stage has no defaultRouteSettings, so execution logging is off"
}

violation contains msg if {
	input.resourceType == "AWS::ApiGatewayV2::Stage"
	routes := edge_helpers.field(_conf, ["routeSettings", "RouteSettings"])
	is_object(routes)
	some route, settings in routes
	level := edge_helpers.field(settings, ["loggingLevel", "LoggingLevel"])
	not _accepted(level)
	msg := sprintf("route %s overrides the execution logging level with %v (accepted: %s)", [route, level, _accepted_text])
}
