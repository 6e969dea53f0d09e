package regent.rds_12

import data.regent.lib.values

metadata := {
	"id": "RDS.12",
	"title": "IAM authentication should be configured for RDS clusters",
	"description": "Checks IAM database authentication on an RDS DB cluster. AWS Config records the flag as configuration.iamdatabaseAuthenticationEnabled (all lower-case prefix); iAMDatabaseAuthenticationEnabled is read when that key is absent. It must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.12"],
	},
	"config_rule": "RDS_CLUSTER_IAM_AUTHENTICATION_ENABLED",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

# Whether the CI records the key at all (even with a null value).
_has(key) if _conf[key] == _conf[key]

_bean_spelling if {
	not _has("iamdatabaseAuthenticationEnabled")
	_has("iAMDatabaseAuthenticationEnabled")
}

_key := "iAMDatabaseAuthenticationEnabled" if _bean_spelling

_key := "iamdatabaseAuthenticationEnabled" if not _bean_spelling

violation contains msg if {
	not values.is_true(_conf[_key])
	msg := sprintf("IAM database authentication is not enabled on the DB cluster (%s is %v)", [_key, values.show(_conf, _key)])
}
