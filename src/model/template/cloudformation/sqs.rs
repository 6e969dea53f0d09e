//! `AWS::SQS::Queue`: AWS Config records a queue's attributes by their SQS names, values as
//! text. The queue policy is folded in from `AWS::SQS::QueuePolicy` (`fold`).

use super::context::Cx;
use super::template::Decl;
use super::values::{boolean, known, tags, text, Built};
use serde_json::{json, Value};

pub fn queue(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::SQS::Queue");
    b.resource.tags = tags(props);
    if let Some(name) = known(props.get("QueueName")) {
        b.resource.name = Some(name.to_string());
        b.resource.arn = cx.regional_arn("sqs", name);
        if let Some(arn) = &b.resource.arn {
            b.set("QueueArn", json!(arn));
        }
    }
    let url = cx.ref_value(decl.id);
    if known(Some(&url)).is_some() {
        b.set("QueueUrl", url);
    }
    b.set_some("KmsMasterKeyId", props.get("KmsMasterKeyId").cloned());
    // SQS encrypts new queues with SSE-SQS unless told otherwise or given a KMS key.
    let managed = match boolean(props.get("SqsManagedSseEnabled")) {
        Some(Value::Bool(b)) => json!(b.to_string()),
        Some(other) => other,
        None => json!((props.get("KmsMasterKeyId").is_none()).to_string()),
    };
    b.set("SqsManagedSseEnabled", managed);
    for (property, default) in [
        ("FifoQueue", None),
        ("ContentBasedDeduplication", None),
        ("VisibilityTimeout", Some("30")),
        ("MessageRetentionPeriod", Some("345600")),
        ("DelaySeconds", Some("0")),
        ("MaximumMessageSize", Some("262144")),
        ("ReceiveMessageWaitTimeSeconds", Some("0")),
        ("KmsDataKeyReusePeriodSeconds", None),
    ] {
        let value = text(
            props
                .get(property)
                .map(|v| boolean(Some(v)).unwrap_or_else(|| v.clone()))
                .as_ref(),
        )
        .or_else(|| default.map(|d| json!(d)));
        b.set_some(property, value);
    }
    if let Some(redrive) = props.get("RedrivePolicy") {
        b.set(
            "RedrivePolicy",
            Value::String(match redrive {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
        );
    }
    b
}
