//! Every output format, as a sink: a pure function of one small, fixed report, snapshotted.
//! A new format adds one file under src/sink/ and one case here.

mod common;

use regent::diagnostics::{Code, Problem, Skip};
use regent::eval::Compliance;
use regent::model::{Origin, Subject};
use regent::policy::metadata::{Metadata, Remediation};
use regent::policy::{ControlRecord, Severity};
use regent::report::{Parameters, Report, ResolvedRemediation, ResultRow, Summary};
use regent::sink::{self, Filter, Format, View};
use std::collections::BTreeMap;
use std::sync::Arc;

fn control(id: &str, title: &str, severity: Severity, runbook: Option<&str>) -> ControlRecord {
    ControlRecord {
        meta: Metadata {
            id: id.into(),
            title: title.into(),
            description: format!("What {id} checks."),
            severity,
            resource_types: vec!["AWS::S3::Bucket".into()],
            requires: Vec::new(),
            requires_fields: BTreeMap::new(),
            standards: BTreeMap::from([(
                "aws-foundational-security-best-practices/v1.0.0".to_string(),
                vec![id.to_string()],
            )]),
            config_rule: Some("S3_RULE".into()),
            parameters: BTreeMap::new(),
            needs_complete: Default::default(),
            remediation: runbook.map(|runbook| Remediation {
                runbook: Arc::from(runbook),
                parameters: BTreeMap::from([(
                    Arc::from("BucketName"),
                    serde_json::json!("{{resourceName}}"),
                )]),
                automatic: false,
                maximum_automatic_attempts: 5,
                retry_attempt_seconds: 60,
                concurrent_execution_rate_percentage: 10,
                error_percentage: 10,
            }),
        },
        source: format!("policies/s3/{}.rego", id.to_lowercase().replace('.', "_")),
    }
}

fn row(
    control: &ControlRecord,
    id: &str,
    verdict: Compliance,
    annotation: Option<&str>,
) -> ResultRow {
    let text = |s: &str| Arc::<str>::from(s);
    ResultRow {
        control_id: text(&control.meta.id),
        title: text(&control.meta.title),
        severity: control.meta.severity,
        subject: Arc::new(Subject {
            resource_type: text("AWS::S3::Bucket"),
            resource_id: text(id),
            resource_name: Some(text(id)),
            arn: Some(text(&format!("arn:aws:s3:::{id}"))),
            account: text("111122223333"),
            region: text("eu-west-1"),
            capture_time: Some(text("2026-11-01T00:00:00.000Z")),
            state_id: Some(1_792_000_000_000),
            origin: Some(Origin {
                source: text("export/snapshot.json"),
                index: Some(3),
            }),
        }),
        compliance_type: verdict,
        annotation: annotation.map(str::to_string),
        remediation: None,
    }
}

/// Two controls, every verdict, a filled runbook, a problem with a place, a skipped input.
fn report() -> Report {
    let s3_5 = control(
        "S3.5",
        "Buckets should require SSL",
        Severity::Medium,
        Some("AWS-FixSsl"),
    );
    let s3_8 = control(
        "S3.8",
        "Buckets should block \"public\" access",
        Severity::High,
        None,
    );
    let mut failing = row(&s3_5, "logs", Compliance::NonCompliant, Some("no policy"));
    failing.remediation = Some(ResolvedRemediation {
        runbook: Arc::from("AWS-FixSsl"),
        parameters: Parameters::from_sorted(vec![(
            Arc::from("BucketName"),
            serde_json::json!("logs"),
        )]),
    });
    let results = vec![
        row(&s3_5, "data", Compliance::Compliant, None),
        failing,
        row(
            &s3_8,
            "data",
            Compliance::NotApplicable,
            Some("out of the control's scope"),
        ),
        row(
            &s3_8,
            "logs",
            Compliance::Error,
            Some("policies/s3/s3_8.rego:3:1: boom"),
        ),
    ];
    let text = "{\n  \"configurationItems\": [\n    {,}\n  ]\n}\n";
    Report {
        version: "0.0.0-test".into(),
        summary: Summary {
            items_read: 3,
            items_evaluated: 2,
            items_skipped: 0,
            items_failed: 1,
            evaluations: 4,
            compliant: 1,
            non_compliant: 1,
            not_applicable: 1,
            errors: 1,
            inputs_read: 3,
            inputs_skipped: 1,
            inputs_failed: 1,
            skipped_reasons: BTreeMap::from([("not a JSON file".to_string(), 1)]),
        },
        controls: vec![s3_5, s3_8],
        results,
        errors: vec![Problem::new(
            Code::InputInvalidJson,
            "export/broken.json",
            "invalid JSON: expected value",
        )
        .at(text, 3, 6, "expected value")],
        skipped_inputs: vec![Skip {
            source: "export/README.txt".into(),
            reason: "not a JSON file".into(),
        }],
        envelopes: Vec::new(),
        shard: None,
    }
}

