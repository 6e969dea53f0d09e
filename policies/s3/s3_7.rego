package regent.s3_7

metadata := {
	"id": "S3.7",
	"title": "S3 general purpose buckets should use cross-Region replication",
	"description": concat(" ", [
		"Checks supplementaryConfiguration.BucketReplicationConfiguration for at least one replication rule whose status is Enabled (any letter case) and whose destination bucket (destinationConfig.bucketARN, arn:aws:s3:::<name>) is in another region.",
		"Rules may be recorded as a map keyed by rule id or as a list. A bucket ARN holds no region, so the destination's region is read from the recorded AWS::S3::Bucket CIs (any account): a destination recorded in the source bucket's own region is same-region replication; a destination recorded in another region, or not recorded at all (another account or a region outside the input), is taken to be cross-region.",
		"NON_COMPLIANT when replication is not configured, when no rule is enabled, or when every enabled rule replicates within the bucket's region.",
	]),
	"severity": "low",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [{"type": "AWS::S3::Bucket", "fields": []}],
	# A destination bucket that is not recorded counts as in another region: it may be in this one, missing from a partial input.
	"needs_complete": ["COMPLIANT"],
	"standards": {},
	"config_rule": "S3_BUCKET_CROSS_REGION_REPLICATION_ENABLED",
	"parameters": {},
}

_replication := object.get(object.get(input, "supplementaryConfiguration", {}), "BucketReplicationConfiguration", null)

# The rules, whether recorded as {"<rule id>": {...}} or as [{...}].
_rules := [r | some r in _replication.rules; is_object(r)] if is_object(_replication.rules)

_rules := [r | some r in _replication.rules; is_object(r)] if is_array(_replication.rules)

_rules := [] if {
	not is_object(_replication.rules)
	not is_array(_replication.rules)
}

_enabled_rules := [r | some r in _rules; is_string(r.status); lower(r.status) == "enabled"]

# The destination bucket ARN: destinationConfig.bucketARN as Config records it (the S3 API's
# Destination.Bucket is accepted too).
_destination_arn(rule) := arn if {
	arn := object.get(rule, ["destinationConfig", "bucketARN"], null)
	is_string(arn)
}

_destination_arn(rule) := arn if {
	not is_string(object.get(rule, ["destinationConfig", "bucketARN"], null))
	arn := object.get(rule, ["destination", "bucket"], null)
	is_string(arn)
}

_destination_text(rule) := _destination_arn(rule)

_destination_text(rule) := "no destination" if not _destination_arn(rule)

_bucket_name(arn) := name if {
	parts := split(arn, ":::")
	name := parts[count(parts) - 1]
}

# Regions in which a bucket of this name is recorded.
_recorded_regions(name) := {region |
	some account, region
	data.inventory["AWS::S3::Bucket"][account][region][name]
}

_same_region(rule) if {
	arn := _destination_arn(rule)
	input.awsRegion in _recorded_regions(_bucket_name(arn))
}

_cross_region(rule) if {
	_destination_arn(rule)
	not _same_region(rule)
}

_has_cross_region if {
	some rule in _enabled_rules
	_cross_region(rule)
}

violation contains "bucket has no replication configuration (BucketReplicationConfiguration not configured)" if {
	count(_rules) == 0
}

violation contains msg if {
	count(_rules) > 0
	count(_enabled_rules) == 0
	msg := sprintf("none of the bucket's %d replication rules is enabled", [count(_rules)])
}

violation contains msg if {
	count(_enabled_rules) > 0
	not _has_cross_region
	destinations := sort({_destination_text(rule) | some rule in _enabled_rules})
	msg := sprintf("enabled replication rules only replicate within %s (destinations %s)", [input.awsRegion, concat(", ", destinations)])
}
