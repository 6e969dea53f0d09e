package regent.s3_20

import data.regent.lib.values

metadata := {
	"id": "S3.20",
	"title": "S3 general purpose buckets should have MFA delete enabled",
	"description": concat(" ", [
		"Checks that MFA delete is on: supplementaryConfiguration.BucketVersioningConfiguration.isMfaDeleteEnabled must be true (\"true\" strings count; null, which Config records when MFA delete was never configured, false or a missing key are NON_COMPLIANT).",
		"MFA delete needs versioning, so the message also gives the versioning status.",
		"As in Security Hub, buckets with a lifecycle configuration (supplementaryConfiguration.BucketLifecycleConfiguration with at least one rule) get no finding: they are NOT_APPLICABLE, since MFA delete cannot be combined with lifecycle rules.",
	]),
	"severity": "low",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"cis-aws-foundations-benchmark/v1.4.0": ["2.1.3"],
		"cis-aws-foundations-benchmark/v3.0.0": ["2.1.2"],
	},
	"config_rule": "S3_BUCKET_MFA_DELETE_ENABLED",
	"parameters": {},
}

_supp := object.get(input, "supplementaryConfiguration", {})

_versioning := v if {
	v := _supp.BucketVersioningConfiguration
	is_object(v)
}

_versioning := {} if not is_object(_supp.BucketVersioningConfiguration)

default applicable := true

applicable := false if {
	rules := _supp.BucketLifecycleConfiguration.rules
	is_array(rules)
	count(rules) > 0
}

violation contains msg if {
	not values.is_true(_versioning.isMfaDeleteEnabled)
	msg := sprintf("MFA delete is not enabled (isMfaDeleteEnabled is %v; versioning status %v)", [values.show(_versioning, "isMfaDeleteEnabled"), values.show(_versioning, "status")])
}
