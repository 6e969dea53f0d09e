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

/// Every `regent eval ./export`, `regent controls` and `regent explain` line of "Common
/// uses", run on the demo export: none is rejected (exit 2) or prints an error, so the
/// README cannot drift from the CLI.
#[test]
fn the_common_uses_run_on_the_demo() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let section = readme
        .split("## Common uses")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("the README has a Common uses block");
    let mut ran = 0;
    for line in section.lines().map(str::trim) {
        let runnable = line.starts_with("regent eval ./export")
            || line.starts_with("regent controls")
            || line.starts_with("regent explain");
        if !runnable {
            continue;
        }
        // The redirect is the shell's business; the command is what is checked.
        let command = line.split(" > ").next().unwrap();
        let args: Vec<&str> = command
            .split_whitespace()
            .skip(1)
            .map(|word| {
                if word == "./export" {
                    "fixtures/demo"
                } else {
                    word
                }
            })
            .collect();
        let run = regent(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "`{line}` exits {}: {}",
            run.code,
            run.stderr
        );
        assert!(
            !run.stderr.contains("error"),
            "`{line}` reports an error: {}",
            run.stderr
        );
        assert!(!run.stdout.is_empty(), "`{line}` prints nothing");
        ran += 1;
    }
    assert!(ran >= 10, "only {ran} commands found in Common uses");
}
