package regent.ec2_170

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.170",
	"title": "EC2 launch templates should use Instance Metadata Service Version 2 (IMDSv2)",
	"description": "Checks the launch template data recorded in the CI (configuration.LaunchTemplateData, PascalCase for this type, which AWS Config takes from the template's default version, configuration.DefaultVersionNumber): NON_COMPLIANT unless LaunchTemplateData.MetadataOptions.HttpTokens is \"required\" (any letter case). \"optional\", or no MetadataOptions / HttpTokens at all (instances then launch with the AMI or account default, usually IMDSv1 allowed), is NON_COMPLIANT.",
	"severity": "low",
	"resource_types": ["AWS::EC2::LaunchTemplate"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.170"],
	},
	"config_rule": "EC2_LAUNCH_TEMPLATE_IMDSV2_CHECK",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

_options := ec2_helpers.get(ec2_helpers.get(_conf, "LaunchTemplateData"), "MetadataOptions")

violation contains msg if {
	not ec2_helpers.lower_text(ec2_helpers.get(_options, "HttpTokens")) == "required"
	msg := sprintf("launch template default version %v does not require IMDSv2: MetadataOptions.HttpTokens is %v (must be required)", [
		values.show(_conf, "DefaultVersionNumber"), values.show(_options, "HttpTokens"),
	])
}
