//! One configuration item, in whichever dialect, to the canonical form policies see:
//! snapshot-file ("N") names, `configuration` and supplementary values decoded from JSON
//! text, policy documents decoded (URL-encoded IAM ones too), relationships with `name`,
//! tags as an object, times as ISO-8601 strings. Unknown keys are kept as they are.

use super::ci::{ConfigurationItem, Document, ItemStatus, Origin, Subject};
use super::input;
use super::load::kind;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Decide per item from its key names and the type of `configuration`.
    Detect,
    /// API output (`GetResourceConfigHistory`, `BatchGet*`, `Select*`): supplementary
    /// values are JSON text.
    Api,
}

/// Alternative spellings, canonical name first.
const ALIASES: &[(&str, &[&str])] = &[
    ("configurationItemVersion", &["version", "snapshotVersion"]),
    ("awsAccountId", &["accountId"]),
    ("ARN", &["arn"]),
    ("configurationStateId", &["configurationStateID"]),
    ("configurationStateMd5Hash", &["configurationItemMD5Hash"]),
    ("availabilityZone", &["availibilityZone"]),
    ("configurationItemStatus", &["configurationItemState"]),
];

pub fn normalise(
    value: Value,
    origin: Origin,
    dialect: Dialect,
    left_scope: bool,
) -> Result<ConfigurationItem, String> {
    let Value::Object(mut raw) = value else {
        return Err(format!(
            "a configuration item must be a JSON object, found {}",
            kind(&value)
        ));
    };
    let api = dialect == Dialect::Api
        || raw.contains_key("accountId")
        || raw.contains_key("configurationItemMD5Hash")
        || matches!(raw.get("configuration"), Some(Value::String(_)));

    for (canonical, alternatives) in ALIASES {
        if raw.contains_key(*canonical) {
            continue;
        }
        for alternative in *alternatives {
            if let Some(v) = raw.remove(*alternative) {
                raw.insert((*canonical).to_string(), v);
                break;
            }
        }
    }

    let resource_type = required_string(&raw, "resourceType")?;
    let resource_id = match raw.get("resourceId") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(_)) => return Err("resourceId is empty".into()),
        Some(other) => {
            return Err(format!(
                "resourceId must be a string, found {}",
                kind(other)
            ))
        }
        None => return Err(format!("{resource_type} item has no resourceId")),
    };
    let account = match raw.get("awsAccountId") {
        Some(Value::String(s)) => s.clone(),
        // A 12-digit id written as a number loses leading zeros: pad it back.
        Some(Value::Number(n)) => format!("{:0>12}", n),
        None | Some(Value::Null) => String::new(),
        Some(other) => {
            return Err(format!(
                "awsAccountId must be a string, found {}",
                kind(other)
            ))
        }
    };
    raw.insert("awsAccountId".into(), Value::String(account.clone()));
    let arn = optional_string(&raw, "ARN")?;
    let region = match optional_string(&raw, "awsRegion")? {
        Some(region) => region,
        // ARNs carry the region as their fourth field; IAM ARNs leave it empty.
        None => arn
            .as_deref()
            .and_then(|a| a.split(':').nth(3))
            .map(|r| if r.is_empty() { "global" } else { r })
            .filter(|r| looks_like_region(r))
            .unwrap_or("")
            .to_string(),
    };
    raw.insert("awsRegion".into(), Value::String(region.clone()));
    let status_text =
        optional_string(&raw, "configurationItemStatus")?.unwrap_or_else(|| "OK".to_string());
    raw.insert(
        "configurationItemStatus".into(),
        Value::String(status_text.clone()),
    );
    let resource_name = optional_string(&raw, "resourceName")?;

    for field in [
        "configurationItemCaptureTime",
        "resourceCreationTime",
        "configurationItemDeliveryTime",
    ] {
        if let Some(v) = raw.get_mut(field) {
            normalise_time(field, v)?;
        }
    }
    let capture_time = optional_string(&raw, "configurationItemCaptureTime")?;

    let state_id = match raw.get("configurationStateId") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(id) => {
                raw.insert("configurationStateId".into(), Value::from(id));
                Some(id)
            }
            // Historic samples carry a UUID here: keep it, it just does not order.
            Err(_) => None,
        },
        _ => None,
    };

    let tags = match raw.remove("tags") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::Object(map)) => Value::Object(map),
        Some(Value::Array(list)) => Value::Object(tag_list_to_map(list)?),
        Some(other) => return Err(format!("tags must be an object, found {}", kind(&other))),
    };
    raw.insert("tags".into(), tags);

    match raw.get_mut("relationships") {
        None | Some(Value::Null) => {
            raw.insert("relationships".into(), Value::Array(Vec::new()));
        }
        Some(Value::Array(list)) => {
            for rel in list.iter_mut() {
                if let Value::Object(rel) = rel {
                    if !rel.contains_key("name") {
                        if let Some(name) = rel.remove("relationshipName") {
                            rel.insert("name".into(), name);
                        }
                    }
                    // Every relationship has the same keys, null when AWS left one out.
                    for key in ["resourceType", "resourceId", "resourceName", "name"] {
                        rel.entry(key).or_insert(Value::Null);
                    }
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "relationships must be an array, found {}",
                kind(other)
            ))
        }
    }
    if matches!(raw.get("relatedEvents"), None | Some(Value::Null)) {
        raw.insert("relatedEvents".into(), Value::Array(Vec::new()));
    }

    let configuration = match raw.remove("configuration") {
        None | Some(Value::Null) => Value::Null,
        Some(Value::Object(map)) => Value::Object(map),
        Some(Value::String(text)) if text.trim().is_empty() || text == "null" => Value::Null,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(v @ Value::Object(_)) => v,
            Ok(other) => {
                return Err(format!(
                    "configuration is JSON text of {}, expected an object",
                    kind(&other)
                ))
            }
            Err(err) => {
                return Err(format!(
                    "configuration is a string but not valid JSON: {err}"
                ))
            }
        },
        Some(other) => {
            return Err(format!(
                "configuration must be an object, found {}",
                kind(&other)
            ))
        }
    };
    let mut configuration = configuration;
    decode_documents(&mut configuration);
    raw.insert("configuration".into(), configuration);

    let supplementary = match raw.remove("supplementaryConfiguration") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(map)) => map,
            _ => return Err("supplementaryConfiguration is a string but not a JSON object".into()),
        },
        Some(other) => {
            return Err(format!(
                "supplementaryConfiguration must be an object, found {}",
                kind(&other)
            ))
        }
    };
    let supplementary = supplementary
        .into_iter()
        .map(|(k, v)| (k, decode_supplementary(v, api)))
        .collect();
    raw.insert(
        "supplementaryConfiguration".into(),
        Value::Object(supplementary),
    );

    Ok(ConfigurationItem {
        subject: Arc::new(Subject {
            // Accounts, regions and types recur in every item: one copy of each per thread.
            resource_type: input::shared_str(&resource_type),
            resource_id: Arc::from(resource_id),
            resource_name: resource_name.map(Arc::from),
            arn: arn.map(Arc::from),
            account: input::shared_str(&account),
            region: input::shared_str(&region),
            capture_time: capture_time.map(Arc::from),
        }),
        status: ItemStatus::parse(&status_text),
        status_text,
        state_id,
        left_scope,
        origin,
        document: Document::from_value(&Value::Object(raw)),
    })
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `global`: not an AZ or an account id.
fn looks_like_region(text: &str) -> bool {
    if text == "global" {
        return true;
    }
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
}

