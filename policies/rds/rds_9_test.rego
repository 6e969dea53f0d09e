package regent.rds_9_test

import data.regent.rds_9

_instance(engine, exports) := {"resourceType": "AWS::RDS::DBInstance", "configuration": {
	"engine": engine,
	"dBInstanceStatus": "available",
	"enabledCloudwatchLogsExports": exports,
}}

test_additional_logs_string_adds_types_for_family if {
	rds_9.violation == {`oracle-ee DB instance does not publish general to CloudWatch Logs (enabledCloudwatchLogsExports is ["alert", "audit", "listener", "trace"])`} with input as _instance("oracle-ee", ["alert", "audit", "listener", "trace"])
		with data.parameters as {"RDS.9": {"additionalLogs": "oracle: general ; aurora: alert, slowquery"}}
}

test_additional_logs_for_other_engines_ignored if {
	count(rds_9.violation) == 0 with input as _instance("postgres", ["postgresql", "upgrade"])
		with data.parameters as {"RDS.9": {"additionalLogs": "oracle: general; malformed"}}
}

test_additional_logs_object_form if {
	count(rds_9.violation) == 1 with input as _instance("mysql", ["audit", "error", "general", "slowquery"])
		with data.parameters as {"RDS.9": {"additionalLogs": {"MySQL": ["iam-db-auth-error"]}}}
	count(rds_9.violation) == 0 with input as _instance("mysql", ["audit", "error", "general", "slowquery", "iam-db-auth-error"])
		with data.parameters as {"RDS.9": {"additionalLogs": {"mysql": "iam-db-auth-error"}}}
}

test_additional_logs_make_unlisted_engine_applicable if {
	rds_9.applicable with input as _instance("db2-se", []) with data.parameters as {"RDS.9": {"additionalLogs": "db2: diag.log"}}
	not rds_9.applicable with input as _instance("db2-se", []) with data.parameters as {"RDS.9": {"additionalLogs": null}}
}

# _base, _additional and _shown_exports are one rule with else branches; each case.
test_base_by_engine_then_family_then_none if {
	table := {"oracle": ["alert", "Audit"], "postgres": ["postgresql"]}
	rds_9._base == {"alert", "audit"} with input as _instance("oracle-ee", []) with data.reference.db_log_exports as table
	rds_9._base == {"postgresql"} with input as _instance("postgres", []) with data.reference.db_log_exports as table
	rds_9._base == {"only-ee"} with input as _instance("oracle-ee", []) with data.reference.db_log_exports as {"oracle-ee": ["only-ee"], "oracle": ["alert"]}
	rds_9._base == set() with input as _instance("mariadb", []) with data.reference.db_log_exports as table
	rds_9._base == set() with input as _instance("oracle-ee", []) with data.reference.db_log_exports as {"oracle": "alert"}
}

test_additional_each_form if {
	rds_9._additional == {"general"} with input as _instance("oracle-ee", []) with data.parameters as {"RDS.9": {"additionalLogs": "Oracle: General"}}
	rds_9._additional == {"a", "b"} with input as _instance("mysql", []) with data.parameters as {"RDS.9": {"additionalLogs": {"mysql": ["A", "b"]}}}
	rds_9._additional == set() with input as _instance("mysql", []) with data.parameters as {"RDS.9": {"additionalLogs": ["mysql: a"]}}
	rds_9._additional == set() with input as _instance("mysql", []) with data.parameters as {"RDS.9": {"additionalLogs": null}}
}

test_shown_exports_each_case if {
	rds_9._shown_exports == ["audit", "error"] with input as _instance("mysql", ["Error", "audit"])
	rds_9._shown_exports == "empty or not set" with input as _instance("mysql", [])
	rds_9._shown_exports == "empty or not set" with input as _instance("mysql", null)
}
