package regent.opensearch_4

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.4",
	"title": "OpenSearch domain error logging to CloudWatch Logs should be enabled",
	"description": "Checks configuration.LogPublishingOptions of an OpenSearch Service domain for every log type in logTypes (default \"error\"; \"error\" = ES_APPLICATION_LOGS, \"search\" = SEARCH_SLOW_LOGS, \"index\" = INDEX_SLOW_LOGS, \"audit\" = AUDIT_LOGS, matched case-insensitively): the entry must have Enabled true (or \"true\") and a non-empty CloudWatchLogsLogGroupArn. NON_COMPLIANT when the entry or LogPublishingOptions is missing, disabled, or has no log group. Unknown log type names are reported as such.",
	"severity": "medium",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.4"],
	},
	"config_rule": "OPENSEARCH_LOGS_TO_CLOUDWATCH",
	"parameters": {
		"logTypes": {
			"default": ["error"],
			"description": "Log types that must be published to CloudWatch Logs: error, search, index, audit (a list, or a comma-separated string).",
			"type": "list(string)|csv(string)",
			"values": ["error", "search", "index", "audit"],
		},
	},
}

_keys := {"error": "ES_APPLICATION_LOGS", "search": "SEARCH_SLOW_LOGS", "index": "INDEX_SLOW_LOGS", "audit": "AUDIT_LOGS"}

_types := {lower(t) | some t in container_helpers.string_list(data.parameters["Opensearch.4"].logTypes)}

_publishing := container_helpers.get(input.configuration, "LogPublishingOptions")

violation contains msg if {
	some t in _types
	key := _keys[t]
	option := container_helpers.get(_publishing, key)
	not values.is_true(container_helpers.get(option, "Enabled"))
	msg := sprintf("%s logs are not published to CloudWatch Logs (LogPublishingOptions.%s.Enabled is %v)", [t, key, values.show(option, "Enabled")])
}

violation contains msg if {
	some t in _types
	key := _keys[t]
	option := container_helpers.get(_publishing, key)
	values.is_true(container_helpers.get(option, "Enabled"))
	not container_helpers.non_empty_string(container_helpers.get(option, "CloudWatchLogsLogGroupArn"))
	msg := sprintf("%s log publishing is enabled but names no log group (LogPublishingOptions.%s.CloudWatchLogsLogGroupArn is %v)", [t, key, values.show(option, "CloudWatchLogsLogGroupArn")])
}

violation contains msg if {
	some t in _types
	not _keys[t]
	msg := sprintf("logTypes names %q, which is not one of error, search, index, audit", [t])
}
