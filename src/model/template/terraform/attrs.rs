//! Reading planned values for the mappers. A value is unset (absent or null: AWS's default
//! applies), unknown (a placeholder, copied as it is), or set. Nested blocks are lists in
//! the plan even when they hold at most one block.

use super::plan::Instance;
pub(crate) use super::unknowns::after_apply;
use crate::model::template::is_unknown;
use serde_json::{json, Map, Value};

/// Whether a value is an `unknown` placeholder.
pub(crate) fn is_placeholder(value: &Value) -> bool {
    value.as_str().is_some_and(is_unknown)
}

/// The value at `key`; `None` when absent or null.
pub(crate) fn get<'a>(values: &'a Value, key: &str) -> Option<&'a Value> {
    values.get(key).filter(|v| !v.is_null())
}

/// The string at `key` when it is known (not a placeholder).
pub(crate) fn known_str<'a>(values: &'a Value, key: &str) -> Option<&'a str> {
    get(values, key)
        .and_then(Value::as_str)
        .filter(|s| !is_unknown(s))
}

/// The known, non-empty string at `key`.
pub(crate) fn name_str<'a>(values: &'a Value, key: &str) -> Option<&'a str> {
    known_str(values, key).filter(|s| !s.is_empty())
}

/// The boolean at `key` when it is known.
pub(crate) fn known_bool(values: &Value, key: &str) -> Option<bool> {
    get(values, key).and_then(Value::as_bool)
}

/// The value at `key` (a placeholder included), else `default` when unset.
pub(crate) fn or(values: &Value, key: &str, default: Value) -> Value {
    get(values, key).cloned().unwrap_or(default)
}

/// The value at `key` (a placeholder included), else null.
pub(crate) fn copy(values: &Value, key: &str) -> Value {
    or(values, key, Value::Null)
}

/// The value at `key`, but a non-empty string only: the empty strings the plan holds for
/// unset optional strings are recorded as null by AWS Config.
pub(crate) fn text_or_null(values: &Value, key: &str) -> Value {
    match get(values, key) {
        Some(Value::String(s)) if s.is_empty() => Value::Null,
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

/// A nested block, as far as it is known.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Block<'a> {
    Unset,
    Unknown(&'a Value),
    Set(&'a Value),
}

/// The first (for most blocks the only) block at `key`.
pub(crate) fn block<'a>(values: &'a Value, key: &str) -> Block<'a> {
    match get(values, key) {
        None => Block::Unset,
        Some(v) if is_placeholder(v) => Block::Unknown(v),
        Some(Value::Array(items)) => match items.first() {
            None => Block::Unset,
            Some(v) if is_placeholder(v) => Block::Unknown(v),
            Some(v) if v.is_null() => Block::Unset,
            Some(v) => Block::Set(v),
        },
        Some(v @ Value::Object(_)) => Block::Set(v),
        Some(_) => Block::Unset,
    }
}

/// Every block at `key`; `Err(placeholder)` when the whole list is unknown.
pub(crate) fn blocks<'a>(values: &'a Value, key: &str) -> Result<Vec<&'a Value>, &'a Value> {
    match get(values, key) {
        None => Ok(Vec::new()),
        Some(v) if is_placeholder(v) => Err(v),
        Some(Value::Array(items)) => Ok(items.iter().filter(|v| !v.is_null()).collect()),
        Some(v @ Value::Object(_)) => Ok(vec![v]),
        Some(_) => Ok(Vec::new()),
    }
}

/// The list at `key` as an array (placeholders kept, whole or per element); `[]` when unset.
pub(crate) fn list(values: &Value, key: &str) -> Value {
    match get(values, key) {
        None => json!([]),
        Some(v @ Value::Array(_)) => v.clone(),
        Some(v) if is_placeholder(v) => v.clone(),
        Some(v) => json!([v]),
    }
}

/// The known strings of the list at `key`.
pub(crate) fn known_strings<'a>(values: &'a Value, key: &str) -> Vec<&'a str> {
    match get(values, key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !is_unknown(s))
            .collect(),
        Some(Value::String(s)) if !is_unknown(s) => vec![s.as_str()],
        _ => Vec::new(),
    }
}

