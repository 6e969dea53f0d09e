package regent.opensearch_7

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.7",
	"title": "OpenSearch domains should have fine-grained access control enabled",
	"description": "Checks configuration.AdvancedSecurityOptions.Enabled of an OpenSearch Service domain: true (or \"true\"/\"True\") is COMPLIANT; false, \"false\" or missing is NON_COMPLIANT. The master user set-up (internal database, IAM, SAML) is not checked.",
	"severity": "high",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.7"],
	},
	"config_rule": "OPENSEARCH_ACCESS_CONTROL_ENABLED",
	"parameters": {},
}

_options := container_helpers.get(input.configuration, "AdvancedSecurityOptions")

violation contains msg if {
	not values.is_true(container_helpers.get(_options, "Enabled"))
	msg := sprintf("fine-grained access control is not enabled (AdvancedSecurityOptions.Enabled is %v)", [values.show(_options, "Enabled")])
}
