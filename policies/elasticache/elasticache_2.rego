package regent.elasticache_2

import data.regent.lib.values

metadata := {
	"id": "ElastiCache.2",
	"title": "ElastiCache clusters should have automatic minor version upgrades enabled",
	"description": "Checks that a Redis OSS or Valkey cache cluster has automatic minor version upgrades turned on: NON_COMPLIANT when the flag, read as configuration.AutoMinorVersionUpgrade (DescribeCacheClusters spelling) or configuration.autoMinorVersionUpgrade (camelCase), is false, \"false\", null or missing; \"true\"/\"True\" strings count as true. NOT_APPLICABLE: clusters whose Engine/engine is recorded and is neither redis nor valkey (the managed rule only evaluates those engines).",
	"severity": "high",
	"resource_types": ["AWS::ElastiCache::CacheCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ElastiCache.2"],
	},
	"config_rule": "ELASTICACHE_AUTO_MINOR_VERSION_UPGRADE_CHECK",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableElastiCacheVersionUpgrades",
		"parameters": {
			"ClusterId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Future engine upgrades would then happen unattended in the maintenance window.
		"automatic": false,
		"maximum_automatic_attempts": 5,
		"retry_attempt_seconds": 60,
		"concurrent_execution_rate_percentage": 10,
		"error_percentage": 10,
	},
}

_conf := input.configuration if is_object(input.configuration)

_conf := {} if not is_object(input.configuration)

# First recorded value among the spellings AWS Config may use for one field.
_field(names) := [v | some n in names; v := object.get(_conf, n, null); v != null][0]

_engine := lower(e) if {
	e := _field(["Engine", "engine"])
	is_string(e)
}

default applicable := true

applicable := false if {
	is_string(_engine)
	not _engine in {"redis", "valkey"}
}

_flag := _field(["AutoMinorVersionUpgrade", "autoMinorVersionUpgrade"])

violation contains msg if {
	not values.is_true(_flag)
	msg := sprintf("automatic minor version upgrades are not enabled (AutoMinorVersionUpgrade is %v)", [_shown])
}

_shown := _flag

_shown := "not set" if not _flag_recorded

_flag_recorded if _flag != null