/// `f` applied to a set value; placeholders and null pass through unchanged.
pub(crate) fn map_known(value: Value, f: impl FnOnce(&Value) -> Value) -> Value {
    if value.is_null() || is_placeholder(&value) {
        value
    } else {
        f(&value)
    }
}

/// A scalar as the text AWS records for attribute maps (SQS, ELBv2: `"true"`, `"30"`);
/// placeholders and null pass through.
pub(crate) fn as_text(value: Value) -> Value {
    match value {
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        other => other,
    }
}

/// The placeholder for a value AWS assigns when the resource is created.
pub(crate) fn later(instance: &Instance, attribute: &str) -> Value {
    after_apply(&format!("{}.{attribute}", instance.address))
}

/// The attribute, or the placeholder for it when the plan omits it (a value a provider
/// computes and an older plan or a hand-made one leaves out).
pub(crate) fn or_later(instance: &Instance, key: &str) -> Value {
    get(&instance.values, key)
        .cloned()
        .unwrap_or_else(|| later(instance, key))
}

/// A Terraform tag map as the `[{key, value}]` list AWS Config records inside
/// `configuration` (EC2) or `supplementaryConfiguration.Tags` (RDS, DynamoDB, SNS).
pub(crate) fn tag_list(tags: &Map<String, Value>) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({"key": k, "value": v}))
            .collect(),
    )
}

/// The instance's tags: `tags_all` (provider default tags included), else `tags`.
pub(crate) fn tags(values: &Value) -> Map<String, Value> {
    for key in ["tags_all", "tags"] {
        if let Some(Value::Object(map)) = get(values, key) {
            return map.clone();
        }
    }
    Map::new()
}

/// A policy document made here (from companions, or AWS's default): JSON text, as AWS
/// Config records policies, unless parts of it are unknown; then the document itself, so
/// each unknown part stays a placeholder of its own (the loader decodes the text to the
/// same document).
pub(crate) fn document(doc: Value) -> Value {
    if holds_placeholder(&doc) {
        doc
    } else {
        Value::String(doc.to_string())
    }
}

fn holds_placeholder(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(holds_placeholder),
        Value::Object(map) => map.values().any(holds_placeholder),
        other => is_placeholder(other),
    }
}

/// An IAM policy document as AWS Config records it: URL-encoded JSON text. Placeholders and
/// text that is not JSON stay as they are.
pub(crate) fn iam_document(value: Value) -> Value {
    match &value {
        Value::String(text) if !is_unknown(text) => {
            let compact = serde_json::from_str::<Value>(text)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| text.clone());
            Value::String(percent_encoding::utf8_percent_encode(&compact, DOCUMENT).to_string())
        }
        _ => value,
    }
}

/// What IAM's URL encoding escapes: everything but unreserved characters.
const DOCUMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_unset_unknown_and_set() {
        let v = json!({"a": [], "b": "{unknown: known after apply: x.b}", "c": [{"k": 1}]});
        assert!(matches!(block(&v, "a"), Block::Unset));
        assert!(matches!(block(&v, "b"), Block::Unknown(_)));
        assert!(matches!(block(&v, "c"), Block::Set(b) if b["k"] == 1));
        assert!(matches!(block(&v, "zzz"), Block::Unset));
    }

    #[test]
    fn iam_documents_are_url_encoded_json() {
        let doc = iam_document(json!("{\"Version\": \"2012-10-17\", \"Statement\": []}"));
        let text = doc.as_str().unwrap();
        assert!(text.starts_with("%7B%22"), "{text}");
        let decoded = percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .unwrap();
        let parsed: Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(parsed, json!({"Version": "2012-10-17", "Statement": []}));
        let placeholder = json!("{unknown: known after apply: aws_iam_policy.p.policy}");
        assert_eq!(iam_document(placeholder.clone()), placeholder);
    }
}
