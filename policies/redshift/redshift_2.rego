package regent.redshift_2

import data.regent.lib.values

metadata := {
	"id": "Redshift.2",
	"title": "Connections to Amazon Redshift clusters should be encrypted in transit",
	"description": "Follows each parameter group a Redshift cluster uses (configuration.clusterParameterGroups[].parameterGroupName) to its AWS::Redshift::ClusterParameterGroup CI in the same account and region (matched on configuration.parameterGroupName, resourceName or resourceId) and checks that supplementaryConfiguration.Parameters has require_ssl (name compared case-insensitively) with parameterValue true (\"true\"/\"True\" strings count). NON_COMPLIANT when the value is false, when the group does not list require_ssl, when the group is not recorded by AWS Config (so require_ssl cannot be shown to be true, e.g. an unrecorded default.redshift-1.0 group, whose require_ssl is false), or when the cluster records no parameter group.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": ["AWS::Redshift::ClusterParameterGroup"],
	# A parameter group that is not recorded cannot show require_ssl: it may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.2"],
	},
	"config_rule": "REDSHIFT_REQUIRE_TLS_SSL",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnforceSSLOnlyConnectionsToRedshiftCluster",
		"parameters": {
			"ClusterIdentifer": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_type := "AWS::Redshift::ClusterParameterGroup"

_conf := object.get(input, "configuration", null)

_group_names := {name |
	some group in _conf.clusterParameterGroups
	name := group.parameterGroupName
	is_string(name)
	name != ""
}

_recorded := [ci | some id; ci := data.inventory[_type][input.awsAccountId][input.awsRegion][id]]

_names_of(ci) := {n | some n in [ci.configuration.parameterGroupName, ci.resourceName, ci.resourceId]; is_string(n)}

_groups(name) := [ci | some ci in _recorded; name in _names_of(ci)]

# The parameterValue of require_ssl in a parameter group CI, or "not set".
_require_ssl(ci) := value if {
	some p in ci.supplementaryConfiguration.Parameters
	is_string(p.parameterName)
	lower(p.parameterName) == "require_ssl"
	value := object.get(p, "parameterValue", "not set")
}

_require_ssl(ci) := "not set" if {
	not _lists_require_ssl(ci)
}

_lists_require_ssl(ci) if {
	some p in ci.supplementaryConfiguration.Parameters
	is_string(p.parameterName)
	lower(p.parameterName) == "require_ssl"
}

violation contains "Redshift cluster records no parameter group (configuration.clusterParameterGroups), so require_ssl cannot be shown to be true" if {
	count(_group_names) == 0
}

violation contains msg if {
	some name in _group_names
	count(_groups(name)) == 0
	msg := sprintf("parameter group %s is not recorded by AWS Config, so require_ssl cannot be shown to be true", [name])
}

violation contains msg if {
	some name in _group_names
	some ci in _groups(name)
	value := _require_ssl(ci)
	not values.is_true(value)
	msg := sprintf("parameter group %s does not require SSL (require_ssl is %v)", [name, value])
}
