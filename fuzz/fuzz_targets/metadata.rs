//! Any text as a control file (and as a library beside a sound control): the pack loads
//! what is sound and reports the rest, never a panic, never a hang, never a stack overflow
//! (regorus parses and evaluates the text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use regent::policy::{FileKind, Pack, PackFile};

const SOUND: &str = r#"package regent.fuzz_1

metadata := {"id": "FUZZ.1", "title": "t", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

violation contains "x" if input.resourceId == "y"
"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As JSON, the metadata validator alone.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = regent::policy::metadata::validate(&value, "fuzz.rego", text);
    }
    let file = |path: &str, text: &str, kind| PackFile {
        path: path.into(),
        text: text.into(),
        kind,
        user: true,
    };
    let pack = Pack::from_files(vec![
        file("policies/fuzz/fuzz_1.rego", SOUND, FileKind::Control),
        file("policies/fuzz/fuzz_2.rego", text, FileKind::Control),
    ]);
    assert!(pack.control("FUZZ.1").is_some() || !pack.problems.is_empty());
    let _ = Pack::from_files(vec![
        file("policies/lib/fuzz.rego", text, FileKind::Library),
        file("policies/fuzz/fuzz_1.rego", SOUND, FileKind::Control),
    ]);
});
