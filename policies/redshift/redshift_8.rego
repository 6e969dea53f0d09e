package regent.redshift_8

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "Redshift.8",
	"title": "Amazon Redshift clusters should not use the default Admin username",
	"description": "Checks configuration.masterUsername of an Amazon Redshift cluster: NON_COMPLIANT when it is the default administrator name \"awsuser\" (compared exactly). With the validAdminUserNames parameter set (a list or comma-separated string), the username must also be one of those names.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.8"],
	},
	"config_rule": "REDSHIFT_DEFAULT_ADMIN_CHECK",
	"parameters": {
		"validAdminUserNames": {
			"default": null,
			"description": "Administrator usernames clusters may use (a list or comma-separated string; \"awsuser\" is never accepted); null accepts any name but awsuser.",
			"type": "list(string)|csv(string)",
		},
	},
}

_conf := object.get(input, "configuration", null)

_user := values.show(_conf, "masterUsername")

violation contains msg if {
	_user == "awsuser"
	msg := "Redshift cluster uses the default administrator username \"awsuser\" (masterUsername)"
}

_valid := db_helpers.names(data.parameters["Redshift.8"].validAdminUserNames)

violation contains msg if {
	count(_valid) > 0
	_user != "awsuser"
	not _user in _valid
	msg := sprintf("Redshift cluster administrator username %v (masterUsername) is not one of validAdminUserNames (%s)", [_user, concat(", ", sort(_valid))])
}
