//! One configuration item, in whichever dialect, to the canonical form policies see:
//! snapshot-file ("N") names, `configuration` and supplementary values decoded from JSON
//! text, policy documents decoded (URL-encoded IAM ones too), relationships with `name`,
//! tags as an object, times as ISO-8601 strings. Unknown keys are kept as they are.

use super::ci::{ConfigurationItem, Document, ItemStatus, Origin, Subject};
use super::intern::shared_str;
use super::json::{
    self, field, kind, number_text, sorted_pairs, write_msgpack, JsonContainerTrait, JsonType,
    JsonValueTrait, Object, Value,
};
use std::collections::BTreeMap;
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

/// What the canonical item holds under one key. The item is written straight to its
/// encoding from the parsed text: nothing is copied into a new tree.
enum Out<'a> {
    /// A value of the item, as it is.
    Given(&'a Value),
    /// A value whose policy documents held as text are decoded on the way.
    Documents(&'a Value),
    Null,
    Text(String),
    Integer(i64),
    EmptyArray,
    EmptyObject,
    /// The tags of a tag list, by key (`None`: the tag has no value).
    Tags(BTreeMap<&'a str, Option<&'a Value>>),
    /// The relationships, each with `name` and the four keys policies read.
    Relationships(&'a Value),
    /// The supplementary values, decoded.
    Supplementary(Vec<(&'a str, Decoded<'a>)>),
}

/// A value of the item, or what was decoded from its text.
enum Decoded<'a> {
    Given(&'a Value),
    Made(Value),
}

impl Decoded<'_> {
    fn value(&self) -> &Value {
        match self {
            Decoded::Given(value) => value,
            Decoded::Made(value) => value,
        }
    }
}

/// The item's value under `key` (before the normaliser replaces any).
fn given<'a>(map: &BTreeMap<&str, Out<'a>>, key: &str) -> Option<&'a Value> {
    match map.get(key) {
        Some(Out::Given(value)) => Some(value),
        _ => None,
    }
}

