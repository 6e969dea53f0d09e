//! The shapes of document AWS Config delivers, each one recogniser: what marks it and how
//! its items are read. Adding a shape is adding one `Shape` to `SHAPES`.

use super::context::Context;
use super::loaded::Loaded;
use crate::diagnostics::{Code, Problem};
use crate::model::json::{self, field, kind, JsonContainerTrait, JsonValueTrait, Object, Value};
use crate::model::normalise::Dialect;

/// One shape of document.
pub struct Shape {
    /// What it is, for messages and tests.
    pub name: &'static str,
    /// Whether a document of this shape is a complete record of the accounts and regions
    /// its items belong to, so that what it does not hold does not exist there: only a
    /// snapshot file is (README "Partial inputs").
    pub complete: bool,
    /// Whether an object is of this shape (the first shape that matches reads it).
    recognise: fn(&Object) -> bool,
    /// Read its items (or account for why it has none).
    read: fn(&mut Context, &Value, &Object, &mut Loaded),
}

/// Every shape, in the order they are tried: containers of items first, then envelopes,
/// then notifications, then a bare item.
pub const SHAPES: &[Shape] = &[
    // A ConfigSnapshot file: every resource recorded in one account and region (and the
    // account's global ones, in the region that records them) at one time. It names its
    // snapshot; a ConfigHistory file has the same `fileVersion` and `configurationItems`
    // but no `configSnapshotId` (config-format.md §4).
    Shape {
        name: "snapshot file",
        complete: true,
        recognise: |o| {
            array_of(o, &["configurationItems"]).is_some()
                && field(o, "configSnapshotId")
                    .and_then(|v| v.as_str())
                    .is_some_and(|id| !id.trim().is_empty())
        },
        read: read_configuration_items,
    },
    // Only what changed (a history file), or one resource's states (the API).
    Shape {
        name: "history file, GetResourceConfigHistory output",
        complete: false,
        recognise: |o| array_of(o, &["configurationItems"]).is_some(),
        read: read_configuration_items,
    },
    Shape {
        name: "BatchGet(Aggregate)ResourceConfig output",
        complete: false,
        recognise: |o| array_of(o, BATCH_ITEMS).is_some(),
        read: read_batch,
    },
    Shape {
        name: "Select(Aggregate)ResourceConfig output",
        complete: false,
        recognise: |o| {
            (o.contains_key(&"QueryInfo") || o.contains_key(&"Results"))
                && array_of(o, &["Results"]).is_some()
        },
        read: read_select,
    },
    Shape {
        name: "custom-rule Lambda event",
        complete: false,
        recognise: |o| field(o, "invokingEvent").is_some(),
        read: read_custom_rule_event,
    },
    Shape {
        name: "SNS notification envelope",
        complete: false,
        recognise: |o| {
            field(o, "Type").and_then(|v| v.as_str()) == Some("Notification")
                && field(o, "Message").is_some()
        },
        read: |ctx, _, o, loaded| {
            if let Some(message) = field(o, "Message") {
                read_embedded(ctx, message, "Message", loaded);
            }
        },
    },
    Shape {
        name: "EventBridge event",
        complete: false,
        recognise: |o| o.contains_key(&"detail-type") && field(o, "detail").is_some(),
        read: |ctx, _, o, loaded| {
            if let Some(detail) = field(o, "detail") {
                read_document(ctx, detail, loaded);
            }
        },
    },
    Shape {
        name: "notification without a configuration item",
        complete: false,
        recognise: |o| {
            field(o, "messageType")
                .and_then(|v| v.as_str())
                .and_then(|t| notification_without_item(t, o))
                .is_some()
        },
        read: |ctx, _, o, loaded| {
            ctx.note_notification(o);
            let message_type = field(o, "messageType").and_then(|v| v.as_str());
            let reason = message_type
                .and_then(|t| notification_without_item(t, o))
                .unwrap_or_default();
            ctx.skip_document(reason, loaded);
        },
    },
    Shape {
        name: "configuration item change notification",
        complete: false,
        recognise: |o| field(o, "configurationItem").is_some(),
        read: read_change_notification,
    },
    Shape {
        name: "oversized change notification",
        complete: false,
        recognise: |o| o.contains_key(&"configurationItemSummary"),
        read: |ctx, _, o, loaded| {
            ctx.note_notification(o);
            let reason =
                notification_without_item("OversizedConfigurationItemChangeNotification", o)
                    .unwrap_or_default();
            ctx.skip_document(reason, loaded);
        },
    },
    Shape {
        name: "configuration item",
        complete: false,
        recognise: looks_like_item,
        read: |ctx, value, _, loaded| ctx.item(value, None, Dialect::Detect, loaded),
    },
];

