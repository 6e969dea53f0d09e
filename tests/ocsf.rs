//! `regent eval --format ocsf` through the real binary: an OCSF 1.3.0 Compliance Finding
//! (class 2003) per COMPLIANT, NON_COMPLIANT and ERROR result, agreeing with the JSON
//! report of the same run, and valid against tests/data/ocsf-compliance-finding.schema.json
//! (the class's required attributes and enums, written from the OCSF documentation),
//! checked with Python's jsonschema, which `.ci/run` installs into its venv.

mod common;

use common::tools::venv_bin;
use common::{json, regent, write, Run};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A control that fails at run time on every bucket (its name is no number), and one that
/// passes or fails on a tag.
const RUNTIME_ERROR: &str = r#"package regent.acme_2

metadata := {"id": "ACME.2", "title": "Errors at run time", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

violation contains "bad" if to_number(input.resourceName) > 1
"#;

const OWNER_TAG: &str = r#"package regent.acme_1

metadata := {
	"id": "ACME.1",
	"title": "Buckets carry an owner tag",
	"severity": "critical",
	"resource_types": ["AWS::S3::Bucket"],
	"standards": {"custom/v1": ["1.1"]},
}

violation contains "no owner tag" if not input.tags.owner
"#;

fn ocsf(args: &[&str]) -> (Run, Vec<Value>) {
    let mut all = args.to_vec();
    all.extend(["--format", "ocsf"]);
    let run = regent(&all);
    let events = match json(&run) {
        Value::Array(events) => events,
        other => panic!("an array of events, not {other}"),
    };
    (run, events)
}

/// The pack and two buckets (one with an owner tag) in `dir`; the arguments that evaluate
/// them.
fn custom_run(dir: &Path) -> Vec<String> {
    write(dir, "pack/acme/acme_1.rego", OWNER_TAG);
    write(dir, "pack/acme/acme_2.rego", RUNTIME_ERROR);
    let item: Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("fixtures/S3.5/non_compliant/no_bucket_policy.json"),
        )
        .expect("the fixture reads"),
    )
    .expect("the fixture is JSON");
    let lines: Vec<String> = ["owned", "</script>"]
        .iter()
        .map(|name| {
            let mut item = item.clone();
            item["resourceId"] = (*name).into();
            item["resourceName"] = (*name).into();
            if *name == "owned" {
                item["tags"] = serde_json::json!({"owner": "team-a"});
            }
            item.to_string()
        })
        .collect();
    write(dir, "input/items.ndjson", lines.join("\n") + "\n");
    let path = |p: &str| dir.join(p).to_string_lossy().into_owned();
    vec![
        "eval".into(),
        "--no-builtin".into(),
        "--policies".into(),
        path("pack"),
        path("input"),
    ]
}

#[test]
fn the_demo_as_ocsf_agrees_with_its_json_report() {
    let (run, events) = ocsf(&["eval", "fixtures/demo"]);
    assert_eq!(run.code, 1, "the demo has findings: {}", run.stderr);
    let report = json(&regent(&["eval", "fixtures/demo", "--format", "json"]));
    let results: Vec<&Value> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["compliance_type"] != "NOT_APPLICABLE")
        .collect();
    assert_eq!(
        events.len(),
        results.len(),
        "an event per result but NOT_APPLICABLE"
    );
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for (event, result) in events.iter().zip(&results) {
        assert_eq!(event["compliance"]["control"], result["control_id"]);
        assert_eq!(
            event["unmapped"]["compliance_type"],
            result["compliance_type"]
        );
        assert_eq!(event["cloud"]["account"]["uid"], result["aws_account_id"]);
        assert_eq!(event["cloud"]["region"], result["aws_region"]);
        assert_eq!(event["resources"][0]["type"], result["resource_type"]);
        let uid = event["resources"][0]["uid"].as_str().unwrap();
        match result["arn"].as_str() {
            Some(arn) => assert_eq!(uid, arn),
            None if result["resource_type"] == "AWS::::Account" => {
                assert!(uid.starts_with("AWS::::Account:"), "{uid}")
            }
            None => assert_eq!(uid, result["resource_id"].as_str().unwrap()),
        }
        let failed = result["compliance_type"] == "NON_COMPLIANT";
        let expected = match result["severity"].as_str().unwrap() {
            _ if !failed && result["compliance_type"] == "COMPLIANT" => 1,
            "informational" => 1,
            "low" => 2,
            "medium" => 3,
            "high" => 4,
            "critical" => 5,
            other => panic!("unknown severity {other}"),
        };
        assert_eq!(event["severity_id"], expected, "{event}");
        assert!(event["time"].as_i64().unwrap() > 0, "a capture time");
        *statuses
            .entry(event["compliance"]["status"].as_str().unwrap().into())
            .or_default() += 1;
    }
    let summary = &report["summary"];
    assert_eq!(
        statuses.get("Fail").copied().unwrap_or(0) as u64,
        summary["non_compliant"]
    );
    assert_eq!(
        statuses.get("Pass").copied().unwrap_or(0) as u64,
        summary["compliant"]
    );
    // A finding's uid is its control's and resource's: unique in one run.
    let mut uids: Vec<&str> = events
        .iter()
        .map(|e| e["finding_info"]["uid"].as_str().unwrap())
        .collect();
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), events.len());
    // The same report gives the same bytes.
    assert_eq!(run.stdout, ocsf(&["eval", "fixtures/demo"]).0.stdout);
}

