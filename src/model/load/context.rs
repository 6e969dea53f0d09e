//! Where the loader is in a document (its input, its NDJSON line, its envelope) and how it
//! accounts for what it finds there.

use super::loaded::Loaded;
use crate::diagnostics::{Code, Problem, Skip};
use crate::model::envelope::Envelope;
use crate::model::json::{field, JsonValueTrait, Object, Value};
use crate::model::normalise::{normalise, Dialect};
use crate::model::Origin;
use std::sync::Arc;

pub struct Context<'a> {
    source: &'a Arc<str>,
    /// NDJSON line number of the document, if it came from one.
    pub line: Option<usize>,
    /// A Lambda event said the resource left the rule's scope.
    pub left_scope: bool,
    /// The shape being read is a complete record of its items' accounts and regions (a
    /// snapshot file); its items say so.
    pub complete_record: bool,
    /// What the document's envelope carries, once one is seen.
    envelope: Option<Envelope>,
}

impl<'a> Context<'a> {
    pub fn new(source: &'a Arc<str>) -> Self {
        Self {
            source,
            line: None,
            left_scope: false,
            complete_record: false,
            envelope: None,
        }
    }

    /// The envelope of this document, made on first use.
    pub fn envelope(&mut self) -> &mut Envelope {
        let source = self.source;
        self.envelope
            .get_or_insert_with(|| Envelope::new(source.clone()))
    }

    /// Note a notification's `messageType` and `notificationCreationTime`.
    pub fn note_notification(&mut self, object: &Object) {
        let text = |key: &str| {
            field(object, key)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let (message_type, time) = (text("messageType"), text("notificationCreationTime"));
        if message_type.is_none() && time.is_none() {
            return;
        }
        let envelope = self.envelope();
        envelope.message_type = message_type.or(envelope.message_type.take());
        envelope.notification_creation_time = time.or(envelope.notification_creation_time.take());
    }

    /// The document is done: keep what its envelope carried.
    pub fn finish(self, loaded: &mut Loaded) {
        if let Some(envelope) = self.envelope.filter(|e| !e.is_empty()) {
            loaded.envelopes.push(envelope);
        }
    }

    pub fn skip_document(&self, reason: String, loaded: &mut Loaded) {
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

    /// An item read but not evaluable, and why.
    pub fn skip_item(&self, index: Option<usize>, reason: String, loaded: &mut Loaded) {
        loaded.items_read += 1;
        loaded.skipped_items.push(Skip {
            source: self.place(index),
            reason,
        });
    }

    /// An item that could not be read at all.
    pub fn fail_item(&self, problem: Problem, loaded: &mut Loaded) {
        loaded.items_read += 1;
        loaded.items_failed += 1;
        loaded.problems.push(problem);
    }

    pub fn place(&self, index: Option<usize>) -> String {
        match (self.line, index) {
            (Some(line), Some(i)) => format!("{}:{line}#{i}", self.source),
            (Some(line), None) => format!("{}:{line}", self.source),
            (None, Some(i)) => format!("{}#{i}", self.source),
            (None, None) => self.source.to_string(),
        }
    }

    pub fn unknown(&self, what: String, loaded: &mut Loaded) {
        if self.line.is_some() {
            loaded.items_read += 1;
            loaded.items_failed += 1;
        } else {
            loaded.document_failed = true;
        }
        loaded.problems.push(
            Problem::new(Code::InputUnknownShape, self.place(None), what).with_help(
                "regent reads snapshot and history files, GetResourceConfigHistory, BatchGet(Aggregate)ResourceConfig and Select(Aggregate)ResourceConfig output, change notifications (bare, SNS or EventBridge), custom-rule Lambda events, and configuration items alone, in an array or as NDJSON",
            ),
        );
    }

    /// One configuration item: normalised, or a problem naming its place.
    pub fn item(&self, value: &Value, index: Option<usize>, dialect: Dialect, loaded: &mut Loaded) {
        loaded.items_read += 1;
        let origin = Origin {
            source: match self.line {
                Some(line) => Arc::from(format!("{}:{line}", self.source)),
                None => self.source.clone(),
            },
            index,
        };
        match normalise(value, origin, dialect, self.left_scope) {
            Ok(mut item) => {
                item.complete_record = self.complete_record;
                loaded.items.push(item);
            }
            Err(message) => {
                loaded.items_failed += 1;
                let place = self.place(index);
                loaded.problems.push(
                    Problem::new(Code::InputInvalidItem, place, message)
                        .with_help("the item is left out; the rest of the file is still evaluated"),
                );
            }
        }
    }

    /// Every element of an array, each an item.
    pub fn items(&self, items: &[Value], dialect: Dialect, loaded: &mut Loaded) {
        for (i, item) in items.iter().enumerate() {
            self.item(item, Some(i), dialect, loaded);
        }
    }
}
