//! Helpers the mappers share: reading resolved properties with CloudFormation's coercions
//! (`"true"` is a boolean, `"443"` a number), tags, policy documents as AWS Config records
//! them, and the resource being built with its notes on unknown values.

use super::context::Cx;
use crate::model::template::{is_unknown, Resource};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A converted resource and the unknown placeholders that may be in it, each with the
/// description it gets in `Resource::unknowns` when it is.
pub struct Built {
    pub resource: Resource,
    pub notes: Vec<Note>,
}

pub struct Note {
    pub placeholder: String,
    pub description: String,
}

impl Built {
    pub fn new(resource_type: &str) -> Self {
        Built {
            resource: Resource {
                resource_type: resource_type.to_string(),
                configuration: Value::Object(Map::new()),
                ..Resource::default()
            },
            notes: Vec::new(),
        }
    }

    /// A placeholder the mapper makes itself (a default AWS decides at deploy), with the
    /// description `path: why`.
    pub fn unknown(&mut self, cx: &mut Cx<'_>, path: &str, what: &str, why: &str) -> Value {
        let value = cx.unknown(what, format!("{what}: {why}"));
        self.note(value, path, what, why)
    }

    /// `unknown`, for an identifier or address AWS assigns at deploy: a non-empty string.
    pub fn unknown_id(&mut self, cx: &mut Cx<'_>, path: &str, what: &str, why: &str) -> Value {
        let value = cx.unknown_id(what, format!("{what}: {why}"));
        self.note(value, path, what, why)
    }

    fn note(&mut self, value: Value, path: &str, what: &str, why: &str) -> Value {
        if let Value::String(text) = &value {
            self.notes.push(Note {
                placeholder: text.clone(),
                description: format!("{path}: {what} ({why})"),
            });
        }
        value
    }

    /// Note every placeholder in `value`, found at `path` of the template.
    pub fn note_all(&mut self, cx: &Cx<'_>, value: &Value, path: &str) {
        match value {
            Value::String(s) if is_unknown(s) => self.notes.push(Note {
                placeholder: s.clone(),
                description: format!("{path}: {}", cx.why(s)),
            }),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.note_all(cx, item, &format!("{path}[{i}]"));
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    self.note_all(cx, item, &format!("{path}.{key}"));
                }
            }
            _ => {}
        }
    }

    pub fn set(&mut self, key: &str, value: Value) {
        if let Value::Object(map) = &mut self.resource.configuration {
            map.insert(key.to_string(), value);
        }
    }

    /// Set `key` when the template gives a value.
    pub fn set_some(&mut self, key: &str, value: Option<Value>) {
        if let Some(value) = value {
            self.set(key, value);
        }
    }

    pub fn supplementary(&mut self, key: &str, value: Value) {
        self.resource.supplementary.insert(key.to_string(), value);
    }

    pub fn config(&self, key: &str) -> Option<&Value> {
        self.resource.configuration.get(key)
    }
}

/// A property as a boolean (CloudFormation takes `"true"` too); placeholders stay.
pub fn boolean(value: Option<&Value>) -> Option<Value> {
    Some(match value? {
        Value::String(s) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        other => other.clone(),
    })
}

/// A boolean property, or AWS's default when unset.
pub fn boolean_or(value: Option<&Value>, default: bool) -> Value {
    boolean(value).unwrap_or(Value::Bool(default))
}

/// A property as an integer (`"443"` is 443); placeholders and other text stay.
pub fn integer(value: Option<&Value>) -> Option<Value> {
    Some(match value? {
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(n) => Value::Number(n.into()),
            Err(_) => Value::String(s.clone()),
        },
        Value::Number(n) if n.as_i64().is_none() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => Value::Number((f as i64).into()),
            _ => Value::Number(n.clone()),
        },
        other => other.clone(),
    })
}

/// A property as text (`5` is `"5"`).
pub fn text(value: Option<&Value>) -> Option<Value> {
    Some(match value? {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    })
}

/// A known string (not a placeholder).
pub fn known(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !is_unknown(s))
}

/// A property that takes one value or a list, as a list.
pub fn list(value: Option<&Value>) -> Vec<Value> {
    match value {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other.clone()],
    }
}

/// `Tags: [{Key, Value}]` as the item's tags.
pub fn tags(props: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for tag in list(props.get("Tags")) {
        let key = text(tag.get("Key")).and_then(|k| k.as_str().map(str::to_string));
        let value = text(tag.get("Value")).and_then(|v| v.as_str().map(str::to_string));
        if let Some(key) = key {
            out.insert(key, value.unwrap_or_default());
        }
    }
    out
}

/// A policy document as the JSON text AWS Config records (a string stays as it is).
pub fn document_text(document: &Value) -> Value {
    match document {
        Value::String(s) => Value::String(s.clone()),
        Value::Null => Value::Null,
        other => Value::String(other.to_string()),
    }
}

/// What IAM (and so AWS Config) keeps of a policy document: URL-encoded JSON text.
pub fn url_encoded_document(document: &Value) -> Value {
    /// Everything but RFC 3986's unreserved characters.
    const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let text = match document {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Value::String(utf8_percent_encode(&text, ENCODED).to_string())
}

/// The placeholders of a finished item: its values, and the documents held as (JSON or
/// URL-encoded) text inside them.
pub fn placeholders_in(resource: &Resource) -> std::collections::HashSet<String> {
    let mut found = std::collections::HashSet::new();
    let mut all = vec![
        resource.configuration.clone(),
        Value::Object(resource.supplementary.clone()),
    ];
    all.extend(resource.name.clone().map(Value::String));
    all.extend(resource.arn.clone().map(Value::String));
    all.extend(
        resource
            .tags
            .iter()
            .flat_map(|(k, v)| [Value::String(k.clone()), Value::String(v.clone())]),
    );
    for value in &all {
        collect(value, &mut found, 0);
    }
    found
}

fn collect(value: &Value, found: &mut std::collections::HashSet<String>, depth: usize) {
    match value {
        Value::String(s) if is_unknown(s) => {
            found.insert(s.clone());
        }
        Value::String(s) if depth < 4 => {
            let trimmed = s.trim_start();
            let decoded = if trimmed.starts_with('{') || trimmed.starts_with('[') {
                serde_json::from_str::<Value>(trimmed).ok()
            } else if trimmed.len() > 3 && trimmed[..3].eq_ignore_ascii_case("%7B") {
                percent_encoding::percent_decode_str(trimmed)
                    .decode_utf8()
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            } else {
                None
            };
            if let Some(inner) = decoded {
                collect(&inner, found, depth + 1);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, found, depth)),
        Value::Object(map) => map.values().for_each(|v| collect(v, found, depth)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coercions_follow_cloudformation() {
        assert_eq!(boolean(Some(&json!("True"))), Some(json!(true)));
        assert_eq!(boolean(Some(&json!(false))), Some(json!(false)));
        assert_eq!(integer(Some(&json!("443"))), Some(json!(443)));
        assert_eq!(integer(Some(&json!(22.0))), Some(json!(22)));
        assert_eq!(text(Some(&json!(5))), Some(json!("5")));
    }

    #[test]
    fn documents_are_url_encoded_as_iam_keeps_them() {
        let doc = json!({"Statement": [{"Action": "s3:*", "Resource": "*"}]});
        assert_eq!(
            url_encoded_document(&doc),
            json!("%7B%22Statement%22%3A%5B%7B%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D")
        );
    }
}
