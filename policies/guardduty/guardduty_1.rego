package regent.guardduty_1

import data.regent.lib.values

metadata := {
	"id": "GuardDuty.1",
	"title": "GuardDuty should be enabled",
	"description": "Account-level, per region: NON_COMPLIANT when no AWS::GuardDuty::Detector CI is recorded for the account in the region (GuardDuty never enabled there, or the type is not recorded), or when no recorded detector is enabled. A detector counts as enabled when configuration.Enable is true (\"true\"/\"True\" strings count) or, if Enable is not recorded, when configuration.Status is \"ENABLED\". The managed rule's optional CentralMonitoringAccount check (membership of a delegated administrator) is not evaluated. Region \"global\" (IAM pseudo-region) is NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::::Account"],
	"requires": ["AWS::GuardDuty::Detector"],
	# No enabled detector among those recorded: it may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["GuardDuty.1"],
	},
	"config_rule": "GUARDDUTY_ENABLED_CENTRALIZED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableGuardDuty",
		"parameters": {
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive, but GuardDuty is billed by the volume of events it analyses.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_type := "AWS::GuardDuty::Detector"

default applicable := true

applicable := false if input.awsRegion == "global"

_detectors := [ci |
	some id
	ci := data.inventory[_type][input.awsAccountId][input.awsRegion][id]
	is_object(ci.configuration)
]

_enabled(ci) if values.is_true(ci.configuration.Enable)

_enabled(ci) if {
	not _has_enable(ci)
	is_string(ci.configuration.Status)
	upper(ci.configuration.Status) == "ENABLED"
}

_has_enable(ci) if ci.configuration.Enable != null

_describe(ci) := sprintf("detector %s (Enable is %v)", [ci.resourceId, ci.configuration.Enable]) if _has_enable(ci)

_describe(ci) := sprintf("detector %s (Status is %v)", [ci.resourceId, values.show(ci.configuration, "Status")]) if not _has_enable(ci)

violation contains msg if {
	count(_detectors) == 0
	msg := sprintf("no GuardDuty detector is recorded for account %s in %s (GuardDuty is not enabled)", [input.awsAccountId, input.awsRegion])
}

violation contains msg if {
	count(_detectors) > 0
	count([ci | some ci in _detectors; _enabled(ci)]) == 0
	msg := sprintf("GuardDuty is not enabled in %s: %s", [input.awsRegion, concat(", ", sort([_describe(ci) | some ci in _detectors]))])
}
