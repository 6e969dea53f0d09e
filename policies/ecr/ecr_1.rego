package regent.ecr_1

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "ECR.1",
	"title": "ECR private repositories should have image scanning configured",
	"description": "Checks configuration.ImageScanningConfiguration.ScanOnPush of a private ECR repository: true (or \"true\"/\"True\") is COMPLIANT; false, \"false\" or missing is NON_COMPLIANT. Registry-level scanning rules (basic or enhanced continuous scanning set with PutRegistryScanningConfiguration) are not part of the repository CI, so a repository covered only by a registry-wide rule is reported NON_COMPLIANT here.",
	"severity": "high",
	"resource_types": ["AWS::ECR::Repository"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ECR.1"],
	},
	"config_rule": "ECR_PRIVATE_IMAGE_SCANNING_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnablePrivateRepositoryScanning",
		"parameters": {
			"RepositoryName": "{{configuration.RepositoryName}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Turns on scan-on-push for the repository; additive, changes no image or access.
		"automatic": true,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_scanning := container_helpers.get(input.configuration, "ImageScanningConfiguration")

violation contains msg if {
	not values.is_true(container_helpers.get(_scanning, "ScanOnPush"))
	msg := sprintf("image scanning on push is not enabled (ImageScanningConfiguration.ScanOnPush is %v)", [values.show(_scanning, "ScanOnPush")])
}
