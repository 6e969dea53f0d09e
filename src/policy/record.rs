//! What regent says about a control: `regent controls`, `regent explain` and the report
//! (and every sink through it) share this one record.

use super::metadata::Metadata;
use serde::Serialize;

/// A control's metadata and the file it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlRecord {
    #[serde(flatten)]
    pub meta: Metadata,
    /// The policy file: its repository path for the built-in pack, else as found.
    pub source: String,
}
