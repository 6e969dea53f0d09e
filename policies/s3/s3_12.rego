package regent.s3_12

import data.regent.lib.resource_policy
import data.regent.lib.values

metadata := {
	"id": "S3.12",
	"title": "ACLs should not be used to manage user access to S3 general purpose buckets",
	"description": concat(" ", [
		"Checks the bucket ACL (supplementaryConfiguration.AccessControlList, recorded as JSON text and decoded by the loader): every grant in grantList must be to the bucket owner (grantee id equal to owner.id).",
		"NON_COMPLIANT for any grant to another canonical user, an e-mail address, or a group (AllUsers, AuthenticatedUsers, LogDelivery), whatever the permission.",
		"A bucket whose ACL is not recorded, or holds only the owner's grant, is COMPLIANT.",
		"Object Ownership (BucketOwnerEnforced disables ACLs) is not part of the configuration item, so a bucket with leftover grants is reported even if ACLs are disabled.",
	]),
	"severity": "medium",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["S3.12"],
	},
	"config_rule": "S3_BUCKET_ACL_PROHIBITED",
	"parameters": {},
}

_acl := object.get(object.get(input, "supplementaryConfiguration", {}), "AccessControlList", null)

_owner := _acl.owner.id

_to_owner(grant) if {
	is_object(grant.grantee)
	grant.grantee.id == _owner
}

violation contains msg if {
	some grant in resource_policy.acl_grants(_acl)
	not _to_owner(grant)
	msg := sprintf("bucket ACL grants %v to %s, not the bucket owner", [values.show(grant, "permission"), resource_policy.grantee_text(grant)])
}
