package regent.ecs_12

import data.regent.lib.container_helpers

metadata := {
	"id": "ECS.12",
	"title": "ECS clusters should use Container Insights",
	"description": "Checks configuration.ClusterSettings[] of an ECS cluster for the entry whose Name is \"containerInsights\" (any letter case): its Value must be \"enabled\" or \"enhanced\" (Container Insights with enhanced observability). NON_COMPLIANT when there is no such setting (the account default is not recorded in the cluster CI) or its Value is \"disabled\" or anything else.",
	"severity": "medium",
	"resource_types": ["AWS::ECS::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.12"],
	},
	"config_rule": "ECS_CONTAINER_INSIGHTS_ENABLED",
	"parameters": {},
}

_settings := [s |
	some s in container_helpers.as_array(container_helpers.get(input.configuration, "ClusterSettings"))
	container_helpers.upper_string(s.Name) == "CONTAINERINSIGHTS"
]

_enabled if {
	some s in _settings
	container_helpers.upper_string(s.Value) in {"ENABLED", "ENHANCED"}
}

violation contains "cluster has no containerInsights setting in ClusterSettings (Container Insights not enabled)" if {
	count(_settings) == 0
}

violation contains msg if {
	count(_settings) > 0
	not _enabled
	msg := sprintf("Container Insights is not enabled (ClusterSettings containerInsights is %v)", [concat(", ", [sprintf("%v", [container_helpers.get(s, "Value")]) | some s in _settings])])
}
