package regent.ec2_17

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.17",
	"title": "Amazon EC2 instances should not use multiple ENIs",
	"description": "Checks the network interfaces recorded for an EC2 instance (configuration.networkInterfaces, every entry, EFAs included): NON_COMPLIANT when more than one interface is attached. Interfaces whose networkInterfaceId is listed in the NetworkInterfaceIds parameter are allowed and not counted. An instance with one interface, or none recorded, is COMPLIANT. EKS worker nodes normally fail this control.",
	"severity": "low",
	"resource_types": ["AWS::EC2::Instance"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.17"],
	},
	"config_rule": "EC2_INSTANCE_MULTIPLE_ENI_CHECK",
	"parameters": {
		"NetworkInterfaceIds": {
			"default": null,
			"description": "Network interface ids that are allowed in addition to one other interface (a list or comma-separated string); null allows none.",
			"type": "list(string)|csv(string)",
		},
	},
}

_allowed := {id | some id in ec2_helpers.csv(object.get(object.get(data.parameters, "EC2.17", {}), "NetworkInterfaceIds", null))}

_counted := sort([id |
	some eni in ec2_helpers.network_interfaces(object.get(input, "configuration", null))
	id := _eni_id(eni)
	not id in _allowed
])

_eni_id(eni) := id if id := ec2_helpers.text(ec2_helpers.get(eni, "networkInterfaceId"))

_eni_id(eni) := "unnamed interface" if not ec2_helpers.text(ec2_helpers.get(eni, "networkInterfaceId"))

violation contains msg if {
	count(_counted) > 1
	msg := sprintf("instance uses %d network interfaces (%s)", [count(_counted), concat(", ", _counted)])
}
