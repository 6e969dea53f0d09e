//! Any bytes, as any document shape (as a file, and as NDJSON): the loader never panics,
//! and accounts for every item it reads.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for ndjson in [false, true] {
        let loaded = regent::model::load::load("fuzz.json", data, ndjson);
        let failed = loaded.items_failed + loaded.skipped_items.len();
        assert!(loaded.items.len() + failed <= loaded.items_read.max(loaded.items.len()));
        assert_eq!(
            loaded.items_read,
            loaded.items.len() + loaded.skipped_items.len() + loaded.items_failed,
            "every item read is loaded, skipped or failed"
        );
    }
});
