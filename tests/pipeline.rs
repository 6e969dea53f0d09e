//! The library's one entry point, as every door calls it: entries from any source (here
//! documents in memory named as S3 objects, a Lambda event, files), one report.

mod common;

use regent::diagnostics::{Code, Problem, Skip};
use regent::pipeline::{self, Options, Quiet};
use regent::policy::Pack;
use regent::report::Report;
use regent::source::{Document, Entry};
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::load(true, &[]))
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(common::root().join(path)).expect("a fixture of the repository")
}

fn run(entries: Vec<Entry>) -> Report {
    pipeline::run(pack(), entries.into_iter(), &Options::default(), &Quiet).report
}

#[test]
fn a_document_from_anywhere_is_named_by_its_origin() {
    let bytes = fixture("fixtures/_loader/snapshot_file.json");
    let from_s3 = run(vec![Entry::Document(Document::from_bytes(
        "s3://audit-bucket/AWSLogs/111122223333/Config/eu-west-1/2026/11/1/ConfigSnapshot/x.json",
        bytes.clone(),
    ))]);
    let from_file = run(vec![Entry::Document(regent::source::fs::file(
        common::root().join("fixtures/_loader/snapshot_file.json"),
    ))]);
    assert!(from_s3.summary.evaluations > 0);
    // The same verdicts whichever door the bytes came through; only the origin differs.
    let verdicts = |report: &Report| -> Vec<(String, String, &'static str)> {
        report
            .results
            .iter()
            .map(|r| {
                (
                    r.control_id.to_string(),
                    r.subject.resource_id.to_string(),
                    r.compliance_type.as_str(),
                )
            })
            .collect()
    };
    assert_eq!(verdicts(&from_s3), verdicts(&from_file));
    let item_row = from_s3
        .results
        .iter()
        .find(|r| r.subject.origin.is_some())
        .expect("a result about an item");
    let source = item_row
        .subject
        .origin
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        source.starts_with("s3://audit-bucket/AWSLogs/111122223333/") && source.contains(".json#"),
        "{source}"
    );
    assert!(
        item_row.subject.capture_time.is_some(),
        "the capture time is carried"
    );
}

#[test]
fn a_custom_rule_event_keeps_what_its_envelope_carries() {
    let report = run(vec![Entry::Document(Document::from_bytes(
        "event.json",
        fixture("fixtures/_loader/lambda_event.json"),
    ))]);
    let [envelope] = report.envelopes.as_slice() else {
        panic!("one envelope: {:?}", report.envelopes);
    };
    assert_eq!(envelope.source.as_ref(), "event.json");
    assert_eq!(
        envelope.result_token.as_ref().map(|t| t.expose()),
        Some("TESTMODE")
    );
    assert!(envelope
        .result_token
        .as_ref()
        .is_some_and(|t| t.is_test_mode()));
    assert_eq!(envelope.config_rule_name.as_deref(), Some("regent-ec2"));
    assert_eq!(
        envelope.config_rule_arn.as_deref(),
        Some("arn:aws:config:eu-west-1:111122223333:config-rule/config-rule-abc123")
    );
    assert_eq!(envelope.account_id.as_deref(), Some("111122223333"));
    assert_eq!(envelope.event_left_scope, Some(false));
    assert_eq!(envelope.rule_parameters, Some(serde_json::json!({})));
    assert_eq!(
        envelope.message_type.as_deref(),
        Some("ConfigurationItemChangeNotification")
    );
    assert_eq!(
        envelope.notification_creation_time.as_deref(),
        Some("2026-10-30T08:15:03.000Z")
    );
    // The item is evaluated, with its state id for AWS Config's OrderingTimestamp.
    let row = report
        .results
        .iter()
        .find(|r| r.subject.resource_id.as_ref() == "sg-0a1b2c3d4e5f60718")
        .expect("the event's item is judged");
    assert_eq!(row.subject.state_id, Some(1_761_812_102_311));
    assert_eq!(
        row.subject.capture_time.as_deref(),
        Some("2026-10-30T08:15:02.311Z")
    );
    // Nothing the report renders holds the token.
    let mut json = Vec::new();
    let view = regent::sink::View::default();
    regent::sink::render(regent::sink::Format::Json, &report, &view, &mut json).expect("renders");
    let debug = format!("{report:?}");
    assert!(!String::from_utf8_lossy(&json).contains("TESTMODE"));
    assert!(!debug.contains("TESTMODE"), "Debug redacts the token");
}

#[test]
fn a_periodic_event_carries_its_time_and_parameters_and_no_item() {
    let event = serde_json::json!({
        "invokingEvent": "{\"awsAccountId\":\"111122223333\",\"notificationCreationTime\":\"2026-11-30T21:50:00.373Z\",\"messageType\":\"ScheduledNotification\",\"recordVersion\":\"1.0\"}",
        "ruleParameters": "{\"controls\":\"S3.5,S3.8\"}",
        "resultToken": "a-token-that-must-not-leak",
        "eventLeftScope": false,
        "configRuleName": "regent-periodic",
        "accountId": "111122223333",
        "version": "1.0"
    });
    let report = run(vec![Entry::Document(Document::from_bytes(
        "periodic.json",
        event.to_string().into_bytes(),
    ))]);
    assert_eq!(report.summary.items_read, 0);
    assert_eq!(
        report.summary.inputs_skipped, 1,
        "{:?}",
        report.skipped_inputs
    );
    let envelope = &report.envelopes[0];
    assert_eq!(
        envelope.message_type.as_deref(),
        Some("ScheduledNotification")
    );
    assert_eq!(
        envelope.notification_creation_time.as_deref(),
        Some("2026-11-30T21:50:00.373Z")
    );
    assert_eq!(
        envelope.rule_parameters,
        Some(serde_json::json!({"controls": "S3.5,S3.8"}))
    );
    // Without `require_items`, an event without items is not an error (a handler's case).
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

#[test]
fn every_entry_is_accounted_for() {
    let report = run(vec![
        Entry::Ignored(Skip {
            source: "export/README.txt".into(),
            reason: "not a JSON file".into(),
        }),
        Entry::Failed(Problem::new(
            Code::InputNotFound,
            "export/missing",
            "no such file",
        )),
        Entry::Document(Document::from_bytes(
            "history.json",
            fixture("fixtures/_loader/history_file.json"),
        )),
        Entry::Document(Document::from_bytes(
            "broken.json",
            b"{\"configurationItems\": [".to_vec(),
        )),
    ]);
    let s = &report.summary;
    assert_eq!(s.inputs_read, 4);
    assert_eq!(s.inputs_skipped, 1);
    assert_eq!(s.inputs_failed, 2);
    assert!(s.items_read > 0);
    assert_eq!(
        s.items_read,
        s.items_evaluated + s.items_skipped + s.items_failed
    );
    let codes: Vec<&str> = report.errors.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["input::not_found", "input::invalid_json"]);
}

#[test]
fn require_items_fails_a_run_that_read_no_item() {
    let options = Options {
        require_items: Some("empty/".into()),
        ..Options::default()
    };
    let report = pipeline::run(pack(), std::iter::empty(), &options, &Quiet).report;
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].code, Code::InputEmpty);
    assert_eq!(report.errors[0].source, "empty/");
}