pub fn normalise(
    value: &Value,
    origin: Origin,
    dialect: Dialect,
    left_scope: bool,
) -> Result<ConfigurationItem, String> {
    let Some(object) = value.as_object() else {
        return Err(format!(
            "a configuration item must be a JSON object, found {}",
            kind(value)
        ));
    };
    let mut raw: BTreeMap<&str, Out> = sorted_pairs(object)
        .into_iter()
        .map(|(k, v)| (k, Out::Given(v)))
        .collect();
    let api = dialect == Dialect::Api
        || raw.contains_key("accountId")
        || raw.contains_key("configurationItemMD5Hash")
        || given(&raw, "configuration").is_some_and(|c| c.is_str());

    for (canonical, alternatives) in ALIASES {
        if raw.contains_key(*canonical) {
            continue;
        }
        for alternative in *alternatives {
            if let Some(v) = raw.remove(*alternative) {
                raw.insert(canonical, v);
                break;
            }
        }
    }

    let resource_type = required_string(&raw, "resourceType")?;
    let resource_id = match given(&raw, "resourceId") {
        Some(v) if v.as_str().is_some_and(|s| !s.is_empty()) => {
            v.as_str().unwrap_or_default().to_string()
        }
        Some(v) if v.is_number() => number_text(v),
        Some(v) if v.is_str() => return Err("resourceId is empty".into()),
        Some(other) => {
            return Err(format!(
                "resourceId must be a string, found {}",
                kind(other)
            ))
        }
        None => return Err(format!("{resource_type} item has no resourceId")),
    };
    let account = match given(&raw, "awsAccountId") {
        Some(v) if v.is_str() => v.as_str().unwrap_or_default().to_string(),
        // A 12-digit id written as a number loses leading zeros: pad it back.
        Some(v) if v.is_number() => format!("{:0>12}", number_text(v)),
        None => String::new(),
        Some(v) if v.is_null() => String::new(),
        Some(other) => {
            return Err(format!(
                "awsAccountId must be a string, found {}",
                kind(other)
            ))
        }
    };
    raw.insert("awsAccountId", Out::Text(account.clone()));
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
    raw.insert("awsRegion", Out::Text(region.clone()));
    let status_text =
        optional_string(&raw, "configurationItemStatus")?.unwrap_or_else(|| "OK".to_string());
    raw.insert("configurationItemStatus", Out::Text(status_text.clone()));
    let resource_name = optional_string(&raw, "resourceName")?;

    let mut capture_time = None;
    for key in [
        "configurationItemCaptureTime",
        "resourceCreationTime",
        "configurationItemDeliveryTime",
    ] {
        if let Some(v) = given(&raw, key) {
            let time = normalise_time(key, v)?;
            if key == "configurationItemCaptureTime" {
                capture_time = time.as_deref().filter(|t| !t.is_empty()).map(Arc::from);
            }
            if v.is_number() {
                raw.insert(key, time.map_or(Out::Null, Out::Text));
            }
        }
    }
    // The capture time orders the states of a resource and gives the default evaluation
    // time: it must be a time, compared as one (not as text, where offsets and precision
    // would decide).
    let capture_ns = capture_time.as_deref().map(capture_nanos).transpose()?;

    let state_id = match given(&raw, "configurationStateId") {
        Some(v) if v.is_number() => v.as_i64(),
        Some(v) if v.is_str() => match v.as_str().unwrap_or_default().trim().parse::<i64>() {
            Ok(id) => {
                raw.insert("configurationStateId", Out::Integer(id));
                Some(id)
            }
            // Historic samples carry a UUID here: keep it, it just does not order.
            Err(_) => None,
        },
        _ => None,
    };

    let tags = match given(&raw, "tags") {
        None => Out::EmptyObject,
        Some(v) if v.is_null() => Out::EmptyObject,
        Some(v) if v.is_object() => Out::Given(v),
        Some(v) if v.is_array() => Out::Tags(tag_list_to_map(v)?),
        Some(other) => return Err(format!("tags must be an object, found {}", kind(other))),
    };
    raw.insert("tags", tags);

    match given(&raw, "relationships") {
        None => {
            raw.insert("relationships", Out::EmptyArray);
        }
        Some(v) if v.is_null() => {
            raw.insert("relationships", Out::EmptyArray);
        }
        Some(v) if v.is_array() => {
            raw.insert("relationships", Out::Relationships(v));
        }
        Some(other) => {
            return Err(format!(
                "relationships must be an array, found {}",
                kind(other)
            ))
        }
    }
    if given(&raw, "relatedEvents").is_none_or(|v| v.is_null()) {
        raw.insert("relatedEvents", Out::EmptyArray);
    }

    // Parsed from text (API output), held here while the output refers to it.
    let configuration_text: Value;
    let configuration = match given(&raw, "configuration") {
        None => Out::Null,
        Some(v) if v.is_null() => Out::Null,
        Some(v) if v.is_object() => Out::Documents(v),
        Some(v) if v.is_str() => {
            let text = v.as_str().unwrap_or_default();
            if text.trim().is_empty() || text == "null" {
                Out::Null
            } else {
                configuration_text = match json::parse(text) {
                    Ok(v) if v.is_object() => v,
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
                };
                Out::Documents(&configuration_text)
            }
        }
        Some(other) => {
            return Err(format!(
                "configuration must be an object, found {}",
                kind(other)
            ))
        }
    };
    raw.insert("configuration", configuration);

    let supplementary_text: Value;
    let supplementary: Option<&Object> = match given(&raw, "supplementaryConfiguration") {
        None => None,
        Some(v) if v.is_null() => None,
        Some(v) if v.is_object() => v.as_object(),
        Some(v) if v.is_str() => {
            supplementary_text = json::parse(v.as_str().unwrap_or_default())
                .ok()
                .filter(|v| v.is_object())
                .ok_or("supplementaryConfiguration is a string but not a JSON object")?;
            supplementary_text.as_object()
        }
        Some(other) => {
            return Err(format!(
                "supplementaryConfiguration must be an object, found {}",
                kind(other)
            ))
        }
    };
    let supplementary = supplementary
        .map(sorted_pairs)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, decode_supplementary(v, api)))
        .collect();
    raw.insert(
        "supplementaryConfiguration",
        Out::Supplementary(supplementary),
    );

    let document = encode(&raw);
    Ok(ConfigurationItem {
        subject: Arc::new(Subject {
            // Accounts, regions and types recur in every item: one copy of each per thread.
            resource_type: shared_str(&resource_type),
            resource_id: Arc::from(resource_id),
            resource_name: resource_name.map(Arc::from),
            arn: arn.map(Arc::from),
            account: shared_str(&account),
            region: shared_str(&region),
            capture_time,
            state_id,
            origin: Some(origin),
        }),
        status: ItemStatus::parse(&status_text),
        status_text,
        unknowns: Box::default(),
        from_template: false,
        capture_ns,
        left_scope,
        // The loader says so when the document is a complete record.
        complete_record: false,
        document,
    })
}

