//! Any bytes as an input to the whole pipeline with the built-in pack: a report whose
//! summary accounts for every item, never a panic (views and controls meet every shape).
#![no_main]

use libfuzzer_sys::fuzz_target;
use regent::pipeline::{self, Options, Quiet};
use regent::source::{Document, Entry};
use std::sync::OnceLock;

fn pack() -> &'static regent::policy::Pack {
    static PACK: OnceLock<regent::policy::Pack> = OnceLock::new();
    PACK.get_or_init(|| regent::policy::Pack::load(true, &[]))
}

fuzz_target!(|data: &[u8]| {
    let entry = Entry::Document(Document::from_bytes("fuzz.json", data.to_vec()));
    let report = pipeline::run(pack(), std::iter::once(entry), &Options::default(), &Quiet).report;
    let s = &report.summary;
    assert_eq!(s.items_read, s.items_evaluated + s.items_skipped + s.items_failed);
    assert_eq!(s.evaluations, report.results.len());
});
