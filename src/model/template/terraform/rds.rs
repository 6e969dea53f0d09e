//! RDS: `aws_db_instance` and `aws_rds_cluster_instance` as `AWS::RDS::DBInstance`,
//! `aws_rds_cluster` as `AWS::RDS::DBCluster`, in AWS Config's Java-bean spelling
//! (`dBInstanceIdentifier`, `iAMDatabaseAuthenticationEnabled`; for clusters
//! `dbclusterIdentifier`, `iamdatabaseAuthenticationEnabled`).

use super::attrs::{self, get, known_bool, known_str, later, name_str, tag_list};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::Resource;
use serde_json::{json, Value};

/// The port each engine listens on unless told otherwise (RDS User Guide, the engines'
/// default ports): what a new DB instance gets when `port` is unset.
fn default_port(engine: &str) -> Option<u16> {
    Some(match engine {
        "mysql" | "mariadb" | "aurora" | "aurora-mysql" => 3306,
        "postgres" | "aurora-postgresql" => 5432,
        e if e.starts_with("oracle") || e.starts_with("custom-oracle") => 1521,
        e if e.starts_with("sqlserver") || e.starts_with("custom-sqlserver") => 1433,
        e if e.starts_with("db2") => 50000,
        _ => return None,
    })
}

/// A computed setting: its value, else on create AWS's default for a new resource (when
/// `default` says there is one for this resource), else unknown.
fn computed(instance: &Instance, key: &str, default: Option<Value>) -> Value {
    match get(&instance.values, key) {
        Some(v) if !attrs::is_placeholder(v) => v.clone(),
        other => match (instance.action, default) {
            (Action::Create, Some(d)) => d,
            _ => other.cloned().unwrap_or_else(|| later(instance, key)),
        },
    }
}

/// Whether a resource copies its data (a read replica, a snapshot or point-in-time
/// restore): then its settings come from the source and are unknown when unset. The
/// attributes are computed (unknown when unset), so an unknown one counts only when the
/// configuration sets it.
fn from_source(instance: &Instance, keys: &[&str], blocks: &[&str]) -> bool {
    let v = &instance.values;
    keys.iter().any(|k| {
        name_str(v, k).is_some()
            || (get(v, k).is_some_and(attrs::is_placeholder)
                && instance.expressions.get(*k).is_some())
    }) || blocks
        .iter()
        .any(|b| attrs::blocks(v, b).is_ok_and(|l| !l.is_empty()))
}

