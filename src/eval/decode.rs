//! An item's encoded document (`model::ci::Document`) to the regorus value policies read as
//! `input` (and the inventory holds). Strings are shared through `model::intern`.
//!
//! The values are equal to what regorus's own JSON deserializer gives for the same item
//! (the same numbers, the same compact objects); only the string storage is shared.

use super::projection::Projection;
use crate::model::ci::Document;
use crate::model::intern::{self, Table as Shared};
use regorus::Value;
use rmp::Marker;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Why a document did not decode (only a bug or corrupted memory could make one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError(&'static str);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for DecodeError {}

type Result<T> = std::result::Result<T, DecodeError>;

/// Decode a document (MessagePack, as `Document::from_value` wrote it): all of it, or only
/// what `projection` keeps. Read directly rather than through serde: a document holds
/// only the types JSON has, and a string already shared needs no UTF-8 check.
pub fn decode(bytes: &[u8], projection: Option<&Projection>) -> Result<Value> {
    intern::with_table(|shared| {
        let mut reader = Reader(bytes);
        let value = reader.value(shared, projection)?;
        match reader.0.is_empty() {
            true => Ok(value),
            false => Err(DecodeError("bytes after the document")),
        }
    })
}

/// The item as its input (null should it ever not decode).
pub fn item_value(document: &Document) -> Value {
    document
        .with_bytes(|bytes| decode(bytes, None))
        .unwrap_or(Value::Null)
}

/// The parts of the item `projection` keeps; the rest is skipped, never built.
pub fn item_value_projected(document: &Document, projection: &Projection) -> Value {
    document
        .with_bytes(|bytes| decode(bytes, Some(projection)))
        .unwrap_or(Value::Null)
}

fn share(bytes: &[u8], shared: &mut Shared) -> Result<Arc<str>> {
    intern::share(bytes, shared).map_err(|_| DecodeError("a string is not UTF-8"))
}

/// The bytes not read yet.
struct Reader<'a>(&'a [u8]);

const TRUNCATED: DecodeError = DecodeError("the document ends early");

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(TRUNCATED);
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        self.take(N)?.try_into().map_err(|_| TRUNCATED)
    }

    fn marker(&mut self) -> Result<Marker> {
        Ok(Marker::from_u8(self.array::<1>()?[0]))
    }

    /// The length that follows a marker of a string, array or map (`None`: another type).
    fn length(&mut self, marker: Marker) -> Result<Option<usize>> {
        Ok(Some(match marker {
            Marker::FixStr(n) | Marker::FixArray(n) | Marker::FixMap(n) => usize::from(n),
            Marker::Str8 => usize::from(self.array::<1>()?[0]),
            Marker::Str16 | Marker::Array16 | Marker::Map16 => {
                usize::from(u16::from_be_bytes(self.array()?))
            }
            Marker::Str32 | Marker::Array32 | Marker::Map32 => {
                u32::from_be_bytes(self.array()?) as usize
            }
            _ => return Ok(None),
        }))
    }

    fn string(&mut self, marker: Marker, shared: &mut Shared) -> Result<Arc<str>> {
        match marker {
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                let len = self.length(marker)?.unwrap_or_default();
                share(self.take(len)?, shared)
            }
            _ => Err(DecodeError("an object key is not a string")),
        }
    }

    fn value(&mut self, shared: &mut Shared, projection: Option<&Projection>) -> Result<Value> {
        let marker = self.marker()?;
        Ok(match marker {
            Marker::Null => Value::Null,
            Marker::True => Value::Bool(true),
            Marker::False => Value::Bool(false),
            Marker::FixPos(n) => Value::from(u64::from(n)),
            Marker::U8 => Value::from(u64::from(self.array::<1>()?[0])),
            Marker::U16 => Value::from(u64::from(u16::from_be_bytes(self.array()?))),
            Marker::U32 => Value::from(u64::from(u32::from_be_bytes(self.array()?))),
            Marker::U64 => Value::from(u64::from_be_bytes(self.array()?)),
            Marker::FixNeg(n) => Value::from(i64::from(n)),
            Marker::I8 => Value::from(i64::from(i8::from_be_bytes(self.array()?))),
            Marker::I16 => Value::from(i64::from(i16::from_be_bytes(self.array()?))),
            Marker::I32 => Value::from(i64::from(i32::from_be_bytes(self.array()?))),
            Marker::I64 => Value::from(i64::from_be_bytes(self.array()?)),
            Marker::F32 => number(f64::from(f32::from_be_bytes(self.array()?)))?,
            Marker::F64 => number(f64::from_be_bytes(self.array()?))?,
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                Value::String(self.string(marker, shared)?)
            }
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => {
                let len = self.length(marker)?.unwrap_or_default();
                // Every element takes a byte at least: a corrupted length cannot reserve more.
                let mut items = Vec::with_capacity(len.min(self.0.len()));
                for _ in 0..len {
                    // A projection keeps an array whole.
                    items.push(self.value(shared, None)?);
                }
                Value::from(items)
            }
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => {
                let len = self.length(marker)?.unwrap_or_default();
                let projection = projection.filter(|p| !p.keeps_all());
                let mut entries = Vec::with_capacity(len.min(self.0.len()));
                for _ in 0..len {
                    let key_marker = self.marker()?;
                    let key = self.string(key_marker, shared)?;
                    let part = match projection {
                        None => None,
                        Some(projection) => match projection.part(&key) {
                            Some(part) => Some(part),
                            None => {
                                self.skip()?;
                                continue;
                            }
                        },
                    };
                    let value = self.value(shared, part)?;
                    entries.push((Value::String(key), value));
                }
                // Built from the sorted run the normaliser wrote, not searched once per key.
                Value::from(BTreeMap::from_iter(entries))
            }
            _ => return Err(DecodeError("a value of a type JSON does not have")),
        })
    }

    /// Pass over one value without building it.
    fn skip(&mut self) -> Result<()> {
        let marker = self.marker()?;
        let scalar = match marker {
            Marker::Null | Marker::True | Marker::False | Marker::FixPos(_) | Marker::FixNeg(_) => {
                0
            }
            Marker::U8 | Marker::I8 => 1,
            Marker::U16 | Marker::I16 => 2,
            Marker::U32 | Marker::I32 | Marker::F32 => 4,
            Marker::U64 | Marker::I64 | Marker::F64 => 8,
            Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                self.length(marker)?.unwrap_or_default()
            }
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => {
                for _ in 0..self.length(marker)?.unwrap_or_default() {
                    self.skip()?;
                }
                0
            }
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => {
                for _ in 0..self.length(marker)?.unwrap_or_default() {
                    self.skip()?;
                    self.skip()?;
                }
                0
            }
            _ => return Err(DecodeError("a value of a type JSON does not have")),
        };
        self.take(scalar).map(|_| ())
    }
}

