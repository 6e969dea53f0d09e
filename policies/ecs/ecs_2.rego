package regent.ecs_2

import data.regent.lib.container_helpers

metadata := {
	"id": "ECS.2",
	"title": "ECS services should not have public IP addresses assigned to them automatically",
	"description": "Checks configuration.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp of an ECS service: \"ENABLED\" (any letter case) is NON_COMPLIANT because every task gets a public IP address; \"DISABLED\", or no awsvpc network configuration at all (bridge/host services, where ECS assigns no task ENI), is COMPLIANT. Services whose ARN (configuration.ServiceArn, else the CI's ARN) is listed in exemptEcsServiceArns are NOT_APPLICABLE.",
	"severity": "high",
	"resource_types": ["AWS::ECS::Service"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECS.2"],
	},
	"parameters": {
		"exemptEcsServiceArns": {
			"default": null,
			"description": "ARNs of ECS services exempt from the check (a list, or a comma-separated string); null exempts none.",
			"type": "list(string)|csv(string)",
		},
	},
}

_conf := input.configuration

_exempt := {a | some a in container_helpers.string_list(data.parameters["ECS.2"].exemptEcsServiceArns)}

_service_arn := _conf.ServiceArn if container_helpers.non_empty_string(_conf.ServiceArn)

_service_arn := input.ARN if not container_helpers.non_empty_string(_conf.ServiceArn)

default applicable := true

applicable := false if _service_arn in _exempt

violation contains msg if {
	value := _conf.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp
	container_helpers.upper_string(value) == "ENABLED"
	msg := sprintf("service tasks get a public IP address automatically (NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp is %q)", [value])
}
