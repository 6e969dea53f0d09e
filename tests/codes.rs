//! Every diagnostic code the source emits is listed in `diagnostics::CODES` and in the
//! README's table, so codes are documented and never renamed by accident.

mod common;

use regent::diagnostics::CODES;
use std::collections::BTreeSet;

#[test]
fn every_emitted_code_is_listed_and_documented() {
    let listed: BTreeSet<&str> = CODES.iter().map(|(code, _)| *code).collect();
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let mut emitted = BTreeSet::new();
    for entry in walkdir::WalkDir::new(common::root().join("src")) {
        let entry = entry.unwrap();
        // diagnostics.rs holds the list itself.
        if entry.path().extension().is_none_or(|e| e != "rs")
            || entry.path().ends_with("diagnostics.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for prefix in ["\"input::", "\"policy::", "\"config::", "\"eval::"] {
            for (at, _) in text.match_indices(prefix) {
                let rest = &text[at + 1..];
                let code: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '_')
                    .collect();
                emitted.insert(code);
            }
        }
    }
    assert!(
        emitted.len() >= 10,
        "codes found in the source: {emitted:?}"
    );
    for code in &emitted {
        assert!(
            listed.contains(code.as_str()),
            "{code} is in diagnostics::CODES"
        );
        assert!(
            readme.contains(&format!("`{code}`")),
            "{code} is documented in the README"
        );
    }
    for code in &listed {
        assert!(
            emitted.contains(*code),
            "{code} in CODES is still emitted somewhere"
        );
    }
}
