//! The placeholders of values a plan does not know: which are identifiers AWS assigns.

use crate::model::template::{unknown, unknown_id};
use serde_json::Value;

/// The placeholder for an attribute known after apply (`aws_lb.web.arn`): an identifier
/// AWS assigns (`id`, `arn`, `*_id`, `*_arn`, `owner`, `dns_name`, `*_identifier`) is a
/// non-empty string whatever it turns out to be (`unknown_id`); anything else may be any
/// value.
pub(crate) fn after_apply(attribute: &str) -> Value {
    let what = format!("known after apply: {attribute}");
    let name = attribute
        .rsplit('.')
        .next()
        .unwrap_or(attribute)
        .split('[')
        .next()
        .unwrap_or_default();
    let assigned = matches!(name, "id" | "arn" | "owner" | "dns_name" | "identifier")
        || name.ends_with("_id")
        || name.ends_with("_arn")
        || name.ends_with("_identifier");
    if assigned {
        unknown_id(&what)
    } else {
        unknown(&what)
    }
}
