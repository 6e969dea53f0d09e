package regent.rds_6_test

import data.regent.rds_6

_instance(interval) := {"resourceType": "AWS::RDS::DBInstance", "configuration": {"engine": "postgres", "monitoringInterval": interval}}

test_any_interval_without_parameter if {
	count(rds_6.violation) == 0 with input as _instance(30) with data.parameters as {"RDS.6": {"monitoringInterval": null}}
}

test_interval_must_match_parameter if {
	count(rds_6.violation) == 0 with input as _instance(15) with data.parameters as {"RDS.6": {"monitoringInterval": 15}}
	count(rds_6.violation) == 0 with input as _instance("15") with data.parameters as {"RDS.6": {"monitoringInterval": "15"}}
	rds_6.violation == {"Enhanced Monitoring interval is 60 seconds, not the required 15"} with input as _instance(60)
		with data.parameters as {"RDS.6": {"monitoringInterval": 15}}
}

test_zero_interval_reported_once_with_parameter if {
	rds_6.violation == {"Enhanced Monitoring is not enabled (monitoringInterval is 0)"} with input as _instance(0)
		with data.parameters as {"RDS.6": {"monitoringInterval": 15}}
}
