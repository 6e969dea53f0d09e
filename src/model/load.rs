//! Bytes to configuration items: recognise every container AWS Config delivers (snapshot
//! and history files, API outputs, Select results, notifications, SNS and EventBridge
//! envelopes, Lambda events, bare items, arrays, NDJSON) and hand each item to the
//! normaliser. A problem with one item or one line never loses the others.

use super::ci::{ConfigurationItem, Document, Origin};
use super::json::{self, field, kind, JsonContainerTrait, JsonValueTrait, Object, Value};
use super::normalise::{normalise, Dialect};
use crate::diagnostics::Problem;
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
    match json::parse(text) {
        Ok(value) => {
            let mut ctx = Context::new(&source_name);
            ctx.extract_document(&value, &mut loaded);
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
        match json::parse(line) {
            Ok(value) => {
                let mut ctx = Context::new(source);
                ctx.line = Some(n + 1);
                ctx.extract_document(&value, loaded);
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

    /// A document that may arrive as JSON text (SNS Message, invokingEvent, named `name`):
    /// decoded from the text when it is text, then recognised as any document is.
    fn extract_embedded(&mut self, value: &Value, name: &str, loaded: &mut Loaded) {
        match value.as_str().map(json::parse) {
            None => self.extract_document(value, loaded),
            Some(Ok(inner)) => self.extract_document(&inner, loaded),
            Some(Err(err)) => self.unknown(
                format!("{name} is a string but not valid JSON: {err}"),
                loaded,
            ),
        }
    }

    /// Recognise the container and pass every item it holds on.
    fn extract_document(&mut self, value: &Value, loaded: &mut Loaded) {
        if let Some(items) = value.as_array() {
            for (i, item) in items.iter().enumerate() {
                self.item(item, Some(i), Dialect::Detect, loaded);
            }
            return;
        }
        let Some(object) = value.as_object() else {
            self.unknown(
                format!("expected a JSON object or array, found {}", kind(value)),
                loaded,
            );
            return;
        };

        // Snapshot file, history file, GetResourceConfigHistory output.
        if let Some(items) = array_of(object, &["configurationItems"]) {
            for (i, item) in items.iter().enumerate() {
                self.item(item, Some(i), Dialect::Detect, loaded);
            }
            return;
        }
        // BatchGetResourceConfig / BatchGetAggregateResourceConfig output.
        if let Some(items) = array_of(
            object,
            &["baseConfigurationItems", "BaseConfigurationItems"],
        ) {
            for (i, item) in items.iter().enumerate() {
                self.item(item, Some(i), Dialect::Api, loaded);
            }
            for key in ["unprocessedResourceKeys", "UnprocessedResourceIdentifiers"] {
                if let Some(keys) = field(object, key).and_then(|v| v.as_array()) {
                    for k in keys.iter() {
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
        if object.contains_key(&"QueryInfo") || object.contains_key(&"Results") {
            if let Some(results) = array_of(object, &["Results"]) {
                for (i, result) in results.iter().enumerate() {
                    let parsed;
                    let result = match result.as_str() {
                        Some(text) => match json::parse(text) {
                            Ok(v) => {
                                parsed = v;
                                &parsed
                            }
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
                        None => result,
                    };
                    let typed = result
                        .as_object()
                        .is_some_and(|o| field(o, "resourceType").is_some());
                    if !typed {
                        loaded.items_read += 1;
                        loaded.skipped_items.push(Skip {
                            source: self.place(Some(i)),
                            reason: "Select result without resourceType (select resourceType, resourceId, accountId, awsRegion, configuration, supplementaryConfiguration to evaluate)".into(),
                        });
                        continue;
                    }
                    self.item(result, Some(i), Dialect::Api, loaded);
                }
                return;
            }
        }
        // Custom-rule Lambda event: invokingEvent is a JSON string.
        if let Some(invoking) = field(object, "invokingEvent") {
            self.left_scope =
                field(object, "eventLeftScope").and_then(|v| v.as_bool()) == Some(true);
            self.extract_embedded(invoking, "invokingEvent", loaded);
            return;
        }
        // SNS envelope: Message is a string on the wire (AWS's docs print it as an object).
        if field(object, "Type").and_then(|v| v.as_str()) == Some("Notification") {
            if let Some(message) = field(object, "Message") {
                self.extract_embedded(message, "Message", loaded);
                return;
            }
        }
        // EventBridge event from aws.config.
        if object.contains_key(&"detail-type") {
            if let Some(detail) = field(object, "detail") {
                self.extract_document(detail, loaded);
                return;
            }
        }
        // A Config notification (change, oversized, delivery, compliance, scheduled).
        if let Some(message_type) = field(object, "messageType").and_then(|v| v.as_str()) {
            if let Some(reason) = notification_without_item(message_type, object) {
                self.skip_document(reason, loaded);
                return;
            }
        }
        if let Some(item) = field(object, "configurationItem") {
            if let Some(items) = item.as_array() {
                // The 2014 documentation sample wraps the item in a one-element array.
                for (i, item) in items.iter().enumerate() {
                    self.item(item, Some(i), Dialect::Detect, loaded);
                }
            } else if item.is_null() {
                self.skip_document(
                    "change notification without a configuration item".into(),
                    loaded,
                );
            } else {
                self.item(item, None, Dialect::Detect, loaded);
            }
            return;
        }
        if object.contains_key(&"configurationItemSummary") {
            let reason =
                notification_without_item("OversizedConfigurationItemChangeNotification", object)
                    .unwrap_or_default();
            self.skip_document(reason, loaded);
            return;
        }
        if looks_like_item(object) {
            self.item(value, None, Dialect::Detect, loaded);
            return;
        }
        let pairs = json::sorted_pairs(object);
        let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).take(8).collect();
        if pairs.len() > 8 {
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

    fn item(&self, value: &Value, index: Option<usize>, dialect: Dialect, loaded: &mut Loaded) {
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
