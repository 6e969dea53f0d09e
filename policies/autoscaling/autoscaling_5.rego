package regent.autoscaling_5

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "Autoscaling.5",
	"title": "Amazon EC2 instances launched using Amazon EC2 Auto Scaling group launch configurations should not have Public IP addresses",
	"description": "Checks a launch configuration's configuration.associatePublicIpAddress: NON_COMPLIANT when it is true (\"true\"/\"True\" strings count), so instances launched from it get a public IPv4 address. false, \"false\" or a missing value (the subnet's own setting applies) is COMPLIANT.",
	"severity": "high",
	"resource_types": ["AWS::AutoScaling::LaunchConfiguration"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Autoscaling.5"],
	},
	"config_rule": "AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-ConfigureAutoScalingLaunchConfigNoPublicIP",
		"parameters": {
			"LaunchConfigurationName": "{{configuration.launchConfigurationName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: new instances of public-facing workloads would lose their public address.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	values.is_true(ec2_helpers.get(_conf, "associatePublicIpAddress"))
	msg := sprintf("launch configuration assigns public IP addresses (associatePublicIpAddress is %v)", [_conf.associatePublicIpAddress])
}
