//! Values unknown before deploy never give a false verdict, and never hide a verdict that
//! does not depend on them (README "Templates before deploy"), through the real CLI.

mod common;

use common::{json, regent};
use serde_json::Value;

const TEMPLATE: &str = "fixtures/templates/cloudformation/unknowns.yaml";

/// Each result of the run as (control, compliance, annotation).
fn verdicts(extra: &[&str]) -> Vec<(String, String, String)> {
    let args = [
        &[
            "eval",
            TEMPLATE,
            "--control",
            "S3.5,S3.14,S3.17",
            "--format",
            "json",
        ][..],
        extra,
    ]
    .concat();
    let run = regent(&args);
    assert_ne!(run.code, 2, "{}", run.stderr);
    json(&run)["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r: &Value| {
            (
                r["control_id"].as_str().unwrap().to_string(),
                r["compliance_type"].as_str().unwrap().to_string(),
                r["annotation"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn of<'a>(all: &'a [(String, String, String)], control: &str) -> &'a (String, String, String) {
    all.iter()
        .find(|(c, _, _)| c == control)
        .unwrap_or_else(|| panic!("{control} in {all:?}"))
}

#[test]
fn a_verdict_that_depends_on_an_unknown_value_is_not_given_and_says_why() {
    let all = verdicts(&[]);
    let (_, compliance, annotation) = of(&all, "S3.14");
    assert_eq!(compliance, "NOT_APPLICABLE");
    assert!(
        annotation.starts_with("unknown before deploy: the verdict depends on")
            && annotation.contains("VersioningStatus")
            && !annotation.contains("Key.Arn"),
        "names only the value that decides: {annotation}"
    );
}

#[test]
fn an_unknown_value_a_control_does_not_read_hides_nothing() {
    let all = verdicts(&[]);
    // No bucket policy: NON_COMPLIANT whatever the versioning status is.
    assert_eq!(of(&all, "S3.5").1, "NON_COMPLIANT");
    // A key made in the stack: its ARN is unknown, but it is a key ARN all the same.
    assert_eq!(of(&all, "S3.17").1, "COMPLIANT");
}

#[test]
fn a_parameter_given_decides_the_verdict() {
    let enabled = verdicts(&["--parameter", "VersioningStatus=Enabled"]);
    assert_eq!(of(&enabled, "S3.14").1, "COMPLIANT");
    let suspended = verdicts(&["--parameter", "VersioningStatus=Suspended"]);
    assert_eq!(of(&suspended, "S3.14").1, "NON_COMPLIANT");
    let refused = regent(&[
        "eval",
        TEMPLATE,
        "--parameter",
        "VersioningStatus=Sometimes",
    ]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(
        refused.stderr.contains("template::parameter"),
        "{}",
        refused.stderr
    );
}

#[test]
fn templates_that_reuse_logical_ids_are_different_resources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(common::root().join(TEMPLATE)).expect("the template");
    common::write(dir.path(), "a/stack.yaml", &text);
    common::write(dir.path(), "b/stack.yaml", &text);
    let run = regent(&[
        "eval",
        &dir.path().display().to_string(),
        "--parameter",
        "VersioningStatus=Enabled",
        "--format",
        "json",
    ]);
    let summary = &json(&run)["summary"];
    // Two buckets and two keys: none supersedes the other template's.
    assert_eq!(summary["items_read"], 4, "{summary}");
    assert_eq!(summary["items_evaluated"], 4, "{summary}");
    assert_eq!(summary["items_skipped"], 0, "{summary}");
}
