package regent.elasticache_1

import data.regent.lib.values

metadata := {
	"id": "ElastiCache.1",
	"title": "ElastiCache (Redis OSS) clusters should have automatic backups enabled",
	"description": "Checks the snapshot retention limit of a Redis OSS or Valkey cache cluster: NON_COMPLIANT when it is below snapshotRetentionPeriod (default 1 day; 0 means automatic backups are off) or is not recorded. The field is read as configuration.SnapshotRetentionLimit (DescribeCacheClusters spelling) or configuration.snapshotRetentionLimit (camelCase); numbers held as strings are accepted. NOT_APPLICABLE: clusters whose Engine/engine is recorded and is neither redis nor valkey (Memcached has no backups).",
	"severity": "high",
	"resource_types": ["AWS::ElastiCache::CacheCluster"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ElastiCache.1"],
	},
	"config_rule": "ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK",
	"parameters": {
		"snapshotRetentionPeriod": {
			"default": 1,
			"description": "Minimum number of days automatic snapshots must be kept.",
			"type": "integer",
			"minimum": 1,
			"maximum": 35,
		},
	},
	"remediation": {
		"runbook": "ASR-EnableElastiCacheBackups",
		"parameters": {
			"ResourceARN": "{{ARN}}",
			"SnapshotRetentionPeriod": 1,
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Backups add storage cost and the snapshot fork can slow a busy Redis node.
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

_minimum := values.number(data.parameters["ElastiCache.1"].snapshotRetentionPeriod)

_raw := _field(["SnapshotRetentionLimit", "snapshotRetentionLimit"])

_limit := values.number(_raw)

violation contains msg if {
	_limit < _minimum
	msg := sprintf("snapshot retention limit is %v day(s), below the required minimum of %v (0 means automatic backups are disabled)", [_limit, _minimum])
}

violation contains msg if {
	not _limit
	msg := sprintf("no snapshot retention limit is recorded (SnapshotRetentionLimit is %v), so automatic backups are not known to be enabled", [_shown])
}

_shown := _raw

_shown := "not set" if not _raw_recorded

_raw_recorded if _raw != null
