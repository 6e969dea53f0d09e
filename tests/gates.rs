//! Pipeline gates: waivers (expiry at --as-of, shown as waived in every format, their fate
//! reported), baselines (--baseline, regent diff) and the exit code over both, through
//! the real CLI on the bundled demo export.

mod common;

use common::{json, regent, write};

/// `regent eval` with these arguments.
fn eval(args: &[&str]) -> common::Run {
    regent(&[&["eval"][..], args].concat())
}
use serde_json::Value;

const DEMO: &str = "fixtures/demo";

fn waivers(dir: &std::path::Path, expires: &str) -> String {
    let text = format!(
        "[[waivers]]\ncontrol = \"S3.5\"\nresource = \"*\"\nreason = \"TLS-only clients after the Q1 migration\"\nowner = \"platform@example.com\"\nexpires = {expires}\n\n[[waivers]]\ncontrol = \"S3.5\"\nresource = \"no-such-bucket-*\"\nreason = \"never matches\"\nowner = \"nobody@example.com\"\nexpires = 2099-01-01\n"
    );
    write(dir, "waivers.toml", text).display().to_string()
}

fn rows<'a>(report: &'a Value, control: &str) -> Vec<&'a Value> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["control_id"] == control && r["compliance_type"] == "NON_COMPLIANT")
        .collect()
}

#[test]
fn a_waiver_in_force_covers_its_findings_in_every_format_and_they_do_not_fail_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = waivers(dir.path(), "2027-03-31");
    let base = [
        DEMO,
        "--control",
        "S3.5",
        "--waivers",
        &file,
        "--as-of",
        "2027-03-31",
    ];
    let run = eval(&[&base[..], &["--format", "json"]].concat());
    assert_eq!(run.code, 0, "every finding is waived:\n{}", run.stderr);
    let report = json(&run);
    let failing = rows(&report, "S3.5");
    assert!(!failing.is_empty(), "the demo has S3.5 findings");
    for row in &failing {
        assert_eq!(row["waiver"]["owner"], "platform@example.com", "{row}");
        assert_eq!(row["waiver"]["expires"], "2027-03-31");
    }
    assert_eq!(report["summary"]["waived"], failing.len());
    let fates: Vec<(&str, &str)> = report["waivers"]
        .as_array()
        .expect("the waivers' fates")
        .iter()
        .map(|w| (w["source"].as_str().unwrap(), w["status"].as_str().unwrap()))
        .collect();
    assert!(
        fates[0].1 == "applied" && fates[1].1 == "unmatched",
        "{fates:?}"
    );

    let sarif: Value =
        serde_json::from_str(&eval(&[&base[..], &["--format", "sarif"]].concat()).stdout)
            .expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), failing.len());
    for result in results {
        let suppression = &result["suppressions"][0];
        assert_eq!(suppression["kind"], "external", "{result}");
        assert_eq!(suppression["status"], "accepted");
        assert!(suppression["justification"]
            .as_str()
            .unwrap()
            .contains("platform@example.com"));
    }
    let junit = eval(&[&base[..], &["--format", "junit"]].concat()).stdout;
    assert!(junit.contains("failures=\"0\""), "{junit}");
    assert!(
        junit.contains("<skipped message=\"waived until 2027-03-31 by platform@example.com"),
        "{junit}"
    );
    let asff: Value =
        serde_json::from_str(&eval(&[&base[..], &["--format", "asff"]].concat()).stdout)
            .expect("ASFF");
    let findings = asff.as_array().expect("findings");
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|f| f["Workflow"]["Status"] == "SUPPRESSED"),
        "{asff}"
    );
    let table = eval(&base).stdout;
    assert!(table.contains("waived       "), "{table}");
    assert!(table.contains("matched nothing: "), "{table}");
    assert!(table.contains("PASSED"), "{table}");
}

#[test]
fn an_expired_waiver_stops_applying_and_says_so_and_the_report_does_not_depend_on_the_clock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = waivers(dir.path(), "2026-12-31");
    // The last day is still in force; the next second is not.
    let on_the_day = eval(&[
        DEMO,
        "--control",
        "S3.5",
        "--waivers",
        &file,
        "--as-of",
        "2026-12-31T23:59:59Z",
    ]);
    assert_eq!(on_the_day.code, 0, "{}", on_the_day.stdout);
    let args = [
        DEMO,
        "--control",
        "S3.5",
        "--waivers",
        &file,
        "--as-of",
        "2027-01-01T00:00:00Z",
        "--format",
        "json",
    ];
    let after = eval(&args);
    assert_eq!(after.code, 1, "the findings fail again:\n{}", after.stderr);
    let report = json(&after);
    assert!(rows(&report, "S3.5")
        .iter()
        .all(|r| r.get("waiver").is_none()));
    assert_eq!(report["summary"]["waived"], 0);
    assert_eq!(report["waivers"][0]["status"], "expired");
    assert_eq!(after.stdout, eval(&args).stdout, "byte-identical reports");
}

