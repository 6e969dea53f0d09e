package regent.cloudtrail_6

import data.regent.lib.edge_helpers
import data.regent.lib.resource_policy
import data.regent.lib.values

metadata := {
	"id": "CloudTrail.6",
	"title": "Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible",
	"description": "Finds the trail's log bucket (configuration.s3BucketName) among the recorded AWS::S3::Bucket CIs (any account, any region) and checks that it is not public. NON_COMPLIANT when its bucket policy (supplementaryConfiguration.BucketPolicy.policyText) has an Allow statement open to everyone (\"*\", {\"AWS\": \"*\"}, a wildcard ARN or a NotPrincipal) that no fixed-value condition narrows (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, ...), unless restrictPublicBuckets is true on the bucket or on the bucket account's AWS::S3::AccountPublicAccessBlock; or when its ACL (supplementaryConfiguration.AccessControlList) grants any permission to the AllUsers or AuthenticatedUsers group, unless ignorePublicAcls is true at bucket or account level. When the bucket is not in the input (for example it belongs to a log-archive account whose CIs were not loaded) the trail is NOT_APPLICABLE.",
	"severity": "critical",
	"resource_types": ["AWS::CloudTrail::Trail"],
	"requires": [
		{"type": "AWS::S3::Bucket", "fields": [
			"configuration.name",
			"supplementaryConfiguration.PublicAccessBlockConfiguration",
			"supplementaryConfiguration.BucketPolicy",
			"supplementaryConfiguration.AccessControlList",
		]},
		"AWS::S3::AccountPublicAccessBlock",
	],
	# A public log bucket fails unless a public access block says otherwise: the account's block may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"cis-aws-foundations-benchmark/v1.2.0": ["2.3"],
		"cis-aws-foundations-benchmark/v1.4.0": ["3.3"],
	},
	"parameters": {},
	"remediation": {
		"runbook": "ASR-ConfigureS3BucketPublicAccessBlock",
		"parameters": {
			"BucketName": "{{configuration.s3BucketName}}",
			"BlockPublicAcls": true,
			"IgnorePublicAcls": true,
			"BlockPublicPolicy": true,
			"RestrictPublicBuckets": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# A CloudTrail log bucket never needs public access; CloudTrail delivers through its
		# service principal, which Block Public Access does not affect.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_name := input.configuration.s3BucketName

_buckets := edge_helpers.buckets_named(_name) if is_string(_name)

default applicable := false

applicable if count(_buckets) > 0

_flag_set(bucket, flag) if values.is_true(bucket.supplementaryConfiguration.PublicAccessBlockConfiguration[flag])

_flag_set(bucket, flag) if {
	some block in resource_policy.s3_account_blocks(bucket.awsAccountId)
	values.is_true(block[flag])
}

violation contains msg if {
	some bucket in _buckets
	not _flag_set(bucket, "restrictPublicBuckets")
	some stmt in resource_policy.public_statements(bucket.supplementaryConfiguration.BucketPolicy.policyText)
	msg := sprintf("log bucket %s: bucket policy %s allows %v to everyone and restrictPublicBuckets is not set at bucket or account level", [_name, resource_policy.label(stmt), object.get(stmt, "Action", object.get(stmt, "NotAction", "any action"))])
}

violation contains msg if {
	some bucket in _buckets
	not _flag_set(bucket, "ignorePublicAcls")
	some grant in resource_policy.acl_grants(bucket.supplementaryConfiguration.AccessControlList)
	resource_policy.public_group(grant)
	msg := sprintf("log bucket %s: ACL grants %v to %s and ignorePublicAcls is not set at bucket or account level", [_name, grant.permission, resource_policy.grantee_text(grant)])
}