const BATCH_ITEMS: &[&str] = &["baseConfigurationItems", "BaseConfigurationItems"];

/// Recognise the document and pass every item it holds on.
pub fn read_document(ctx: &mut Context, value: &Value, loaded: &mut Loaded) {
    if let Some(items) = value.as_array() {
        // Items gathered by someone: a partial record.
        let outer = std::mem::replace(&mut ctx.complete_record, false);
        ctx.items(items, Dialect::Detect, loaded);
        ctx.complete_record = outer;
        return;
    }
    let Some(object) = value.as_object() else {
        ctx.unknown(
            format!("expected a JSON object or array, found {}", kind(value)),
            loaded,
        );
        return;
    };
    match SHAPES.iter().find(|shape| (shape.recognise)(object)) {
        Some(shape) => {
            let outer = std::mem::replace(&mut ctx.complete_record, shape.complete);
            (shape.read)(ctx, value, object, loaded);
            ctx.complete_record = outer;
        }
        None => {
            let pairs = json::sorted_pairs(object);
            let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).take(8).collect();
            if pairs.len() > 8 {
                keys.push("...");
            }
            ctx.unknown(
                format!(
                    "not an AWS Config document: an object with keys [{}]",
                    keys.join(", ")
                ),
                loaded,
            );
        }
    }
}

/// A snapshot or history file, or GetResourceConfigHistory output: its
/// `configurationItems`.
fn read_configuration_items(ctx: &mut Context, _: &Value, object: &Object, loaded: &mut Loaded) {
    let items = array_of(object, &["configurationItems"]).unwrap_or_default();
    ctx.items(items, Dialect::Detect, loaded);
}

/// A document that may arrive as JSON text (SNS Message, invokingEvent, named `name`):
/// decoded from the text when it is text, then recognised as any document is.
fn read_embedded(ctx: &mut Context, value: &Value, name: &str, loaded: &mut Loaded) {
    match value.as_str().map(json::parse) {
        None => read_document(ctx, value, loaded),
        Some(Ok(inner)) => read_document(ctx, &inner, loaded),
        Some(Err(err)) => ctx.unknown(
            format!("{name} is a string but not valid JSON: {err}"),
            loaded,
        ),
    }
}

/// BatchGetResourceConfig / BatchGetAggregateResourceConfig output: its items, and the
/// keys AWS did not process (read, and skipped with that reason).
fn read_batch(ctx: &mut Context, _: &Value, object: &Object, loaded: &mut Loaded) {
    let items = array_of(object, BATCH_ITEMS).unwrap_or_default();
    ctx.items(items, Dialect::Api, loaded);
    for key in ["unprocessedResourceKeys", "UnprocessedResourceIdentifiers"] {
        if let Some(keys) = field(object, key).and_then(|v| v.as_array()) {
            for k in keys.iter() {
                let reason = format!(
                    "unprocessed by AWS in a batch read ({key}): {}",
                    resource_label(k)
                );
                ctx.skip_item(None, reason, loaded);
            }
        }
    }
}

/// SelectResourceConfig / SelectAggregateResourceConfig output: each row (JSON text) is an
/// item when the query selected its `resourceType`.
fn read_select(ctx: &mut Context, _: &Value, object: &Object, loaded: &mut Loaded) {
    let results = array_of(object, &["Results"]).unwrap_or_default();
    for (i, result) in results.iter().enumerate() {
        let parsed;
        let result = match result.as_str() {
            Some(text) => match json::parse(text) {
                Ok(v) => {
                    parsed = v;
                    &parsed
                }
                Err(err) => {
                    let problem = Problem::new(
                        Code::InputInvalidItem,
                        ctx.place(Some(i)),
                        format!("Select result {i} is not valid JSON text: {err}"),
                    );
                    ctx.fail_item(problem, loaded);
                    continue;
                }
            },
            None => result,
        };
        let typed = result
            .as_object()
            .is_some_and(|o| field(o, "resourceType").is_some());
        if !typed {
            ctx.skip_item(Some(i), "Select result without resourceType (select resourceType, resourceId, accountId, awsRegion, configuration, supplementaryConfiguration to evaluate)".into(), loaded);
            continue;
        }
        ctx.item(result, Some(i), Dialect::Api, loaded);
    }
}