#[test]
fn a_waiver_by_tag_covers_only_the_resources_that_carry_the_tag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bucket = |name: &str, env: &str| {
        format!(
            r#"{{"resourceType":"AWS::S3::Bucket","resourceId":"{name}","resourceName":"{name}","awsAccountId":"111122223333","awsRegion":"eu-west-1","configurationItemCaptureTime":"2026-11-01T00:00:00.000Z","configurationItemStatus":"OK","configuration":{{"name":"{name}"}},"supplementaryConfiguration":{{}},"tags":{{"Environment":"{env}"}}}}"#
        )
    };
    let items = write(
        dir.path(),
        "items.ndjson",
        format!(
            "{}\n{}\n",
            bucket("sandbox-a", "sandbox"),
            bucket("prod-a", "production")
        ),
    );
    let file = write(
        dir.path(),
        "w.toml",
        "[[waivers]]\ncontrol = \"S3.5\"\ntags = { Environment = \"sand*\" }\nreason = \"sandbox\"\nowner = \"o\"\nexpires = 2099-01-01\n",
    );
    let run = eval(&[
        &items.display().to_string(),
        "--control",
        "S3.5",
        "--waivers",
        &file.display().to_string(),
        "--format",
        "json",
    ]);
    let report = json(&run);
    let failing = rows(&report, "S3.5");
    let waived: Vec<&str> = failing
        .iter()
        .filter(|r| r.get("waiver").is_some())
        .map(|r| r["resource_id"].as_str().unwrap())
        .collect();
    assert_eq!(waived, ["sandbox-a"], "{}", run.stdout);
    assert_eq!(run.code, 1, "prod-a still fails");
}

#[test]
fn waivers_that_cannot_be_read_stop_the_run_with_every_problem_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "w.toml",
        "[[waivers]]\ncontrol = \"S3.55\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2099-01-01\n\n[[waivers]]\ncontrol = \"S3.5\"\nowner = \"o\"\n",
    );
    let run = eval(&[DEMO, "--waivers", &file.display().to_string()]);
    assert_eq!(run.code, 2);
    let stderr = common::flat(&run.stderr);
    assert!(stderr.contains("unknown control `S3.55`"), "{stderr}");
    assert!(stderr.contains("`reason` is required"), "{stderr}");
    assert!(stderr.contains("`expires` is required"), "{stderr}");
}

#[test]
fn waivers_need_a_time_to_judge_expiry_by() {
    let dir = tempfile::tempdir().expect("temp dir");
    let item = write(
        dir.path(),
        "item.json",
        r#"{"resourceType":"AWS::S3::Bucket","resourceId":"b","awsAccountId":"111122223333","awsRegion":"eu-west-1","configurationItemStatus":"OK","configuration":{"name":"b"},"supplementaryConfiguration":{}}"#,
    );
    let file = waivers(dir.path(), "2099-01-01");
    let item = item.display().to_string();
    let run = eval(&[&item, "--control", "S3.5", "--waivers", &file]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("waiver::no_time"), "{}", run.stderr);
    let run = eval(&[
        &item,
        "--control",
        "S3.5",
        "--waivers",
        &file,
        "--as-of",
        "2026-12-07",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_baseline_fails_only_on_new_findings_and_diff_says_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = eval(&[DEMO, "--format", "json"]);
    let now_path = write(dir.path(), "now.json", &now.stdout);
    let mut report = json(&now);
    // The baseline lacks one finding (new now) and has one the run does not (resolved).
    let results = report["results"].as_array_mut().expect("results");
    let first = results
        .iter()
        .position(|r| r["compliance_type"] == "NON_COMPLIANT")
        .expect("a finding");
    let new_one = results.remove(first);
    let mut gone = new_one.clone();
    gone["resource_id"] = "deleted-since".into();
    results.push(gone);
    let base = write(dir.path(), "base.json", report.to_string());
    let base = base.display().to_string();

    let same = eval(&[
        DEMO,
        "--baseline",
        &now_path.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(same.code, 0, "nothing new:\n{}", same.stderr);
    let summary = &json(&same)["summary"]["baseline"];
    assert_eq!(summary["new"], 0);
    assert_eq!(summary["resolved"], 0);

    let run = eval(&[DEMO, "--baseline", &base, "--format", "json"]);
    assert_eq!(run.code, 1, "one new finding");
    let got = json(&run);
    assert_eq!(got["summary"]["baseline"]["new"], 1);
    assert_eq!(got["summary"]["baseline"]["resolved"], 1);
    assert_eq!(got["resolved"][0]["resource_id"], "deleted-since");
    let new_rows: Vec<&Value> = got["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baseline"] == "new")
        .collect();
    assert_eq!(new_rows.len(), 1);
    assert_eq!(new_rows[0]["control_id"], new_one["control_id"]);
    assert_eq!(new_rows[0]["resource_id"], new_one["resource_id"]);

    // Above the new finding's severity, the gate passes.
    let above = match new_one["severity"].as_str().unwrap() {
        "critical" => None,
        "high" => Some("critical"),
        "medium" => Some("high"),
        _ => Some("medium"),
    };
    if let Some(above) = above {
        let run = eval(&[DEMO, "--baseline", &base, "--fail-on", above]);
        assert_eq!(run.code, 0, "{}", run.stdout);
    }

    let sarif = eval(&[DEMO, "--baseline", &base, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["baselineState"].as_str().expect("a baseline state"))
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);
    assert!(states.iter().all(|s| *s == "new" || *s == "unchanged"));

    let diff = regent(&[
        "diff",
        &base,
        &now_path.display().to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(diff.code, 1);
    let diff = json(&diff);
    assert_eq!(diff["summary"]["new"], 1);
    assert_eq!(diff["summary"]["resolved"], 1);
    assert_eq!(diff["new"][0]["resource_id"], new_one["resource_id"]);
    let md = regent(&[
        "diff",
        &base,
        &now_path.display().to_string(),
        "--format",
        "markdown",
    ]);
    assert!(md.stdout.contains("#### New findings"), "{}", md.stdout);
    let unchanged = regent(&[
        "diff",
        &now_path.display().to_string(),
        &now_path.display().to_string(),
    ]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.stdout);
    assert!(unchanged.stdout.contains("0 findings new"));
    let broken = write(dir.path(), "broken.json", "{\"schema_version\": 1");
    let run = regent(&["diff", &broken.display().to_string(), &base]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("baseline::invalid"), "{}", run.stderr);
}
