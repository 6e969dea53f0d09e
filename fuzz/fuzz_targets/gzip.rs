//! Any bytes as a gzip input (the magic number is added half the time), inflated within a
//! small bound, then loaded: an error or items, never a panic or an unbounded read.
#![no_main]

use libfuzzer_sys::fuzz_target;

const BOUND: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if data.first().is_some_and(|b| b & 1 == 1) {
        bytes.splice(0..0, [0x1f, 0x8b]);
    }
    match regent::source::gunzip_if_needed("fuzz.json.gz", bytes, BOUND) {
        Ok(inflated) => {
            assert!(inflated.len() as u64 <= BOUND.max(data.len() as u64 + 2));
            let _ = regent::model::load::load("fuzz.json.gz", &inflated, false);
        }
        Err(problem) => assert!(problem.code.as_str().starts_with("input::")),
    }
});
