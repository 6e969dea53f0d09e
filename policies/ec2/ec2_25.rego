package regent.ec2_25

import data.regent.lib.ec2_helpers
import data.regent.lib.values

metadata := {
	"id": "EC2.25",
	"title": "Amazon EC2 launch templates should not assign public IPs to network interfaces",
	"description": "Checks the launch template data recorded in the CI (configuration.LaunchTemplateData, PascalCase for this type, which AWS Config takes from the template's default version): NON_COMPLIANT when any entry of LaunchTemplateData.NetworkInterfaces (every one, not only device index 0) has AssociatePublicIpAddress true (\"true\"/\"True\" strings count). false, a missing value or no network interfaces is COMPLIANT. Templates whose id (configuration.Id, or the CI's resourceId) is listed in exemptedLaunchTemplates are COMPLIANT. An interface given only by NetworkInterfaceId (an existing ENI that may already have a public address) is not resolved.",
	"severity": "high",
	"resource_types": ["AWS::EC2::LaunchTemplate"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.25"],
	},
	"config_rule": "EC2_LAUNCH_TEMPLATE_PUBLIC_IP_DISABLED",
	"parameters": {
		"exemptedLaunchTemplates": {
			"default": null,
			"description": "Launch template ids (lt-...) allowed to assign public IP addresses (a list or comma-separated string); null exempts none.",
			"type": "list(string)|csv(string)",
		},
	},
}

_conf := object.get(input, "configuration", null)

_template_id := id if id := ec2_helpers.text(ec2_helpers.get(_conf, "Id"))

_template_id := input.resourceId if not ec2_helpers.text(ec2_helpers.get(_conf, "Id"))

_exempted if _template_id in ec2_helpers.csv(object.get(object.get(data.parameters, "EC2.25", {}), "exemptedLaunchTemplates", null))

violation contains msg if {
	not _exempted
	some eni in ec2_helpers.array(ec2_helpers.get(ec2_helpers.get(_conf, "LaunchTemplateData"), "NetworkInterfaces"))
	values.is_true(ec2_helpers.get(eni, "AssociatePublicIpAddress"))
	msg := sprintf("launch template %s assigns a public IP address to the network interface with DeviceIndex %v (AssociatePublicIpAddress is %v)", [
		_template_id, values.show(eni, "DeviceIndex"), eni.AssociatePublicIpAddress,
	])
}
