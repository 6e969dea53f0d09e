package regent.rds_4

import data.regent.lib.values

metadata := {
	"id": "RDS.4",
	"title": "RDS cluster snapshots and database snapshots should be encrypted at rest",
	"description": "Checks that an RDS snapshot is encrypted: configuration.encrypted for an AWS::RDS::DBSnapshot, configuration.storageEncrypted for an AWS::RDS::DBClusterSnapshot. It must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. Automated (rds:...) and manual snapshots, and snapshots of Aurora, Neptune and DocumentDB clusters, are all evaluated. The KMS key is not examined.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBSnapshot", "AWS::RDS::DBClusterSnapshot"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.4"],
	},
	"config_rule": "RDS_SNAPSHOT_ENCRYPTED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EncryptRDSSnapshot",
		"parameters": {
			"SourceDBSnapshotIdentifier": "{{resourceName}}",
			# ASR strips an "rds:" or "awsbackup:" prefix before appending "-encrypted";
			# templates cannot, so automated snapshots need the name adjusted by hand.
			"TargetDBSnapshotIdentifier": "{{resourceName}}-encrypted",
			"DBSnapshotType": "{{settings.rds_snapshot_type}}",
			"KmsKeyId": "alias/aws/rds",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: the runbook only adds an encrypted copy (the unencrypted original
		# and its finding stay), and the snapshot type and target name cannot be derived
		# per resource here.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := object.get(input, "configuration", null)

_field := "encrypted" if input.resourceType == "AWS::RDS::DBSnapshot"

_field := "storageEncrypted" if input.resourceType == "AWS::RDS::DBClusterSnapshot"

_kind := "DB snapshot" if input.resourceType == "AWS::RDS::DBSnapshot"

_kind := "DB cluster snapshot" if input.resourceType == "AWS::RDS::DBClusterSnapshot"

violation contains msg if {
	not values.is_true(_conf[_field])
	msg := sprintf("%s is not encrypted (%s is %v)", [_kind, _field, values.show(_conf, _field)])
}
