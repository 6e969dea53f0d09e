package regent.rds_5

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.5",
	"title": "RDS DB instances should be configured with multiple Availability Zones",
	"description": "Checks configuration.multiAZ of an RDS DB instance: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. Like the managed rule, instances whose configuration.engine is an Aurora engine (aurora, aurora-mysql, aurora-postgresql), docdb (DocumentDB) or neptune are NOT_APPLICABLE: their availability is a property of the cluster (see RDS.15).",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.5"],
	},
	"config_rule": "RDS_MULTI_AZ_SUPPORT",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableMultiAZOnRDSInstance",
		"parameters": {
			"RDSInstanceARN": "{{ARN}}",
			"ApplyImmediately": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_engine := db_helpers.engine(_conf)

default applicable := true

applicable := false if db_helpers.aurora(_engine)

applicable := false if db_helpers.non_rds_engine(_engine)

violation contains msg if {
	not values.is_true(_conf.multiAZ)
	msg := sprintf("DB instance is not a Multi-AZ deployment (multiAZ is %v)", [values.show(_conf, "multiAZ")])
}
