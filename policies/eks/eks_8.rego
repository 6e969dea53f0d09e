package regent.eks_8

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "EKS.8",
	"title": "EKS clusters should have audit logging enabled",
	"description": "Checks the control plane log types an EKS cluster sends to CloudWatch Logs: every type in logTypes (default \"audit\", matched case-insensitively) must be enabled. Enabled types are read from configuration.Logging.ClusterLogging.EnabledTypes[].Type (the CloudFormation shape Config records) and, for API-shaped data, from ClusterLogging[] entries with Enabled true and their Types[]. NON_COMPLIANT when Logging is missing or a required type is not enabled.",
	"severity": "medium",
	"resource_types": ["AWS::EKS::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EKS.8"],
	},
	"config_rule": "EKS_CLUSTER_LOG_ENABLED",
	"parameters": {
		"logTypes": {
			"default": ["audit"],
			"description": "Control plane log types that must be enabled (api, audit, authenticator, controllerManager, scheduler; a list or a comma-separated string).",
			"type": "list(string)|csv(string)",
			"values": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
		},
	},
}

_logging := container_helpers.get(container_helpers.get(input.configuration, "Logging"), "ClusterLogging")

_enabled := {lower(t) |
	some entry in container_helpers.as_array(_logging)
	some e in container_helpers.as_array(container_helpers.get(entry, "EnabledTypes"))
	is_string(e.Type)
	t := trim_space(e.Type)
} | {lower(trim_space(t)) |
	some entry in container_helpers.as_array(_logging)
	values.is_true(container_helpers.get(entry, "Enabled"))
	some t in container_helpers.as_array(container_helpers.get(entry, "Types"))
	is_string(t)
}

_required := [t | some t in container_helpers.string_list(data.parameters["EKS.8"].logTypes)]

_missing := sort([t | some t in _required; not lower(t) in _enabled])

violation contains msg if {
	count(_missing) > 0
	msg := sprintf("control plane logging is not enabled for %s (enabled types: %s)", [
		concat(", ", _missing),
		_enabled_label,
	])
}

_enabled_label := concat(", ", sort(_enabled)) if count(_enabled) > 0

_enabled_label := "none" if count(_enabled) == 0
