package regent.opensearch_6

import data.regent.lib.container_helpers
import data.regent.lib.values

metadata := {
	"id": "Opensearch.6",
	"title": "OpenSearch domains should have at least three data nodes",
	"description": "Checks configuration.ClusterConfig of an OpenSearch Service domain: InstanceCount (a number or numeric string) must be at least 3 and ZoneAwarenessEnabled must be true (or \"true\"). Each shortfall is a separate reason; a missing InstanceCount or ZoneAwarenessEnabled (zone awareness off by default) is NON_COMPLIANT. Dedicated master and warm nodes are not counted.",
	"severity": "medium",
	"resource_types": ["AWS::OpenSearch::Domain"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["Opensearch.6"],
	},
	"config_rule": "OPENSEARCH_DATA_NODE_FAULT_TOLERANCE",
	"parameters": {},
}

_cluster := container_helpers.get(input.configuration, "ClusterConfig")

_count := values.number(container_helpers.get(_cluster, "InstanceCount"))

violation contains msg if {
	not _count >= 3
	msg := sprintf("domain has fewer than three data nodes (ClusterConfig.InstanceCount is %v)", [values.show(_cluster, "InstanceCount")])
}

violation contains msg if {
	not values.is_true(container_helpers.get(_cluster, "ZoneAwarenessEnabled"))
	msg := sprintf("data nodes are not spread across Availability Zones (ClusterConfig.ZoneAwarenessEnabled is %v)", [values.show(_cluster, "ZoneAwarenessEnabled")])
}
