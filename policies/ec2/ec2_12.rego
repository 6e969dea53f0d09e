package regent.ec2_12

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.12",
	"title": "Unused Amazon EC2 EIPs should be removed",
	"description": "Checks that an Elastic IP address is in use: COMPLIANT when any of configuration.associationId, configuration.instanceId or configuration.networkInterfaceId is set (associated with an instance or a network interface); NON_COMPLIANT when all three are missing, null or empty.",
	"severity": "low",
	"resource_types": ["AWS::EC2::EIP"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.12"],
	},
	"config_rule": "EIP_ATTACHED",
	"parameters": {},
	"remediation": {
		"runbook": "AWS-ReleaseElasticIP",
		"parameters": {
			"AllocationId": "{{configuration.allocationId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: a released address can rarely be recovered.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_in_use if {
	some key in ["associationId", "instanceId", "networkInterfaceId"]
	ec2_helpers.text(ec2_helpers.get(_conf, key))
}

violation contains msg if {
	not _in_use
	address := _address
	msg := sprintf("Elastic IP %v is not associated with any instance or network interface (associationId, instanceId and networkInterfaceId are empty)", [address])
}

_address := a if a := ec2_helpers.text(ec2_helpers.get(_conf, "publicIp"))

_address := input.resourceId if not ec2_helpers.text(ec2_helpers.get(_conf, "publicIp"))
