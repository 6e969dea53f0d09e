package regent.rds_24

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.24",
	"title": "RDS Database clusters should use a custom administrator username",
	"description": "Checks configuration.masterUsername of an RDS DB cluster: NON_COMPLIANT when it is one of the engines' default administrator names, \"admin\" or \"postgres\" (compared exactly). With the validAdminUserNames parameter set (a list or comma-separated string), the username must also be one of those names. Clusters whose configuration.engine is neptune or docdb are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.24"],
	},
	"config_rule": "RDS_CLUSTER_DEFAULT_ADMIN_CHECK",
	"parameters": {
		"validAdminUserNames": {
			"default": null,
			"description": "Administrator usernames clusters may use (a list or comma-separated string; \"admin\" and \"postgres\" are never accepted); null accepts any non-default name.",
			"type": "list(string)|csv(string)",
		},
	},
}

_conf := object.get(input, "configuration", null)

default applicable := true

applicable := false if db_helpers.non_rds_engine(db_helpers.engine(_conf))

_defaults := {"admin", "postgres"}

_user := values.show(_conf, "masterUsername")

violation contains msg if {
	_user in _defaults
	msg := sprintf("DB cluster uses the default administrator username %q (masterUsername)", [_user])
}

_valid := db_helpers.names(data.parameters["RDS.24"].validAdminUserNames)

violation contains msg if {
	count(_valid) > 0
	not _user in _defaults
	not _user in _valid
	msg := sprintf("DB cluster administrator username %v (masterUsername) is not one of validAdminUserNames (%s)", [_user, concat(", ", sort(_valid))])
}
