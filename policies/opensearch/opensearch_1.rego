package regent.opensearch_1

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.1",
	"title": "OpenSearch domains should have encryption at rest enabled",
	"description": "Checks configuration.EncryptionAtRestOptions.Enabled of an OpenSearch Service domain: true (or \"true\"/\"True\") is COMPLIANT; false, \"false\" or missing is NON_COMPLIANT. The KMS key (KmsKeyId) is not checked.",
	"severity": "medium",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.1"],
	},
	"config_rule": "OPENSEARCH_ENCRYPTED_AT_REST",
	"parameters": {},
}

_options := container_helpers.get(input.configuration, "EncryptionAtRestOptions")

violation contains msg if {
	not values.is_true(container_helpers.get(_options, "Enabled"))
	msg := sprintf("domain data is not encrypted at rest (EncryptionAtRestOptions.Enabled is %v)", [values.show(_options, "Enabled")])
}
