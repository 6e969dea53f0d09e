package regent.elb_5

import data.regent.lib.edge_helpers
import data.regent.lib.values

metadata := {
	"id": "ELB.5",
	"title": "Application and Classic Load Balancers logging should be enabled",
	"description": "Checks access logging. Application Load Balancers (AWS::ElasticLoadBalancingV2::LoadBalancer with configuration.type application): the attribute access_logs.s3.enabled in supplementaryConfiguration.LoadBalancerAttributes (a list of {key, value} with string values) must be true; \"false\" or not recorded fails; network and gateway load balancers are NOT_APPLICABLE. Classic Load Balancers: supplementaryConfiguration.LoadBalancerAttributes.accessLog.enabled must be true; false or not recorded fails. With s3BucketNames set (a list or comma-separated string), the log bucket (access_logs.s3.bucket, or accessLog.s3BucketName) must also be one of those buckets.",
	"severity": "medium",
	"resource_types": ["AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ELB.5"],
	},
	"config_rule": "ELB_LOGGING_ENABLED",
	"parameters": {
		"s3BucketNames": {
			"default": null,
			"description": "Buckets the access logs must go to (a list, or a comma-separated string); null accepts any bucket.",
			"type": "list(string)|csv(string)",
		},
	},
	"remediation": {
		"runbook": "AWSConfigRemediation-EnableLoggingForALBAndCLB",
		"parameters": {
			# The ALB's resourceId is its ARN and the Classic Load Balancer's is its name, which
			# is what the runbook takes for each.
			"LoadBalancerId": "{{resourceId}}",
			"S3BucketName": "{{settings.elb_access_log_bucket_name}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Needs a log bucket whose policy admits the regional ELB log-delivery principal.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_v2 := "AWS::ElasticLoadBalancingV2::LoadBalancer"

_classic := "AWS::ElasticLoadBalancing::LoadBalancer"

default applicable := false

applicable if input.resourceType == _classic

applicable if {
	input.resourceType == _v2
	edge_helpers.elbv2_type(input) == "application"
}

_buckets := edge_helpers.csv(data.parameters["ELB.5"].s3BucketNames)

_bucket_required if count(_buckets) > 0

# Application Load Balancer

violation contains msg if {
	input.resourceType == _v2
	not values.is_true(edge_helpers.elbv2_attribute(input, "access_logs.s3.enabled"))
	msg := sprintf("load balancer attribute access_logs.s3.enabled is %v (must be true)", [edge_helpers.elbv2_attribute_show(input, "access_logs.s3.enabled")])
}

violation contains msg if {
	input.resourceType == _v2
	values.is_true(edge_helpers.elbv2_attribute(input, "access_logs.s3.enabled"))
	_bucket_required
	not edge_helpers.elbv2_attribute(input, "access_logs.s3.bucket") in _buckets
	msg := sprintf("access logs go to bucket %v, not one of s3BucketNames (%s)", [edge_helpers.elbv2_attribute_show(input, "access_logs.s3.bucket"), concat(", ", _buckets)])
}

# Classic Load Balancer

_access_log := edge_helpers.clb_attribute_group(input, "accessLog")

violation contains msg if {
	input.resourceType == _classic
	not values.is_true(edge_helpers.field(_access_log, ["enabled", "Enabled"]))
	msg := sprintf("access logging (LoadBalancerAttributes.accessLog.enabled) is %v (must be true)", [_classic_show("enabled", "Enabled")])
}

violation contains msg if {
	input.resourceType == _classic
	values.is_true(edge_helpers.field(_access_log, ["enabled", "Enabled"]))
	_bucket_required
	not edge_helpers.field(_access_log, ["s3BucketName", "S3BucketName"]) in _buckets
	msg := sprintf("access logs go to bucket %v, not one of s3BucketNames (%s)", [_classic_show("s3BucketName", "S3BucketName"), concat(", ", _buckets)])
}

_classic_show(camel, pascal) := edge_helpers.show_field(_access_log, [camel, pascal]) if is_object(_access_log)

_classic_show(_, _) := "not recorded" if not is_object(_access_log)