fn required_string(raw: &Map<String, Value>, field: &str) -> Result<String, String> {
    match raw.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("{field} is empty")),
        Some(other) => Err(format!("{field} must be a string, found {}", kind(other))),
        None => Err(format!("missing {field}")),
    }
}

fn optional_string(raw: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match raw.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("{field} must be a string, found {}", kind(other))),
    }
}

/// API output gives times as epoch seconds (the CLI prints floats); files give ISO-8601.
fn normalise_time(field: &str, value: &mut Value) -> Result<(), String> {
    match value {
        Value::Null | Value::String(_) => Ok(()),
        Value::Number(n) => {
            let seconds = n.as_f64().unwrap_or(0.0);
            // Values this large are milliseconds (some SDKs serialise them that way).
            let millis = if seconds > 1e11 {
                seconds.round() as i64
            } else {
                (seconds * 1000.0).round() as i64
            };
            let time = chrono::DateTime::from_timestamp_millis(millis)
                .ok_or_else(|| format!("{field} {n} is not a valid time"))?;
            *value = Value::String(time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
            Ok(())
        }
        other => Err(format!(
            "{field} must be a time string or epoch seconds, found {}",
            kind(other)
        )),
    }
}

fn tag_list_to_map(list: Vec<Value>) -> Result<Map<String, Value>, String> {
    let mut map = Map::new();
    for tag in list {
        let Value::Object(mut tag) = tag else {
            return Err("tags list holds something other than {key, value} objects".into());
        };
        let key = ["key", "Key", "tagName"]
            .iter()
            .find_map(|k| tag.remove(*k))
            .and_then(|k| k.as_str().map(str::to_string));
        let value = ["value", "Value", "tagValue"]
            .iter()
            .find_map(|k| tag.remove(*k))
            .unwrap_or(Value::Null);
        match key {
            Some(key) => {
                map.insert(key, value);
            }
            None => return Err("a tag in the tags list has no key".into()),
        }
    }
    Ok(map)
}

/// Supplementary values: in the API dialect every value is JSON text (even `"false"`,
/// and the S3 ACL is JSON text of JSON text); in files some values are JSON text too.
fn decode_supplementary(value: Value, api: bool) -> Value {
    let mut value = match value {
        Value::String(text) if api => match serde_json::from_str::<Value>(&text) {
            // Double-encoded: the S3 AccessControlList in API output.
            Ok(Value::String(inner)) if looks_like_json_container(&inner) => {
                serde_json::from_str(&inner).unwrap_or(Value::String(inner))
            }
            Ok(decoded) => decoded,
            Err(_) => Value::String(text),
        },
        Value::String(text) if looks_like_json_container(&text) => {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        other => other,
    };
    decode_documents(&mut value);
    value
}

fn looks_like_json_container(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// Keys whose string values are policy documents AWS records as JSON text (or, for IAM,
/// URL-encoded JSON text).
fn is_document_key(key: &str) -> bool {
    // Every key of every item passes here: compare without allocating a lower-cased copy.
    let ends_with = |suffix: &str| {
        key.len() >= suffix.len()
            && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends_with("policy")
        || ends_with("policydocument")
        || ends_with("policytext")
        || key.eq_ignore_ascii_case("document")
}

/// Decode, in place, every policy document held as text anywhere inside `value`.
pub fn decode_documents(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if is_document_key(key) {
                    if let Value::String(text) = child {
                        if let Some(decoded) = decode_document_text(text) {
                            *child = decoded;
                        }
                    }
                }
                decode_documents(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_documents),
        _ => {}
    }
}

fn decode_document_text(text: &str) -> Option<Value> {
    let trimmed = text.trim_start();
    if looks_like_json_container(trimmed) {
        return serde_json::from_str(trimmed).ok();
    }
    // URL-encoded JSON starts with %7B ("{") in IAM configuration items.
    // `get` because the text may start with a multi-byte character.
    if trimmed.len() > 3
        && trimmed
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("%7B"))
    {
        let decoded = percent_encoding::percent_decode_str(trimmed)
            .decode_utf8()
            .ok()?;
        // Form encoding writes spaces as '+'; try the text as it is first.
        return serde_json::from_str(&decoded)
            .ok()
            .or_else(|| serde_json::from_str(&decoded.replace('+', " ")).ok());
    }
    None
}
