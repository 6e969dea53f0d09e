package regent.s3_11_test

import data.regent.s3_11

_topic := {"events": ["s3:ObjectCreated:*"], "topicARN": "arn:aws:sns:eu-west-1:111122223333:uploads", "type": "TopicConfiguration"}

_queue := {"events": ["s3:ObjectRemoved:Delete"], "queueARN": "arn:aws:sqs:eu-west-1:111122223333:deletes", "type": "QueueConfiguration"}

_bucket(confs) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-uploads", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-uploads"},
	"supplementaryConfiguration": {"BucketNotificationConfiguration": {"configurations": confs}},
}

test_event_types_covered if {
	count(s3_11.violation) == 0 with input as _bucket({"t": _topic, "q": _queue})
		with data.parameters as {"S3.11": {"eventTypes": "s3:ObjectCreated:Put, s3:ObjectRemoved:Delete", "destinationArn": null}}
}

test_event_types_missing if {
	s3_11.violation == {"no event notification covers the required event types s3:ObjectRestore:Completed"} with input as _bucket([_topic, _queue])
		with data.parameters as {"S3.11": {"eventTypes": ["s3:ObjectCreated:*", "s3:ObjectRestore:Completed"], "destinationArn": null}}
}

test_destination if {
	count(s3_11.violation) == 0 with input as _bucket({"q": _queue})
		with data.parameters as {"S3.11": {"eventTypes": null, "destinationArn": "arn:aws:sqs:eu-west-1:111122223333:deletes"}}
	s3_11.violation == {"no event notification is delivered to the required destination arn:aws:sqs:eu-west-1:111122223333:other"} with input as _bucket({"t": _topic, "odd": {"events": "s3:*"}})
		with data.parameters as {"S3.11": {"eventTypes": null, "destinationArn": "arn:aws:sqs:eu-west-1:111122223333:other"}}
}
