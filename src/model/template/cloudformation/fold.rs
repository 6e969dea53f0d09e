//! Companions: resources AWS Config does not record as items of their own but as part of
//! another (a bucket policy in its bucket, an ingress rule in its security group, an inline
//! IAM policy in its role). Each is folded into the resource of the template it names; one
//! whose target is not in the template (an imported security group id, an existing role)
//! is skipped with that reason: it is not wrong, and regent judges the target only where it
//! is defined.
//!
//! Also the links between resources of one template: what a `Ref`, a `GetAtt` or a fixed
//! name points at.

use super::context::Cx;
use super::ec2;
use super::iam::{attached_policy, inline_policy};
use super::links::target;
use super::template::Decl;
use super::values::{document_text, list, Built};
use crate::model::template::unknown_what;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn is_companion(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "AWS::S3::BucketPolicy"
            | "AWS::EC2::SecurityGroupIngress"
            | "AWS::EC2::SecurityGroupEgress"
            | "AWS::EC2::VolumeAttachment"
            | "AWS::IAM::Policy"
            | "AWS::IAM::UserToGroupAddition"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy"
            | "AWS::Lambda::Permission"
    )
}

/// The converted resources, by logical id.
pub struct Targets<'a> {
    pub built: &'a mut Vec<(usize, Built)>,
    pub by_id: &'a HashMap<String, usize>,
}

impl Targets<'_> {
    fn get(&mut self, id: &str) -> Option<&mut Built> {
        let at = *self.by_id.get(id)?;
        self.built.get_mut(at).map(|(_, b)| b)
    }
}

/// Fold one companion into its target(s); the reason it is skipped when none is in the
/// template.
pub fn fold(cx: &mut Cx<'_>, decl: &Decl<'_>, targets: &mut Targets<'_>) -> Option<String> {
    let props = cx.props(decl.id);
    let (names, types): (Vec<Value>, &[&str]) = match decl.resource_type {
        "AWS::S3::BucketPolicy" => (list(props.get("Bucket")), &["AWS::S3::Bucket"]),
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => (
            list(props.get("GroupId").or_else(|| props.get("GroupName"))),
            &["AWS::EC2::SecurityGroup"],
        ),
        "AWS::EC2::VolumeAttachment" => (list(props.get("VolumeId")), &["AWS::EC2::Volume"]),
        "AWS::IAM::Policy" => {
            let mut all = Vec::new();
            for key in ["Roles", "Users", "Groups"] {
                all.extend(list(props.get(key)));
            }
            (
                all,
                &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
            )
        }
        "AWS::IAM::UserToGroupAddition" => (list(props.get("Users")), &["AWS::IAM::User"]),
        "AWS::SQS::QueuePolicy" => (list(props.get("Queues")), &["AWS::SQS::Queue"]),
        "AWS::SNS::TopicPolicy" => (list(props.get("Topics")), &["AWS::SNS::Topic"]),
        "AWS::Lambda::Permission" => (list(props.get("FunctionName")), &["AWS::Lambda::Function"]),
        _ => return Some("regent does not map this resource type from templates".into()),
    };
    let mut folded = false;
    for name in &names {
        let Some(found) = target(cx, name, types) else {
            continue;
        };
        let (id, resource_type) = (found.id, found.resource_type);
        let Some(built) = targets.get(id) else {
            continue;
        };
        apply(cx, decl, &props, resource_type, built);
        built.note_all(cx, &props, &format!("{}.Properties", decl.id));
        folded = true;
    }
    if folded {
        return None;
    }
    let shown: Vec<String> = names
        .iter()
        .map(|n| match n {
            Value::String(s) => unknown_what(s).unwrap_or(s).to_string(),
            other => other.to_string(),
        })
        .collect();
    Some(format!(
        "it belongs to {} {}, which is not in this template: regent judges a resource where it is defined",
        types.join(" or "),
        if shown.is_empty() { "(none named)".to_string() } else { shown.join(", ") },
    ))
}

