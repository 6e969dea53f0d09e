# Recorded S3 buckets by name, computed once per run (see "Views" in policies/README.md):
# trails and distributions name their buckets, and a bucket may sit in any account and
# region of the export, so a lookup replaces a scan of every bucket for every trail.
package regent.views.s3_buckets

# by_name[name]: [account, region, resource id] of every recorded AWS::S3::Bucket whose
# resourceName, configuration.name or resourceId is `name`.
by_name[name] contains [account, region, id] if {
	some account, regions in data.inventory["AWS::S3::Bucket"]
	some region, buckets in regions
	some id, ci in buckets
	some name in {
		object.get(ci, "resourceName", null),
		# A path, not two nested gets: `configuration` may be null or not an object.
		object.get(ci, ["configuration", "name"], null),
		object.get(ci, "resourceId", null),
	}
	is_string(name)
}
