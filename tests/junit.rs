//! `regent eval --format junit` and `--format csv` through the real binary: the JUnit XML
//! counts what the JSON report counts and is valid against a JUnit schema (the
//! Jenkins/Ant structure, tests/data/junit.xsd, checked with Python's xmlschema, which
//! `.ci/run` installs); the CSV reads back a row per result shown, formula cells
//! neutralised.

mod common;

use common::tools::tool_or_skip;
use common::{json, regent, write, Run};
use quick_junit::TestSuite;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A control whose reason a spreadsheet would run as a formula, and one that fails at run
/// time on every bucket (its name is no number).
const FORMULA: &str = r#"package regent.acme_1

metadata := {
	"id": "ACME.1",
	"title": "Buckets carry an owner tag",
	"severity": "high",
	"resource_types": ["AWS::S3::Bucket"],
}

violation contains "=HYPERLINK(\"https://example.com\",\"no owner tag\")" if not input.tags.owner
"#;

const RUNTIME_ERROR: &str = r#"package regent.acme_2

metadata := {"id": "ACME.2", "title": "Errors at run time", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

violation contains "bad" if to_number(input.resourceName) > 1
"#;

/// A pack of `FORMULA` and `RUNTIME_ERROR`, two buckets as NDJSON (the first with an owner
/// tag) and a file that is not JSON, in `dir`; the arguments that evaluate them.
fn hostile_run(dir: &Path) -> Vec<String> {
    write(dir, "pack/acme/acme_1.rego", FORMULA);
    write(dir, "pack/acme/acme_2.rego", RUNTIME_ERROR);
    let item: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::root().join("fixtures/S3.5/non_compliant/no_bucket_policy.json"),
        )
        .expect("the fixture reads"),
    )
    .expect("the fixture is JSON");
    let lines: Vec<String> = ["owned", "=evil"]
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
    write(
        dir,
        "input/broken.json",
        "{\"configurationItems\": [{,}]}\n",
    );
    let path = |p: &str| dir.join(p).to_string_lossy().into_owned();
    vec![
        "eval".into(),
        "--no-builtin".into(),
        "--policies".into(),
        path("pack"),
        path("input"),
    ]
}

fn eval(args: &[String], format: &str) -> Run {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--format", format]);
    regent(&all)
}

fn demo(format: &str) -> Run {
    eval(&["eval".into(), "fixtures/demo".into()], format)
}

fn parse(run: &Run) -> quick_junit::Report {
    quick_junit::Report::deserialize_from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("JUnit XML ({e}):\n{}", run.stdout))
}

fn sum(report: &quick_junit::Report, count: fn(&TestSuite) -> usize) -> u64 {
    report.test_suites.iter().map(count).sum::<usize>() as u64
}