/// The canonical item as MessagePack, keys in order (see `json::write_msgpack`).
fn encode(raw: &BTreeMap<&str, Out>) -> Document {
    let no_documents = |_: &str, _: &Value| None;
    let documents = |key: &str, value: &Value| {
        if is_document_key(key) {
            value.as_str().and_then(decode_document_text)
        } else {
            None
        }
    };
    Document::encoded(|out| {
        // Writing to a Vec cannot fail.
        let _ = rmp::encode::write_map_len(out, raw.len() as u32);
        for (key, value) in raw {
            let _ = rmp::encode::write_str(out, key);
            match value {
                Out::Given(v) => write_msgpack(out, v, &no_documents),
                Out::Documents(v) => write_msgpack(out, v, &documents),
                Out::Null => {
                    let _ = rmp::encode::write_nil(out);
                }
                Out::Text(text) => {
                    let _ = rmp::encode::write_str(out, text);
                }
                Out::Integer(n) => {
                    // As serde_json's number: unsigned when not negative.
                    let _ = match u64::try_from(*n) {
                        Ok(n) => rmp::encode::write_uint(out, n).map(|_| ()),
                        Err(_) => rmp::encode::write_sint(out, *n).map(|_| ()),
                    };
                }
                Out::EmptyArray => {
                    let _ = rmp::encode::write_array_len(out, 0);
                }
                Out::EmptyObject => {
                    let _ = rmp::encode::write_map_len(out, 0);
                }
                Out::Tags(tags) => write_object(out, tags),
                Out::Relationships(list) => write_relationships(out, list),
                Out::Supplementary(entries) => {
                    let _ = rmp::encode::write_map_len(out, entries.len() as u32);
                    for (key, value) in entries {
                        let _ = rmp::encode::write_str(out, key);
                        write_msgpack(out, value.value(), &documents);
                    }
                }
            }
        }
    })
}

/// Relationships as policies read them: `relationshipName` (API output) becomes `name`,
/// and `resourceType`, `resourceId`, `resourceName` and `name` are always present.
fn write_relationships(out: &mut Vec<u8>, list: &Value) {
    let no_documents = |_: &str, _: &Value| None;
    let items = list.as_array().map(|a| a.as_slice()).unwrap_or_default();
    let _ = rmp::encode::write_array_len(out, items.len() as u32);
    for item in items {
        let Some(object) = item.as_object() else {
            write_msgpack(out, item, &no_documents);
            continue;
        };
        let mut pairs: BTreeMap<&str, Option<&Value>> = sorted_pairs(object)
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        if !pairs.contains_key("name") {
            if let Some(name) = pairs.remove("relationshipName") {
                pairs.insert("name", name);
            }
        }
        // Every relationship has the same keys, null when AWS left one out.
        for key in ["resourceType", "resourceId", "resourceName", "name"] {
            pairs.entry(key).or_insert(None);
        }
        write_object(out, &pairs);
    }
}

