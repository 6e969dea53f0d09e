package regent.elasticache_3

import data.regent.lib.values

metadata := {
	"id": "ElastiCache.3",
	"title": "ElastiCache replication groups should have automatic failover enabled",
	"description": "Checks that automatic failover is enabled for an ElastiCache replication group: COMPLIANT when the DescribeReplicationGroups status configuration.AutomaticFailover (or automaticFailover) is \"enabled\" (any letter case), or, when no status is recorded, when the boolean AutomaticFailoverEnabled (or automaticFailoverEnabled, CloudFormation spelling) is true. NON_COMPLIANT for \"disabled\", \"enabling\", \"disabling\", false, or when neither field is recorded.",
	"severity": "medium",
	"resource_types": ["AWS::ElastiCache::ReplicationGroup"],
	"requires": [],
	"standards": {
		"aws-foundational-security-best-practices/v1.0.0": ["ElastiCache.3"],
	},
	"config_rule": "ELASTICACHE_REPL_GRP_AUTO_FAILOVER_ENABLED",
	"parameters": {},
	"remediation": {
		"runbook": "ASR-EnableElastiCacheReplicationGroupFailover",
		"parameters": {
			"GroupId": "{{resourceId}}",
			"AutomationAssumeRole": "{{settings.remediation_role_arn}}",
		},
		# Modifies the replication group and needs read replicas; changes failover behaviour.
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

_status := _field(["AutomaticFailover", "automaticFailover"])

_enabled_flag := _field(["AutomaticFailoverEnabled", "automaticFailoverEnabled"])

violation contains msg if {
	is_string(_status)
	lower(_status) != "enabled"
	msg := sprintf("automatic failover is not enabled (AutomaticFailover is %q)", [_status])
}

violation contains msg if {
	not is_string(_status)
	not values.is_true(_enabled_flag)
	msg := sprintf("automatic failover is not enabled (AutomaticFailover not recorded, AutomaticFailoverEnabled is %v)", [_flag_shown])
}

_flag_shown := _enabled_flag

_flag_shown := "not set" if not _enabled_flag_recorded

_enabled_flag_recorded if _enabled_flag != null
