package regent.ec2_8

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.8",
	"title": "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)",
	"description": "Checks that an EC2 instance requires IMDSv2: configuration.metadataOptions.httpTokens must be \"required\" (compared case-insensitively). NON_COMPLIANT when it is \"optional\" (IMDSv1 still accepted) or when no metadataOptions / httpTokens is recorded for the instance.",
	"severity": "high",
	"resource_types": ["AWS::EC2::Instance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.8"],
		"cis-aws-foundations-benchmark/v3.0.0": ["5.6"],
	},
	"config_rule": "EC2_IMDSV2_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableIMDSV2OnInstance",
		"parameters": {
			"InstanceARN": "{{ARN}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: software on the instance that still uses IMDSv1 stops getting metadata
		# and credentials.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_options := ec2_helpers.get(object.get(input, "configuration", null), "metadataOptions")

violation contains msg if {
	not ec2_helpers.lower_text(ec2_helpers.get(_options, "httpTokens")) == "required"
	msg := sprintf("instance does not require IMDSv2: metadataOptions.httpTokens is %v (must be required)", [values.show(_options, "httpTokens")])
}