/// An object the normaliser assembled: its entries in key order, `None` written as null.
fn write_object(out: &mut Vec<u8>, entries: &BTreeMap<&str, Option<&Value>>) {
    let no_documents = |_: &str, _: &Value| None;
    let _ = rmp::encode::write_map_len(out, entries.len() as u32);
    for (key, value) in entries {
        let _ = rmp::encode::write_str(out, key);
        match value {
            Some(v) => write_msgpack(out, v, &no_documents),
            None => {
                let _ = rmp::encode::write_nil(out);
            }
        }
    }
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

fn required_string(raw: &BTreeMap<&str, Out>, key: &str) -> Result<String, String> {
    match given(raw, key) {
        Some(v) if v.as_str().is_some_and(|s| !s.is_empty()) => {
            Ok(v.as_str().unwrap_or_default().to_string())
        }
        Some(v) if v.is_str() => Err(format!("{key} is empty")),
        Some(other) => Err(format!("{key} must be a string, found {}", kind(other))),
        None => Err(format!("missing {key}")),
    }
}

fn optional_string(raw: &BTreeMap<&str, Out>, key: &str) -> Result<Option<String>, String> {
    match given(raw, key) {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) if v.is_str() => Ok(v.as_str().filter(|s| !s.is_empty()).map(str::to_string)),
        Some(other) => Err(format!("{key} must be a string, found {}", kind(other))),
    }
}

/// API output gives times as epoch seconds (the CLI prints floats); files give ISO-8601.
/// The time as text (`None` for null).
/// A capture time as nanoseconds since the epoch, when it is an RFC 3339 time.
fn capture_nanos(text: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .and_then(|time| time.timestamp_nanos_opt())
        .ok_or_else(|| {
            format!("configurationItemCaptureTime `{text}` is not an RFC 3339 time (such as 2026-11-01T00:00:00.000Z)")
        })
}

fn normalise_time(key: &str, value: &Value) -> Result<Option<String>, String> {
    match value.get_type() {
        JsonType::Null => Ok(None),
        JsonType::String => Ok(value.as_str().map(str::to_string)),
        JsonType::Number => {
            let seconds = value.as_f64().unwrap_or(0.0);
            // Values this large are milliseconds (some SDKs serialise them that way).
            let millis = if seconds > 1e11 {
                seconds.round() as i64
            } else {
                (seconds * 1000.0).round() as i64
            };
            let time = chrono::DateTime::from_timestamp_millis(millis)
                .ok_or_else(|| format!("{key} {} is not a valid time", number_text(value)))?;
            Ok(Some(time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()))
        }
        _ => Err(format!(
            "{key} must be a time string or epoch seconds, found {}",
            kind(value)
        )),
    }
}

/// `[{key, value}, ...]` (API output) to the tags object; the last of a repeated key wins.
fn tag_list_to_map(list: &Value) -> Result<BTreeMap<&str, Option<&Value>>, String> {
    let mut map = BTreeMap::new();
    for tag in list.as_array().map(|a| a.as_slice()).unwrap_or_default() {
        let Some(tag) = tag.as_object() else {
            return Err("tags list holds something other than {key, value} objects".into());
        };
        let key = ["key", "Key", "tagName"]
            .iter()
            .find_map(|k| field(tag, k))
            .and_then(|k| k.as_str());
        let value = ["value", "Value", "tagValue"]
            .iter()
            .find_map(|k| field(tag, k));
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
/// (Policy documents inside are decoded when the value is written.)
fn decode_supplementary(value: &Value, api: bool) -> Decoded<'_> {
    let Some(text) = value.as_str() else {
        return Decoded::Given(value);
    };
    if api {
        return match json::parse(text) {
            // Double-encoded: the S3 AccessControlList in API output.
            Ok(inner) if inner.as_str().is_some_and(looks_like_json_container) => {
                let inner_text = inner.as_str().unwrap_or_default();
                Decoded::Made(json::parse(inner_text).unwrap_or_else(|_| inner.clone()))
            }
            Ok(decoded) => Decoded::Made(decoded),
            Err(_) => Decoded::Given(value),
        };
    }
    if looks_like_json_container(text) {
        return match json::parse(text) {
            Ok(decoded) => Decoded::Made(decoded),
            Err(_) => Decoded::Given(value),
        };
    }
    Decoded::Given(value)
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

/// A policy document held as text, decoded (`None` when the text is not one).
fn decode_document_text(text: &str) -> Option<Value> {
    let trimmed = text.trim_start();
    if looks_like_json_container(trimmed) {
        return json::parse(trimmed).ok();
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
        return json::parse(&decoded)
            .ok()
            .or_else(|| json::parse(&decoded.replace('+', " ")).ok());
    }
    None
}
