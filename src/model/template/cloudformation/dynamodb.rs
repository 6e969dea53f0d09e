//! `AWS::DynamoDB::Table`.

use super::context::Cx;
use super::template::Decl;
use super::values::{boolean, boolean_or, known, tags, Built};
use serde_json::{json, Value};

pub fn table(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::DynamoDB::Table");
    b.resource.tags = tags(props);
    if let Some(name) = known(props.get("TableName")) {
        b.resource.name = Some(name.to_string());
        b.resource.arn = cx.regional_arn("dynamodb", &format!("table/{name}"));
        b.set("tableName", json!(name));
    }
    b.set("tableStatus", json!("ACTIVE"));
    b.set(
        "deletionProtectionEnabled",
        boolean_or(props.get("DeletionProtectionEnabled"), false),
    );
    b.set(
        "billingModeSummary",
        json!({"billingMode": props.get("BillingMode").cloned().unwrap_or_else(|| json!("PROVISIONED"))}),
    );
    if let Some(sse) = props.get("SSESpecification") {
        if boolean(sse.get("SSEEnabled")) == Some(Value::Bool(true)) {
            b.set(
                "sSEDescription",
                json!({"status": "ENABLED", "sSEType": sse.get("SSEType").cloned().unwrap_or_else(|| json!("KMS"))}),
            );
        }
    }
    let recovery = match boolean_or(
        props.pointer("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled"),
        false,
    ) {
        Value::Bool(true) => json!("ENABLED"),
        Value::Bool(false) => json!("DISABLED"),
        other => other,
    };
    b.supplementary(
        "ContinuousBackupsDescription",
        json!({
            "continuousBackupsStatus": "ENABLED",
            "pointInTimeRecoveryDescription": {"pointInTimeRecoveryStatus": recovery},
        }),
    );
    b
}
