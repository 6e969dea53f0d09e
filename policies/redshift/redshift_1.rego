package regent.redshift_1

import data.regent.lib.values

metadata := {
	"id": "Redshift.1",
	"title": "Amazon Redshift clusters should prohibit public access",
	"description": "Checks configuration.publiclyAccessible of an Amazon Redshift cluster: NON_COMPLIANT when it is true (the boolean, or a string such as \"true\" or \"True\"), which gives the cluster a publicly resolvable endpoint. false, \"false\" or a missing value is COMPLIANT. Security groups and routes are not examined.",
	"severity": "critical",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.1"],
	},
	"config_rule": "REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-DisablePublicAccessToRedshiftCluster",
		"parameters": {
			"ClusterIdentifier": "{{resourceId}}",
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

violation contains msg if {
	values.is_true(_conf.publiclyAccessible)
	msg := sprintf("Redshift cluster is publicly accessible (publiclyAccessible is %v)", [_conf.publiclyAccessible])
}
