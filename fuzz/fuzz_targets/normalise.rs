//! Any JSON value as a configuration item, in both dialects: normalised or refused with a
//! message, never a panic; a normalised item's document reads back as JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regent::model::normalise::{normalise, Dialect};
use regent::model::Origin;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = regent::model::json::parse(text) else {
        return;
    };
    for dialect in [Dialect::Detect, Dialect::Api] {
        let origin = Origin {
            source: Arc::from("fuzz.json"),
            index: None,
        };
        if let Ok(item) = normalise(&value, origin, dialect, false) {
            let json = item.document.json();
            assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        }
    }
});
