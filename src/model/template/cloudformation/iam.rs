//! IAM roles, users, groups and managed policies (`AWS::IAM::ManagedPolicy` is what AWS
//! Config records as `AWS::IAM::Policy`). Policy documents are URL-encoded JSON text, as IAM
//! keeps them; IAM items are in region `global`. Inline `AWS::IAM::Policy` resources and a
//! managed policy's `Roles`/`Users`/`Groups` are folded into those entities (`fold`).

use super::context::Cx;
use super::links::count_links;
use super::template::Decl;
use super::values::{known, list, tags, url_encoded_document, Built};
use serde_json::{json, Value};

/// IAM is global: AWS Config records its items in region `global`.
const GLOBAL: &str = "global";

pub fn role(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = entity(cx, "AWS::IAM::Role", "role", "RoleName", props);
    b.set(
        "assumeRolePolicyDocument",
        props
            .get("AssumeRolePolicyDocument")
            .map_or(Value::Null, url_encoded_document),
    );
    b.set("rolePolicyList", inline_policies(props));
    b.set("instanceProfileList", json!([]));
    b.set_some("description", props.get("Description").cloned());
    b.set_some(
        "maxSessionDuration",
        props.get("MaxSessionDuration").cloned(),
    );
    b
}

pub fn user(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = entity(cx, "AWS::IAM::User", "user", "UserName", props);
    b.set("userPolicyList", inline_policies(props));
    b.set("groupList", Value::Array(list(props.get("Groups"))));
    b
}

pub fn group(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = entity(cx, "AWS::IAM::Group", "group", "GroupName", props);
    b.set("groupPolicyList", inline_policies(props));
    b
}

/// What roles, users and groups share: name, path, ARN, managed policies, boundary.
fn entity(
    cx: &mut Cx<'_>,
    resource_type: &str,
    kind: &str,
    name_property: &str,
    props: &Value,
) -> Built {
    let mut b = Built::new(resource_type);
    b.resource.region = Some(GLOBAL.into());
    b.resource.tags = tags(props);
    let path = known(props.get("Path")).unwrap_or("/").to_string();
    b.set("path", json!(path));
    if let Some(name) = known(props.get(name_property)) {
        b.resource.name = Some(name.to_string());
        b.resource.arn = cx.global_arn("iam", &format!("{kind}{path}{name}"));
        b.set(&format!("{kind}Name"), json!(name));
        if let Some(arn) = &b.resource.arn {
            b.set("arn", json!(arn));
        }
    }
    let attached: Vec<Value> = list(props.get("ManagedPolicyArns"))
        .iter()
        .map(attached_policy)
        .collect();
    b.set("attachedManagedPolicies", Value::Array(attached));
    let boundary = props.get("PermissionsBoundary").map_or(
        Value::Null,
        |arn| json!({"permissionsBoundaryArn": arn, "permissionsBoundaryType": "Policy"}),
    );
    b.set("permissionsBoundary", boundary);
    b
}

/// `{policyName, policyArn}` for an attached managed policy; the name is the ARN's last
/// part when the ARN is known.
pub fn attached_policy(arn: &Value) -> Value {
    match known(Some(arn)) {
        Some(text) => {
            json!({"policyName": text.rsplit('/').next().unwrap_or(text), "policyArn": text})
        }
        None => json!({"policyArn": arn}),
    }
}

/// `Policies: [{PolicyName, PolicyDocument}]` as `*PolicyList` entries.
fn inline_policies(props: &Value) -> Value {
    Value::Array(
        list(props.get("Policies"))
            .iter()
            .map(inline_policy)
            .collect(),
    )
}

pub fn inline_policy(policy: &Value) -> Value {
    json!({
        "policyName": policy.get("PolicyName"),
        "policyDocument": policy.get("PolicyDocument").map_or(Value::Null, url_encoded_document),
    })
}

pub fn managed_policy(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::IAM::Policy");
    b.resource.region = Some(GLOBAL.into());
    let path = known(props.get("Path")).unwrap_or("/").to_string();
    b.set("path", json!(path));
    if let Some(name) = known(props.get("ManagedPolicyName")) {
        b.resource.name = Some(name.to_string());
        b.set("policyName", json!(name));
    }
    let arn = cx.ref_value(decl.id);
    if let Some(arn) = known(Some(&arn)) {
        b.resource.arn = Some(arn.to_string());
        b.set("arn", json!(arn));
    }
    b.set_some("description", props.get("Description").cloned());
    b.set("defaultVersionId", json!("v1"));
    b.set("isAttachable", json!(true));
    let listed = ["Roles", "Users", "Groups"]
        .iter()
        .map(|k| list(props.get(*k)).len())
        .sum::<usize>();
    let entities = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];
    let attached = count_links(cx, decl.id, &entities, "ManagedPolicyArns");
    b.set("attachmentCount", json!(listed + attached));
    b.set(
        "permissionsBoundaryUsageCount",
        json!(count_links(
            cx,
            decl.id,
            &entities[..2],
            "PermissionsBoundary"
        )),
    );
    let document = props
        .get("PolicyDocument")
        .map_or(Value::Null, url_encoded_document);
    b.set(
        "policyVersionList",
        json!([{"document": document, "versionId": "v1", "isDefaultVersion": true}]),
    );
    b
}
