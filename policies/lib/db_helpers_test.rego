package regent.lib.db_helpers_test

import data.regent.lib.db_helpers

test_engine_is_lower_cased_or_empty if {
	db_helpers.engine({"engine": " Aurora-MySQL "}) == "aurora-mysql"
	db_helpers.engine({"engine": null}) == ""
	db_helpers.engine({}) == ""
	db_helpers.engine(null) == ""
}

test_engine_family_drops_editions if {
	db_helpers.engine_family("oracle-ee") == "oracle"
	db_helpers.engine_family("oracle-se2-cdb") == "oracle"
	db_helpers.engine_family("sqlserver-web") == "sqlserver"
	db_helpers.engine_family("db2-ae") == "db2"
	db_helpers.engine_family("aurora-postgresql") == "aurora-postgresql"
	db_helpers.engine_family("mysql") == "mysql"
	db_helpers.engine_family("") == ""
}

test_engine_kinds if {
	db_helpers.non_rds_engine("docdb")
	db_helpers.non_rds_engine("neptune")
	not db_helpers.non_rds_engine("postgres")
	db_helpers.aurora("aurora")
	db_helpers.aurora("aurora-postgresql")
	not db_helpers.aurora("mysql")
}

test_names_reads_lists_and_csv if {
	db_helpers.names(["admin", " dba ", "", 5]) == {"admin", "dba"}
	db_helpers.names("mysql, postgres,,mariadb ") == {"mysql", "postgres", "mariadb"}
	db_helpers.names(null) == set()
	db_helpers.names(7) == set()
	db_helpers.lower_names("MySQL,Postgres") == {"mysql", "postgres"}
}

test_text if {
	db_helpers.text("x")
	not db_helpers.text("  ")
	not db_helpers.text(null)
	not db_helpers.text(3)
}

test_instance_in_evaluated_state if {
	db_helpers.instance_in_evaluated_state({"dBInstanceStatus": "available"})
	db_helpers.instance_in_evaluated_state({"dBInstanceStatus": "Storage-Full"})
	not db_helpers.instance_in_evaluated_state({"dBInstanceStatus": "creating"})
	not db_helpers.instance_in_evaluated_state({})
	not db_helpers.instance_in_evaluated_state(null)
}

test_publicly_restorable if {
	db_helpers.publicly_restorable([{"attributeName": "restore", "attributeValues": ["123456789012", "all"]}])
	not db_helpers.publicly_restorable([{"attributeName": "restore", "attributeValues": ["123456789012"]}])
	not db_helpers.publicly_restorable([{"attributeName": "restore", "attributeValues": null}])
	not db_helpers.publicly_restorable([{"attributeName": "other", "attributeValues": ["all"]}])
	not db_helpers.publicly_restorable(["restore"])
	not db_helpers.publicly_restorable(null)
	not db_helpers.publicly_restorable([])
}

# engine, engine_family and names are one definition with else branches (each case tested
# once); every case of the definitions they replaced.
test_names_each_case if {
	db_helpers.names([" audit", "", 5, "error ", "audit"]) == {"audit", "error"}
	db_helpers.names("audit, error,, ") == {"audit", "error"}
	db_helpers.names("") == set()
	db_helpers.names(null) == set()
	db_helpers.names(5) == set()
	db_helpers.names({"audit": true}) == set()
	db_helpers.lower_names(["Audit", "ERROR"]) == {"audit", "error"}
}

test_engine_and_family_fall_through if {
	db_helpers.engine({"engine": 5}) == ""
	db_helpers.engine("not an object") == ""
	db_helpers.engine_family("oracle") == "oracle"
	db_helpers.engine_family("db2") == "db2"
	db_helpers.engine_family("custom-oracle-ee") == "custom-oracle-ee"
}
