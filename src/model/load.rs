//! Bytes to configuration items: recognise every container AWS Config delivers (snapshot
//! and history files, API outputs, Select results, notifications, SNS and EventBridge
//! envelopes, Lambda events, bare items, arrays, NDJSON) and hand each item to the
//! normaliser. A problem with one item or one line never loses the others.

use super::ci::{ConfigurationItem, Document, Origin};
use super::normalise::{normalise, Dialect};
use crate::diagnostics::Problem;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Something read but not evaluated, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub source: String,
    pub reason: String,
}

/// Everything one input produced.
#[derive(Debug, Default)]
pub struct Loaded {
    pub items: Vec<ConfigurationItem>,
    /// Items that were read but cannot be evaluated (not failures).
    pub skipped_items: Vec<Skip>,
    /// The whole document holds no configuration item (a delivery notification, say).
    pub skipped_document: Option<Skip>,
    pub problems: Vec<Problem>,
    /// Items seen: loaded + skipped + failed.
    pub items_read: usize,
    pub items_failed: usize,
    /// The document itself could not be read or parsed.
    pub document_failed: bool,
}

impl Loaded {
    fn failed(problem: Problem) -> Self {
        Self {
            problems: vec![problem],
            document_failed: true,
            ..Self::default()
        }
    }
}

/// Load one input's bytes (already gunzipped). The items' texts share one buffer.
pub fn load(source: &str, bytes: &[u8], ndjson: bool) -> Loaded {
    let mut loaded = load_items(source, bytes, ndjson);
    // Evaluation reads items in resource order; packed in that order, a reader decompresses
    // each block once instead of jumping between blocks. The sort is stable, so the items of
    // one resource keep their file order (which decides between equally recent ones).
    loaded
        .items
        .sort_by(|a, b| a.subject.key().cmp(&b.subject.key()));
    Document::pack(&mut loaded.items);
    loaded
}

fn load_items(source: &str, bytes: &[u8], ndjson: bool) -> Loaded {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.len() - prefix.rfind('\n').map_or(0, |i| i + 1) + 1;
            return Loaded::failed(
                Problem::new(
                    "input::invalid_json",
                    source,
                    format!("not UTF-8 text: {err}"),
                )
                .at(prefix, line, column, "invalid UTF-8 here")
                .with_help("AWS Config files are UTF-8 JSON; is this a binary file?"),
            );
        }
    };
    if text.trim().is_empty() {
        return Loaded {
            skipped_document: Some(Skip {
                source: source.to_string(),
                reason: "empty file".into(),
            }),
            ..Loaded::default()
        };
    }
    let source_name: Arc<str> = Arc::from(source);
    let mut loaded = Loaded::default();
    if ndjson {
        load_lines(&source_name, text, &mut loaded);
        return loaded;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let mut ctx = Context::new(&source_name);
            ctx.extract_document(value, &mut loaded);
        }
        Err(err) if err.to_string().starts_with("trailing characters") => {
            // More than one JSON value: newline-delimited JSON whatever the file is called.
            load_lines(&source_name, text, &mut loaded);
        }
        Err(err) => {
            loaded = Loaded::failed(json_problem(source, text, &err));
        }
    }
    loaded
}

fn json_problem(source: &str, text: &str, err: &serde_json::Error) -> Problem {
    let message = err.to_string();
    // serde_json appends " at line L column C"; the location is shown separately.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head)
        .to_string();
    let help = if err.is_eof() {
        "the document ends early: the file is truncated"
    } else {
        "fix the JSON at this place; the other inputs are still evaluated"
    };
    Problem::new(
        "input::invalid_json",
        source,
        format!("invalid JSON: {message}"),
    )
    .at(text, err.line().max(1), err.column().max(1), message)
    .with_help(help)
}

fn load_lines(source: &Arc<str>, text: &str, loaded: &mut Loaded) {
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => {
                let mut ctx = Context::new(source);
                ctx.line = Some(n + 1);
                ctx.extract_document(value, loaded);
            }
            Err(err) => {
                // Count the broken line as one item that failed; the next lines still load.
                loaded.items_read += 1;
                loaded.items_failed += 1;
                let message = err.to_string();
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(head, _)| head)
                    .to_string();
                loaded.problems.push(
                    Problem::new(
                        "input::invalid_json",
                        source.to_string(),
                        format!("invalid JSON on line {}: {message}", n + 1),
                    )
                    .at(text, n + 1, err.column().max(1), message)
                    .with_help("each line of an NDJSON file must be one complete JSON value"),
                );
            }
        }
    }
}

