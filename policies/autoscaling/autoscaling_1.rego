package regent.autoscaling_1

import data.regent.lib.ec2_helpers

metadata := {
	"id": "AutoScaling.1",
	"title": "Amazon EC2 Auto Scaling groups associated with a load balancer should use ELB health checks",
	"description": "Checks Auto Scaling groups attached to a load balancer (a non-empty configuration.loadBalancerNames, Classic Load Balancers, or configuration.targetGroupARNs, ELBv2 target groups): NON_COMPLIANT unless configuration.healthCheckType includes ELB (compared case-insensitively; a comma-separated list such as \"ELB,EBS\" counts). Groups attached to no load balancer are NOT_APPLICABLE.",
	"severity": "low",
	"resource_types": ["AWS::AutoScaling::AutoScalingGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["AutoScaling.1"],
	},
	"config_rule": "AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableAutoScalingGroupELBHealthCheck",
		"parameters": {
			"AutoScalingGroupName": "{{configuration.autoScalingGroupName}}",
			"HealthCheckGracePeriod": 300,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: instances the load balancer reports unhealthy start being replaced.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_balancers := array.concat(
	ec2_helpers.texts(ec2_helpers.get(_conf, "loadBalancerNames")),
	ec2_helpers.texts(ec2_helpers.get(_conf, "targetGroupARNs")),
)

default applicable := false

applicable if count(_balancers) > 0

_checks := {upper(trim_space(c)) | some c in split(ec2_helpers.text(ec2_helpers.get(_conf, "healthCheckType")), ",")}

violation contains msg if {
	not "ELB" in _checks
	msg := sprintf("group is attached to a load balancer (%s) but healthCheckType is %v, not ELB", [
		concat(", ", _balancers), ec2_helpers.get(_conf, "healthCheckType"),
	])
}
