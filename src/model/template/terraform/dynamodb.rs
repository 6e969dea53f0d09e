//! `aws_dynamodb_table` as `AWS::DynamoDB::Table`: the table in `configuration`, its
//! point-in-time recovery in `supplementaryConfiguration.ContinuousBackupsDescription`.

use super::attrs::{self, block, blocks, known_str, name_str, tag_list, Block};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::Resource;
use serde_json::{json, Value};

/// A table. Unset: provisioned billing, the standard table class, no deletion
/// protection, point-in-time recovery off and encryption with an AWS owned key (no
/// `sseDescription`), as AWS creates a table; continuous backups are always on.
pub(crate) fn table(ctx: &Ctx, table: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &table.values;
    let mut resource = ctx.resource(table, "AWS::DynamoDB::Table");
    resource.name = name_str(v, "name").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let mut keys = Vec::new();
    for (key, kind) in [("hash_key", "HASH"), ("range_key", "RANGE")] {
        if let Some(name) = attrs::get(v, key).filter(|n| n.as_str() != Some("")) {
            keys.push(json!({"attributeName": name, "keyType": kind}));
        }
    }
    let definitions = match blocks(v, "attribute") {
        Ok(list) => Value::Array(
            list.into_iter()
                .map(|a| json!({"attributeName": attrs::copy(a, "name"), "attributeType": attrs::copy(a, "type")}))
                .collect(),
        ),
        Err(p) => p.clone(),
    };
    let mut configuration = json!({
        "tableName": attrs::or_later(table, "name"),
        "tableArn": attrs::or_later(table, "arn"),
        "tableStatus": "ACTIVE",
        "keySchema": keys,
        "attributeDefinitions": definitions,
        "billingModeSummary": {"billingMode": attrs::or(v, "billing_mode", json!("PROVISIONED"))},
        "provisionedThroughput": {
            "readCapacityUnits": attrs::or(v, "read_capacity", json!(0)),
            "writeCapacityUnits": attrs::or(v, "write_capacity", json!(0)),
        },
        "tableClassSummary": {"tableClass": attrs::or(v, "table_class", json!("STANDARD"))},
        "deletionProtectionEnabled": attrs::or(v, "deletion_protection_enabled", json!(false)),
    });
    if let Some(sse) = encryption(table) {
        configuration["sseDescription"] = sse;
    }
    resource.configuration = configuration;
    resource.supplementary.insert(
        "ContinuousBackupsDescription".into(),
        json!({
            "continuousBackupsStatus": "ENABLED",
            "pointInTimeRecoveryDescription": {"pointInTimeRecoveryStatus": recovery(table)},
        }),
    );
    resource
        .supplementary
        .insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

/// `ENABLED` or `DISABLED`; the block is computed, so unknown on create when unset.
fn recovery(table: &Instance) -> Value {
    let status = |enabled: &Value| {
        attrs::map_known(enabled.clone(), |e| {
            json!(if e.as_bool() == Some(true) {
                "ENABLED"
            } else {
                "DISABLED"
            })
        })
    };
    match block(&table.values, "point_in_time_recovery") {
        Block::Set(p) => status(&attrs::or(p, "enabled", json!(false))),
        Block::Unknown(p) if table.action == Action::Keep => p.clone(),
        _ => json!("DISABLED"),
    }
}

/// `sseDescription` for a KMS key (AWS managed or customer managed); none for the AWS
/// owned key.
fn encryption(table: &Instance) -> Option<Value> {
    match block(&table.values, "server_side_encryption") {
        Block::Set(s) => match attrs::get(s, "enabled") {
            Some(Value::Bool(true)) => Some(json!({
                "status": "ENABLED",
                "sseType": "KMS",
                "kmsMasterKeyArn": match attrs::get(s, "kms_key_arn") {
                    Some(Value::String(k)) if k.is_empty() => attrs::later(table, "server_side_encryption[0].kms_key_arn"),
                    Some(k) => k.clone(),
                    None => attrs::later(table, "server_side_encryption[0].kms_key_arn"),
                },
            })),
            Some(p) if attrs::is_placeholder(p) => Some(p.clone()),
            _ => None,
        },
        Block::Unknown(p) if table.action == Action::Keep => Some(p.clone()),
        _ => None,
    }
}
