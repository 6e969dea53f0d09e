package regent.rds_8

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.8",
	"title": "RDS DB instances should have deletion protection enabled",
	"description": "Checks configuration.deletionProtection of an RDS DB instance whose configuration.engine (compared case-insensitively) is in the databaseEngines parameter: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. Instances of other engines, including the Aurora, DocumentDB and Neptune instances whose deletion protection is set on the cluster, are NOT_APPLICABLE. An empty or null databaseEngines evaluates every engine.",
	"severity": "low",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.8"],
	},
	"config_rule": "RDS_INSTANCE_DELETION_PROTECTION_ENABLED",
	"parameters": {
		"databaseEngines": {
			"default": ["mariadb", "mysql", "oracle-ee", "oracle-se2", "oracle-se1", "oracle-se", "postgres", "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web"],
			"description": "Engines whose instances are evaluated (a list, or a comma-separated string); others are NOT_APPLICABLE. Empty or null evaluates every engine.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableRDSInstanceDeletionProtection",
		"parameters": {
			"RDSInstanceARN": "{{ARN}}",
			"ApplyImmediately": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic although the setting itself is harmless: with ApplyImmediately true,
		# ModifyDBInstance also applies any modification already pending on the instance,
		# which may restart it outside its maintenance window.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_engines := db_helpers.lower_names(data.parameters["RDS.8"].databaseEngines)

_in_scope if {
	engine := db_helpers.engine(_conf)
	engine in _engines
}

default applicable := true

applicable := false if {
	count(_engines) > 0
	not _in_scope
}

violation contains msg if {
	not values.is_true(_conf.deletionProtection)
	msg := sprintf("DB instance does not have deletion protection enabled (deletionProtection is %v)", [values.show(_conf, "deletionProtection")])
}