/// Messages that are about Config but carry no configuration item.
fn notification_without_item(message_type: &str, message: &Map<String, Value>) -> Option<String> {
    let s3 = || {
        let bucket = message.get("s3Bucket").and_then(Value::as_str);
        let key = message.get("s3ObjectKey").and_then(Value::as_str);
        match (bucket, key) {
            (Some(bucket), Some(key)) => format!(" (the file is s3://{bucket}/{key})"),
            _ => String::new(),
        }
    };
    let reason = match message_type {
        "ConfigurationItemChangeNotification" => return None,
        "OversizedConfigurationItemChangeNotification" => {
            let summary = message.get("configurationItemSummary");
            let field = |k: &str| {
                summary
                    .and_then(|s| s.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string()
            };
            let location = message
                .get("s3DeliverySummary")
                .and_then(|s| s.get("s3BucketLocation"))
                .and_then(Value::as_str)
                .map(|l| format!("; the full notification is at s3://{l}"))
                .unwrap_or_default();
            format!(
                "oversized change notification: only a summary of {} {}{location}; fetch the item with GetResourceConfigHistory",
                field("resourceType"),
                field("resourceId")
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

struct Context<'a> {
    source: &'a Arc<str>,
    /// NDJSON line number of the document, if it came from one.
    line: Option<usize>,
    left_scope: bool,
}

impl<'a> Context<'a> {
    fn new(source: &'a Arc<str>) -> Self {
        Self {
            source,
            line: None,
            left_scope: false,
        }
    }

    fn skip_document(&self, reason: String, loaded: &mut Loaded) {
        let skip = Skip {
            source: self.place(None),
            reason,
        };
        if self.line.is_some() {
            // One line of an NDJSON file: count it as an item so the totals add up.
            loaded.items_read += 1;
            loaded.skipped_items.push(skip);
        } else {
            loaded.skipped_document = Some(skip);
        }
    }

    fn place(&self, index: Option<usize>) -> String {
        match (self.line, index) {
            (Some(line), Some(i)) => format!("{}:{line}#{i}", self.source),
            (Some(line), None) => format!("{}:{line}", self.source),
            (None, Some(i)) => format!("{}#{i}", self.source),
            (None, None) => self.source.to_string(),
        }
    }

    fn unknown(&self, what: String, loaded: &mut Loaded) {
        if self.line.is_some() {
            loaded.items_read += 1;
            loaded.items_failed += 1;
        } else {
            loaded.document_failed = true;
        }
        loaded.problems.push(
            Problem::new("input::unknown_shape", self.place(None), what).with_help(
                "regent reads snapshot and history files, GetResourceConfigHistory, BatchGet(Aggregate)ResourceConfig and Select(Aggregate)ResourceConfig output, change notifications (bare, SNS or EventBridge), custom-rule Lambda events, and configuration items alone, in an array or as NDJSON",
            ),
        );
    }

    /// Recognise the container and pass every item it holds on.
    fn extract_document(&mut self, value: Value, loaded: &mut Loaded) {
        let mut object = match value {
            Value::Object(object) => object,
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.item(item, Some(i), Dialect::Detect, loaded);
                }
                return;
            }
            other => {
                self.unknown(
                    format!("expected a JSON object or array, found {}", kind(&other)),
                    loaded,
                );
                return;
            }
        };

        // Snapshot file, history file, GetResourceConfigHistory output.
        if let Some(items) = take_array(&mut object, &["configurationItems"]) {
            for (i, item) in items.into_iter().enumerate() {
                self.item(item, Some(i), Dialect::Detect, loaded);
            }
            return;
        }
        // BatchGetResourceConfig / BatchGetAggregateResourceConfig output.
        if let Some(items) = take_array(
            &mut object,
            &["baseConfigurationItems", "BaseConfigurationItems"],
        ) {
            for (i, item) in items.into_iter().enumerate() {
                self.item(item, Some(i), Dialect::Api, loaded);
            }
            for key in ["unprocessedResourceKeys", "UnprocessedResourceIdentifiers"] {
                if let Some(Value::Array(keys)) = object.get(key) {
                    for k in keys {
                        loaded.items_read += 1;
                        loaded.skipped_items.push(Skip {
                            source: self.place(None),
                            reason: format!(
                                "unprocessed by AWS in a batch read ({key}): {}",
                                resource_label(k)
                            ),
                        });
                    }
                }
            }
            return;
        }
        // SelectResourceConfig / SelectAggregateResourceConfig output.
        if object.contains_key("QueryInfo") || object.contains_key("Results") {
            if let Some(results) = take_array(&mut object, &["Results"]) {
                for (i, result) in results.into_iter().enumerate() {
                    let parsed = match result {
                        Value::String(text) => match serde_json::from_str::<Value>(&text) {
                            Ok(v) => v,
                            Err(err) => {
                                loaded.items_read += 1;
                                loaded.items_failed += 1;
                                loaded.problems.push(Problem::new(
                                    "input::invalid_item",
                                    self.place(Some(i)),
                                    format!("Select result {i} is not valid JSON text: {err}"),
                                ));
                                continue;
                            }
                        },
                        other => other,
                    };
                    if parsed.get("resourceType").is_none() {
                        loaded.items_read += 1;
                        loaded.skipped_items.push(Skip {
                            source: self.place(Some(i)),
                            reason: "Select result without resourceType (select resourceType, resourceId, accountId, awsRegion, configuration, supplementaryConfiguration to evaluate)".into(),
                        });
                        continue;
                    }
                    self.item(parsed, Some(i), Dialect::Api, loaded);
                }
                return;
            }
        }
        // Custom-rule Lambda event: invokingEvent is a JSON string.
        if let Some(invoking) = object.remove("invokingEvent") {
            self.left_scope = object.get("eventLeftScope").and_then(Value::as_bool) == Some(true);
            match decode_embedded(invoking, "invokingEvent") {
                Ok(inner) => self.extract_document(inner, loaded),
                Err(message) => self.unknown(message, loaded),
            }
            return;
        }
        // SNS envelope: Message is a string on the wire (AWS's docs print it as an object).
        if object.get("Type").and_then(Value::as_str) == Some("Notification") {
            if let Some(message) = object.remove("Message") {
                match decode_embedded(message, "Message") {
                    Ok(inner) => self.extract_document(inner, loaded),
                    Err(message) => self.unknown(message, loaded),
                }
                return;
            }
        }
        // EventBridge event from aws.config.
        if object.contains_key("detail-type") {
            if let Some(detail) = object.remove("detail") {
                self.extract_document(detail, loaded);
                return;
            }
        }
        // A Config notification (change, oversized, delivery, compliance, scheduled).
        if let Some(message_type) = object.get("messageType").and_then(Value::as_str) {
            if let Some(reason) = notification_without_item(message_type, &object) {
                self.skip_document(reason, loaded);
                return;
            }
        }
        if let Some(item) = object.remove("configurationItem") {
            match item {
                // The 2014 documentation sample wraps the item in a one-element array.
                Value::Array(items) => {
                    for (i, item) in items.into_iter().enumerate() {
                        self.item(item, Some(i), Dialect::Detect, loaded);
                    }
                }
                Value::Null => self.skip_document(
                    "change notification without a configuration item".into(),
                    loaded,
                ),
                item => self.item(item, None, Dialect::Detect, loaded),
            }
            return;
        }
        if object.contains_key("configurationItemSummary") {
            let reason =
                notification_without_item("OversizedConfigurationItemChangeNotification", &object)
                    .unwrap_or_default();
            self.skip_document(reason, loaded);
            return;
        }
        if looks_like_item(&object) {
            self.item(Value::Object(object), None, Dialect::Detect, loaded);
            return;
        }
        let mut keys: Vec<&str> = object.keys().map(String::as_str).take(8).collect();
        if object.len() > 8 {
            keys.push("...");
        }
        self.unknown(
            format!(
                "not an AWS Config document: an object with keys [{}]",
                keys.join(", ")
            ),
            loaded,
        );
    }

    fn item(&self, value: Value, index: Option<usize>, dialect: Dialect, loaded: &mut Loaded) {
        loaded.items_read += 1;
        let origin = Origin {
            source: match self.line {
                Some(line) => Arc::from(format!("{}:{line}", self.source)),
                None => self.source.clone(),
            },
            index,
        };
        match normalise(value, origin, dialect, self.left_scope) {
            Ok(item) => loaded.items.push(item),
            Err(message) => {
                loaded.items_failed += 1;
                let place = self.place(index);
                loaded.problems.push(
                    Problem::new("input::invalid_item", place, message)
                        .with_help("the item is left out; the rest of the file is still evaluated"),
                );
            }
        }
    }
}

fn looks_like_item(object: &Map<String, Value>) -> bool {
    object.contains_key("resourceType")
        && [
            "resourceId",
            "configuration",
            "configurationItemStatus",
            "configurationItemCaptureTime",
        ]
        .iter()
        .any(|k| object.contains_key(*k))
}

fn take_array(object: &mut Map<String, Value>, keys: &[&str]) -> Option<Vec<Value>> {
    for key in keys {
        if matches!(object.get(*key), Some(Value::Array(_))) {
            if let Some(Value::Array(items)) = object.remove(*key) {
                return Some(items);
            }
        }
    }
    None
}

/// A JSON value that may arrive as JSON text (SNS Message, invokingEvent).
fn decode_embedded(value: Value, field: &str) -> Result<Value, String> {
    match value {
        Value::String(text) => serde_json::from_str(&text)
            .map_err(|err| format!("{field} is a string but not valid JSON: {err}")),
        other => Ok(other),
    }
}

fn resource_label(key: &Value) -> String {
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| key.get(*n).and_then(Value::as_str))
            .unwrap_or("?")
            .to_string()
    };
    format!(
        "{} {}",
        field(&["resourceType", "ResourceType"]),
        field(&["resourceId", "ResourceId"])
    )
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
