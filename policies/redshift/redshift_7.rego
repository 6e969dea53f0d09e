package regent.redshift_7

import data.regent.lib.values

metadata := {
	"id": "Redshift.7",
	"title": "Redshift clusters should use enhanced VPC routing",
	"description": "Checks configuration.enhancedVpcRouting of an Amazon Redshift cluster: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value (older CIs do not record the key when the feature is off) is NON_COMPLIANT.",
	"severity": "medium",
	"resource_types": ["AWS::Redshift::Cluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Redshift.7"],
	},
	"config_rule": "REDSHIFT_ENHANCED_VPC_ROUTING_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableRedshiftClusterEnhancedVPCRouting",
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

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.enhancedVpcRouting)
	msg := sprintf("Redshift cluster does not use enhanced VPC routing (enhancedVpcRouting is %v)", [values.show(_conf, "enhancedVpcRouting")])
}