#[test]
fn a_filtered_view_gives_the_events_it_shows() {
    let (run, events) = ocsf(&["eval", "fixtures/demo", "--severity", "critical"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!events.is_empty());
    for event in &events {
        assert_eq!(event["unmapped"]["control_severity"], "critical");
    }
}

#[test]
fn errors_are_warnings_and_custom_standards_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let args = custom_run(dir.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (run, events) = ocsf(&args);
    assert_eq!(run.code, 2, "{}", run.transcript());
    let of = |control: &str, status: &str| {
        events
            .iter()
            .filter(|e| {
                e["compliance"]["control"] == control && e["compliance"]["status"] == status
            })
            .count()
    };
    assert_eq!((of("ACME.1", "Pass"), of("ACME.1", "Fail")), (1, 1));
    assert_eq!(of("ACME.2", "Warning"), 2, "an ERROR result per bucket");
    let failing = events
        .iter()
        .find(|e| e["compliance"]["status"] == "Fail")
        .unwrap();
    assert_eq!(failing["severity_id"], 5);
    assert_eq!(failing["compliance"]["standards"][0], "custom/v1");
    assert_eq!(failing["compliance"]["requirements"][0], "custom/v1 1.1");
    assert_eq!(failing["compliance"]["status_detail"], "no owner tag");
    assert_eq!(failing["resources"][0]["name"], "</script>");
    let warning = events
        .iter()
        .find(|e| e["compliance"]["status"] == "Warning")
        .unwrap();
    assert!(
        warning["compliance"]["status_detail"].is_string(),
        "{warning}"
    );
}

/// Python with jsonschema: the venv's `.ci/run` makes, else `python3` on `PATH`; `None`
/// with a notice when neither has it (a failure with `REGENT_REQUIRE_TOOLS=1`).
fn python_with_jsonschema(test: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("python3"))
        .find(|p| p.is_file());
    let found = [venv_bin().join("python3"), venv_bin().join("python")]
        .into_iter()
        .chain(on_path)
        .filter(|p| p.is_file())
        .find(|p| {
            Command::new(p)
                .args(["-c", "import jsonschema"])
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_some() {
        return found;
    }
    if std::env::var_os("REGENT_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{test}: Python's `jsonschema` is required (REGENT_REQUIRE_TOOLS=1) but not installed; .ci/run installs it");
    }
    let notice = format!(
        "notice: {test} skipped: Python's `jsonschema` is not installed (bash .ci/run installs it; set REGENT_REQUIRE_TOOLS=1 to make this a failure)\n"
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
    None
}

/// Makes an event invalid.
type Breaks = fn(&mut Value);

/// Checks the file against the schema (draft 2020-12): prints each error, exits 1 on any.
const VALIDATE: &str = r#"
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
instance = json.load(open(sys.argv[2]))
errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print("/".join(str(p) for p in e.absolute_path), ":", e.message)
sys.exit(1 if errors else 0)
"#;

fn validate(python: &Path, events: &str, name: &str, dir: &Path) -> (bool, String) {
    let file = write(dir, name, events);
    let output = Command::new(python)
        .args(["-c", VALIDATE])
        .arg(common::root().join("tests/data/ocsf-compliance-finding.schema.json"))
        .arg(&file)
        .output()
        .expect("python runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[test]
fn ocsf_is_valid_against_the_compliance_finding_schema() {
    let test = "ocsf_is_valid_against_the_compliance_finding_schema";
    let Some(python) = python_with_jsonschema(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (demo, events) = ocsf(&["eval", "fixtures/demo"]);
    assert!(!events.is_empty());
    let args = custom_run(dir.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (custom, _) = ocsf(&args);
    for (name, run) in [("demo.json", &demo), ("custom.json", &custom)] {
        let (valid, said) = validate(&python, &run.stdout, name, dir.path());
        assert!(valid, "{name} is refused by the schema: {said}");
    }
    // The schema bites: an event without its compliance object, or whose type_uid is not
    // class_uid * 100 + activity_id, or whose compliance status has the wrong caption.
    let broken: [(&str, Breaks); 3] = [
        ("no compliance", |e| {
            e.as_object_mut().unwrap().remove("compliance");
        }),
        ("wrong type_uid", |e| e["type_uid"] = 200_302.into()),
        ("wrong caption", |e| {
            e["compliance"]["status"] = "Pass".into()
        }),
    ];
    for (what, break_it) in broken {
        let mut event = events
            .iter()
            .find(|e| e["compliance"]["status"] == "Fail")
            .unwrap()
            .clone();
        break_it(&mut event);
        let text = serde_json::to_string(&[event]).unwrap();
        let (valid, said) = validate(&python, &text, "broken.json", dir.path());
        assert!(!valid, "the schema accepts an event with {what}: {said}");
    }
}
