//! `aws_sqs_queue` (with an `aws_sqs_queue_policy` folded in) as `AWS::SQS::Queue`: the
//! queue's attribute map, PascalCase with every value as text, as GetQueueAttributes
//! returns it and AWS Config records it.

use super::attrs::{self, as_text, get, is_placeholder, known_str, name_str};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::Resource;
use serde_json::{json, Map, Value};

/// A queue. Unset: AWS's defaults (visibility 30 s, retention 4 days, 256 KiB messages);
/// a new queue without a KMS key is encrypted with SQS-managed keys (SSE-SQS, the default
/// since October 2022). Attributes AWS returns only when set (`KmsMasterKeyId`, `Policy`,
/// `FifoQueue`) are left out when unset.
pub(crate) fn queue(ctx: &Ctx, queue: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &queue.values;
    let mut resource = ctx.resource(queue, "AWS::SQS::Queue");
    resource.name = name_str(v, "name").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let kms = get(v, "kms_master_key_id").filter(|k| k.as_str() != Some(""));
    let mut c = Map::new();
    let mut put = |key: &str, value: Value| {
        c.insert(key.to_string(), value);
    };
    put("QueueName", attrs::or_later(queue, "name"));
    put("QueueArn", attrs::or_later(queue, "arn"));
    put("QueueUrl", attrs::or_later(queue, "url"));
    put(
        "VisibilityTimeout",
        as_text(attrs::or(v, "visibility_timeout_seconds", json!(30))),
    );
    put(
        "MessageRetentionPeriod",
        as_text(attrs::or(v, "message_retention_seconds", json!(345600))),
    );
    put(
        "MaximumMessageSize",
        as_text(attrs::or(v, "max_message_size", json!(262144))),
    );
    put(
        "DelaySeconds",
        as_text(attrs::or(v, "delay_seconds", json!(0))),
    );
    put(
        "ReceiveMessageWaitTimeSeconds",
        as_text(attrs::or(v, "receive_wait_time_seconds", json!(0))),
    );
    put("SqsManagedSseEnabled", managed_sse(queue, kms.is_some()));
    if let Some(key) = kms {
        put("KmsMasterKeyId", key.clone());
        put(
            "KmsDataKeyReusePeriodSeconds",
            as_text(attrs::or(
                v,
                "kms_data_key_reuse_period_seconds",
                json!(300),
            )),
        );
    }
    if attrs::known_bool(v, "fifo_queue") == Some(true) {
        put("FifoQueue", json!("true"));
        put(
            "ContentBasedDeduplication",
            as_text(attrs::or(v, "content_based_deduplication", json!(false))),
        );
    }
    if let Some(policy) = policy(queue, companions.last().copied()) {
        put("Policy", policy);
    }
    resource.configuration = Value::Object(c);
    vec![resource]
}

fn managed_sse(queue: &Instance, kms: bool) -> Value {
    match get(&queue.values, "sqs_managed_sse_enabled") {
        Some(Value::Bool(b)) => json!(b.to_string()),
        Some(p) if queue.action == Action::Keep => p.clone(),
        _ => json!((!kms).to_string()),
    }
}

fn policy(queue: &Instance, companion: Option<&Instance>) -> Option<Value> {
    let value = match companion {
        Some(c) => attrs::or_later(c, "policy"),
        None => get(&queue.values, "policy")?.clone(),
    };
    match &value {
        Value::String(s) if s.is_empty() => None,
        // Computed: a new queue given no policy has none.
        _ if is_placeholder(&value) && companion.is_none() && queue.action == Action::Create => {
            None
        }
        _ => Some(value),
    }
}
