//! An item's encoded document (`ci::Document`) to the regorus value policies read as
//! `input` (and the inventory holds). The same object keys and short strings recur in every
//! item ("configuration", "resourceType", account ids, regions,
//! "AWS::EC2::NetworkInterface"...), so each worker thread keeps one shared copy of each and
//! every item points at it: at organisation scale the inventory document takes far less
//! memory, and decoding allocates far less.
//!
//! The values are equal to what regorus's own JSON deserializer gives for the same item
//! (the same numbers, the same compact objects); only the string storage is shared.

use super::inventory::Projection;
use regorus::Value;
use rustc_hash::FxHashSet as HashSet;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Longer strings (policy texts, descriptions, ARNs with ids) rarely recur.
const MAX_SHARED_LEN: usize = 48;
/// A bound on each thread's table, so unique ids cannot grow it without limit.
const MAX_SHARED: usize = 1 << 16;

thread_local! {
    static SHARED: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::default());
}

/// Decode a document (MessagePack, as `Document::from_value` wrote it): all of it, or only
/// what `projection` keeps.
pub fn decode(
    bytes: &[u8],
    projection: Option<&Projection>,
) -> Result<Value, rmp_serde::decode::Error> {
    SHARED.with(|shared| {
        let mut shared = shared.borrow_mut();
        let mut deserializer = rmp_serde::Deserializer::from_read_ref(bytes);
        Seed(&mut shared, projection).deserialize(&mut deserializer)
    })
}

/// `text` as a string shared with every other use of it on this thread (when short).
pub fn shared_str(text: &str) -> Arc<str> {
    SHARED.with(|shared| share(text, &mut shared.borrow_mut()))
}

fn share(text: &str, shared: &mut HashSet<Arc<str>>) -> Arc<str> {
    if text.len() > MAX_SHARED_LEN {
        return Arc::from(text);
    }
    if let Some(existing) = shared.get(text) {
        return existing.clone();
    }
    let text: Arc<str> = Arc::from(text);
    if shared.len() < MAX_SHARED {
        shared.insert(text.clone());
    }
    text
}

/// Parses one value: all of it, or (with a projection that does not keep it all) only the
/// keys the projection names.
struct Seed<'a, 'p>(&'a mut HashSet<Arc<str>>, Option<&'p Projection>);

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // As regorus: a non-finite number has no place in a document (JSON has none).
        if !v.is_finite() {
            return Err(E::custom(format!("invalid non-finite number: {v}")));
        }
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(share(v, self.0)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        // A projection keeps an array whole.
        while let Some(item) = seq.next_element_seed(Seed(&mut *self.0, None))? {
            items.push(item);
        }
        Ok(Value::from(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // Collected, then built in one go: the normaliser writes keys in order, so the
        // map is built from a sorted run instead of searched once per key.
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
        let projection = self.1.filter(|p| !p.keeps_all());
        while let Some(key) = map.next_key_seed(Key(&mut *self.0))? {
            let part = match (projection, &key) {
                (None, _) => None,
                (Some(projection), Value::String(name)) => match projection.part(name) {
                    Some(part) => Some(part),
                    None => {
                        map.next_value::<de::IgnoredAny>()?;
                        continue;
                    }
                },
                (Some(_), _) => None,
            };
            let value = map.next_value_seed(Seed(&mut *self.0, part))?;
            entries.push((key, value));
        }
        Ok(Value::from(BTreeMap::from_iter(entries)))
    }
}

struct Key<'a>(&'a mut HashSet<Arc<str>>);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(share(v, self.0)))
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
    fn truncated_bytes_are_an_error() {
        let bytes = encoded(r#"{"a":"some text","b":[1,2,3]}"#);
        for end in 0..bytes.len() {
            assert!(decode(&bytes[..end], None).is_err(), "{end} bytes");
        }
    }
}
