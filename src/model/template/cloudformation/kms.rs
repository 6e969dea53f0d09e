//! `AWS::KMS::Key`: the key policy and rotation status are supplementary, as AWS Config
//! records them.

use super::context::Cx;
use super::template::Decl;
use super::values::{boolean_or, document_text, tags, Built};
use serde_json::{json, Value};

pub fn key(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::KMS::Key");
    b.resource.tags = tags(props);
    let enabled = boolean_or(props.get("Enabled"), true);
    let spec = props
        .get("KeySpec")
        .cloned()
        .unwrap_or_else(|| json!("SYMMETRIC_DEFAULT"));
    b.set("keyManager", json!("CUSTOMER"));
    b.set("keySpec", spec.clone());
    b.set("customerMasterKeySpec", spec);
    b.set(
        "keyUsage",
        props
            .get("KeyUsage")
            .cloned()
            .unwrap_or_else(|| json!("ENCRYPT_DECRYPT")),
    );
    b.set(
        "origin",
        props
            .get("Origin")
            .cloned()
            .unwrap_or_else(|| json!("AWS_KMS")),
    );
    b.set(
        "keyState",
        match enabled {
            Value::Bool(false) => json!("Disabled"),
            Value::Bool(true) => json!("Enabled"),
            ref other => other.clone(),
        },
    );
    b.set("enabled", enabled);
    b.set("multiRegion", boolean_or(props.get("MultiRegion"), false));
    b.set_some("description", props.get("Description").cloned());
    let policy = match props.get("KeyPolicy") {
        Some(policy) => document_text(policy),
        None => default_policy(cx, &mut b, decl),
    };
    b.supplementary("Policy", policy);
    b.supplementary(
        "KeyRotationStatus",
        boolean_or(props.get("EnableKeyRotation"), false),
    );
    b
}

/// The policy KMS gives a key created without one: the account may use it through IAM.
fn default_policy(cx: &mut Cx<'_>, b: &mut Built, decl: &Decl<'_>) -> Value {
    let root = match cx.global_arn("iam", "root") {
        Some(arn) => json!(arn),
        None => b.unknown(
            cx,
            "Properties.KeyPolicy",
            "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
            &format!(
                "the default policy of {} names the account, not known before deploy",
                decl.id
            ),
        ),
    };
    document_text(&json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": root},
            "Action": "kms:*",
            "Resource": "*",
        }],
    }))
}