/// A custom-rule Lambda event: what it says about the rule (kept for the answer), then its
/// `invokingEvent` (a JSON string) read as any document.
fn read_custom_rule_event(ctx: &mut Context, _: &Value, object: &Object, loaded: &mut Loaded) {
    let text = |key: &str| {
        field(object, key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let left_scope = field(object, "eventLeftScope").and_then(|v| v.as_bool());
    ctx.left_scope = left_scope == Some(true);
    let envelope = ctx.envelope();
    envelope.result_token = text("resultToken").map(crate::model::envelope::ResultToken::new);
    envelope.rule_parameters = field(object, "ruleParameters").map(rule_parameters);
    envelope.event_left_scope = left_scope;
    envelope.config_rule_name = text("configRuleName");
    envelope.config_rule_arn = text("configRuleArn");
    envelope.config_rule_id = text("configRuleId");
    envelope.account_id = text("accountId");
    envelope.execution_role_arn = text("executionRoleArn");
    envelope.evaluation_mode = text("evaluationMode");
    if let Some(invoking) = field(object, "invokingEvent") {
        read_embedded(ctx, invoking, "invokingEvent", loaded);
    }
}

/// `ruleParameters`: JSON text on the wire, decoded; kept as written when it is not JSON.
fn rule_parameters(value: &Value) -> serde_json::Value {
    let text = match value.as_str() {
        Some(text) => text.to_string(),
        None => value.to_string(),
    };
    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
}

/// A configuration item change notification: its item (in a one-element array in the
/// 2014 documentation's sample), or none.
fn read_change_notification(ctx: &mut Context, _: &Value, object: &Object, loaded: &mut Loaded) {
    ctx.note_notification(object);
    let Some(item) = field(object, "configurationItem") else {
        return;
    };
    if let Some(items) = item.as_array() {
        ctx.items(items, Dialect::Detect, loaded);
    } else if item.is_null() {
        ctx.skip_document(
            "change notification without a configuration item".into(),
            loaded,
        );
    } else {
        ctx.item(item, None, Dialect::Detect, loaded);
    }
}

/// Messages that are about Config but carry no configuration item.
fn notification_without_item(message_type: &str, message: &Object) -> Option<String> {
    let s3 = || {
        let bucket = field(message, "s3Bucket").and_then(|v| v.as_str());
        let key = field(message, "s3ObjectKey").and_then(|v| v.as_str());
        match (bucket, key) {
            (Some(bucket), Some(key)) => format!(" (the file is s3://{bucket}/{key})"),
            _ => String::new(),
        }
    };
    let reason = match message_type {
        "ConfigurationItemChangeNotification" => return None,
        "OversizedConfigurationItemChangeNotification" => {
            let summary = field(message, "configurationItemSummary").and_then(|s| s.as_object());
            let summary_field = |k: &str| {
                summary
                    .and_then(|s| field(s, k))
                    .and_then(|v| v.as_str())
                    .unwrap_or("?")
                    .to_string()
            };
            let location = field(message, "s3DeliverySummary")
                .and_then(|s| s.as_object())
                .and_then(|s| field(s, "s3BucketLocation"))
                .and_then(|v| v.as_str())
                .map(|l| format!("; the full notification is at s3://{l}"))
                .unwrap_or_default();
            format!(
                "oversized change notification: only a summary of {} {}{location}; fetch the item with GetResourceConfigHistory",
                summary_field("resourceType"),
                summary_field("resourceId")
            )
        }
        "ScheduledNotification" => {
            "scheduled notification (periodic trigger): carries no configuration item".into()
        }
        "ConfigurationSnapshotDeliveryCompleted"
        | "ConfigurationSnapshotDeliveryStarted"
        | "ConfigurationSnapshotDeliveryFailed"
        | "ConfigurationHistoryDeliveryCompleted" => {
            format!(
                "{message_type} notification: carries no configuration item{}",
                s3()
            )
        }
        "ComplianceChangeNotification" => {
            "compliance change notification: carries an evaluation result, not a configuration item"
                .into()
        }
        other => format!("{other} notification: carries no configuration item"),
    };
    Some(reason)
}

fn looks_like_item(object: &Object) -> bool {
    object.contains_key(&"resourceType")
        && [
            "resourceId",
            "configuration",
            "configurationItemStatus",
            "configurationItemCaptureTime",
        ]
        .iter()
        .any(|k| object.contains_key(k))
}

/// The first of `keys` that holds an array.
fn array_of<'a>(object: &'a Object, keys: &[&str]) -> Option<&'a [Value]> {
    keys.iter()
        .find_map(|key| field(object, key).and_then(|v| v.as_array()))
        .map(|a| a.as_slice())
}

fn resource_label(key: &Value) -> String {
    let label = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| {
                key.as_object()
                    .and_then(|o| field(o, n))
                    .and_then(|v| v.as_str())
            })
            .unwrap_or("?")
            .to_string()
    };
    format!(
        "{} {}",
        label(&["resourceType", "ResourceType"]),
        label(&["resourceId", "ResourceId"])
    )
}
