package regent.eks_2

import data.regent.lib.container_helpers

metadata := {
	"id": "EKS.2",
	"title": "EKS clusters should run on a supported Kubernetes version",
	"description": "Checks configuration.Version of an EKS cluster. With oldestVersionSupported set, NON_COMPLIANT when the version is lower (numeric comparison, 1.9 < 1.29), as the AWS Config rule does. With it null (the default), the Security Hub-maintained value is reproduced from the EKS release calendar in data.reference.eks_versions: NON_COMPLIANT when the version's end of standard support is on or before the evaluation time (data.context.as_of), or the version is older than every version in the calendar; versions newer than the calendar are COMPLIANT. A missing or non-numeric Version is NON_COMPLIANT.",
	"severity": "high",
	"resource_types": ["AWS::EKS::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EKS.2"],
	},
	"config_rule": "EKS_CLUSTER_SUPPORTED_VERSION",
	"parameters": {
		"oldestVersionSupported": {
			"default": null,
			"description": "Oldest supported Kubernetes version (e.g. \"1.33\"); null follows the calendar in data.reference.eks_versions as Security Hub does.",
			"type": "string",
		},
	},
	"remediation": {
		"runbook": "AWS-UpdateEKSCluster",
		"parameters": {
			"ClusterName": "{{resourceName}}",
			"Version": "{{settings.eks_kubernetes_version}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# A control-plane upgrade moves one minor version at a time and cannot be undone; add-ons
		# and node groups must be ready for the new version first.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_version := input.configuration.Version

_param := data.parameters["EKS.2"].oldestVersionSupported

_fixed if container_helpers.non_empty_string(_param)

_calendar := [v |
	some entry in data.reference.eks_versions.versions
	v := {
		"version": entry.version,
		"n": container_helpers.version_number(entry.version),
		"end": entry.end_of_standard_support,
		"end_ns": time.parse_rfc3339_ns(entry.end_of_standard_support),
	}
]

_oldest_listed := min({v.n | some v in _calendar})

_still_supported := [v | some v in _calendar; v.end_ns > data.context.as_of_ns]

_oldest_supported := v.version if {
	some v in _still_supported
	v.n == min({s.n | some s in _still_supported})
}

violation contains msg if {
	not container_helpers.version_number(_version)
	msg := sprintf("cluster Kubernetes version is %v, not a version number", [container_helpers.get(input.configuration, "Version")])
}

violation contains msg if {
	_fixed
	container_helpers.version_less(_version, _param)
	msg := sprintf("Kubernetes version %s is older than the oldest supported version %s", [_version, _param])
}

violation contains msg if {
	not _fixed
	container_helpers.version_number(_version) < _oldest_listed
	msg := sprintf("Kubernetes version %s is older than every version in the EKS release calendar (oldest listed %s)", [_version, _calendar_version(_oldest_listed)])
}

violation contains msg if {
	not _fixed
	some v in _calendar
	v.n == container_helpers.version_number(_version)
	v.end_ns <= data.context.as_of_ns
	msg := sprintf("Kubernetes version %s left EKS standard support on %s (oldest supported version as of %s: %s)", [
		_version,
		substring(v.end, 0, 10),
		substring(data.context.as_of, 0, 10),
		_oldest_label,
	])
}

_calendar_version(n) := v.version if {
	some v in _calendar
	v.n == n
}

_oldest_label := _oldest_supported

_oldest_label := "one newer than the calendar" if count(_still_supported) == 0
