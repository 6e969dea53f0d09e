package regent.ec2_10

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.10",
	"title": "Amazon EC2 should be configured to use VPC endpoints that are created for the Amazon EC2 service",
	"description": "Checks every VPC against the AWS::EC2::VPCEndpoint CIs recorded in the same account and region: COMPLIANT when an endpoint has configuration.vpcId equal to the VPC id and a configuration.serviceName for the service named by serviceName (default \"ec2\"): \"com.amazonaws.<region>.ec2\", i.e. a service name ending in \".ec2\" (so ec2messages does not count). Endpoints whose configuration.state is deleting, deleted, failed, rejected or expired do not count. NON_COMPLIANT when the VPC has no such endpoint, including VPCs shared from another account (Config cannot see the owner's endpoints).",
	"severity": "medium",
	"resource_types": ["AWS::EC2::VPC"],
	"requires": ["AWS::EC2::VPCEndpoint"],
	# No endpoint recorded for the service in the VPC: it may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.10"],
	},
	"config_rule": "VPC_ENDPOINT_ENABLED",
	"parameters": {
		"serviceNames": {
			"default": "ec2",
			"description": "Service whose VPC endpoint each VPC must have, as the last part of the endpoint service name (ec2 for com.amazonaws.<region>.ec2); a list or comma-separated string requires each of them.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "ASR-AttachServiceVPCEndpoint",
		"parameters": {
			"VPCId": "{{resourceId}}",
			"ServiceName": "ec2",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: an interface endpoint with private DNS changes how every client in the
		# VPC resolves the EC2 API.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_param := object.get(object.get(data.parameters, "EC2.10", {}), "serviceNames", null)

_services := s if {
	s := {lower(x) | some x in ec2_helpers.csv(_param)}
	count(s) > 0
}

_services := {"ec2"} if count(ec2_helpers.csv(_param)) == 0

_dead_states := {"deleting", "deleted", "failed", "rejected", "expired"}

# service names of the live endpoints in this VPC
_endpoint_services := {lower(name) |
	some ci in ec2_helpers.inventory("AWS::EC2::VPCEndpoint")
	conf := ci.configuration
	ec2_helpers.text(ec2_helpers.get(conf, "vpcId")) == input.resourceId
	not ec2_helpers.lower_text(ec2_helpers.get(conf, "state")) in _dead_states
	name := ec2_helpers.text(ec2_helpers.get(conf, "serviceName"))
}

_has_endpoint(service) if {
	some name in _endpoint_services
	endswith(name, concat("", [".", service]))
}

violation contains msg if {
	some service in _services
	not _has_endpoint(service)
	msg := sprintf("VPC %s has no VPC endpoint for the %s service (com.amazonaws.%s.%s)", [input.resourceId, service, input.awsRegion, service])
}
