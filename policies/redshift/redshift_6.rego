package regent.redshift_6

import data.regent.lib.values

metadata := {
	"id": "Redshift.6",
	"title": "Amazon Redshift should have automatic upgrades to major versions enabled",
	"description": "Checks configuration.allowVersionUpgrade of an Amazon Redshift cluster against the allowVersionUpgrade parameter (default true): with true, the cluster's value must be true (\"true\"/\"True\" strings count) and false, \"false\" or a missing value is NON_COMPLIANT; with false, the cluster must not allow version upgrades.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.6"],
	},
	"config_rule": "REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK",
	"parameters": {
		"allowVersionUpgrade": {
			"default": true,
			"description": "The allowVersionUpgrade value clusters must have.",
			"type": "boolean",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableAutomaticVersionUpgradeOnRedshiftCluster",
		"parameters": {
			"ClusterIdentifier": "{{resourceId}}",
			"AllowVersionUpgrade": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: afterwards Redshift applies major version upgrades (with a restart)
		# by itself in the maintenance window, which owners should agree to first.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

# Whether the parameter asks for upgrades to be allowed (anything but false / "false").
_wanted if not values.is_false(data.parameters["Redshift.6"].allowVersionUpgrade)

_actual if values.is_true(_conf.allowVersionUpgrade)

violation contains msg if {
	_wanted
	not _actual
	msg := sprintf("automatic major version upgrades are not enabled (allowVersionUpgrade is %v)", [values.show(_conf, "allowVersionUpgrade")])
}

violation contains msg if {
	not _wanted
	_actual
	msg := sprintf("automatic major version upgrades are enabled although the allowVersionUpgrade parameter is false (allowVersionUpgrade is %v)", [_conf.allowVersionUpgrade])
}
