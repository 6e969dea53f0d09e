package regent.views.s3_buckets_test

import data.regent.views.s3_buckets

_inventory := {"AWS::S3::Bucket": {
	"111111111111": {"us-east-1": {"logs": {"resourceId": "logs", "resourceName": "logs", "configuration": {"name": "logs"}}}},
	"222222222222": {"eu-west-1": {"b-123": {"resourceId": "b-123", "configuration": {"name": "archive"}}}},
}}

test_every_name_of_a_bucket_is_indexed if {
	s3_buckets.by_name.logs == {["111111111111", "us-east-1", "logs"]} with data.inventory as _inventory
	s3_buckets.by_name.archive == {["222222222222", "eu-west-1", "b-123"]} with data.inventory as _inventory
	s3_buckets.by_name["b-123"] == {["222222222222", "eu-west-1", "b-123"]} with data.inventory as _inventory
}

test_unknown_name_is_undefined if {
	not s3_buckets.by_name.missing with data.inventory as _inventory
}
