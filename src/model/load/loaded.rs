//! What the loader makes of one document.

use crate::diagnostics::{Problem, Skip};
use crate::model::envelope::Envelope;
use crate::model::ConfigurationItem;
use crate::source::Completeness;

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
    /// What the document's envelopes carried (one per document, or per NDJSON line).
    pub envelopes: Vec<Envelope>,
}

impl Loaded {
    /// A document that could not be read or parsed.
    pub fn failed(problem: Problem) -> Self {
        Self {
            problems: vec![problem],
            document_failed: true,
            ..Self::default()
        }
    }

    /// Whether the items are a complete record of their accounts and regions, when the
    /// source knows better than the document's shape (a `config://` listing is complete,
    /// `regent test` runs a fixture as partial).
    pub fn set_completeness(&mut self, completeness: Completeness) {
        let complete = match completeness {
            Completeness::FromShape => return,
            Completeness::Complete => true,
            Completeness::Partial => false,
        };
        for item in &mut self.items {
            item.complete_record = complete;
        }
    }
}
