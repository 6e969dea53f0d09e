package regent.lambda_2

import data.regent.lib.edge_helpers

metadata := {
	"id": "Lambda.2",
	"title": "Lambda functions should use supported runtimes",
	"description": "Checks configuration.runtime of a Lambda function against the supported runtimes. By default these come from the pack's reference data (data.reference.lambda_runtimes: the Security Hub runtime list, each runtime counted as supported until its end_of_support date, compared with the evaluation time data.context.as_of_ns); setting the runtime parameter (a list or comma-separated string) replaces that list. NON_COMPLIANT when the runtime is not supported (e.g. python3.7, nodejs16.x, go1.x, or nodejs18.x after 2025-09-01). Container-image functions (packageType Image) and OS-only runtimes (provided, provided.al2, provided.al2023) are NOT_APPLICABLE, as are functions with no runtime recorded.",
	"severity": "medium",
	"resource_types": ["AWS::Lambda::Function"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Lambda.2"],
	},
	"config_rule": "LAMBDA_FUNCTION_SETTINGS_CHECK",
	"parameters": {
		"runtime": {
			"default": null,
			"description": "Supported runtime identifiers (a list, or a comma-separated string); null uses the Security Hub list shipped in data.reference.lambda_runtimes, with its end-of-support dates.",
			"type": "list(string)|csv(string)",
		},
	},
}

_runtime := input.configuration.runtime

_image if {
	is_string(input.configuration.packageType)
	lower(input.configuration.packageType) == "image"
}

_os_only if startswith(_runtime, "provided")

default applicable := false

applicable if {
	is_string(_runtime)
	not _image
	not _os_only
}

_param := data.parameters["Lambda.2"].runtime

_reference := data.reference.lambda_runtimes

# Runtimes from the reference data that have not reached end of support at the evaluation
# time (the lambda_runtimes view, computed once per run).
_supported := data.views.lambda_runtimes.supported if _param == null

_supported := {r | some r in edge_helpers.csv(_param)} if _param != null

violation contains msg if {
	not _runtime in _supported
	msg := sprintf("function runtime %s is not a supported runtime%s", [_runtime, _why])
}

_why := sprintf(" (end of support %s)", [_reference.end_of_support[_runtime]]) if _listed_in_reference

_why := "" if not _listed_in_reference

# The runtime is in the reference list, so it is unsupported only because its end of support
# has passed.
_listed_in_reference if {
	_param == null
	_runtime in _reference.supported
}
