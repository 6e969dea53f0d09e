package regent.ecs_10

import data.regent.lib.container_helpers

metadata := {
	"id": "ECS.10",
	"title": "ECS Fargate services should run on the latest Fargate platform version",
	"description": "For an ECS service on Fargate (configuration.LaunchType \"FARGATE\", or a CapacityProviderStrategy using FARGATE or FARGATE_SPOT; other services are NOT_APPLICABLE), checks configuration.PlatformVersion: \"LATEST\" (any case), null or missing (ECS then resolves LATEST) is COMPLIANT. A pinned version is COMPLIANT only when it is at least the latest version for its family: latestWindowsVersion for a PlatformFamily starting with WINDOWS, else latestLinuxVersion; either parameter, when null, is taken from the pack's reference data (data.reference.fargate_platform_versions: Linux 1.4.0, Windows 1.0.0). Without PlatformFamily in the CI, a version at least the latest Linux one, or exactly the latest Windows one, is accepted. Security Hub sets neither parameter, so there any pinned version fails; this pack accepts a pinned latest version.",
	"severity": "medium",
	"resource_types": ["AWS::ECS::Service"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.10"],
	},
	"config_rule": "ECS_FARGATE_LATEST_PLATFORM_VERSION",
	"parameters": {
		"latestLinuxVersion": {
			"default": null,
			"description": "Latest Linux Fargate platform version (SemVer, e.g. 1.4.0); null uses data.reference.fargate_platform_versions.linux.",
			"type": "string",
		},
		"latestWindowsVersion": {
			"default": null,
			"description": "Latest Windows Fargate platform version (SemVer, e.g. 1.0.0); null uses data.reference.fargate_platform_versions.windows.",
			"type": "string",
		},
	},
}

_conf := input.configuration

_params := data.parameters["ECS.10"]

default applicable := false

applicable if container_helpers.upper_string(_conf.LaunchType) == "FARGATE"

applicable if {
	some s in container_helpers.as_array(container_helpers.get(_conf, "CapacityProviderStrategy"))
	container_helpers.upper_string(s.CapacityProvider) in {"FARGATE", "FARGATE_SPOT"}
}

_latest(family) := v if {
	v := _params[_param_name[family]]
	container_helpers.non_empty_string(v)
}

_latest(family) := data.reference.fargate_platform_versions[family] if not container_helpers.non_empty_string(_params[_param_name[family]])

_param_name := {"linux": "latestLinuxVersion", "windows": "latestWindowsVersion"}

# The operating system family of the service's tasks, when the CI records it.
_family := "windows" if startswith(container_helpers.upper_string(_conf.PlatformFamily), "WINDOWS")

_family := "linux" if {
	container_helpers.non_empty_string(_conf.PlatformFamily)
	not startswith(container_helpers.upper_string(_conf.PlatformFamily), "WINDOWS")
}

_pinned := v if {
	v := _conf.PlatformVersion
	container_helpers.non_empty_string(v)
	container_helpers.upper_string(v) != "LATEST"
}

_is_latest(v) if {
	# Test _family on its own first: regorus's VM does not fail a body on
	# `x := <undefined rule>` (the interpreter does), so the guard must be explicit.
	_family
	family := _family
	container_helpers.version_number(v)
	not container_helpers.version_less(v, _latest(family))
}

# Family unknown: at least the latest Linux version, or exactly the latest Windows one.
_is_latest(v) if {
	not _family
	container_helpers.version_number(v)
	not container_helpers.version_less(v, _latest("linux"))
}

_is_latest(v) if {
	not _family
	container_helpers.version_number(v) == container_helpers.version_number(_latest("windows"))
}

_expected := sprintf("%s %s", [_family, _latest(_family)])

_expected := sprintf("linux %s or windows %s", [_latest("linux"), _latest("windows")]) if not _family

violation contains msg if {
	v := _pinned
	not _is_latest(v)
	msg := sprintf("Fargate service is pinned to platform version %q, not LATEST or the latest version (%s)", [v, _expected])
}