/// Fold one companion's properties into one target.
fn apply(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value, target_type: &str, built: &mut Built) {
    match decl.resource_type {
        "AWS::S3::BucketPolicy" => {
            let text = props
                .get("PolicyDocument")
                .map_or(Value::Null, document_text);
            built.supplementary("BucketPolicy", json!({ "policyText": text }));
        }
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
            let egress = decl.resource_type.ends_with("Egress");
            let key = if egress {
                "ipPermissionsEgress"
            } else {
                "ipPermissions"
            };
            let mut rules = list(built.config(key));
            rules.push(ec2::permission(props, egress));
            built.set(key, Value::Array(ec2::merge(rules)));
        }
        "AWS::EC2::VolumeAttachment" => {
            attach(built, props.get("InstanceId"), props.get("Device"));
        }
        "AWS::IAM::Policy" => {
            let key = match target_type {
                "AWS::IAM::Role" => "rolePolicyList",
                "AWS::IAM::User" => "userPolicyList",
                _ => "groupPolicyList",
            };
            let mut policies = list(built.config(key));
            policies.push(inline_policy(props));
            built.set(key, Value::Array(policies));
        }
        "AWS::IAM::UserToGroupAddition" => {
            let mut groups = list(built.config("groupList"));
            groups.extend(list(props.get("GroupName")));
            built.set("groupList", Value::Array(groups));
        }
        "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
            let text = props
                .get("PolicyDocument")
                .map_or(Value::Null, document_text);
            built.set("Policy", text);
        }
        "AWS::Lambda::Permission" => {
            let statement = permission_statement(cx, decl, props, built);
            let existing = built
                .resource
                .supplementary
                .get("Policy")
                .and_then(Value::as_str);
            let mut policy = existing
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
                .unwrap_or_else(
                    || json!({"Version": "2012-10-17", "Id": "default", "Statement": []}),
                );
            if let Some(Value::Array(statements)) = policy.get_mut("Statement") {
                statements.push(statement);
            }
            built.supplementary("Policy", Value::String(policy.to_string()));
        }
        _ => {}
    }
}

/// An `AWS::Lambda::Permission` as the statement Lambda adds to the function's policy.
fn permission_statement(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value, built: &Built) -> Value {
    let principal = match props.get("Principal") {
        Some(Value::String(p)) if p == "*" => json!("*"),
        Some(Value::String(p))
            if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") =>
        {
            json!({"Service": p})
        }
        Some(Value::String(p)) if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) => {
            json!({"AWS": format!("arn:{}:iam::{p}:root", cx.partition())})
        }
        Some(other) => json!({"AWS": other}),
        None => Value::Null,
    };
    let mut condition = serde_json::Map::new();
    if let Some(account) = props.get("SourceAccount") {
        condition.insert("StringEquals".into(), json!({"AWS:SourceAccount": account}));
    }
    if let Some(org) = props.get("PrincipalOrgID") {
        let equals = condition.entry("StringEquals").or_insert_with(|| json!({}));
        equals["aws:PrincipalOrgID"] = org.clone();
    }
    if let Some(arn) = props.get("SourceArn") {
        condition.insert("ArnLike".into(), json!({"AWS:SourceArn": arn}));
    }
    let resource = built
        .resource
        .arn
        .clone()
        .map_or(Value::Null, Value::String);
    let mut statement = json!({
        "Sid": decl.id,
        "Effect": "Allow",
        "Principal": principal,
        "Action": props.get("Action").cloned().unwrap_or(Value::Null),
        "Resource": resource,
    });
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    statement
}

/// Add an attachment to a volume's item.
fn attach(built: &mut Built, instance: Option<&Value>, device: Option<&Value>) {
    let mut attachments = list(built.config("attachments"));
    attachments.push(json!({
        "instanceId": instance.cloned().unwrap_or(Value::Null),
        "device": device.cloned().unwrap_or(Value::Null),
        "state": "attached",
    }));
    built.set("attachments", Value::Array(attachments));
}

/// What resources name other resources outside companions: an instance's `Volumes`
/// attach them; a managed policy's `Roles`, `Users` and `Groups` attach it to them.
pub fn implied(cx: &mut Cx<'_>, targets: &mut Targets<'_>) {
    let tpl = cx.tpl;
    for decl in &tpl.resources {
        if !targets.by_id.contains_key(decl.id) {
            continue;
        }
        match decl.resource_type {
            "AWS::EC2::Instance" => {
                let props = cx.props(decl.id);
                for volume in list(props.get("Volumes")) {
                    let Some(found) = volume
                        .get("VolumeId")
                        .and_then(|v| target(cx, v, &["AWS::EC2::Volume"]))
                    else {
                        continue;
                    };
                    let instance = cx.ref_value(decl.id);
                    if let Some(built) = targets.get(found.id) {
                        attach(built, Some(&instance), volume.get("Device"));
                    }
                }
            }
            "AWS::IAM::ManagedPolicy" => {
                let props = cx.props(decl.id);
                let arn = cx.ref_value(decl.id);
                for key in ["Roles", "Users", "Groups"] {
                    for name in list(props.get(key)) {
                        let types = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];
                        let Some(found) = target(cx, &name, &types) else {
                            continue;
                        };
                        if let Some(built) = targets.get(found.id) {
                            let mut attached = list(built.config("attachedManagedPolicies"));
                            let mut entry = attached_policy(&arn);
                            if let Some(name) = props.get("ManagedPolicyName") {
                                entry["policyName"] = name.clone();
                            }
                            attached.push(entry);
                            built.set("attachedManagedPolicies", Value::Array(attached));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
