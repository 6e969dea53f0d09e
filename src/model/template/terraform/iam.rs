//! IAM: `aws_iam_role` (with `aws_iam_role_policy` and `aws_iam_role_policy_attachment`
//! folded in), `aws_iam_user` (with `aws_iam_user_policy` and
//! `aws_iam_user_policy_attachment`), both also with `aws_iam_policy_attachment`, and
//! `aws_iam_policy`. Region `global`; policy documents URL-encoded JSON text, as AWS
//! Config records them.
//!
//! A role's own `inline_policy` and `managed_policy_arns` are computed: unknown on create
//! when unset (a new role has no policies but those the plan gives it), and for an
//! existing one they already hold what its companions attach, so the lists are merged.

use super::attrs::{
    self, blocks, get, iam_document, is_placeholder, known_str, later, name_str, tag_list,
};
use super::link;
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::Resource;
use serde_json::{json, Value};

const GLOBAL: &str = "global";

pub(crate) fn role(ctx: &Ctx, role: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &role.values;
    let mut resource = identity(ctx, role, "AWS::IAM::Role");
    resource.configuration = json!({
        "path": attrs::or(v, "path", json!("/")),
        "roleName": attrs::or_later(role, "name"),
        "roleId": attrs::or_later(role, "unique_id"),
        "arn": attrs::or_later(role, "arn"),
        "description": attrs::text_or_null(v, "description"),
        "maxSessionDuration": attrs::or(v, "max_session_duration", json!(3600)),
        "assumeRolePolicyDocument": iam_document(attrs::copy(v, "assume_role_policy")),
        "permissionsBoundary": boundary(v),
        "rolePolicyList": inline_policies(role, "inline_policy", companions, "aws_iam_role_policy"),
        "attachedManagedPolicies": managed_policies(ctx, role, "managed_policy_arns", companions, "aws_iam_role_policy_attachment"),
        "instanceProfileList": [],
        "tags": tag_list(&attrs::tags(v)),
    });
    vec![resource]
}

pub(crate) fn user(ctx: &Ctx, user: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &user.values;
    let mut resource = identity(ctx, user, "AWS::IAM::User");
    resource.configuration = json!({
        "path": attrs::or(v, "path", json!("/")),
        "userName": attrs::or_later(user, "name"),
        "userId": attrs::or_later(user, "unique_id"),
        "arn": attrs::or_later(user, "arn"),
        "permissionsBoundary": boundary(v),
        "userPolicyList": inline_policies(user, "", companions, "aws_iam_user_policy"),
        "attachedManagedPolicies": managed_policies(ctx, user, "", companions, "aws_iam_user_policy_attachment"),
        "groupList": [],
        "tags": tag_list(&attrs::tags(v)),
    });
    vec![resource]
}

/// A customer managed policy with one version, the default: `v1` when created; an existing
/// policy whose document changes gets a new version, its id unknown.
pub(crate) fn policy(ctx: &Ctx, policy: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &policy.values;
    let mut resource = identity(ctx, policy, "AWS::IAM::Policy");
    let version = match policy.action {
        Action::Create => json!("v1"),
        Action::Keep => later(policy, "default_version_id"),
    };
    resource.configuration = json!({
        "policyName": attrs::or_later(policy, "name"),
        "policyId": attrs::or_later(policy, "policy_id"),
        "arn": attrs::or_later(policy, "arn"),
        "path": attrs::or(v, "path", json!("/")),
        "description": attrs::text_or_null(v, "description"),
        "defaultVersionId": version,
        "isAttachable": true,
        "permissionsBoundaryUsageCount": boundary_uses(ctx, policy),
        "policyVersionList": [{
            "document": iam_document(attrs::copy(v, "policy")),
            "versionId": version,
            "isDefaultVersion": true,
        }],
        "tags": tag_list(&attrs::tags(v)),
    });
    vec![resource]
}

/// The item of an IAM identity or policy: named by its name, in region `global`.
fn identity(ctx: &Ctx, instance: &Instance, resource_type: &str) -> Resource {
    let mut resource = ctx.resource(instance, resource_type);
    resource.name = name_str(&instance.values, "name").map(str::to_string);
    resource.arn = known_str(&instance.values, "arn").map(str::to_string);
    resource.region = Some(GLOBAL.into());
    resource
}

