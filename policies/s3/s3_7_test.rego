package regent.s3_7_test

import data.regent.s3_7

_bucket(rules) := {
	"resourceType": "AWS::S3::Bucket", "resourceId": "acme-orders", "awsAccountId": "111122223333", "awsRegion": "eu-west-1",
	"configuration": {"name": "acme-orders"},
	"supplementaryConfiguration": {"BucketReplicationConfiguration": {"roleARN": "arn:aws:iam::111122223333:role/r", "rules": rules}},
}

_inventory := {"AWS::S3::Bucket": {"111122223333": {"eu-west-1": {"acme-copy": {}}, "us-east-1": {"acme-dr": {}}}}}

# The S3 API spelling (Destination.Bucket) is read when destinationConfig is absent.
test_api_shaped_destination if {
	count(s3_7.violation) == 0 with input as _bucket([{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::acme-dr"}}])
		with data.inventory as _inventory
	count(s3_7.violation) == 1 with input as _bucket([{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::acme-copy"}}])
		with data.inventory as _inventory
}

test_enabled_rule_without_destination if {
	s3_7.violation == {"enabled replication rules only replicate within eu-west-1 (destinations no destination)"} with input as _bucket({"r": {"status": "Enabled"}})
		with data.inventory as _inventory
}
