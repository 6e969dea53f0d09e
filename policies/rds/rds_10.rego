package regent.rds_10

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.10",
	"title": "IAM authentication should be configured for RDS instances",
	"description": "Checks configuration.iAMDatabaseAuthenticationEnabled of an RDS DB instance: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. Only instances whose configuration.engine is mysql, postgres, mariadb, aurora, aurora-mysql or aurora-postgresql and whose dBInstanceStatus is available, backing-up, storage-optimization or storage-full are evaluated; all others are NOT_APPLICABLE, as in the managed rule.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.10"],
	},
	"config_rule": "RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

_engines := {"mysql", "postgres", "mariadb", "aurora", "aurora-mysql", "aurora-postgresql"}

default applicable := false

applicable if {
	db_helpers.engine(_conf) in _engines
	db_helpers.instance_in_evaluated_state(_conf)
}

violation contains msg if {
	not values.is_true(_conf.iAMDatabaseAuthenticationEnabled)
	msg := sprintf("IAM database authentication is not enabled (iAMDatabaseAuthenticationEnabled is %v)", [values.show(_conf, "iAMDatabaseAuthenticationEnabled")])
}
