//! `AWS::SNS::Topic`: attributes by their SNS names. The topic policy is folded in from
//! `AWS::SNS::TopicPolicy` (`fold`).

use super::context::Cx;
use super::template::Decl;
use super::values::{known, list, tags, text, Built};
use serde_json::{json, Value};

pub fn topic(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::SNS::Topic");
    b.resource.tags = tags(props);
    if let Some(name) = known(props.get("TopicName")) {
        b.resource.name = Some(name.to_string());
    }
    let arn = cx.ref_value(decl.id);
    if let Some(arn) = known(Some(&arn)) {
        b.resource.arn = Some(arn.to_string());
        b.set("TopicArn", json!(arn));
    }
    b.set_some("DisplayName", props.get("DisplayName").cloned());
    b.set_some("KmsMasterKeyId", props.get("KmsMasterKeyId").cloned());
    b.set_some("FifoTopic", text(props.get("FifoTopic")));
    if let Some(account) = cx.account() {
        b.set("Owner", json!(account));
    }
    // DeliveryStatusLogging: one entry per protocol, as SNS's <Protocol>SuccessFeedbackRoleArn
    // (and Failure) attributes.
    for logging in list(props.get("DeliveryStatusLogging")) {
        let Some(prefix) = logging
            .get("Protocol")
            .and_then(Value::as_str)
            .and_then(protocol_prefix)
        else {
            continue;
        };
        for outcome in ["Success", "Failure"] {
            let key = format!("{outcome}FeedbackRoleArn");
            if let Some(role) = logging.get(&key) {
                b.set(&format!("{prefix}{key}"), role.clone());
            }
        }
        if let Some(rate) = text(logging.get("SuccessFeedbackSampleRate")) {
            b.set(&format!("{prefix}SuccessFeedbackSampleRate"), rate);
        }
    }
    b
}

/// A `DeliveryStatusLogging` protocol as SNS names its attributes.
fn protocol_prefix(protocol: &str) -> Option<&'static str> {
    Some(match protocol.to_lowercase().as_str() {
        "http/s" | "http" | "https" => "HTTP",
        "sqs" => "SQS",
        "lambda" => "Lambda",
        "firehose" => "Firehose",
        "application" => "Application",
        _ => return None,
    })
}
