package regent.autoscaling_9

import data.regent.lib.ec2_helpers

metadata := {
	"id": "AutoScaling.9",
	"title": "Amazon EC2 Auto Scaling groups should use Amazon EC2 launch templates",
	"description": "Checks how an Auto Scaling group launches instances: COMPLIANT when it uses a launch template, either configuration.launchTemplate (launchTemplateId or launchTemplateName) or configuration.mixedInstancesPolicy.launchTemplate.launchTemplateSpecification; NON_COMPLIANT when configuration.launchConfigurationName is set (a launch configuration) or when no launch template is recorded at all.",
	"severity": "medium",
	"resource_types": ["AWS::AutoScaling::AutoScalingGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["AutoScaling.9"],
	},
	"config_rule": "AUTOSCALING_LAUNCH_TEMPLATE",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

_names_template(spec) if ec2_helpers.text(ec2_helpers.get(spec, "launchTemplateId"))

_names_template(spec) if ec2_helpers.text(ec2_helpers.get(spec, "launchTemplateName"))

_uses_template if _names_template(ec2_helpers.get(_conf, "launchTemplate"))

_uses_template if _names_template(ec2_helpers.get(ec2_helpers.get(ec2_helpers.get(_conf, "mixedInstancesPolicy"), "launchTemplate"), "launchTemplateSpecification"))

_launch_configuration := n if n := ec2_helpers.text(ec2_helpers.get(_conf, "launchConfigurationName"))

violation contains msg if {
	name := _launch_configuration
	msg := sprintf("group launches instances from the launch configuration %s, not a launch template", [name])
}

violation contains msg if {
	not _launch_configuration
	not _uses_template
	msg := "group has no launch template (neither launchTemplate nor mixedInstancesPolicy.launchTemplate is set)"
}
