//! `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`, in AWS Config's Java-bean casing
//! (`dBInstanceIdentifier`, `iAMDatabaseAuthenticationEnabled`), with the defaults RDS
//! applies to what the template leaves unset.

use super::context::Cx;
use super::links::{target, targets_of};
use super::template::Decl;
use super::values::{boolean, boolean_or, integer, known, list, tags, Built};
use serde_json::{json, Value};

/// The port RDS gives an engine when the template sets none.
fn default_port(engine: &str) -> Option<i64> {
    Some(match engine {
        e if e.starts_with("aurora-postgresql") || e.starts_with("postgres") => 5432,
        e if e.starts_with("aurora") || e.starts_with("mysql") || e.starts_with("mariadb") => 3306,
        e if e.starts_with("oracle") => 1521,
        e if e.starts_with("sqlserver") => 1433,
        e if e.starts_with("db2") => 50000,
        _ => return None,
    })
}

fn engine(props: &Value) -> Value {
    match props.get("Engine") {
        Some(Value::String(e)) if !crate::model::template::is_unknown(e) => json!(e.to_lowercase()),
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

pub fn db_instance(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::RDS::DBInstance");
    b.resource.tags = tags(props);
    let identifier = props.get("DBInstanceIdentifier").cloned();
    if let Some(id) = known(identifier.as_ref()) {
        let id = id.to_lowercase();
        b.resource.arn = cx.regional_arn("rds", &format!("db:{id}"));
        b.resource.name = Some(id.clone());
        b.set("dBInstanceIdentifier", json!(id));
    }
    let engine = engine(props);
    b.set("engine", engine.clone());
    b.set_some("engineVersion", props.get("EngineVersion").cloned());
    b.set_some("dBInstanceClass", props.get("DBInstanceClass").cloned());
    // The state CloudFormation leaves a new instance in.
    b.set("dBInstanceStatus", json!("available"));
    b.set_some("masterUsername", props.get("MasterUsername").cloned());
    b.set_some(
        "dBClusterIdentifier",
        props.get("DBClusterIdentifier").cloned(),
    );
    b.set_some(
        "readReplicaSourceDBInstanceIdentifier",
        props.get("SourceDBInstanceIdentifier").cloned(),
    );
    let cluster = props
        .get("DBClusterIdentifier")
        .and_then(|c| target(cx, c, &["AWS::RDS::DBCluster"]))
        .map(|d| d.id);
    let cluster_props = cluster.map(|id| cx.props(id));
    let encrypted = instance_encryption(cx, &mut b, props, cluster_props.as_ref());
    b.set("storageEncrypted", encrypted);
    b.set_some("kmsKeyId", props.get("KmsKeyId").cloned());
    let public = match boolean(props.get("PubliclyAccessible")) {
        Some(v) => v,
        None => b.unknown(
            cx,
            "Properties.PubliclyAccessible",
            &format!("PubliclyAccessible of {}", decl.id),
            "unset: RDS makes the instance public when its subnets' VPC has an internet gateway",
        ),
    };
    b.set("publiclyAccessible", public);
    b.set("multiAZ", boolean_or(props.get("MultiAZ"), false));
    b.set(
        "autoMinorVersionUpgrade",
        boolean_or(props.get("AutoMinorVersionUpgrade"), true),
    );
    let retention = integer(props.get("BackupRetentionPeriod")).unwrap_or_else(|| json!(1));
    b.set("backupRetentionPeriod", retention);
    b.set(
        "copyTagsToSnapshot",
        boolean_or(props.get("CopyTagsToSnapshot"), false),
    );
    b.set(
        "deletionProtection",
        boolean_or(props.get("DeletionProtection"), false),
    );
    b.set(
        "iAMDatabaseAuthenticationEnabled",
        boolean_or(props.get("EnableIAMDatabaseAuthentication"), false),
    );
    b.set(
        "monitoringInterval",
        integer(props.get("MonitoringInterval")).unwrap_or_else(|| json!(0)),
    );
    b.set_some("monitoringRoleArn", props.get("MonitoringRoleArn").cloned());
    b.set(
        "enabledCloudwatchLogsExports",
        Value::Array(list(props.get("EnableCloudwatchLogsExports"))),
    );
    let port = integer(props.get("Port"))
        .or_else(|| cluster_props.as_ref().and_then(|c| integer(c.get("Port"))))
        .or_else(|| engine.as_str().and_then(default_port).map(|p| json!(p)));
    if let Some(port) = port {
        b.set("endpoint", json!({"port": port}));
        b.set("dbInstancePort", json!(0));
    }
    b
}

/// `StorageEncrypted`, else implied: true with a `KmsKeyId`, the cluster's for an Aurora
/// member, unknown when restored from a snapshot or replicating, else RDS's default false.
fn instance_encryption(
    cx: &mut Cx<'_>,
    b: &mut Built,
    props: &Value,
    cluster: Option<&Value>,
) -> Value {
    if let Some(v) = boolean(props.get("StorageEncrypted")) {
        return v;
    }
    if props.get("KmsKeyId").is_some() {
        return Value::Bool(true);
    }
    if let Some(cluster) = cluster {
        return cluster_encryption(cluster);
    }
    for source in [
        "DBSnapshotIdentifier",
        "SourceDBInstanceIdentifier",
        "DBClusterIdentifier",
    ] {
        if props.get(source).is_some() {
            return b.unknown(
                cx,
                &format!("Properties.{source}"),
                &format!(
                    "storage encryption of {}",
                    props.get(source).map(Value::to_string).unwrap_or_default()
                ),
                "unset: inherited from the snapshot, source instance or cluster",
            );
        }
    }
    Value::Bool(false)
}

fn cluster_encryption(props: &Value) -> Value {
    if let Some(v) = boolean(props.get("StorageEncrypted")) {
        return v;
    }
    // Aurora Serverless v1 clusters are always encrypted; a key implies encryption.
    let serverless = props.get("EngineMode").and_then(Value::as_str) == Some("serverless");
    Value::Bool(serverless || props.get("KmsKeyId").is_some())
}

pub fn db_cluster(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::RDS::DBCluster");
    b.resource.tags = tags(props);
    if let Some(id) = known(props.get("DBClusterIdentifier")) {
        let id = id.to_lowercase();
        b.resource.arn = cx.regional_arn("rds", &format!("cluster:{id}"));
        b.resource.name = Some(id.clone());
        b.set("dbclusterIdentifier", json!(id));
    }
    let engine = engine(props);
    b.set("engine", engine.clone());
    b.set_some("engineVersion", props.get("EngineVersion").cloned());
    b.set(
        "engineMode",
        props
            .get("EngineMode")
            .cloned()
            .unwrap_or_else(|| json!("provisioned")),
    );
    b.set("status", json!("available"));
    b.set_some("masterUsername", props.get("MasterUsername").cloned());
    b.set("storageEncrypted", cluster_encryption(props));
    b.set_some("kmsKeyId", props.get("KmsKeyId").cloned());
    b.set(
        "deletionProtection",
        boolean_or(props.get("DeletionProtection"), false),
    );
    b.set(
        "copyTagsToSnapshot",
        boolean_or(props.get("CopyTagsToSnapshot"), false),
    );
    b.set(
        "iamdatabaseAuthenticationEnabled",
        boolean_or(props.get("EnableIAMDatabaseAuthentication"), false),
    );
    b.set(
        "backtrackWindow",
        integer(props.get("BacktrackWindow")).unwrap_or_else(|| json!(0)),
    );
    b.set(
        "backupRetentionPeriod",
        integer(props.get("BackupRetentionPeriod")).unwrap_or_else(|| json!(1)),
    );
    b.set(
        "enabledCloudwatchLogsExports",
        Value::Array(list(props.get("EnableCloudwatchLogsExports"))),
    );
    b.set("multiAZ", cluster_multi_az(cx, decl, props));
    if let Some(port) = integer(props.get("Port"))
        .or_else(|| engine.as_str().and_then(default_port).map(|p| json!(p)))
    {
        b.set("port", port);
    }
    b
}

/// A Multi-AZ DB cluster (`DBClusterInstanceClass`) is Multi-AZ; an Aurora cluster is when
/// the template gives it two or more instances, which RDS spreads over zones.
fn cluster_multi_az(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Value {
    if props.get("DBClusterInstanceClass").is_some() {
        return Value::Bool(true);
    }
    let members = targets_of(cx, decl.id, "AWS::RDS::DBInstance", "DBClusterIdentifier");
    Value::Bool(members >= 2)
}