/// `aws_db_instance`. Defaults for a new instance: port the engine's, backups kept 1 day,
/// storage not encrypted, not Multi-AZ (the CreateDBInstance API's defaults); a replica or
/// restored instance takes its source's, unknown here.
pub(crate) fn db_instance(ctx: &Ctx, db: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &db.values;
    let fresh = !from_source(
        db,
        &["replicate_source_db", "snapshot_identifier"],
        &["restore_to_point_in_time", "s3_import"],
    );
    let engine = attrs::copy(v, "engine");
    let port = computed(
        db,
        "port",
        known_str(v, "engine")
            .filter(|_| fresh)
            .and_then(default_port)
            .map(|p| json!(p)),
    );
    let encrypted = computed(db, "storage_encrypted", fresh.then_some(json!(false)));
    let mut resource = ctx.resource(db, "AWS::RDS::DBInstance");
    resource.name = name_str(v, "identifier").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let configuration = json!({
        "dBInstanceIdentifier": attrs::or_later(db, "identifier"),
        "dBInstanceClass": attrs::copy(v, "instance_class"),
        "engine": engine,
        "engineVersion": version(db),
        // Terraform waits for a new or modified instance to be available.
        "dBInstanceStatus": "available",
        "masterUsername": attrs::or_later(db, "username"),
        "endpoint": {"address": attrs::or_later(db, "address"), "port": port, "hostedZoneId": attrs::or_later(db, "hosted_zone_id")},
        "dbInstancePort": 0,
        "allocatedStorage": attrs::copy(v, "allocated_storage"),
        "storageType": attrs::or_later(db, "storage_type"),
        "backupRetentionPeriod": computed(db, "backup_retention_period", fresh.then_some(json!(1))),
        "multiAZ": computed(db, "multi_az", Some(json!(false))),
        "publiclyAccessible": attrs::or(v, "publicly_accessible", json!(false)),
        "storageEncrypted": encrypted,
        "kmsKeyId": kms_key(db, &encrypted),
        "autoMinorVersionUpgrade": attrs::or(v, "auto_minor_version_upgrade", json!(true)),
        "monitoringInterval": attrs::or(v, "monitoring_interval", json!(0)),
        "iAMDatabaseAuthenticationEnabled": attrs::or(v, "iam_database_authentication_enabled", json!(false)),
        "copyTagsToSnapshot": attrs::or(v, "copy_tags_to_snapshot", json!(false)),
        "deletionProtection": attrs::or(v, "deletion_protection", json!(false)),
        "enabledCloudwatchLogsExports": attrs::list(v, "enabled_cloudwatch_logs_exports"),
        "readReplicaSourceDBInstanceIdentifier": attrs::text_or_null(v, "replicate_source_db"),
        "performanceInsightsEnabled": attrs::or(v, "performance_insights_enabled", json!(false)),
        "dbiResourceId": attrs::or_later(db, "resource_id"),
        "vpcSecurityGroups": security_groups(v),
        "dBSubnetGroup": {"dBSubnetGroupName": attrs::or_later(db, "db_subnet_group_name")},
        "availabilityZone": attrs::or_later(db, "availability_zone"),
        "cACertificateIdentifier": attrs::or_later(db, "ca_cert_identifier"),
    });
    resource.configuration = configuration;
    resource
        .supplementary
        .insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

/// `aws_rds_cluster_instance`: a DB instance of an Aurora (or Multi-AZ) cluster, whose
/// storage, backups and users are the cluster's (unknown here when unset).
pub(crate) fn cluster_instance(ctx: &Ctx, db: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &db.values;
    let engine = attrs::copy(v, "engine");
    let port = computed(
        db,
        "port",
        known_str(v, "engine")
            .and_then(default_port)
            .map(|p| json!(p)),
    );
    let mut resource = ctx.resource(db, "AWS::RDS::DBInstance");
    resource.name = name_str(v, "identifier").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    resource.configuration = json!({
        "dBInstanceIdentifier": attrs::or_later(db, "identifier"),
        "dBInstanceClass": attrs::copy(v, "instance_class"),
        "dBClusterIdentifier": attrs::or_later(db, "cluster_identifier"),
        "engine": engine,
        "engineVersion": attrs::or_later(db, "engine_version_actual"),
        "dBInstanceStatus": "available",
        "endpoint": {"address": attrs::or_later(db, "endpoint"), "port": port},
        "dbInstancePort": 0,
        "storageEncrypted": attrs::or_later(db, "storage_encrypted"),
        "kmsKeyId": attrs::or_later(db, "kms_key_id"),
        "multiAZ": false,
        "publiclyAccessible": attrs::or(v, "publicly_accessible", json!(false)),
        "autoMinorVersionUpgrade": attrs::or(v, "auto_minor_version_upgrade", json!(true)),
        "monitoringInterval": attrs::or(v, "monitoring_interval", json!(0)),
        "copyTagsToSnapshot": attrs::or(v, "copy_tags_to_snapshot", json!(false)),
        "performanceInsightsEnabled": attrs::or(v, "performance_insights_enabled", json!(false)),
        "dbiResourceId": attrs::or_later(db, "dbi_resource_id"),
        "availabilityZone": attrs::or_later(db, "availability_zone"),
        "cACertificateIdentifier": attrs::or_later(db, "ca_cert_identifier"),
    });
    resource
        .supplementary
        .insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

/// `aws_rds_cluster`. Multi-AZ is computed from the plan: a Multi-AZ DB cluster
/// (`db_cluster_instance_class` set) is; an Aurora cluster is when it has instances in two
/// or more known, different zones, is not with one instance or none, and is unknown
/// otherwise (AWS places the replicas). Storage is not encrypted unless asked (the
/// CreateDBCluster default), except Aurora Serverless v1, which always is.
pub(crate) fn cluster(ctx: &Ctx, cluster: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &cluster.values;
    let fresh = !from_source(
        cluster,
        &["snapshot_identifier", "replication_source_identifier"],
        &["restore_to_point_in_time", "s3_import"],
    );
    let serverless = known_str(v, "engine_mode") == Some("serverless");
    let encrypted = computed(
        cluster,
        "storage_encrypted",
        fresh.then_some(json!(serverless)),
    );
    let port = computed(
        cluster,
        "port",
        known_str(v, "engine")
            .and_then(default_port)
            .map(|p| json!(p)),
    );
    let mut resource = ctx.resource(cluster, "AWS::RDS::DBCluster");
    resource.name = name_str(v, "cluster_identifier").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    resource.configuration = json!({
        "dbclusterIdentifier": attrs::or_later(cluster, "cluster_identifier"),
        "dbclusterArn": attrs::or_later(cluster, "arn"),
        "engine": attrs::copy(v, "engine"),
        "engineMode": attrs::or(v, "engine_mode", json!("provisioned")),
        "engineVersion": version(cluster),
        "status": "available",
        "databaseName": attrs::copy(v, "database_name"),
        "masterUsername": attrs::or_later(cluster, "master_username"),
        "endpoint": attrs::or_later(cluster, "endpoint"),
        "readerEndpoint": attrs::or_later(cluster, "reader_endpoint"),
        "port": port,
        "multiAZ": cluster_multi_az(ctx, cluster),
        "storageEncrypted": encrypted,
        "kmsKeyId": kms_key(cluster, &encrypted),
        "backupRetentionPeriod": computed(cluster, "backup_retention_period", fresh.then_some(json!(1))),
        "deletionProtection": attrs::or(v, "deletion_protection", json!(false)),
        "copyTagsToSnapshot": attrs::or(v, "copy_tags_to_snapshot", json!(false)),
        "iamdatabaseAuthenticationEnabled": attrs::or(v, "iam_database_authentication_enabled", json!(false)),
        "backtrackWindow": attrs::or(v, "backtrack_window", json!(0)),
        "enabledCloudwatchLogsExports": attrs::list(v, "enabled_cloudwatch_logs_exports"),
        "availabilityZones": attrs::or_later(cluster, "availability_zones"),
        "vpcSecurityGroups": security_groups(v),
        "dbClusterResourceId": attrs::or_later(cluster, "cluster_resource_id"),
        "tagList": tag_list(&attrs::tags(v)),
    });
    resource
        .supplementary
        .insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

fn cluster_multi_az(ctx: &Ctx, cluster: &Instance) -> Value {
    if get(&cluster.values, "db_cluster_instance_class").is_some_and(|c| c.as_str() != Some("")) {
        return json!(true);
    }
    let members: Vec<&Instance> = ctx
        .instances
        .iter()
        .filter(|i| i.resource_type() == "aws_rds_cluster_instance")
        .filter(|i| {
            let by_value = known_str(&cluster.values, "cluster_identifier")
                .is_some_and(|id| known_str(&i.values, "cluster_identifier") == Some(id));
            by_value
                || ctx
                    .referenced(i, &["cluster_identifier"], &["aws_rds_cluster"])
                    .iter()
                    .any(|c| c.address == cluster.address)
        })
        .collect();
    let zones: Vec<&str> = members
        .iter()
        .filter_map(|m| known_str(&m.values, "availability_zone"))
        .collect();
    let mut distinct = zones.clone();
    distinct.sort_unstable();
    distinct.dedup();
    match members.len() {
        0 | 1 => json!(false),
        _ if distinct.len() >= 2 => json!(true),
        _ if zones.len() == members.len() => json!(false),
        _ => later(cluster, "multi_az"),
    }
}

fn version(instance: &Instance) -> Value {
    match get(&instance.values, "engine_version_actual") {
        Some(v) if !attrs::is_placeholder(v) => v.clone(),
        _ => attrs::or_later(instance, "engine_version"),
    }
}

/// No key for unencrypted storage; else the one given or the AWS managed key (unknown).
fn kms_key(instance: &Instance, encrypted: &Value) -> Value {
    if encrypted == &json!(false) && known_bool(&instance.values, "storage_encrypted") != Some(true)
    {
        return Value::Null;
    }
    match get(&instance.values, "kms_key_id") {
        Some(Value::String(s)) if s.is_empty() => later(instance, "kms_key_id"),
        Some(k) => k.clone(),
        None => later(instance, "kms_key_id"),
    }
}

fn security_groups(v: &Value) -> Value {
    match attrs::list(v, "vpc_security_group_ids") {
        Value::Array(ids) => Value::Array(
            ids.into_iter()
                .map(|id| json!({"vpcSecurityGroupId": id, "status": "active"}))
                .collect(),
        ),
        p => p,
    }
}
