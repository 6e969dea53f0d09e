package regent.autoscaling_3

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "AutoScaling.3",
	"title": "Amazon EC2 Auto Scaling group launch configurations should configure EC2 instances to require Instance Metadata Service Version 2 (IMDSv2)",
	"description": "Checks a launch configuration's configuration.metadataOptions.httpTokens: NON_COMPLIANT unless it is \"required\" (any letter case). \"optional\" (IMDSv1 and IMDSv2 both enabled) or no metadataOptions / httpTokens recorded is NON_COMPLIANT.",
	"severity": "high",
	"resource_types": ["AWS::AutoScaling::LaunchConfiguration"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["AutoScaling.3"],
	},
	"config_rule": "AUTOSCALING_LAUNCHCONFIG_REQUIRES_IMDSV2",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-ConfigureAutoScalingLaunchConfigToRequireIMDSv2",
		"parameters": {
			"LaunchConfigurationName": "{{configuration.launchConfigurationName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: launch configurations are immutable, so the runbook creates a new one and
		# repoints groups; new instances stop serving IMDSv1 clients.
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
	msg := sprintf("launch configuration does not require IMDSv2: metadataOptions.httpTokens is %v (must be required)", [values.show(_options, "httpTokens")])
}
