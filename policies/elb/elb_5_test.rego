package regent.elb_5_test

import data.regent.elb_5

# The s3BucketNames parameter (null by default, so the fixtures cannot reach it).

_alb(enabled, bucket) := {
	"resourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer",
	"configuration": {"type": "application"},
	"supplementaryConfiguration": {"LoadBalancerAttributes": [
		{"key": "access_logs.s3.enabled", "value": enabled},
		{"key": "access_logs.s3.bucket", "value": bucket},
	]},
}

_clb(enabled, bucket) := {
	"resourceType": "AWS::ElasticLoadBalancing::LoadBalancer",
	"configuration": {"loadBalancerName": "legacy-web"},
	"supplementaryConfiguration": {"LoadBalancerAttributes": {"accessLog": {"enabled": enabled, "s3BucketName": bucket}}},
}

_params(buckets) := {"ELB.5": {"s3BucketNames": buckets}}

test_alb_log_bucket_in_list if {
	count(elb_5.violation) == 0 with input as _alb("true", "acme-elb-logs") with data.parameters as _params("acme-elb-logs, other-logs")
}

test_alb_log_bucket_not_in_list if {
	elb_5.violation == {"access logs go to bucket scratch-bucket, not one of s3BucketNames (acme-elb-logs)"} with input as _alb("true", "scratch-bucket")
		with data.parameters as _params(["acme-elb-logs"])
}

test_clb_log_bucket_in_list if {
	count(elb_5.violation) == 0 with input as _clb(true, "acme-elb-logs") with data.parameters as _params(["acme-elb-logs"])
}

test_clb_log_bucket_not_in_list if {
	elb_5.violation == {"access logs go to bucket scratch-bucket, not one of s3BucketNames (acme-elb-logs)"} with input as _clb(true, "scratch-bucket")
		with data.parameters as _params(["acme-elb-logs"])
}

test_clb_disabled_reports_only_disabled if {
	elb_5.violation == {"access logging (LoadBalancerAttributes.accessLog.enabled) is false (must be true)"} with input as _clb(false, null)
		with data.parameters as _params(["acme-elb-logs"])
}
