//! An item's document between the passes of an evaluation.

use super::decode::item_value;
use crate::model::ci::Document;

/// An item's input between the passes: its encoded document, or nothing once no pass
/// needs it.
#[derive(Default)]
pub enum Pending {
    #[default]
    Done,
    Text(Document),
}

impl Pending {
    /// The item as a value, decoded from its document.
    pub fn value(&self) -> regorus::Value {
        match self {
            Pending::Text(document) => item_value(document),
            Pending::Done => regorus::Value::Null,
        }
    }
}
