package regent.apigateway_3

import data.regent.lib.values

metadata := {
	"id": "APIGateway.3",
	"title": "API Gateway REST API stages should have AWS X-Ray tracing enabled",
	"description": "Checks configuration.tracingEnabled of an API Gateway REST API stage. NON_COMPLIANT unless it is true (true or \"true\"); false or missing fails.",
	"severity": "low",
	"resource_types": ["AWS::ApiGateway::Stage"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["APIGateway.3"],
	},
	"config_rule": "API_GW_XRAY_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableAPIGatewayTracing",
		"parameters": {
			"StageArn": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Turns on request sampling to X-Ray; no change to how the API answers.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

violation contains msg if {
	not values.is_true(input.configuration.tracingEnabled)
	msg := sprintf("X-Ray tracing is not enabled on the stage (tracingEnabled is %v)", [values.show(input.configuration, "tracingEnabled")])
}