/// As regorus: a non-finite number has no place in a document (JSON has none).
fn number(v: f64) -> Result<Value> {
    match v.is_finite() {
        true => Ok(Value::from(v)),
        false => Err(DecodeError("a number that is not finite")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(json: &str) -> Vec<u8> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        rmp_serde::to_vec(&value).unwrap()
    }

    #[test]
    fn equal_to_what_regorus_parses() {
        let json = r#"{"a":[1,-2,3.5,18446744073709551615,-9223372036854775808,1e300,true,null,"x"],"b":{"c":"a long string that is longer than forty-eight bytes in all","d":{}},"e":[],"b2":"AWS::EC2::NetworkInterface","é\n":"\u0000"}"#;
        let ours = decode(&encoded(json), None).unwrap();
        let theirs = Value::from_json_str(json).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.to_json_str().unwrap(), theirs.to_json_str().unwrap());
    }

    #[test]
    fn recurring_strings_share_one_allocation() {
        let bytes = encoded(r#"{"resourceType":"AWS::S3::Bucket"}"#);
        let first = decode(&bytes, None).unwrap();
        let second = decode(&bytes, None).unwrap();
        let text = |v: &Value| match &v[&Value::from("resourceType")] {
            Value::String(s) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert!(Arc::ptr_eq(&text(&first), &text(&second)));
    }

    #[test]
    fn an_item_document_decodes_as_regorus_parses_its_json() {
        let text = r#"{"a":[1,-2,3.5,1e300,18446744073709551615,-9223372036854775808,true,null,"x\"\n\u0000é"],"b":{"c":{},"d":[]},"":0}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let document = Document::from_value(&value);
        assert_eq!(item_value(&document), Value::from_json_str(text).unwrap());
    }

    #[test]
    fn truncated_bytes_are_an_error() {
        let bytes = encoded(r#"{"a":"some text","b":[1,2,3]}"#);
        for end in 0..bytes.len() {
            assert!(decode(&bytes[..end], None).is_err(), "{end} bytes");
        }
    }
}
