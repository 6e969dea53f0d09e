package regent.s3_3

import data.regent.lib.resource_policy
import data.regent.lib.values

metadata := {
	"id": "S3.3",
	"title": "S3 general purpose buckets should block public write access",
	"description": concat(" ", [
		"Checks that neither the bucket policy nor the bucket ACL gives the public write access, after Block Public Access.",
		"Bucket policy (supplementaryConfiguration.BucketPolicy.policyText): NON_COMPLIANT when an Allow statement has a public principal (\"*\", {\"AWS\": \"*\"}, {\"AWS\": [\"*\"]}, a wildcard ARN or a NotPrincipal), is not narrowed by a fixed-value condition (aws:SourceVpce, aws:SourceIp other than 0.0.0.0/0, aws:SourceAccount, aws:PrincipalOrgID, ... compared with StringEquals/StringLike/ArnEquals/ArnLike/IpAddress against values that are not \"*\" or policy variables), and its Action (or NotAction) covers a write action (s3:PutObject, s3:DeleteObject, s3:PutBucketPolicy, s3:PutObjectAcl, s3:Put*, s3:*, *, ...); this is ignored when restrictPublicBuckets is true in the bucket's PublicAccessBlockConfiguration or in the account-level AWS::S3::AccountPublicAccessBlock (any region).",
		"ACL (supplementaryConfiguration.AccessControlList grantList): NON_COMPLIANT when the AllUsers or AuthenticatedUsers group (\"AllUsers\", or the http://acs.amazonaws.com/groups/global/...",
		"URI) is granted Write, WriteAcp or FullControl; ignored when ignorePublicAcls is true at bucket or account level. blockPublicPolicy and blockPublicAcls only stop new public grants, so they do not excuse existing ones.",
		"A bucket with no policy and a private ACL is COMPLIANT.",
	]),
	"severity": "critical",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": ["AWS::S3::AccountPublicAccessBlock"],
	# A public grant fails unless a public access block says otherwise: the account's block may be missing from a partial input.
	"needs_complete": ["NON_COMPLIANT"],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.3"],
	},
	"config_rule": "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-ConfigureS3BucketPublicAccessBlock",
		"parameters": {
			"BucketName": "{{resourceName}}",
			"BlockPublicAcls": true,
			"IgnorePublicAcls": true,
			"BlockPublicPolicy": true,
			"RestrictPublicBuckets": true,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Blocking public access breaks workflows that rely on public uploads.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

# Concrete write actions; a statement whose Action pattern (or NotAction) covers any of them
# grants write access.
_write_actions := [
	"s3:PutObject",
	"s3:PutObjectAcl",
	"s3:PutObjectVersionAcl",
	"s3:PutObjectTagging",
	"s3:DeleteObject",
	"s3:DeleteObjectVersion",
	"s3:DeleteObjectTagging",
	"s3:AbortMultipartUpload",
	"s3:RestoreObject",
	"s3:ReplicateObject",
	"s3:ReplicateDelete",
	"s3:PutBucketAcl",
	"s3:PutBucketPolicy",
	"s3:DeleteBucketPolicy",
	"s3:DeleteBucket",
	"s3:PutBucketVersioning",
	"s3:PutLifecycleConfiguration",
	"s3:PutEncryptionConfiguration",
	"s3:PutBucketWebsite",
	"s3:PutBucketCORS",
	"s3:PutBucketLogging",
	"s3:PutBucketNotification",
	"s3:PutBucketTagging",
	"s3:PutReplicationConfiguration",
]

_write_permissions := {"write", "writeacp", "fullcontrol"}

_supp := object.get(input, "supplementaryConfiguration", {})

_policy := input.supplementaryConfiguration.BucketPolicy.policyText

_acl := object.get(_supp, "AccessControlList", null)

# The bucket's own block and the account's blocks; any of them with the flag set is enough.
_blocks := array.concat(
	[b | b := _supp.PublicAccessBlockConfiguration; is_object(b)],
	resource_policy.s3_account_blocks(input.awsAccountId),
)

_flag_set(flag) if {
	some block in _blocks
	values.is_true(block[flag])
}

violation contains msg if {
	not _flag_set("restrictPublicBuckets")
	some stmt in resource_policy.public_statements(_policy)
	some action in _write_actions
	resource_policy.covers_action(stmt, action)
	msg := sprintf("bucket policy %s allows public write access (%s to everyone, no fixed-value condition) and restrictPublicBuckets is not set at bucket or account level", [resource_policy.label(stmt), resource_policy.actions_text(stmt)])
}

violation contains msg if {
	not _flag_set("ignorePublicAcls")
	some grant in resource_policy.acl_grants(_acl)
	resource_policy.public_group(grant)
	resource_policy.grant_permission(grant) in _write_permissions
	msg := sprintf("bucket ACL grants %s to %s and ignorePublicAcls is not set at bucket or account level", [grant.permission, resource_policy.grantee_text(grant)])
}
