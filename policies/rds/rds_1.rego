package regent.rds_1

import data.regent.lib.db_helpers

metadata := {
	"id": "RDS.1",
	"title": "RDS snapshot should be private",
	"description": "Checks who may restore a manual DB snapshot or DB cluster snapshot. NON_COMPLIANT when the snapshot's attribute list (supplementaryConfiguration.DBSnapshotAttributes for AWS::RDS::DBSnapshot, DBClusterSnapshotAttributes for AWS::RDS::DBClusterSnapshot) has an attribute named \"restore\" whose attributeValues contain \"all\", which lets every AWS account copy or restore it. Snapshots shared only with named account ids, with an empty or null attributeValues list, or with no attribute list recorded are COMPLIANT. Encryption is not examined (see RDS.4).",
	"severity": "critical",
	"resource_types": ["AWS::RDS::DBSnapshot", "AWS::RDS::DBClusterSnapshot"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.1"],
	},
	"config_rule": "RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-MakeRDSSnapshotPrivate",
		"parameters": {
			"DBSnapshotId": "{{resourceName}}",
			# ASR derives "snapshot" or "cluster-snapshot" from the ARN; no template can do
			# that per resource, so the deployment has to supply it.
			"DBSnapshotType": "{{settings.rds_snapshot_type}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Not automatic: DBSnapshotType cannot be derived per resource here, so an unattended
		# run would pass the wrong type for one of the two snapshot kinds.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_attribute_key := "DBSnapshotAttributes" if input.resourceType == "AWS::RDS::DBSnapshot"

_attribute_key := "DBClusterSnapshotAttributes" if input.resourceType == "AWS::RDS::DBClusterSnapshot"

_kind := "DB snapshot" if input.resourceType == "AWS::RDS::DBSnapshot"

_kind := "DB cluster snapshot" if input.resourceType == "AWS::RDS::DBClusterSnapshot"

violation contains msg if {
	db_helpers.publicly_restorable(input.supplementaryConfiguration[_attribute_key])
	msg := sprintf("%s is public: supplementaryConfiguration.%s has a \"restore\" attribute whose attributeValues include \"all\"", [_kind, _attribute_key])
}
