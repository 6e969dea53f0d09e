package regent.apigateway_5

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "APIGateway.5",
	"title": "API Gateway REST API cache data should be encrypted at rest",
	"description": "Checks an API Gateway REST API stage that has a cache cluster (configuration.cacheClusterEnabled true): every entry of configuration.methodSettings (the stage-wide \"*/*\" entry and per-method overrides) that caches responses (cachingEnabled true) must also have cacheDataEncrypted true. NON_COMPLIANT for each caching entry whose cacheDataEncrypted is false or missing. Stages without a cache cluster are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::ApiGateway::Stage"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["APIGateway.5"],
	},
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableAPIGatewayCacheDataEncryption",
		"parameters": {
			"APIGatewayStageArn": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Only the cache's storage changes; responses stay the same.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

default applicable := false

applicable if values.is_true(input.configuration.cacheClusterEnabled)

_method_settings := m if {
	m := edge_helpers.field(input.configuration, ["methodSettings", "MethodSettings"])
	is_object(m)
}

violation contains msg if {
	some method, settings in _method_settings
	values.is_true(edge_helpers.field(settings, ["cachingEnabled", "CachingEnabled"]))
	not values.is_true(edge_helpers.field(settings, ["cacheDataEncrypted", "CacheDataEncrypted"]))
	msg := sprintf("method settings %s cache responses without encryption (cacheDataEncrypted is %v)", [method, edge_helpers.show_field(settings, ["cacheDataEncrypted", "CacheDataEncrypted"])])
}
