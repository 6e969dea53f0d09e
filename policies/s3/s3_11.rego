package regent.s3_11

import data.regent.lib.resource_policy

metadata := {
	"id": "S3.11",
	"title": "S3 general purpose buckets should have event notifications enabled",
	"description": concat(" ", [
		"Checks that supplementaryConfiguration.BucketNotificationConfiguration.configurations (a map keyed by configuration name, or a list) holds at least one notification configuration (topic, queue or Lambda function).",
		"With eventTypes set, every listed event type must be covered by the events of some configuration (\"s3:ObjectCreated:*\" covers \"s3:ObjectCreated:Put\"); with destinationArn set, some configuration must deliver to that ARN (topicARN, queueARN or functionARN).",
		"NON_COMPLIANT when the key is absent, or configurations is empty ({} is what Config records for a bucket without notifications).",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {},
	"config_rule": "S3_EVENT_NOTIFICATIONS_ENABLED",
	"parameters": {
		"eventTypes": {
			"default": null,
			"description": "S3 event types that must be notified (a list or a comma-separated string, e.g. s3:ObjectCreated:*); null accepts any.",
			"type": "list(string)|csv(string)",
		},
		"destinationArn": {
			"default": null,
			"description": "ARN of the SNS topic, SQS queue or Lambda function notifications must go to; null accepts any.",
			"type": "string",
		},
	},
	"remediation": {
		"runbook": "ASR-EnableBucketEventNotifications",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"AccountId": "{{awsAccountId}}",
			"TopicName": "SO0111-ASR-S3BucketNotifications",
			"EventTypes": [
				"s3:ReducedRedundancyLostObject",
				"s3:ObjectCreated:*",
				"s3:ObjectRemoved:*",
				"s3:ObjectRestore:*",
				"s3:Replication:*",
				"s3:LifecycleExpiration:*",
				"s3:LifecycleTransition",
				"s3:IntelligentTiering",
				"s3:ObjectTagging:*",
				"s3:ObjectAcl:Put",
			],
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# The runbook replaces the bucket's notification configuration with a single topic
		# configuration, dropping existing queue and Lambda notifications.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_notifications := object.get(object.get(input, "supplementaryConfiguration", {}), "BucketNotificationConfiguration", null)

_configurations := [c | some c in _notifications.configurations; is_object(c)] if {
	is_object(_notifications.configurations)
}

_configurations := [c | some c in _notifications.configurations; is_object(c)] if {
	is_array(_notifications.configurations)
}

_configurations := [] if {
	not is_object(_notifications.configurations)
	not is_array(_notifications.configurations)
}

_events(c) := [e | some e in c.events; is_string(e)] if is_array(c.events)

_events(c) := [] if not is_array(c.events)

_destinations(c) := {d | some key in ["topicARN", "queueARN", "functionARN"]; d := c[key]; is_string(d)}

_wanted_events := resource_policy.csv_list(data.parameters["S3.11"].eventTypes)

_wanted_destination := d if {
	d := data.parameters["S3.11"].destinationArn
	is_string(d)
	trim_space(d) != ""
}

_covered(wanted) if {
	some c in _configurations
	some e in _events(c)
	resource_policy.wildcard_matches(e, wanted)
}

violation contains "bucket has no event notifications (BucketNotificationConfiguration not configured)" if {
	not is_object(_notifications)
}

violation contains "bucket has no event notification configurations (configurations is empty)" if {
	is_object(_notifications)
	count(_configurations) == 0
}

violation contains msg if {
	count(_configurations) > 0
	missing := sort([w | some w in _wanted_events; not _covered(w)])
	count(missing) > 0
	msg := sprintf("no event notification covers the required event types %s", [concat(", ", missing)])
}

violation contains msg if {
	count(_configurations) > 0
	wanted := _wanted_destination
	not wanted in {d | some c in _configurations; some d in _destinations(c)}
	msg := sprintf("no event notification is delivered to the required destination %s", [wanted])
}
