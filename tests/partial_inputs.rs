//! Absence is judged only from complete evidence (README "Partial inputs"): a snapshot file
//! is a complete record of its account and region, a history file, an API output, a
//! notification or an item alone is not, and a control's verdicts that rest on a resource
//! being absent (`needs_complete`) are NOT_APPLICABLE on a partial input unless the user
//! says it is complete (`assume_complete`, the `--complete` flag).

mod common;

use common::{json, regent, regent_stdin, root, write};
use regent::model::load;
use regent::pipeline::{self, Options, Quiet};
use regent::policy::Pack;
use regent::report::Report;
use regent::source::{fs, Completeness, Entry};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The account-level controls of the pack that look for a resource and fail without it.
const ACCOUNT_LEVEL: [&str; 6] = [
    "CloudTrail.1",
    "CloudTrail.3",
    "Config.1",
    "GuardDuty.1",
    "IAM.18",
    "S3.1",
];

const ACCOUNT: &str = "111122223333";

fn loader_fixture(name: &str) -> PathBuf {
    root().join("fixtures/_loader").join(name)
}

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::load(true, &[]))
}

/// (control, resource id, region) -> (verdict, annotation) of a JSON report.
type Rows = BTreeMap<(String, String, String), (String, String)>;

fn rows(report: &Value) -> Rows {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                (
                    text(&r["control_id"]),
                    text(&r["resource_id"]),
                    text(&r["aws_region"]),
                ),
                (text(&r["compliance_type"]), text(&r["annotation"])),
            )
        })
        .collect()
}

fn library_rows(report: &Report) -> Rows {
    report
        .results
        .iter()
        .map(|r| {
            (
                (
                    r.control_id.to_string(),
                    r.subject.resource_id.to_string(),
                    r.subject.region.to_string(),
                ),
                (
                    r.compliance_type.as_str().to_string(),
                    r.annotation.clone().unwrap_or_default(),
                ),
            )
        })
        .collect()
}

/// The built-in pack over `paths` through the library, each document as `completeness`
/// says, the whole input taken as complete when `assume_complete`.
fn library(paths: &[PathBuf], completeness: Completeness, assume_complete: bool) -> Rows {
    let entries = paths.iter().map(|path| {
        let mut document = fs::file(path.clone());
        document.completeness = completeness;
        Entry::Document(document)
    });
    let options = Options {
        assume_complete,
        ..Options::default()
    };
    let run = pipeline::run(
        pack(),
        entries.collect::<Vec<_>>().into_iter(),
        &options,
        &Quiet,
    );
    assert!(run.report.errors.is_empty(), "{:?}", run.report.errors);
    library_rows(&run.report)
}

fn verdict<'a>(rows: &'a Rows, control: &str, region: &str) -> &'a (String, String) {
    rows.iter()
        .find(|((c, _, r), _)| c == control && r == region)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("a result of {control} in {region}: {rows:#?}"))
}

/// What a verdict withheld for a partial input says it would be on a complete record.
fn judged_as_complete(annotation: &str) -> &str {
    annotation
        .split_once("Judged as complete: ")
        .map(|(_, judged)| judged)
        .unwrap_or_else(|| panic!("the annotation says what the verdict would be: {annotation}"))
}

