package regent.rds_15

import data.regent.lib.values

metadata := {
	"id": "RDS.15",
	"title": "RDS DB clusters should be configured for multiple Availability Zones",
	"description": "Checks configuration.multiAZ of an RDS DB cluster: it must be true (\"true\"/\"True\" strings count); false, \"false\" or a missing value is NON_COMPLIANT. For Aurora, multiAZ is true only when the cluster has DB instances (a writer and a reader) in more than one Availability Zone; configuration.availabilityZones lists where the cluster volume is stored (always several zones for Aurora) and is not used.",
	"severity": "medium",
	"resource_types": ["AWS::RDS::DBCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["RDS.15"],
	},
	"config_rule": "RDS_CLUSTER_MULTI_AZ_ENABLED",
	"parameters": {},
}

_conf := object.get(input, "configuration", null)

violation contains msg if {
	not values.is_true(_conf.multiAZ)
	msg := sprintf("DB cluster is not deployed across multiple Availability Zones (multiAZ is %v)", [values.show(_conf, "multiAZ")])
}
