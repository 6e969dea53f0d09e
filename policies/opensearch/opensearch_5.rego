package regent.opensearch_5

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.5",
	"title": "OpenSearch domains should have audit logging enabled",
	"description": "Checks configuration.LogPublishingOptions.AUDIT_LOGS of an OpenSearch Service domain: Enabled must be true (or \"true\"); false, missing entry or missing LogPublishingOptions is NON_COMPLIANT. With cloudWatchLogsLogGroupArnList set, AUDIT_LOGS.CloudWatchLogsLogGroupArn must be one of those ARNs (compared with and without a trailing \":*\"). Audit logs also need fine-grained access control (AdvancedSecurityOptions.Enabled); the reason mentions it when it is off.",
	"severity": "medium",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.5"],
	},
	"config_rule": "OPENSEARCH_AUDIT_LOGGING_ENABLED",
	"parameters": {
		"cloudWatchLogsLogGroupArnList": {
			"default": null,
			"description": "CloudWatch Logs log group ARNs audit logs must go to (a list, or a comma-separated string); null accepts any group.",
			"type": "list(string)|csv(string)",
		},
	},
}

_audit := container_helpers.get(container_helpers.get(input.configuration, "LogPublishingOptions"), "AUDIT_LOGS")

_fgac_off if not values.is_true(container_helpers.get(container_helpers.get(input.configuration, "AdvancedSecurityOptions"), "Enabled"))

default _note := ""

_note := " and fine-grained access control (AdvancedSecurityOptions.Enabled), which audit logs need, is off" if _fgac_off

_strip(arn) := trim_suffix(trim_space(arn), ":*")

_allowed := {_strip(a) | some a in container_helpers.string_list(data.parameters["Opensearch.5"].cloudWatchLogsLogGroupArnList)}

violation contains msg if {
	not values.is_true(container_helpers.get(_audit, "Enabled"))
	msg := sprintf("audit logs are not published (LogPublishingOptions.AUDIT_LOGS.Enabled is %v)%s", [values.show(_audit, "Enabled"), _note])
}

violation contains msg if {
	count(_allowed) > 0
	values.is_true(container_helpers.get(_audit, "Enabled"))
	group := container_helpers.get(_audit, "CloudWatchLogsLogGroupArn")
	not _in_allowed(group)
	msg := sprintf("audit logs go to log group %v, which is not in cloudWatchLogsLogGroupArnList", [group])
}

_in_allowed(group) if {
	is_string(group)
	_strip(group) in _allowed
}
