package regent.rds_14

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.14",
	"title": "Amazon Aurora clusters should have backtracking enabled",
	"description": "Checks configuration.backtrackWindow (seconds) of an Aurora MySQL DB cluster (configuration.engine aurora-mysql, or aurora for Aurora MySQL 5.6): NON_COMPLIANT when it is 0 or missing, i.e. backtracking is off. With the BacktrackWindowInHours parameter set, the window must be at least that many hours. Clusters of any other engine (aurora-postgresql, mysql, postgres, docdb, neptune) are NOT_APPLICABLE.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.14"],
	},
	"config_rule": "AURORA_MYSQL_BACKTRACKING_ENABLED",
	"parameters": {
		"BacktrackWindowInHours": {
			"default": null,
			"description": "Minimum backtrack window in hours (up to 72); null accepts any window above 0.",
			"type": "number",
			"minimum": 0,
			"maximum": 72,
		},
	},
}

_conf := object.get(input, "configuration", null)

default applicable := false

applicable if db_helpers.engine(_conf) in {"aurora", "aurora-mysql"}

_window := values.number(_conf.backtrackWindow)

_enabled if _window > 0

violation contains msg if {
	not _enabled
	msg := sprintf("backtracking is not enabled on the Aurora MySQL cluster (backtrackWindow is %v)", [values.show(_conf, "backtrackWindow")])
}

_wanted_hours := values.number(data.parameters["RDS.14"].BacktrackWindowInHours)

violation contains msg if {
	_enabled
	_window < _wanted_hours * 3600
	msg := sprintf("backtrack window is %v seconds, less than the required %v hours", [_window, _wanted_hours])
}
