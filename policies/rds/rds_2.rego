package regent.rds_2

import data.regent.lib.values

metadata := {
	"id": "RDS.2",
	"title": "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration",
	"description": "Checks configuration.publiclyAccessible of an RDS DB instance: NON_COMPLIANT when it is true (the boolean, or a string such as \"true\" or \"True\"), which gives the instance a publicly resolvable endpoint. false, \"false\" or a missing value is COMPLIANT. Security groups and subnet routes are not examined.",
	"severity": "critical",
	"resource_types": ["AWS::RDS::DBInstance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.2"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.3.3"],
	},
	"config_rule": "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-DisablePublicAccessToRDSInstance",
		"parameters": {
			"RDSInstanceARN": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

violation contains msg if {
	values.is_true(input.configuration.publiclyAccessible)
	msg := sprintf("DB instance is publicly accessible (publiclyAccessible is %v)", [input.configuration.publiclyAccessible])
}