/// The JUnit report counts what the JSON report of the same run counts: in total, per
/// control, and the run's problems as errors of a last suite.
fn assert_counts_match(junit: &Run, json_run: &Run) {
    let report = json(json_run);
    let parsed = parse(junit);
    let summary = &report["summary"];
    // The problems that only count a control's ERROR results are not cases of their own.
    let ids: Vec<&str> = report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let problems = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|p| {
            let counts_results = ["eval::runtime", "eval::timeout"]
                .contains(&p["code"].as_str().unwrap())
                && ids.contains(&p["source"].as_str().unwrap());
            !counts_results
        })
        .count() as u64;
    let controls = report["controls"].as_array().expect("controls");
    assert_eq!(
        parsed.test_suites.len(),
        controls.len() + usize::from(problems > 0),
        "a suite per control that ran, and one of the run's problems when there are any"
    );
    assert_eq!(
        sum(&parsed, |s| s.tests),
        summary["evaluations"].as_u64().unwrap() + problems
    );
    assert_eq!(sum(&parsed, |s| s.failures), summary["non_compliant"]);
    assert_eq!(
        sum(&parsed, |s| s.errors),
        summary["errors"].as_u64().unwrap() + problems
    );
    assert_eq!(sum(&parsed, |s| s.skipped), summary["not_applicable"]);
    assert_eq!(parsed.tests as u64, sum(&parsed, |s| s.tests));
    assert_eq!(parsed.failures as u64, sum(&parsed, |s| s.failures));
    assert_eq!(parsed.errors as u64, sum(&parsed, |s| s.errors));
    // Per control: its results in the JSON report, by verdict.
    let mut by_control: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for row in report["results"].as_array().expect("results") {
        *by_control
            .entry(row["control_id"].as_str().unwrap().to_string())
            .or_default()
            .entry(row["compliance_type"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for (suite, control) in parsed.test_suites.iter().zip(controls) {
        let id = control["id"].as_str().unwrap();
        assert!(
            suite.name.starts_with(&format!("{id}: ")),
            "{:?}",
            suite.name
        );
        let verdicts = by_control.remove(id).unwrap_or_default();
        let of = |verdict: &str| verdicts.get(verdict).copied().unwrap_or(0);
        assert_eq!(suite.tests, verdicts.values().sum::<usize>(), "{id}");
        assert_eq!(suite.failures, of("NON_COMPLIANT"), "{id}");
        assert_eq!(suite.errors, of("ERROR"), "{id}");
        assert_eq!(suite.skipped, of("NOT_APPLICABLE"), "{id}");
        for case in &suite.test_cases {
            assert_eq!(case.classname.as_deref(), Some(id));
        }
    }
}

#[test]
fn junit_counts_what_the_json_report_counts() {
    let junit = demo("junit");
    assert_eq!(junit.code, 1, "the demo has findings: {}", junit.stderr);
    assert_counts_match(&junit, &demo("json"));
    // The same report gives the same bytes.
    assert_eq!(junit.stdout, demo("junit").stdout);
}

#[test]
fn junit_of_a_run_with_errors_names_files_lines_and_problems() {
    let dir = tempfile::tempdir().unwrap();
    let args = hostile_run(dir.path());
    let junit = eval(&args, "junit");
    assert_eq!(junit.code, 2, "{}", junit.transcript());
    assert_counts_match(&junit, &eval(&args, "json"));
    let parsed = parse(&junit);
    let acme_1 = &parsed.test_suites[0];
    let failing = acme_1
        .test_cases
        .iter()
        .find(|c| c.name.as_str().starts_with("AWS::S3::Bucket =evil "))
        .expect("the evil bucket's case");
    let items = dir.path().join("input/items.ndjson");
    assert_eq!(
        failing.extra.get("file").map(|f| f.as_str()),
        Some(items.to_string_lossy().as_ref())
    );
    assert_eq!(failing.extra.get("line").map(|l| l.as_str()), Some("2"));
    // ACME.2's two ERROR cases; its eval::runtime problem only counts them.
    assert_eq!(parsed.test_suites[1].errors, 2);
    let problems = parsed.test_suites.last().expect("the problems' suite");
    assert_eq!(problems.name.as_str(), "regent");
    let names: Vec<&str> = problems
        .test_cases
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("input::invalid_json "), "{names:?}");
}

/// `xmlschema-validate` on `xml`: whether the schema accepts it, and what it said.
fn validate(validator: &Path, xml: &str, name: &str, dir: &Path) -> (bool, String) {
    let file = write(dir, name, xml);
    let output = Command::new(validator)
        .arg("--schema")
        .arg(common::root().join("tests/data/junit.xsd"))
        .arg(&file)
        .output()
        .expect("xmlschema-validate runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[test]
fn junit_is_valid_against_the_junit_schema() {
    let test = "junit_is_valid_against_the_junit_schema";
    let Some(validator) = tool_or_skip("xmlschema-validate", test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hostile = eval(&hostile_run(dir.path()), "junit");
    for (name, run) in [("demo.xml", demo("junit")), ("hostile.xml", hostile)] {
        let (valid, said) = validate(&validator, &run.stdout, name, dir.path());
        assert!(valid, "{name} is refused by the schema: {said}");
    }
    // The schema is strict where consumers are: quick-junit's own report puts `skipped` on
    // <testsuites>, which the Jenkins/Ant schema does not allow (regent writes that
    // element itself).
    let mut own = quick_junit::Report::new("x");
    own.add_test_suite(TestSuite::new("s"));
    let (valid, said) = validate(
        &validator,
        &own.to_string().unwrap(),
        "quick-junit.xml",
        dir.path(),
    );
    assert!(!valid, "the schema refuses <testsuites skipped=..>: {said}");
}

fn records(run: &Run) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("an RFC 4180 record"))
        .collect();
    (header, rows)
}

#[test]
fn csv_reads_back_a_row_per_result_shown() {
    let filter = ["--account", "191295367128", "--severity", "high"];
    let run = |format: &str| {
        let mut args = vec!["eval", "fixtures/demo", "--format", format];
        args.extend(filter);
        regent(&args)
    };
    let csv_run = run("csv");
    assert_eq!(csv_run.code, 1, "{}", csv_run.stderr);
    let (header, rows) = records(&csv_run);
    assert_eq!(header, regent::sink::csv::HEADER);
    let report = json(&run("json"));
    let results = report["results"].as_array().expect("results");
    assert_eq!(rows.len(), results.len());
    assert_eq!(report["shown"]["results"].as_u64(), Some(rows.len() as u64));
    assert!(!rows.is_empty());
    for (row, result) in rows.iter().zip(results) {
        assert_eq!(&row[0], result["control_id"].as_str().unwrap());
        assert_eq!(&row[2], result["compliance_type"].as_str().unwrap());
        assert_eq!(&row[4], result["resource_id"].as_str().unwrap());
        assert_eq!(&row[6], "191295367128");
    }
}

#[test]
fn csv_neutralises_formula_cells() {
    let dir = tempfile::tempdir().unwrap();
    let args = hostile_run(dir.path());
    let run = eval(&args, "csv");
    assert_eq!(run.code, 2, "{}", run.transcript());
    let (_, rows) = records(&run);
    let report = json(&eval(&args, "json"));
    assert_eq!(rows.len(), report["results"].as_array().unwrap().len());
    let evil: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[4] == "'=evil").collect();
    assert_eq!(
        evil.len(),
        2,
        "the resource id starting with = on both controls"
    );
    let failing = evil
        .iter()
        .find(|r| &r[0] == "ACME.1")
        .expect("ACME.1 on the evil bucket");
    assert_eq!(&failing[2], "NON_COMPLIANT");
    assert_eq!(&failing[5], "'=evil");
    assert_eq!(
        &failing[9],
        "'=HYPERLINK(\"https://example.com\",\"no owner tag\")"
    );
    assert_eq!(&failing[11], "2", "the NDJSON line");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run as a formula"
            );
        }
    }
}
