package regent.opensearch_3

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.3",
	"title": "OpenSearch domains should encrypt data sent between nodes",
	"description": "Checks configuration.NodeToNodeEncryptionOptions.Enabled of an OpenSearch Service domain: true (or \"true\"/\"True\") is COMPLIANT; false, \"false\" or missing is NON_COMPLIANT.",
	"severity": "medium",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.3"],
	},
	"config_rule": "OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK",
	"parameters": {},
}

_options := container_helpers.get(input.configuration, "NodeToNodeEncryptionOptions")

violation contains msg if {
	not values.is_true(container_helpers.get(_options, "Enabled"))
	msg := sprintf("traffic between domain nodes is not encrypted (NodeToNodeEncryptionOptions.Enabled is %v)", [values.show(_options, "Enabled")])
}
