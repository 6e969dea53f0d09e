//! Property tests: no input makes the loader panic, and every item is accounted for.

use proptest::prelude::*;
use regent::model::load::load;
use serde_json::{json, Value};

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        Just(json!("{\"a\": [1, 2]}")),
        Just(json!("%7B%22a%22%3A1%7D")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("configuration".to_string()),
                    Just("supplementaryConfiguration".to_string()),
                    Just("tags".to_string()),
                    Just("relationships".to_string()),
                    Just("resourceType".to_string()),
                    Just("resourceId".to_string()),
                    Just("configurationItems".to_string()),
                    Just("invokingEvent".to_string()),
                    Just("Message".to_string()),
                    Just("Results".to_string()),
                    Just("policyText".to_string()),
                    ".{0,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A configuration item with some fields replaced by arbitrary JSON.
fn mutated_item() -> impl Strategy<Value = Value> {
    let base = json!({
        "configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-30T08:15:02.311Z",
        "configurationStateId": 1, "awsAccountId": "111122223333", "configurationItemStatus": "OK",
        "resourceType": "AWS::S3::Bucket", "resourceId": "b", "awsRegion": "eu-west-1",
        "tags": {}, "relationships": [], "configuration": {}, "supplementaryConfiguration": {}
    });
    let fields = prop::sample::subsequence(
        vec![
            "configurationItemCaptureTime",
            "configurationStateId",
            "awsAccountId",
            "configurationItemStatus",
            "resourceType",
            "resourceId",
            "awsRegion",
            "tags",
            "relationships",
            "configuration",
            "supplementaryConfiguration",
            "ARN",
            "accountId",
        ],
        0..5,
    );
    (fields, prop::collection::vec(arbitrary_json(), 5)).prop_map(move |(fields, values)| {
        let mut item = base.clone();
        for (field, value) in fields.into_iter().zip(values) {
            item[field] = value;
        }
        json!({"fileVersion": "1.0", "configurationItems": [item]})
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let loaded = load("fuzz", &bytes, false);
        prop_assert_eq!(loaded.items_read, loaded.items.len() + loaded.skipped_items.len() + loaded.items_failed);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        let text = serde_json::to_vec(&value).unwrap();
        let loaded = load("fuzz", &text, false);
        prop_assert_eq!(loaded.items_read, loaded.items.len() + loaded.skipped_items.len() + loaded.items_failed);
        let ndjson = load("fuzz", &text, true);
        prop_assert_eq!(ndjson.items_read, ndjson.items.len() + ndjson.skipped_items.len() + ndjson.items_failed);
    }

    #[test]
    fn mutated_items_load_or_fail_cleanly(document in mutated_item()) {
        let text = serde_json::to_vec(&document).unwrap();
        let loaded = load("fuzz", &text, false);
        prop_assert_eq!(loaded.items_read, 1);
        prop_assert_eq!(loaded.items.len() + loaded.items_failed, 1);
        prop_assert_eq!(loaded.problems.len(), loaded.items_failed);
    }

    #[test]
    fn truncated_documents_never_panic(cut in 0usize..2000) {
        let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/_loader/snapshot_file.json")).unwrap();
        let cut = cut.min(text.len());
        let loaded = load("fuzz", &text[..cut], false);
        prop_assert!(loaded.items.len() <= 2);
    }
}

/// Found by `mutated_items_load_or_fail_cleanly` in CI: a policy-document field whose text
/// starts with a multi-byte character panicked on a byte slice while checking for "%7B".
#[test]
fn a_document_field_starting_with_a_multibyte_character_loads() {
    let document = json!({"fileVersion": "1.0", "configurationItems": [{
        "configurationItemCaptureTime": "2026-10-30T08:15:02.311Z", "configurationStateId": 1,
        "awsAccountId": "111122223333", "configurationItemStatus": "OK",
        "resourceType": "AWS::IAM::Policy", "resourceId": "p", "awsRegion": "global",
        "configuration": {"policyVersionList": [{"document": "\u{10f37b}z05$"}]}
    }]});
    let loaded = load("multibyte", &serde_json::to_vec(&document).unwrap(), false);
    assert_eq!(loaded.items.len(), 1);
    assert_eq!(loaded.items_failed, 0);
}
