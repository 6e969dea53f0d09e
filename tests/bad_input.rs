//! Bad input never panics and never loses the good input: every problem gets a diagnostic
//! naming the file and place, the rest is evaluated, and the exit code is 2.

mod common;

use common::{json, regent, write};
use std::io::Write;

fn good_item() -> String {
    std::fs::read_to_string(common::root().join("fixtures/_loader/bare_item.json")).unwrap()
}

/// A directory with one good file and the given bad ones.
fn dir_with(bad: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", good_item());
    for (name, content) in bad {
        write(dir.path(), name, content);
    }
    dir
}

fn eval_json(dir: &std::path::Path) -> (common::Run, serde_json::Value) {
    let run = regent(&[
        "eval",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--control",
        "S3.5",
    ]);
    let report = json(&run);
    (run, report)
}

fn redact(text: &str, dir: &std::path::Path) -> String {
    text.replace(dir.to_str().unwrap(), "[DIR]")
}

#[test]
fn malformed_json_is_reported_with_line_and_column_and_the_rest_is_evaluated() {
    let dir = dir_with(&[(
        "broken.json",
        b"{\n  \"configurationItems\": [\n    {\"resourceType\": \"AWS::S3::Bucket\",, }\n  ]\n}\n"
            .to_vec(),
    )]);
    let (run, report) = eval_json(dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(report["summary"]["inputs_failed"], 1);
    assert_eq!(
        report["results"].as_array().unwrap().len(),
        1,
        "good.json is still evaluated"
    );
    let error = &report["errors"][0];
    assert_eq!(error["code"], "input::invalid_json");
    assert_eq!(error["line"], 3);
    assert!(error["source"].as_str().unwrap().ends_with("broken.json"));
    common::settings().bind(|| insta::assert_snapshot!(redact(&run.stderr, dir.path())));
}

#[test]
fn truncated_gzip_is_reported() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(good_item().repeat(20).as_bytes())
        .unwrap();
    let mut bytes = encoder.finish().unwrap();
    bytes.truncate(bytes.len() / 2);
    let dir = dir_with(&[("cut.json.gz", bytes)]);
    let (run, report) = eval_json(dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(report["errors"][0]["code"], "input::gzip");
    assert_eq!(report["results"].as_array().unwrap().len(), 1);
    common::settings().bind(|| insta::assert_snapshot!(redact(&run.stderr, dir.path())));
}

#[test]
fn items_of_the_wrong_shape_fail_alone() {
    let good: serde_json::Value = serde_json::from_str(&good_item()).unwrap();
    let mut wrong_type = good.clone();
    wrong_type["resourceType"] = serde_json::json!(42);
    let mut wrong_configuration = good.clone();
    wrong_configuration["resourceId"] = serde_json::json!("other-bucket");
    wrong_configuration["configuration"] = serde_json::json!([1, 2]);
    let mut fine = good.clone();
    fine["resourceId"] = serde_json::json!("third-bucket");
    let snapshot = serde_json::json!({"fileVersion": "1.0", "configurationItems": [wrong_type, "not an item", wrong_configuration, fine]});
    let dir = dir_with(&[("mixed.json", serde_json::to_vec(&snapshot).unwrap())]);
    let (run, report) = eval_json(dir.path());
    assert_eq!(run.code, 2);
    let summary = &report["summary"];
    assert_eq!(summary["items_read"], 5);
    assert_eq!(summary["items_failed"], 3);
    assert_eq!(summary["items_evaluated"], 2);
    let codes: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["input::invalid_item"; 3]);
    common::settings().bind(|| insta::assert_snapshot!(redact(&run.stderr, dir.path())));
}

#[test]
fn an_unknown_container_is_reported() {
    let dir = dir_with(&[(
        "other.json",
        br#"{"Reservations": [{"Instances": []}]}"#.to_vec(),
    )]);
    let (run, report) = eval_json(dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(report["errors"][0]["code"], "input::unknown_shape");
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Reservations"));
}

#[test]
fn a_bad_ndjson_line_fails_alone() {
    let item = good_item().replace('\n', "");
    let other = item.replace("audit-logs-111122223333", "second-bucket");
    let ndjson = format!("{item}\n{{\"resourceType\": \n{other}\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "items.ndjson", ndjson);
    let (run, report) = eval_json(dir.path());
    assert_eq!(run.code, 2);
    assert_eq!(report["summary"]["items_read"], 3);
    assert_eq!(report["summary"]["items_failed"], 1);
    assert_eq!(report["results"].as_array().unwrap().len(), 2);
    assert_eq!(report["errors"][0]["line"], 2);
}

#[test]
fn a_missing_path_is_reported_and_the_others_still_run() {
    let run = regent(&[
        "eval",
        "no/such/file.json",
        "fixtures/_loader/bare_item.json",
        "--format",
        "json",
        "--control",
        "S3.5",
    ]);
    assert_eq!(run.code, 2);
    let report = json(&run);
    assert_eq!(report["errors"][0]["code"], "input::not_found");
    assert_eq!(report["results"].as_array().unwrap().len(), 1);
}

#[test]
fn an_empty_file_is_skipped_not_failed() {
    let dir = dir_with(&[("empty.json", Vec::new())]);
    let (run, report) = eval_json(dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(report["summary"]["inputs_skipped"], 1);
}

#[test]
fn inputs_without_any_item_fail_instead_of_passing_a_gate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "not config");
    let run = regent(&["eval", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["errors"][0]["code"], "input::empty");
    assert_eq!(report["summary"]["inputs_skipped"], 1);
}
