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
        waiver: None,
        baseline: None,
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
            waived: None,
            baseline: None,
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
        waivers: Vec::new(),
        resolved: Vec::new(),
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

/// `format` of any report, through `view`.
fn rendered_report(format: Format, report: &Report, view: &View) -> String {
    let mut out = Vec::new();
    sink::render(format, report, view, &mut out).expect("a sink writes to memory");
    String::from_utf8(out).expect("UTF-8 output")
}

#[test]
fn junit() {
    let text = rendered(Format::Junit);
    let parsed =
        quick_junit::Report::deserialize_from_str(&text).expect("the JUnit sink writes JUnit");
    let suites: Vec<(&str, usize, usize, usize, usize)> = parsed
        .test_suites
        .iter()
        .map(|s| (s.name.as_str(), s.tests, s.failures, s.errors, s.skipped))
        .collect();
    // A suite per control that ran, then the run's problems.
    assert_eq!(
        suites,
        [
            ("S3.5: Buckets should require SSL", 2, 1, 0, 0),
            ("S3.8: Buckets should block \"public\" access", 2, 0, 1, 1),
            ("regent", 1, 0, 1, 0),
        ]
    );
    assert!(
        text.contains(r#"<testsuites name="regent" tests="5" failures="1" errors="2">"#),
        "totals, and no `skipped` on <testsuites> (the Jenkins schema has none there): {text}"
    );
    assert!(
        text.contains(r#"classname="S3.5" file="export/snapshot.json""#),
        "{text}"
    );
    assert!(!text.contains("time="), "nothing from the clock: {text}");
    // A severity filter leaves out the suites of the controls it hides.
    let medium = View {
        filter: Filter {
            severities: vec![Severity::Medium],
            ..Filter::default()
        },
        ..view()
    };
    let filtered = rendered_with(Format::Junit, &medium);
    assert!(
        filtered.contains("S3.5: Buckets") && !filtered.contains("S3.8"),
        "{filtered}"
    );
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn csv() {
    let text = rendered(Format::Csv);
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends: {text:?}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<&str> = reader.headers().expect("a header").iter().collect();
    assert_eq!(header, sink::csv::HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV record")).collect();
    assert_eq!(rows.len(), 4, "a row per result");
    assert_eq!(&rows[1][2], "NON_COMPLIANT");
    assert_eq!(&rows[1][9], "no policy");
    assert_eq!((&rows[1][10], &rows[1][11]), ("export/snapshot.json", ""));
    // insta keeps `\n` line ends: the CRLF ones are checked above.
    common::settings().bind(|| insta::assert_snapshot!(text.replace("\r\n", "\n")));
}

#[test]
fn markdown() {
    let text = rendered(Format::Markdown);
    assert!(
        text.starts_with("## ⚠️ regent: ERRORS, the run had 1 problem (details below); exit 2\n"),
        "{text}"
    );
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn markdown_title_says_what_the_tables_closing_line_says() {
    let mut clean = report();
    clean.errors.clear();
    clean.summary.errors = 0;
    clean
        .results
        .retain(|r| r.compliance_type != Compliance::Error);
    let cases = [
        (report(), Some(Severity::Informational)),
        (clean.clone(), Some(Severity::Informational)),
        (clean.clone(), Some(Severity::Medium)),
        (clean.clone(), Some(Severity::High)),
        (clean, None),
    ];
    for (report, fail_on) in cases {
        let view = View { fail_on, ..view() };
        let table = rendered_report(Format::Table, &report, &view);
        let closing = table
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("Result: "))
            .expect("the table's closing line")
            .replace("(details on stderr)", "(details below)");
        let markdown = rendered_report(Format::Markdown, &report, &view);
        let title = markdown.lines().next().unwrap_or_default();
        assert_eq!(
            title.split_once(" regent: ").map(|(_, said)| said),
            Some(closing.as_str()),
            "{title}"
        );
    }
}

#[test]
fn markdown_caps_the_failures_and_escapes_values() {
    let mut big = report();
    let s3_5 = big.controls[0].clone();
    for i in 0..150 {
        big.results.push(row(
            &s3_5,
            &format!("bucket-{i:03}"),
            Compliance::NonCompliant,
            Some("no policy"),
        ));
    }
    big.results[1].annotation = Some("a|b `c` <script>[x](http://e)\nnext".into());
    let text = rendered_report(Format::Markdown, &big, &view());
    let rows = text
        .lines()
        .filter(|l| l.starts_with("| medium | S3.5 "))
        .count();
    assert_eq!(rows, 100, "{text}");
    assert!(
        text.contains(
            "… and 51 more failures (the first 100 are shown; `--format json` has them all)."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "| a\\|b \\`c\\` &lt;script&gt;\\[x\\](http://e)<br>next<br>fix: AWS-FixSsl |"
        ),
        "{text}"
    );
}

#[test]
fn sarif() {
    let text = rendered(Format::Sarif);
    let parsed: serde_json::Value =
        serde_json::from_str(&text).expect("the SARIF sink writes JSON");
    assert_eq!(parsed["version"], "2.1.0");
    let run = &parsed["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 2, "a rule per control that ran");
    assert_eq!(rules[1]["id"], "S3.8");
    assert_eq!(rules[1]["properties"]["security-severity"], "8.0");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
    // The NON_COMPLIANT result only; the ERROR one and the problem are notifications.
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "S3.5");
    assert_eq!(results[0]["ruleIndex"], 0);
    assert_eq!(results[0]["level"], "warning");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "export/snapshot.json"
    );
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn ocsf() {
    let text = rendered(Format::Ocsf);
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("the OCSF sink writes JSON");
    let events = parsed.as_array().expect("an array of events");
    // Pass, Fail and Warning (ERROR); NOT_APPLICABLE has no OCSF compliance status.
    let statuses: Vec<(&str, u64)> = events
        .iter()
        .map(|e| {
            (
                e["compliance"]["status"].as_str().unwrap_or_default(),
                e["compliance"]["status_id"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(statuses, [("Pass", 1), ("Fail", 3), ("Warning", 2)]);
    for event in events {
        assert_eq!(event["class_uid"], 2003);
        assert_eq!(event["category_uid"], 2);
        assert_eq!(event["type_uid"], 200_301);
        assert_eq!(event["metadata"]["version"], "1.3.0");
        // The item's capture time, in milliseconds: never the clock.
        assert_eq!(event["time"], 1_793_491_200_000_i64);
    }
    let failing = &events[1];
    assert_eq!(failing["severity_id"], 3, "medium");
    assert_eq!(events[0]["severity_id"], 1, "a pass is informational");
    assert_eq!(events[2]["severity_id"], 4, "high");
    assert_eq!(
        failing["finding_info"]["uid"],
        "regent/S3.5/arn:aws:s3:::logs"
    );
    assert_eq!(failing["resources"][0]["uid"], "arn:aws:s3:::logs");
    assert_eq!(failing["cloud"]["account"]["uid"], "111122223333");
    assert_eq!(failing["compliance"]["status_detail"], "no policy");
    assert_eq!(
        failing["remediation"]["desc"],
        "Run the SSM Automation runbook AWS-FixSsl with BucketName=logs."
    );
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn html() {
    let text = rendered(Format::Html);
    assert!(
        text.contains(
            "<title>regent: ERRORS, the run had 1 problem (details below); exit 2</title>"
        ),
        "{text}"
    );
    assert_eq!(
        text,
        rendered(Format::Html),
        "the same report, the same bytes"
    );
    common::settings().bind(|| insta::assert_snapshot!(text));
}

#[test]
fn html_escapes_hostile_values() {
    let mut hostile = report();
    let evil = "</script><script>alert(1)</script>";
    let mut subject = (*hostile.results[1].subject).clone();
    subject.resource_id = Arc::from(evil);
    subject.account = Arc::from("<b onmouseover=alert(2)>1</b>");
    subject.region = Arc::from("eu-west-1\" onfocus=\"alert(3)");
    hostile.results[1].subject = Arc::new(subject);
    hostile.results[1].annotation = Some("<img src=x onerror=alert(4)> & <!--".into());
    hostile.controls[0].meta.description = "<iframe src=javascript:alert(5)>".into();
    hostile.errors[0].message = "<svg onload=alert(6)>".into();
    let text = rendered_report(Format::Html, &hostile, &view());
    for raw in [
        "<script>alert",
        "<b onmouseover",
        "\" onfocus=\"",
        "<img src=x",
        "<iframe",
        "<svg onload",
    ] {
        assert!(!text.contains(raw), "{raw} is not escaped");
    }
    assert!(text.contains("&lt;b onmouseover=alert(2)&gt;1&lt;&#x2f;b&gt;"));
    assert!(text.contains("&lt;iframe src=javascript:alert(5)&gt;"));
    // The data block: nothing in it can end it.
    let start = text
        .find(r#"<script type="application/json" id="regent-data">"#)
        .unwrap();
    let end = start + text[start..].find("</script>").unwrap();
    let block = &text[start..end];
    assert!(
        block.contains(r"\u003c/script\u003e\u003cscript\u003ealert(1)"),
        "{block}"
    );
    assert!(block.contains(r"\u003cimg src=x onerror=alert(4)\u003e \u0026 \u003c!--"));
    assert_eq!(
        text.matches("<script").count(),
        2,
        "the data block and the page's script"
    );
}

#[test]
fn html_caps_the_results_it_holds() {
    let mut big = report();
    let s3_5 = big.controls[0].clone();
    let failing = row(&s3_5, "many", Compliance::NonCompliant, Some("no policy"));
    big.results
        .extend(std::iter::repeat_n(failing, sink::html::MAX_ROWS));
    let text = rendered_report(Format::Html, &big, &view());
    let total = sink::html::MAX_ROWS + 4;
    assert!(
        text.contains(&format!(
            "This page holds the first {} of {total} results (failures first)",
            sink::html::MAX_ROWS
        )),
        "the page says it left some out"
    );
    let start = text.find(r#"id="regent-data">"#).unwrap();
    let block = &text[start..start + text[start..].find("</script>").unwrap()];
    assert_eq!(block.matches(r#"["S3."#).count(), sink::html::MAX_ROWS);
    // Failures first: the ERROR, COMPLIANT and NOT_APPLICABLE rows are the ones left out.
    assert_eq!(
        block.matches(r#"["S3.5",2,0,"#).count(),
        sink::html::MAX_ROWS
    );
}
