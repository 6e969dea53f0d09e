package regent.es_1

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "ES.1",
	"title": "Elasticsearch domains should have encryption at-rest enabled",
	"description": "Checks configuration.encryptionAtRestOptions.enabled of a legacy Elasticsearch domain (AWS::Elasticsearch::Domain records camelCase keys, unlike AWS::OpenSearch::Domain): true (or \"true\"/\"True\") is COMPLIANT; false, \"false\" or missing is NON_COMPLIANT. The KMS key is not checked.",
	"severity": "medium",
	"resource_types": ["AWS::Elasticsearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ES.1"],
	},
	"config_rule": "ELASTICSEARCH_ENCRYPTED_AT_REST",
	"parameters": {},
}

_options := container_helpers.get(input.configuration, "encryptionAtRestOptions")

violation contains msg if {
	not values.is_true(container_helpers.get(_options, "enabled"))
	msg := sprintf("domain data is not encrypted at rest (encryptionAtRestOptions.enabled is %v)", [values.show(_options, "enabled")])
}
