//! `aws_kms_key` (with an `aws_kms_key_policy` folded in) as `AWS::KMS::Key`: the key's
//! state, spec and origin in `configuration`, its policy and rotation status in
//! `supplementaryConfiguration` (`Policy` as JSON text, `KeyRotationStatus`).

use super::attrs::{self, get, is_placeholder, known_str};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::{is_unknown, Resource};
use serde_json::{json, Value};

/// A customer managed key. Unset: enabled, `SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`, rotation
/// off (the provider's defaults, which are AWS's). A new key given no policy gets AWS's
/// default key policy (the account's root may use the key), known when the account is.
pub(crate) fn key(ctx: &Ctx, key: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &key.values;
    let mut resource = ctx.resource(key, "AWS::KMS::Key");
    resource.name = known_str(v, "key_id").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let spec = attrs::or(v, "customer_master_key_spec", json!("SYMMETRIC_DEFAULT"));
    resource.configuration = json!({
        "keyId": attrs::or_later(key, "key_id"),
        "arn": attrs::or_later(key, "arn"),
        "enabled": attrs::or(v, "is_enabled", json!(true)),
        "keyState": attrs::map_known(attrs::or(v, "is_enabled", json!(true)), |e| {
            json!(if e.as_bool() == Some(false) { "Disabled" } else { "Enabled" })
        }),
        "keyManager": "CUSTOMER",
        "origin": "AWS_KMS",
        "keySpec": spec,
        "customerMasterKeySpec": spec,
        "keyUsage": attrs::or(v, "key_usage", json!("ENCRYPT_DECRYPT")),
        "description": attrs::copy(v, "description"),
        "multiRegion": attrs::or(v, "multi_region", json!(false)),
        "awsaccountId": ctx.account().map_or(Value::Null, |a| json!(a)),
    });
    let policy = match companions.last() {
        Some(c) => attrs::or_later(c, "policy"),
        None => key_policy(ctx, key),
    };
    resource.supplementary.insert("Policy".into(), policy);
    resource.supplementary.insert(
        "KeyRotationStatus".into(),
        attrs::or(v, "enable_key_rotation", json!(false)),
    );
    vec![resource]
}

fn key_policy(ctx: &Ctx, key: &Instance) -> Value {
    match get(&key.values, "policy") {
        Some(Value::String(p)) if !p.is_empty() && !is_unknown(p) => json!(p),
        Some(p) if is_placeholder(p) && key.action == Action::Keep => p.clone(),
        // Unset on create: the default key policy (KMS Developer Guide, "Default key policy").
        _ => match ctx.account() {
            Some(account) => json!(default_policy(ctx.partition(), account)),
            None => attrs::later(key, "policy"),
        },
    }
}

fn default_policy(partition: &str, account: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:{partition}:iam::{account}:root")},
            "Action": "kms:*",
            "Resource": "*",
        }],
    })
    .to_string()
}
