package regent.redshift_3

import data.regent.lib.values

metadata := {
	"id": "Redshift.3",
	"title": "Amazon Redshift clusters should have automatic snapshots enabled",
	"description": "Checks configuration.automatedSnapshotRetentionPeriod of an Amazon Redshift cluster (days; numbers held as strings are read too): NON_COMPLIANT when it is 0 or missing (automated snapshots disabled), lower than the MinRetentionPeriod parameter (default 7), or, with MaxRetentionPeriod set, higher than it.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.3"],
	},
	"config_rule": "REDSHIFT_BACKUP_ENABLED",
	"parameters": {
		"MinRetentionPeriod": {
			"default": 7,
			"description": "Minimum number of days automated snapshots must be kept (1 to 35).",
			"type": "integer",
			"minimum": 1,
			"maximum": 35,
		},
		"MaxRetentionPeriod": {
			"default": null,
			"description": "Maximum number of days automated snapshots may be kept (up to 35); null sets no maximum.",
			"type": "integer",
			"minimum": 1,
			"maximum": 35,
		},
	},
	"remediation": {
		"runbook": "ASR-EnableAutomaticSnapshotsOnRedshiftCluster",
		"parameters": {
			"ClusterIdentifier": "{{resourceId}}",
			"MinRetentionPeriod": 7,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive: ModifyCluster on the snapshot retention only (no restart); the cost is
		# snapshot storage.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_retention := values.number(_conf.automatedSnapshotRetentionPeriod)

_enabled if _retention > 0

violation contains msg if {
	not _enabled
	msg := sprintf("automated snapshots are not enabled (automatedSnapshotRetentionPeriod is %v)", [values.show(_conf, "automatedSnapshotRetentionPeriod")])
}

_minimum := values.number(data.parameters["Redshift.3"].MinRetentionPeriod)

violation contains msg if {
	_enabled
	_retention < _minimum
	msg := sprintf("automated snapshots are kept for %v day(s), less than the required %v (automatedSnapshotRetentionPeriod)", [_retention, _minimum])
}

_maximum := values.number(data.parameters["Redshift.3"].MaxRetentionPeriod)

violation contains msg if {
	_enabled
	_retention > _maximum
	msg := sprintf("automated snapshots are kept for %v day(s), more than the allowed %v (automatedSnapshotRetentionPeriod)", [_retention, _maximum])
}
