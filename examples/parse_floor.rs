//! The floor regent's end-to-end time is compared with: reading the same files (gunzipping
//! `.gz`) and parsing them with serde_json, in parallel over files, doing nothing else.
//!
//! cargo run --release --example parse_floor -- DIR

use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: parse_floor DIR");
    let start = Instant::now();
    let documents = regent::source::fs::documents(&[dir.into()]);
    let (items, bytes): (usize, usize) = documents
        .into_par_iter()
        .map(|document| {
            let bytes = document.read(u64::MAX).expect("readable input");
            let value: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
            let items = value["configurationItems"].as_array().map_or(0, Vec::len);
            (items, bytes.len())
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "parsed {items} items, {:.1} MB in {seconds:.3} s: {:.0} MB/s, {:.0} items/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        items as f64 / seconds
    );
}
