//! The README's worked example of a team's own control stays true: its policy and Rego
//! test, with a fixture per verdict, pass `regent test`, and a broken fixture fails it.

mod common;

use common::{regent, write};

fn rego_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    readme
        .split("```rego\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_worked_example_passes_regent_test() {
    let blocks = rego_blocks();
    assert_eq!(blocks.len(), 2, "the README shows a policy and its test");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/acme/acme_1.rego", &blocks[0]);
    write(dir.path(), "policies/acme/acme_1_test.rego", &blocks[1]);
    let mut bucket: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("fixtures/_loader/bare_item.json")).unwrap(),
    )
    .unwrap();
    bucket["tags"] = serde_json::json!({"owner": "team-a"});
    write(
        dir.path(),
        "fixtures/ACME.1/compliant/tagged_bucket.json",
        bucket.to_string(),
    );
    bucket["tags"] = serde_json::json!({});
    write(
        dir.path(),
        "fixtures/ACME.1/non_compliant/untagged_bucket.json",
        bucket.to_string(),
    );

    let pack = dir.path().to_str().unwrap();
    let run = regent(&["test", pack]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("3 passed, 0 failed"), "{}", run.stdout);
    assert!(
        run.stdout.contains("100.0%"),
        "coverage is reported: {}",
        run.stdout
    );

    // A fixture in the wrong folder fails, with the expected and actual verdicts.
    write(
        dir.path(),
        "fixtures/ACME.1/compliant/untagged_bucket.json",
        bucket.to_string(),
    );
    let run = regent(&["test", pack]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("FAIL  ACME.1/compliant/untagged_bucket.json"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("expected COMPLIANT, got NON_COMPLIANT"),
        "{}",
        run.stdout
    );
    let filtered = regent(&["test", pack, "--run", "non_compliant"]);
    assert_eq!(filtered.code, 0, "{}", filtered.stdout);
    assert!(
        filtered.stdout.contains("1 passed, 0 failed"),
        "{}",
        filtered.stdout
    );
}