#[test]
fn one_security_group_from_the_api_proves_no_absence() {
    // The README's own example: one group piped from get-resource-config-history.
    let input =
        std::fs::read(loader_fixture("api_get_resource_config_history.json")).expect("the fixture");
    let run = regent_stdin(&["eval", "-", "--format", "json"], &input);
    // Nothing fails, so the gate passes: the group itself is fine.
    assert_eq!(run.code, 0, "{}", run.stderr);
    let partial = rows(&json(&run));
    let withheld: Vec<&str> = ACCOUNT_LEVEL.iter().copied().chain(["EC2.22"]).collect();
    for control in &withheld {
        let (compliance, annotation) = verdict(&partial, control, "eu-west-1");
        assert_eq!(compliance, "NOT_APPLICABLE", "{control}: {annotation}");
        assert!(
            annotation.starts_with(&format!(
                "partial input: the input is not a complete record of account {ACCOUNT} in eu-west-1"
            )),
            "{control}: {annotation}"
        );
        assert!(
            annotation.contains("--complete"),
            "{control} says how to judge it: {annotation}"
        );
        assert!(
            judged_as_complete(annotation).starts_with("NON_COMPLIANT: "),
            "{control}: {annotation}"
        );
    }
    // IAM.18 reads the account's global record too, which the input does not hold either.
    let (_, iam) = verdict(&partial, "IAM.18", "eu-west-1");
    assert!(
        iam.contains("nor of its global resources (region global)"),
        "{iam}"
    );
    // What the group itself shows is still judged.
    for control in ["EC2.13", "EC2.14", "EC2.19"] {
        assert_eq!(verdict(&partial, control, "eu-west-1").0, "COMPLIANT");
    }
    assert!(
        partial.values().all(|(c, _)| c != "NON_COMPLIANT"),
        "{partial:#?}"
    );

    // Said to be complete (`--complete`): the verdicts the absence gives, as before, and as
    // the withheld annotations said.
    let path = loader_fixture("api_get_resource_config_history.json");
    let complete = library(std::slice::from_ref(&path), Completeness::FromShape, true);
    for control in &withheld {
        let (compliance, annotation) = verdict(&complete, control, "eu-west-1");
        assert_eq!(compliance, "NON_COMPLIANT", "{control}");
        let (_, withheld) = verdict(&partial, control, "eu-west-1");
        assert_eq!(
            judged_as_complete(withheld),
            format!("{compliance}: {annotation}"),
            "{control}"
        );
    }
    assert!(verdict(&complete, "EC2.22", "eu-west-1")
        .1
        .contains("is not attached to any network interface or instance"));
    assert!(verdict(&complete, "GuardDuty.1", "eu-west-1")
        .1
        .starts_with("no GuardDuty detector is recorded"));
    // Only the verdicts that rest on absence changed.
    let library_partial = library(&[path], Completeness::FromShape, false);
    assert_eq!(library_partial, partial, "the binary and the library agree");
    for (key, (compliance, _)) in &complete {
        if !withheld.contains(&key.0.as_str()) {
            assert_eq!(&partial[key].0, compliance, "{key:?}");
        }
    }
}

