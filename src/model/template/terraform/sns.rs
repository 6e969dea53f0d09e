//! `aws_sns_topic` (with an `aws_sns_topic_policy` folded in) as `AWS::SNS::Topic`: the
//! topic's attribute map, PascalCase, as GetTopicAttributes returns it.

use super::attrs::{self, document, get, is_placeholder, known_str, later, name_str, tag_list};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::{is_unknown, Resource};
use serde_json::{json, Map, Value};

/// The delivery-status logging attributes: `HTTPSuccessFeedbackRoleArn` from
/// `http_success_feedback_role_arn`, ...
const FEEDBACK: &[(&str, &str)] = &[
    ("Application", "application"),
    ("HTTP", "http"),
    ("Lambda", "lambda"),
    ("SQS", "sqs"),
    ("Firehose", "firehose"),
];

/// A topic. A new topic given no policy gets SNS's default topic policy (the owner
/// account only); attributes SNS returns only when set are left out when unset.
pub(crate) fn topic(ctx: &Ctx, topic: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &topic.values;
    let mut resource = ctx.resource(topic, "AWS::SNS::Topic");
    resource.name = name_str(v, "name").map(str::to_string);
    let arn = topic_arn(ctx, topic);
    resource.arn = arn
        .as_str()
        .filter(|_| !is_placeholder(&arn))
        .map(str::to_string);
    let owner = ctx
        .account()
        .map_or_else(|| later(topic, "owner"), |a| json!(a));
    let mut c = Map::new();
    c.insert("TopicArn".into(), arn.clone());
    c.insert("Owner".into(), owner.clone());
    c.insert(
        "DisplayName".into(),
        attrs::or(v, "display_name", json!("")),
    );
    let policy = match companions.last() {
        Some(p) => attrs::or_later(p, "policy"),
        None => match get(v, "policy") {
            Some(Value::String(p)) if !p.is_empty() && !is_unknown(p) => json!(p),
            Some(p) if is_placeholder(p) && topic.action == Action::Keep => p.clone(),
            _ => default_policy(&arn, &owner),
        },
    };
    c.insert("Policy".into(), policy);
    if let Some(key) = get(v, "kms_master_key_id").filter(|k| k.as_str() != Some("")) {
        c.insert("KmsMasterKeyId".into(), key.clone());
    }
    if attrs::known_bool(v, "fifo_topic") == Some(true) {
        c.insert("FifoTopic".into(), json!("true"));
    }
    for (protocol, prefix) in FEEDBACK {
        for (outcome, word) in [("Success", "success"), ("Failure", "failure")] {
            let key = format!("{prefix}_{word}_feedback_role_arn");
            if let Some(role) = get(v, &key).filter(|r| r.as_str() != Some("")) {
                c.insert(format!("{protocol}{outcome}FeedbackRoleArn"), role.clone());
            }
        }
    }
    resource.configuration = Value::Object(c);
    resource
        .supplementary
        .insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

/// The topic's ARN: known, or made from its name, region and account when all are.
fn topic_arn(ctx: &Ctx, topic: &Instance) -> Value {
    if let Some(arn) = known_str(&topic.values, "arn") {
        return json!(arn);
    }
    match (
        name_str(&topic.values, "name"),
        ctx.region(topic),
        ctx.account(),
    ) {
        (Some(name), Some(region), Some(account)) => {
            json!(format!(
                "arn:{}:sns:{region}:{account}:{name}",
                ctx.partition()
            ))
        }
        _ => later(topic, "arn"),
    }
}

/// SNS's default topic policy: any principal of the owner account may use the topic.
fn default_policy(arn: &Value, owner: &Value) -> Value {
    document(json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish",
            ],
            "Resource": arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": owner}},
        }],
    }))
}
