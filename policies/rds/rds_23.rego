package regent.rds_23

import data.regent.lib.db_helpers
import data.regent.lib.values

metadata := {
	"id": "RDS.23",
	"title": "RDS instances should not use a database engine default port",
	"description": "Checks the port an RDS DB instance listens on against its engine's default port (reference data db_default_ports: 3306 for mysql, mariadb, aurora and aurora-mysql; 5432 for postgres and aurora-postgresql; 1521 for Oracle; 1433 for SQL Server; 50000 for Db2; 27017 for docdb; 8182 for neptune). The port is configuration.endpoint.port, or configuration.dbInstancePort when the endpoint records none (a dbInstancePort of 0 means not set). NON_COMPLIANT when the port equals the default. NOT_APPLICABLE when the engine has no known default port or no port is recorded yet (an instance still being created has no endpoint).",
	"severity": "low",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.23"],
	},
	"config_rule": "rds-no-default-ports",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-ModifyRDSInstancePortNumber",
		"parameters": {
			"RDSDBInstanceResourceId": "{{resourceId}}",
			"PortNumber": "{{settings.rds_port_number}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_engine := db_helpers.engine(_conf)

_default_port := port if {
	port := data.reference.db_default_ports[_engine]
	is_number(port)
}

_endpoint_port := port if {
	port := values.number(_conf.endpoint.port)
	port > 0
}

_port := _endpoint_port

_port := port if {
	not _endpoint_port
	port := values.number(_conf.dbInstancePort)
	port > 0
}

default applicable := false

applicable if {
	is_number(_default_port)
	is_number(_port)
}

violation contains msg if {
	_port == _default_port
	msg := sprintf("DB instance listens on port %v, the default port of the %s engine", [_port, _engine])
}
