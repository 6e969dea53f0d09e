//! `aws_lambda_function` as `AWS::Lambda::Function`, with the `aws_lambda_permission`s
//! naming it folded into its resource-based policy (`supplementaryConfiguration.Policy`),
//! the statements Lambda writes for them. Environment variables are left out: no control
//! reads them and they often hold secrets.

use super::attrs::{self, block, document, get, is_placeholder, known_str, later, name_str, Block};
use super::plan::Instance;
use super::Ctx;
use crate::model::template::{is_unknown, Resource};
use serde_json::{json, Map, Value};

/// A function. Unset: timeout 3 s, 128 MB, a `Zip` package, x86_64, tracing
/// `PassThrough`, 512 MB of ephemeral storage, no VPC (AWS's defaults).
pub(crate) fn function(ctx: &Ctx, function: &Instance, permissions: &[&Instance]) -> Vec<Resource> {
    let v = &function.values;
    let mut resource = ctx.resource(function, "AWS::Lambda::Function");
    resource.name = name_str(v, "function_name").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let vpc = match block(v, "vpc_config") {
        Block::Set(c) => json!({
            "subnetIds": attrs::list(c, "subnet_ids"),
            "securityGroupIds": attrs::list(c, "security_group_ids"),
        }),
        Block::Unknown(p) => json!({"subnetIds": p, "securityGroupIds": p}),
        Block::Unset => json!({"subnetIds": [], "securityGroupIds": []}),
    };
    let layers = match attrs::list(v, "layers") {
        Value::Array(arns) => Value::Array(arns.into_iter().map(|a| json!({"arn": a})).collect()),
        p => p,
    };
    let architectures = match get(v, "architectures") {
        Some(a) if !is_placeholder(a) && a.as_array().is_some_and(|l| !l.is_empty()) => a.clone(),
        _ => json!(["x86_64"]),
    };
    resource.configuration = json!({
        "functionName": attrs::or_later(function, "function_name"),
        "functionArn": attrs::or_later(function, "arn"),
        "runtime": attrs::text_or_null(v, "runtime"),
        "role": attrs::copy(v, "role"),
        "handler": attrs::text_or_null(v, "handler"),
        "description": attrs::or(v, "description", json!("")),
        "timeout": attrs::or(v, "timeout", json!(3)),
        "memorySize": attrs::or(v, "memory_size", json!(128)),
        "packageType": attrs::or(v, "package_type", json!("Zip")),
        "architectures": architectures,
        "vpcConfig": vpc,
        "tracingConfig": {"mode": match block(v, "tracing_config") {
            Block::Set(t) => attrs::or(t, "mode", json!("PassThrough")),
            Block::Unknown(p) => p.clone(),
            Block::Unset => json!("PassThrough"),
        }},
        "layers": layers,
        "kmskeyArn": attrs::text_or_null(v, "kms_key_arn"),
        "ephemeralStorage": {"size": match block(v, "ephemeral_storage") {
            Block::Set(e) => attrs::or(e, "size", json!(512)),
            Block::Unknown(p) => p.clone(),
            Block::Unset => json!(512),
        }},
        "version": "$LATEST",
    });
    resource
        .supplementary
        .insert("Tags".into(), Value::Object(attrs::tags(v)));
    if !permissions.is_empty() {
        let statements: Vec<Value> = permissions
            .iter()
            .map(|p| statement(ctx, function, p))
            .collect();
        resource.supplementary.insert(
            "Policy".into(),
            document(json!({"Version": "2012-10-17", "Id": "default", "Statement": statements})),
        );
    }
    vec![resource]
}

/// The statement Lambda's AddPermission writes for one `aws_lambda_permission`.
fn statement(ctx: &Ctx, function: &Instance, permission: &Instance) -> Value {
    let v = &permission.values;
    let principal = match get(v, "principal") {
        Some(Value::String(p)) if p == "*" => json!("*"),
        Some(Value::String(p)) if p.ends_with(".amazonaws.com") => json!({"Service": p}),
        // An account id: Lambda writes the account's root.
        Some(Value::String(p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            json!({"AWS": format!("arn:{}:iam::{p}:root", ctx.partition())})
        }
        Some(Value::String(p)) if !is_unknown(p) => json!({"AWS": p}),
        Some(p) => p.clone(),
        None => later(permission, "principal"),
    };
    let mut resource = attrs::or_later(function, "arn");
    if let (Some(arn), Some(q)) = (resource.as_str(), name_str(v, "qualifier")) {
        if !is_placeholder(&resource) {
            resource = json!(format!("{arn}:{q}"));
        }
    }
    let mut conditions = Map::new();
    let mut condition = |operator: &str, key: &str, attribute: &str| {
        if let Some(value) = get(v, attribute).filter(|x| x.as_str() != Some("")) {
            let entry = conditions
                .entry(operator.to_string())
                .or_insert_with(|| json!({}));
            entry[key] = value.clone();
        }
    };
    condition("ArnLike", "AWS:SourceArn", "source_arn");
    condition("StringEquals", "AWS:SourceAccount", "source_account");
    condition("StringEquals", "aws:PrincipalOrgID", "principal_org_id");
    condition(
        "StringEquals",
        "lambda:FunctionUrlAuthType",
        "function_url_auth_type",
    );
    let mut stmt = json!({
        "Sid": attrs::or_later(permission, "statement_id"),
        "Effect": "Allow",
        "Principal": principal,
        "Action": attrs::copy(v, "action"),
        "Resource": resource,
    });
    if !conditions.is_empty() {
        stmt["Condition"] = Value::Object(conditions);
    }
    stmt
}