fn boundary(v: &Value) -> Value {
    match get(v, "permissions_boundary") {
        Some(Value::String(b)) if b.is_empty() => Value::Null,
        Some(b) => json!({"permissionsBoundaryType": "Policy", "permissionsBoundaryArn": b}),
        None => Value::Null,
    }
}

/// Inline policies: the identity's own (`inline_policy` blocks of a role) and each inline
/// policy resource naming it, by name.
fn inline_policies(owner: &Instance, own_key: &str, companions: &[&Instance], kind: &str) -> Value {
    let mut list: Vec<Value> = Vec::new();
    if !own_key.is_empty() {
        match blocks(&owner.values, own_key) {
            Ok(own) => list.extend(own.into_iter().filter(|p| get(p, "name").is_some()).map(|p| {
                json!({"policyName": attrs::copy(p, "name"), "policyDocument": iam_document(attrs::copy(p, "policy"))})
            })),
            Err(p) if owner.action == Action::Keep => return p.clone(),
            Err(_) => {}
        }
    }
    for c in companions.iter().filter(|c| c.resource_type() == kind) {
        let entry = json!({
            "policyName": attrs::or_later(c, "name"),
            "policyDocument": iam_document(attrs::or_later(c, "policy")),
        });
        list.retain(|p| {
            p["policyName"] != entry["policyName"] || is_placeholder(&entry["policyName"])
        });
        list.push(entry);
    }
    Value::Array(list)
}

/// Attached managed policies: the role's own `managed_policy_arns`, each attachment naming
/// the identity, each `aws_iam_policy_attachment` listing it; by ARN.
fn managed_policies(
    ctx: &Ctx,
    owner: &Instance,
    own_key: &str,
    companions: &[&Instance],
    kind: &str,
) -> Value {
    let mut arns: Vec<(Value, Option<&Instance>)> = Vec::new();
    if !own_key.is_empty() {
        match attrs::list(&owner.values, own_key) {
            Value::Array(list) => arns.extend(list.into_iter().map(|a| (a, None))),
            p if owner.action == Action::Keep => return p,
            _ => {}
        }
    }
    for c in companions
        .iter()
        .filter(|c| c.resource_type() == kind || c.resource_type() == "aws_iam_policy_attachment")
    {
        let arn = attrs::or_later(c, "policy_arn");
        if !arns.iter().any(|(a, _)| *a == arn && !is_placeholder(a)) {
            arns.push((arn, Some(c)));
        }
    }
    Value::Array(
        arns.into_iter()
            .map(|(arn, via)| json!({"policyName": policy_name(ctx, &arn, via), "policyArn": arn}))
            .collect(),
    )
}

/// A managed policy's name: the last part of its ARN, or the name of the policy of the
/// plan the attachment references.
fn policy_name(ctx: &Ctx, arn: &Value, via: Option<&Instance>) -> Value {
    if let Some(text) = arn.as_str().filter(|_| !is_placeholder(arn)) {
        return json!(text.rsplit('/').next().unwrap_or(text));
    }
    via.and_then(|c| {
        ctx.referenced(c, &["policy_arn"], &["aws_iam_policy"])
            .into_iter()
            .next()
    })
    .map_or(Value::Null, |p| attrs::or_later(p, "name"))
}

/// How many identities use the policy as their permissions boundary: those of the plan
/// (by ARN, or referencing it). For an existing policy others may too: unknown then.
fn boundary_uses(ctx: &Ctx, policy: &Instance) -> Value {
    if policy.action == Action::Keep {
        return later(policy, "permissions_boundary_usage_count");
    }
    let arn = known_str(&policy.values, "arn");
    let uses = ctx
        .instances
        .iter()
        .filter(|i| matches!(i.resource_type(), "aws_iam_role" | "aws_iam_user"))
        .filter(|i| {
            arn.is_some_and(|a| known_str(&i.values, "permissions_boundary") == Some(a))
                || link::referenced(
                    ctx.instances,
                    i,
                    &["permissions_boundary"],
                    &["aws_iam_policy"],
                )
                .iter()
                .any(|&n| ctx.instances[n].address == policy.address)
        })
        .count();
    json!(uses)
}
