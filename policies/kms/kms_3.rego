package regent.kms_3

import data.regent.lib.edge_helpers
import data.regent.lib.resource_policy

metadata := {
	"id": "KMS.3",
	"title": "AWS KMS keys should not be deleted unintentionally",
	"description": concat(" ", [
		"Checks that a KMS key is not scheduled for deletion: configuration.keyState PendingDeletion (or PendingReplicaDeletion for a multi-Region replica) is NON_COMPLIANT, and the message gives configuration.deletionDate.",
		"Any other state (Enabled, Disabled, PendingImport, Unavailable, ...) is COMPLIANT; a key that has been deleted is no longer recorded.",
		"With kmsKeyIds set (key ids or ARNs, a list or comma-separated string), keys not listed are NOT_APPLICABLE.",
	]),
	"severity": "critical",
	"resource_types": ["AWS::KMS::Key"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["KMS.3"],
	},
	"config_rule": "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
	"parameters": {
		"kmsKeyIds": {
			"default": null,
			"description": "Only evaluate these keys (key ids or ARNs, a list or comma-separated string); null evaluates every key.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "AWSConfigRemediation-CancelKeyDeletion",
		"parameters": {
			"KeyId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Cancelling the deletion leaves the key Disabled: nothing that was failing starts
		# working, and nothing is lost.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration

_selected := resource_policy.csv_list(data.parameters["KMS.3"].kmsKeyIds)

default applicable := true

applicable := false if {
	count(_selected) > 0
	not _listed
}

_listed if {
	some wanted in _selected
	wanted in {input.resourceId, object.get(input, "ARN", ""), object.get(_conf, "keyId", ""), object.get(_conf, "arn", "")}
}

violation contains msg if {
	_conf.keyState in {"PendingDeletion", "PendingReplicaDeletion"}
	msg := sprintf("KMS key is scheduled for deletion (keyState %s, deletionDate %s)", [_conf.keyState, _deletion_date])
}

_deletion_date := edge_helpers.timestamp_text(_conf.deletionDate) if _conf.deletionDate != null

_deletion_date := "not recorded" if {
	object.get(_conf, "deletionDate", null) == null
}
