package regent.rds_11

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.11",
	"title": "RDS instances should have automatic backups enabled",
	"description": "Checks configuration.backupRetentionPeriod of an RDS DB instance (numbers held as strings are read too): NON_COMPLIANT when it is 0 or missing (automated backups disabled) or lower than the backupRetentionMinimum parameter (default 7 days). Read replicas (a non-empty readReplicaSourceDBInstanceIdentifier) are NOT_APPLICABLE unless checkReadReplicas is true. The backup window is not examined.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.11"],
	},
	"config_rule": "DB_INSTANCE_BACKUP_ENABLED",
	"parameters": {
		"backupRetentionMinimum": {
			"default": 7,
			"description": "Minimum number of days automated backups must be kept.",
			"type": "integer",
			"minimum": 1,
			"maximum": 35,
		},
		"checkReadReplicas": {
			"default": false,
			"description": "Also evaluate read replicas (instances with readReplicaSourceDBInstanceIdentifier); when false they are NOT_APPLICABLE.",
			"type": "boolean",
		},
	},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableRDSInstanceBackup",
		"parameters": {
			"DbiResourceId": "{{resourceId}}",
			"BackupRetentionPeriod": 7,
			"ApplyImmediately": false,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: turning automated backups on (retention 0 -> non-zero) makes RDS
		# take a backup with a brief I/O suspension or restart when the change is applied.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_replica if db_helpers.text(_conf.readReplicaSourceDBInstanceIdentifier)

default applicable := true

applicable := false if {
	_replica
	not values.is_true(data.parameters["RDS.11"].checkReadReplicas)
}

_retention := values.number(_conf.backupRetentionPeriod)

_backups_on if _retention > 0

violation contains msg if {
	not _backups_on
	msg := sprintf("automated backups are not enabled (backupRetentionPeriod is %v)", [values.show(_conf, "backupRetentionPeriod")])
}

_minimum := values.number(data.parameters["RDS.11"].backupRetentionMinimum)

violation contains msg if {
	_backups_on
	_retention < _minimum
	msg := sprintf("automated backups are kept for %v day(s), less than the required %v (backupRetentionPeriod)", [_retention, _minimum])
}