#[test]
fn a_snapshot_file_is_a_complete_record_of_its_account_and_region() {
    let snapshot = loader_fixture("snapshot_file.json");
    let run = regent(&[
        "eval",
        snapshot.to_str().expect("a UTF-8 path"),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let judged = rows(&json(&run));
    // As before this change: judged as a complete record, the user need not say so.
    let assumed = library(
        std::slice::from_ref(&snapshot),
        Completeness::FromShape,
        true,
    );
    for (key, value) in &assumed {
        if key.0 != "IAM.18" {
            assert_eq!(&judged[key], value, "{key:?}");
        }
    }
    for control in ["CloudTrail.1", "Config.1", "GuardDuty.1", "S3.1", "EC2.22"] {
        assert_eq!(
            verdict(&judged, control, "eu-west-1").0,
            "NON_COMPLIANT",
            "{control}"
        );
    }
    // The snapshot of eu-west-1 holds none of the account's global (IAM) resources: AWS
    // Config records them in one region's snapshot. IAM.18, which reads them, waits for it.
    let (compliance, annotation) = verdict(&judged, "IAM.18", "eu-west-1");
    assert_eq!(compliance, "NOT_APPLICABLE");
    assert!(
        annotation.contains(&format!(
            "not a complete record of account {ACCOUNT}'s global resources (region global), which this control reads"
        )),
        "{annotation}"
    );
    // With the snapshot that holds them, it is judged.
    let with_global = library(
        &[
            snapshot.clone(),
            loader_fixture("iam_role_url_encoded_documents.json"),
        ],
        Completeness::FromShape,
        false,
    );
    let (compliance, annotation) = verdict(&with_global, "IAM.18", "eu-west-1");
    assert_eq!(compliance, "NON_COMPLIANT", "{annotation}");
    assert!(annotation.contains("is not attached to"), "{annotation}");
}

#[test]
fn history_files_api_outputs_notifications_and_items_are_partial() {
    for name in [
        "history_file.json",
        "api_get_resource_config_history.json",
        "api_batch_get_resource_config.json",
        "api_select_resource_config.json",
        "change_notification.json",
        "sns_envelope.json",
        "eventbridge_event.json",
        "lambda_event.json",
        "bare_item.json",
        "array_of_items.json",
        "items.ndjson",
    ] {
        let bytes = std::fs::read(loader_fixture(name)).expect("the fixture");
        let loaded = load::load(name, &bytes, name.ends_with(".ndjson"));
        assert!(!loaded.items.is_empty(), "{name} holds items");
        assert!(
            loaded.items.iter().all(|item| !item.complete_record),
            "{name} is a partial record"
        );
    }
    for name in ["snapshot_file.json", "iam_role_url_encoded_documents.json"] {
        let bytes = std::fs::read(loader_fixture(name)).expect("the fixture");
        let loaded = load::load(name, &bytes, false);
        assert!(
            !loaded.items.is_empty() && loaded.items.iter().all(|item| item.complete_record),
            "{name} is a complete record"
        );
    }
    // A history file is judged as partial.
    let history = library(
        &[loader_fixture("history_file.json")],
        Completeness::FromShape,
        false,
    );
    for control in ACCOUNT_LEVEL {
        let (compliance, annotation) = verdict(&history, control, "eu-west-1");
        assert_eq!(compliance, "NOT_APPLICABLE", "{control}");
        assert!(annotation.starts_with("partial input: "), "{annotation}");
    }
}

#[test]
fn the_documentation_examples_without_a_snapshot_id_are_partial() {
    // The Developer Guide's 2014 "snapshot" example has `fileVersion` and `requestId` but
    // no `configSnapshotId`, exactly as its history example: nothing tells it from a
    // history file, so it is not taken as complete (real snapshot files name their id).
    let Some(dir) = common::shared_or_skip(
        "fixtures-external/_envelopes",
        "the_documentation_examples_without_a_snapshot_id_are_partial",
    ) else {
        return;
    };
    for name in [
        "awsdocs-config-snapshot-file-example.json",
        "awsdocs-config-history-file-example-ebs.json",
    ] {
        let bytes = std::fs::read(dir.join(name)).expect("the example");
        let loaded = load::load(name, &bytes, false);
        assert!(!loaded.items.is_empty(), "{name} holds items");
        assert!(loaded.items.iter().all(|i| !i.complete_record), "{name}");
    }
}

#[test]
fn completeness_is_per_account_and_region_and_a_source_may_vouch_for_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    // A bucket of another region, piped alone beside the eu-west-1 snapshot.
    let bucket = write(
        dir.path(),
        "us-east-1-bucket.json",
        serde_json::json!({
            "configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-30T08:20:44.019Z",
            "configurationStateId": 1761812444019_i64, "awsAccountId": ACCOUNT,
            "configurationItemStatus": "OK", "resourceType": "AWS::S3::Bucket",
            "resourceId": "east-logs", "resourceName": "east-logs", "awsRegion": "us-east-1",
            "configuration": {"name": "east-logs"}, "supplementaryConfiguration": {}, "tags": {},
        })
        .to_string(),
    );
    let snapshot = loader_fixture("snapshot_file.json");
    let both = library(
        &[snapshot.clone(), bucket.clone()],
        Completeness::FromShape,
        false,
    );
    assert_eq!(verdict(&both, "S3.1", "eu-west-1").0, "NON_COMPLIANT");
    let (compliance, annotation) = verdict(&both, "S3.1", "us-east-1");
    assert_eq!(compliance, "NOT_APPLICABLE");
    assert!(
        annotation.contains(&format!("of account {ACCOUNT} in us-east-1 ")),
        "{annotation}"
    );
    // A source that lists every resource of an account and region (a `config://` listing)
    // marks its documents complete, whatever their shape.
    let listed = library(&[bucket], Completeness::Complete, false);
    assert_eq!(verdict(&listed, "S3.1", "us-east-1").0, "NON_COMPLIANT");
    // And `regent test` runs a fixture as partial, a snapshot file too.
    let forced = library(&[snapshot], Completeness::Partial, false);
    assert_eq!(verdict(&forced, "S3.1", "eu-west-1").0, "NOT_APPLICABLE");
}

#[test]
fn a_verdict_of_presence_stands_on_a_partial_input() {
    // ELB.1 needs a complete record to be COMPLIANT (an HTTP listener that does not
    // redirect may be missing) but not to fail: a recorded listener that does not redirect
    // fails it whatever else exists.
    let fixtures = root().join("fixtures/ELB.1");
    let failing = fixtures.join("non_compliant/http_listener_forwards.json");
    let passing = fixtures.join("compliant/http_listener_redirects_to_https.json");
    let rows = library(&[failing], Completeness::Partial, false);
    let elb: Vec<_> = rows.iter().filter(|(k, _)| k.0 == "ELB.1").collect();
    assert!(!elb.is_empty());
    assert!(
        elb.iter().all(|(_, (c, _))| c == "NON_COMPLIANT"),
        "{elb:?}"
    );
    let rows = library(&[passing], Completeness::Partial, false);
    let elb: Vec<_> = rows.iter().filter(|(k, _)| k.0 == "ELB.1").collect();
    assert!(!elb.is_empty());
    for (_, (compliance, annotation)) in elb {
        assert_eq!(compliance, "NOT_APPLICABLE");
        assert!(
            judged_as_complete(annotation) == "COMPLIANT",
            "{annotation}"
        );
    }
}

const ACME_2: &str = r#"package regent.acme_2

metadata := {
	"id": "ACME.2",
	"title": "Every account and region has an SNS topic for alarms",
	"severity": "low",
	"resource_types": ["AWS::::Account"],
	"requires": [{"type": "AWS::SNS::Topic", "fields": []}],
	# Failing rests on no topic being recorded.
	"needs_complete": ["NON_COMPLIANT"],
}

_topics := [t | some id; t := data.inventory["AWS::SNS::Topic"][input.awsAccountId][input.awsRegion][id]]

violation contains "no SNS topic is recorded" if count(_topics) == 0
"#;

fn acme_pack(dir: &Path, metadata_value: &str) -> PathBuf {
    let text = ACME_2.replace(r#"["NON_COMPLIANT"]"#, metadata_value);
    write(dir, "acme/policies/acme/acme_2.rego", text);
    // As a snapshot file: a complete record, and the control fails.
    write(
        dir,
        "acme/fixtures/ACME.2/non_compliant/no_topic_in_the_snapshot.json",
        std::fs::read(loader_fixture("snapshot_file.json")).expect("the fixture"),
    );
    let topic = serde_json::json!({
        "configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-10-30T08:20:44.019Z",
        "awsAccountId": ACCOUNT, "configurationItemStatus": "OK", "resourceType": "AWS::SNS::Topic",
        "resourceId": "arn:aws:sns:eu-west-1:111122223333:alarms", "awsRegion": "eu-west-1",
        "configuration": {"TopicArn": "arn:aws:sns:eu-west-1:111122223333:alarms"},
        "supplementaryConfiguration": {}, "tags": {},
    });
    write(
        dir,
        "acme/fixtures/ACME.2/compliant/a_topic.json",
        topic.to_string(),
    );
    dir.join("acme")
}

#[test]
fn a_users_own_control_declares_it_too() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let acme = acme_pack(dir.path(), r#"["NON_COMPLIANT"]"#);
    let policies = acme.join("policies");
    let policies = policies.to_str().expect("a UTF-8 path");

    // Partial: withheld.
    let input =
        std::fs::read(loader_fixture("api_get_resource_config_history.json")).expect("the fixture");
    let run = regent_stdin(
        &["eval", "-", "--policies", policies, "--format", "json"],
        &input,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    let acme_rows = rows(&report);
    let (compliance, annotation) = verdict(&acme_rows, "ACME.2", "eu-west-1");
    assert_eq!(compliance, "NOT_APPLICABLE");
    assert!(annotation.starts_with("partial input: "), "{annotation}");
    assert_eq!(
        judged_as_complete(annotation),
        "NON_COMPLIANT: no SNS topic is recorded"
    );
    // The report's record of the control says so.
    let record = report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["id"] == "ACME.2")
        .expect("ACME.2 ran");
    assert_eq!(
        record["needs_complete"],
        serde_json::json!(["NON_COMPLIANT"])
    );

    // Complete (a snapshot file): judged.
    let snapshot = loader_fixture("snapshot_file.json");
    let run = regent(&[
        "eval",
        snapshot.to_str().expect("a UTF-8 path"),
        "--policies",
        policies,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        verdict(&rows(&json(&run)), "ACME.2", "eu-west-1"),
        &(
            "NON_COMPLIANT".to_string(),
            "no SNS topic is recorded".to_string()
        )
    );

    // `regent test` judges fixtures as complete records, and runs the non_compliant one
    // again as a partial record, where it must be NOT_APPLICABLE.
    let run = regent(&["test", acme.to_str().expect("a UTF-8 path")]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.trim_end().ends_with("2 passed, 0 failed"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_metadata_key_is_checked() {
    for (value, ok) in [
        ("true", true),
        ("false", true),
        (r#"["COMPLIANT", "NON_COMPLIANT"]"#, true),
        (r#""yes""#, false),
        (r#"["FAILED"]"#, false),
    ] {
        let dir = tempfile::tempdir().expect("a temp dir");
        let acme = acme_pack(dir.path(), value);
        let run = regent(&[
            "explain",
            "ACME.2",
            "--policies",
            acme.join("policies").to_str().expect("a UTF-8 path"),
            "--format",
            "json",
        ]);
        if ok {
            assert_eq!(run.code, 0, "{value}: {}", run.stderr);
            let shown = &json(&run)["needs_complete"];
            let expected = match value {
                "false" => Value::Null,
                "true" => serde_json::json!(["COMPLIANT", "NON_COMPLIANT"]),
                list => serde_json::from_str(list).expect("JSON"),
            };
            assert_eq!(shown, &expected, "{value}");
        } else {
            assert_ne!(run.code, 0, "{value}");
            assert!(
                run.stderr.contains("policy::metadata") && run.stderr.contains("needs_complete"),
                "{value}: {}",
                run.stderr
            );
        }
    }
    // The built-in pack declares it where absence decides.
    let run = regent(&["explain", "EC2.22", "--format", "json"]);
    assert_eq!(
        json(&run)["needs_complete"],
        serde_json::json!(["NON_COMPLIANT"])
    );
}
