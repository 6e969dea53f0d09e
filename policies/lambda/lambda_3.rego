package regent.lambda_3

import data.regent.lib.edge_helpers

metadata := {
	"id": "Lambda.3",
	"title": "Lambda functions should be in a VPC",
	"description": "Checks configuration.vpcConfig.subnetIds of a Lambda function: NON_COMPLIANT when the function is attached to no subnet (vpcConfig missing, null or with an empty subnetIds list). With the subnetIds parameter set (a list or comma-separated string), every subnet of the function must also be one of those subnets.",
	"severity": "low",
	"resource_types": ["AWS::Lambda::Function"],
	"requires": [],
	"standards": {},
	"config_rule": "LAMBDA_INSIDE_VPC",
	"parameters": {
		"subnetIds": {
			"default": null,
			"description": "Subnets Lambda functions must be attached to (a list, or a comma-separated string); null accepts any subnet.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "AWSConfigRemediation-MoveLambdaToVPC",
		"parameters": {
			"FunctionName": "{{configuration.functionName}}",
			"SubnetIds": "{{settings.lambda_subnet_ids}}",
			"SecurityGroupIds": "{{settings.lambda_security_group_ids}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# The function loses internet access unless the chosen subnets route through a NAT, and
		# its role needs the ENI permissions of AWSLambdaVPCAccessExecutionRole.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_subnets := [s | some s in input.configuration.vpcConfig.subnetIds; is_string(s); s != ""] if {
	is_array(input.configuration.vpcConfig.subnetIds)
}

_subnets := [] if not is_array(input.configuration.vpcConfig.subnetIds)

_allowed := edge_helpers.csv(data.parameters["Lambda.3"].subnetIds)

violation contains "function is not in a VPC (configuration.vpcConfig.subnetIds is empty or not set)" if {
	count(_subnets) == 0
}

violation contains msg if {
	count(_allowed) > 0
	some subnet in _subnets
	not subnet in _allowed
	msg := sprintf("function is attached to subnet %s, which is not one of subnetIds (%s)", [subnet, concat(", ", _allowed)])
}
