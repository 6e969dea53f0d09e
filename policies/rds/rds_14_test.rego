package regent.rds_14_test

import data.regent.rds_14

_cluster(window) := {"resourceType": "AWS::RDS::DBCluster", "configuration": {"engine": "aurora-mysql", "backtrackWindow": window}}

test_window_must_cover_parameter_hours if {
	count(rds_14.violation) == 0 with input as _cluster(86400) with data.parameters as {"RDS.14": {"BacktrackWindowInHours": 24}}
	rds_14.violation == {"backtrack window is 3600 seconds, less than the required 24 hours"} with input as _cluster(3600)
		with data.parameters as {"RDS.14": {"BacktrackWindowInHours": "24"}}
}
