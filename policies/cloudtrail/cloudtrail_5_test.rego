package regent.cloudtrail_5_test

import data.regent.cloudtrail_5

_trail(latest) := {
	"configuration": {"name": "t", "cloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:ct:*"},
	"supplementaryConfiguration": {"TrailStatus": {"latestCloudWatchLogsDeliveryTime": latest}},
}

_as_of := time.parse_rfc3339_ns("2026-10-30T12:00:00Z")

test_recent_delivery_passes if {
	count(cloudtrail_5.violation) == 0 with input as _trail("2026-10-30T09:00:00.000Z")
		with data.parameters as {"CloudTrail.5": {"expectedDeliveryWindowAge": 24}}
		with data.context as {"as_of": "2026-10-30T12:00:00Z", "as_of_ns": _as_of}
}

test_stale_delivery_fails if {
	cloudtrail_5.violation == {"latest delivery to CloudWatch Logs was at 2026-10-28T09:00:00Z, more than expectedDeliveryWindowAge 24 hour(s) before the evaluation time 2026-10-30T12:00:00Z"} with input as _trail("2026-10-28T09:00:00.000Z")
		with data.parameters as {"CloudTrail.5": {"expectedDeliveryWindowAge": "24"}}
		with data.context as {"as_of": "2026-10-30T12:00:00Z", "as_of_ns": _as_of}
}

test_no_window_skips_age if {
	count(cloudtrail_5.violation) == 0 with input as _trail("2020-01-01T00:00:00.000Z")
		with data.parameters as {"CloudTrail.5": {"expectedDeliveryWindowAge": null}}
		with data.context as {"as_of": "2026-10-30T12:00:00Z", "as_of_ns": _as_of}
}
