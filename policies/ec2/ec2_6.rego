package regent.ec2_6

import data.regent.lib.ec2_helpers

metadata := {
	"id": "EC2.6",
	"title": "VPC flow logging should be enabled in all VPCs",
	"description": "Checks every VPC against the AWS::EC2::FlowLog CIs recorded in the same account and region: COMPLIANT when at least one flow log has configuration.resourceId equal to the VPC id, a configuration.trafficType equal to the trafficType parameter (default REJECT) or ALL (which also captures rejected traffic), and a configuration.flowLogStatus of ACTIVE (a flow log without a recorded status counts). NON_COMPLIANT when no flow log is recorded for the VPC, or when its flow logs capture only other traffic (ACCEPT) or are not active. Flow logs attached to subnets or network interfaces are not counted. Values are compared case-insensitively.",
	"severity": "medium",
	"resource_types": ["AWS::EC2::VPC"],
	"requires": ["AWS::EC2::FlowLog"],
	# No active flow log recorded for the VPC: it may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["EC2.6"],
		"cis-aws-foundations-benchmark/v1.2.0": ["2.9"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.9"],
		"cis-aws-foundations-benchmark/v3.0.0": ["3.7"],
	},
	"config_rule": "VPC_FLOW_LOGS_ENABLED",
	"parameters": {
		"trafficType": {
			"default": "REJECT",
			"description": "Traffic the VPC's flow log must capture: ACCEPT, REJECT or ALL; a flow log of type ALL satisfies any value.",
			"type": "string",
			"values": ["ACCEPT", "REJECT", "ALL"],
		},
	},
	"remediation": {
		"runbook": "ASR-EnableVPCFlowLogs",
		"parameters": {
			"VPC": "{{resourceId}}",
			"RemediationRole": "{{settings.vpc_flow_logs_remediation_role_arn}}",
			"KMSKeyArn": "{{settings.cmk_remediation_arn}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Additive: it creates a flow log (and its log group); the only side effect is log cost.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_param := object.get(object.get(data.parameters, "EC2.6", {}), "trafficType", null)

default _wanted := "REJECT"

_wanted := upper(trim_space(_param)) if {
	is_string(_param)
	trim_space(_param) != ""
}

# the flow logs recorded for this VPC
_vpc_flow_logs := [conf |
	some ci in ec2_helpers.inventory("AWS::EC2::FlowLog")
	conf := ci.configuration
	ec2_helpers.text(ec2_helpers.get(conf, "resourceId")) == input.resourceId
]

_traffic(conf) := upper(t) if t := ec2_helpers.text(ec2_helpers.get(conf, "trafficType"))

_captures_wanted(conf) if _traffic(conf) in {_wanted, "ALL"}

_active(conf) if upper(ec2_helpers.text(conf.flowLogStatus)) == "ACTIVE"

_active(conf) if not ec2_helpers.text(ec2_helpers.get(conf, "flowLogStatus"))

_good(conf) if {
	_captures_wanted(conf)
	_active(conf)
}

violation contains msg if {
	count(_vpc_flow_logs) == 0
	msg := sprintf("no VPC flow log is recorded for %s (flow logging not enabled)", [input.resourceId])
}

violation contains msg if {
	count(_vpc_flow_logs) > 0
	not _any_good
	found := concat(", ", sort([d | some conf in _vpc_flow_logs; d := _describe(conf)]))
	msg := sprintf("no active VPC flow log captures %s traffic for %s (recorded: %s)", [_wanted, input.resourceId, found])
}

_any_good if {
	some conf in _vpc_flow_logs
	_good(conf)
}

_describe(conf) := sprintf("%v trafficType %v status %v", [
	object.get(conf, "flowLogId", "flow log"),
	object.get(conf, "trafficType", "not set"),
	object.get(conf, "flowLogStatus", "not set"),
])
