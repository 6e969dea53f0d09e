package regent.redshift_9

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "Redshift.9",
	"title": "Redshift clusters should not use the default database name",
	"description": "Checks configuration.dBName of an Amazon Redshift cluster: NON_COMPLIANT when it is the default database name \"dev\" (compared exactly). With the validDatabaseNames parameter set (a list or comma-separated string), the name must also be one of those names.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {},
	"config_rule": "REDSHIFT_DEFAULT_DB_NAME_CHECK",
	"parameters": {
		"validDatabaseNames": {
			"default": null,
			"description": "Database names clusters may use (a list or comma-separated string; \"dev\" is never accepted); null accepts any name but dev.",
			"type": "list(string)|csv(string)",
		},
	},
}

_conf := object.get(input, "configuration", null)

_name := values.show(_conf, "dBName")

violation contains msg if {
	_name == "dev"
	msg := "Redshift cluster uses the default database name \"dev\" (dBName)"
}

_valid := db_helpers.names(data.parameters["Redshift.9"].validDatabaseNames)

violation contains msg if {
	count(_valid) > 0
	_name != "dev"
	not _name in _valid
	msg := sprintf("Redshift cluster database name %v (dBName) is not one of validDatabaseNames (%s)", [_name, concat(", ", sort(_valid))])
}
