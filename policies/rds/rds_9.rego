package regent.rds_9

import data.regent.lib.db_helpers

metadata := {
	"id": "RDS.9",
	"title": "RDS DB instances should publish logs to CloudWatch Logs",
	"description": "Checks that an RDS DB instance exports the log types its engine must publish to CloudWatch Logs (configuration.enabledCloudwatchLogsExports, compared case-insensitively): Oracle (any edition) alert, audit, trace, listener; PostgreSQL postgresql, upgrade; MySQL and MariaDB audit, error, general, slowquery; SQL Server (any edition) error, agent; aurora and aurora-mysql audit, error, general, slowquery; aurora-postgresql postgresql (reference data db_log_exports). NON_COMPLIANT when any required type is missing, including when enabledCloudwatchLogsExports is empty or absent. The additionalLogs parameter (\"engine: type, type; engine: type\", the engine name exact or an edition-less family such as oracle) adds required types. NOT_APPLICABLE, like the managed rule, when dBInstanceStatus is not available, backing-up, storage-optimization or storage-full, and for engines with no required log types (Db2, custom engines, DocumentDB, Neptune).",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.9"],
	},
	"config_rule": "RDS_LOGGING_ENABLED",
	"parameters": {
		"additionalLogs": {
			"default": null,
			"description": "Extra log types per engine, as \"engine: type, type; engine: type\" (e.g. \"oracle: general; aurora: alert\") or an object engine -> list of types; null adds none.",
			"type": "string",
		},
	},
}

_conf := object.get(input, "configuration", null)

_engine := db_helpers.engine(_conf)

_family := db_helpers.engine_family(_engine)

_table := data.reference.db_log_exports

# Exclusive cases as one rule with else branches: the VM evaluates every definition of a rule,
# else branches only when needed.
_base := {lower(t) | some t in _table[_engine]} if is_array(_table[_engine])
else := {lower(t) | some t in _table[_family]} if is_array(_table[_family])
else := set()

_param := data.parameters["RDS.9"].additionalLogs

_applies_to(key) if lower(trim_space(key)) in {_engine, _family}

_additional := {lower(t) |
	some entry in split(_param, ";")
	parts := split(entry, ":")
	count(parts) == 2
	_applies_to(parts[0])
	some t in db_helpers.names(parts[1])
} if is_string(_param)
else := {lower(t) |
	some key, types in _param
	_applies_to(key)
	some t in db_helpers.names(types)
} if is_object(_param)
else := set()

_required := _base | _additional

default applicable := false

applicable if {
	db_helpers.instance_in_evaluated_state(_conf)
	count(_required) > 0
}

# The exported log types, lower-cased; empty when enabledCloudwatchLogsExports is absent.
default _exported := set()

_exported := db_helpers.lower_names(_conf.enabledCloudwatchLogsExports)

violation contains msg if {
	missing := _required - _exported
	count(missing) > 0
	msg := sprintf("%s DB instance does not publish %s to CloudWatch Logs (enabledCloudwatchLogsExports is %v)", [
		_engine,
		concat(", ", sort(missing)),
		_shown_exports,
	])
}

_shown_exports := sort(_exported) if count(_exported) > 0
else := "empty or not set"