/// As a terminal of 100 columns without colour shows it, gated on any failure.
fn view() -> View {
    View {
        width: Some(100),
        fail_on: Some(Severity::Informational),
        ..View::default()
    }
}

fn rendered_with(format: Format, view: &View) -> String {
    let mut out = Vec::new();
    sink::render(format, &report(), view, &mut out).expect("a sink writes to memory");
    String::from_utf8(out).expect("UTF-8 output")
}

fn rendered(format: Format) -> String {
    rendered_with(format, &view())
}

#[test]
fn table() {
    common::settings().bind(|| insta::assert_snapshot!(rendered(Format::Table)));
}

#[test]
fn table_narrow_filtered_in_colour() {
    let narrow = View {
        width: Some(60),
        color: true,
        filter: Filter {
            severities: vec![Severity::Medium],
            ..Filter::default()
        },
        fail_on: Some(Severity::High),
        ..View::default()
    };
    let text = rendered_with(Format::Table, &narrow);
    // Every line fits, colour codes aside.
    let plain = strip_ansi(&text);
    for line in plain.lines() {
        assert!(line.chars().count() <= 60, "{line:?} is wider than 60");
    }
    assert!(
        plain.contains("shown        2 of 4 results: severity medium"),
        "{plain}"
    );
    assert!(
        !plain.contains("S3.8"),
        "the high control is filtered out: {plain}"
    );
    assert!(text.contains("\u{1b}["), "coloured");
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn table_summary_only_and_top() {
    let summary = rendered_with(
        Format::Table,
        &View {
            summary_only: true,
            ..view()
        },
    );
    assert!(summary.starts_with("Summary"), "{summary}");
    let top = rendered_with(
        Format::Table,
        &View {
            top: Some(1),
            ..view()
        },
    );
    assert!(top.contains("… and 1 more failing controls"), "{top}");
    common::settings().bind(|| {
        insta::assert_snapshot!("table_summary_only", summary);
        insta::assert_snapshot!("table_top_1", top);
    });
}

#[test]
fn json_filtered() {
    let filtered = View {
        filter: Filter {
            accounts: vec!["111122223333".into()],
            resource_types: vec!["aws::s3::bucket".into()],
            severities: vec![Severity::High],
            ..Filter::default()
        },
        ..View::default()
    };
    let text = rendered_with(Format::Json, &filtered);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(parsed["results"].as_array().map(Vec::len), Some(2));
    assert_eq!(parsed["shown"]["results"], 2);
    assert_eq!(parsed["shown"]["filter"]["severities"][0], "high");
    // The summary is the run's, whatever is shown.
    assert_eq!(parsed["summary"]["evaluations"], 4);
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn json() {
    let text = rendered(Format::Json);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("the JSON sink writes JSON");
    assert_eq!(parsed["results"].as_array().map(Vec::len), Some(4));
    assert_eq!(parsed["controls"][1]["id"], "S3.8");
    assert_eq!(parsed["results"][1]["source"], "export/snapshot.json#3");
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn asff() {
    let text = rendered(Format::Asff { passed: false });
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("the ASFF sink writes JSON");
    // The NON_COMPLIANT result only: ERROR and NOT_APPLICABLE results are no findings.
    assert_eq!(parsed.as_array().map(Vec::len), Some(1));
    let finding = &parsed[0];
    assert_eq!(finding["Id"], "regent/S3.5/arn:aws:s3:::logs");
    assert_eq!(finding["Compliance"]["Status"], "FAILED");
    assert_eq!(finding["CreatedAt"], "2026-11-01T00:00:00.000Z");
    assert_eq!(finding["Resources"][0]["Type"], "AwsS3Bucket");
    assert_eq!(finding["ProductFields"]["regent/Runbook"], "AWS-FixSsl");
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn asff_with_passed_findings() {
    let text = rendered(Format::Asff { passed: true });
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let statuses: Vec<&str> = parsed
        .as_array()
        .expect("an array")
        .iter()
        .map(|f| f["Compliance"]["Status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["PASSED", "FAILED"]);
    assert_eq!(parsed[0]["Severity"]["Label"], "INFORMATIONAL");
    assert_eq!(parsed[0]["Severity"]["Original"], "medium");
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn put_evaluations() {
    let text = rendered(Format::PutEvaluations);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let entries = parsed.as_array().expect("an array");
    // S3.5 judged both buckets; S3.8's ERROR is not sent, its NOT_APPLICABLE is.
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["config_rule"], "S3.5");
    let s3_5 = &entries[0]["request"]["Evaluations"];
    assert_eq!(s3_5[1]["ComplianceType"], "NON_COMPLIANT");
    assert_eq!(s3_5[1]["Annotation"], "no policy");
    assert_eq!(
        entries[1]["request"]["Evaluations"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(entries[1]["request"]["ResultToken"], "<RESULT_TOKEN>");
    common::settings().bind(|| insta::assert_snapshot!(text));
}
