//! `--format sarif`: the real CLI on the demo snapshot and on NDJSON, checked against the
//! JSON report of the same run, and every log validated by Microsoft's SARIF Multitool
//! (`.ci/run` installs it from npm; it exits 0 even when the log is invalid, so its own
//! output log is read, and a result of level `error` there fails the test).

mod common;

use regent::diagnostics::{Code, Problem};
use regent::eval::Compliance;
use regent::model::{Origin, Subject};
use regent::policy::metadata::Metadata;
use regent::policy::{ControlRecord, Severity};
use regent::report::{Report, ResultRow, Summary};
use regent::sink::{self, Format, View};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

/// The mapping the README documents.
fn security_severity(severity: &str) -> &'static str {
    match severity {
        "critical" => "9.5",
        "high" => "8.0",
        "medium" => "5.5",
        "low" => "3.0",
        "informational" => "0.0",
        other => panic!("unknown severity {other}"),
    }
}

fn level(severity: &str) -> &'static str {
    match severity {
        "critical" | "high" => "error",
        "medium" => "warning",
        _ => "note",
    }
}

fn parse(text: &str) -> Value {
    // The typed model of SARIF 2.1.0 reads it (enums such as `level` and `kind` checked).
    serde_json::from_str::<serde_sarif::sarif::Sarif>(text)
        .unwrap_or_else(|e| panic!("not SARIF 2.1.0 as serde-sarif reads it: {e}"));
    serde_json::from_str(text).expect("SARIF is JSON")
}

fn run_of(log: &Value) -> &Value {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"]
        .as_str()
        .is_some_and(|s| s.ends_with("sarif-schema-2.1.0.json")));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run");
    &runs[0]
}

fn array(value: &Value) -> &Vec<Value> {
    static EMPTY: Vec<Value> = Vec::new();
    value.as_array().unwrap_or(&EMPTY)
}

/// Every result's rule exists at its ruleIndex.
fn assert_rules_resolve(run: &Value) {
    let rules = array(&run["tool"]["driver"]["rules"]);
    for result in array(&run["results"]) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert!(index < rules.len(), "ruleIndex {index} past the rules");
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
    }
}

#[test]
fn the_demo_as_sarif_agrees_with_its_json_report() {
    let sarif = common::regent(&["eval", "fixtures/demo", "--format", "sarif"]);
    let json = common::regent(&["eval", "fixtures/demo", "--format", "json"]);
    assert_eq!(sarif.code, json.code, "{}", sarif.stderr);
    assert_eq!(sarif.code, 1, "the demo has findings: {}", sarif.stderr);
    let log = parse(&sarif.stdout);
    let run = run_of(&log);
    let report = common::json(&json);

    // A rule per control that ran, in the report's order, with GitHub's properties.
    let rules = array(&run["tool"]["driver"]["rules"]);
    let controls = array(&report["controls"]);
    assert_eq!(rules.len(), controls.len());
    assert_eq!(run["tool"]["driver"]["name"], "regent");
    assert_eq!(run["tool"]["driver"]["version"], report["tool"]["version"]);
    for (rule, control) in rules.iter().zip(controls) {
        assert_eq!(rule["id"], control["id"]);
        assert_eq!(rule["shortDescription"]["text"], control["title"]);
        let severity = control["severity"].as_str().expect("a severity");
        assert_eq!(
            rule["properties"]["security-severity"],
            security_severity(severity),
            "{}",
            rule["id"]
        );
        assert_eq!(rule["defaultConfiguration"]["level"], level(severity));
        let tags = array(&rule["properties"]["tags"]);
        assert_eq!(tags[0], "security");
        for standard in control["standards"].as_object().expect("standards").keys() {
            assert!(
                tags.iter().any(|t| t == standard),
                "{standard} tags {}",
                rule["id"]
            );
        }
        let help = rule["help"]["markdown"].as_str().expect("help in Markdown");
        if let Some(runbook) = control["remediation"]["runbook"].as_str() {
            assert!(
                help.contains(runbook),
                "{} help names {runbook}",
                rule["id"]
            );
        }
    }
    assert_eq!(
        rules
            .iter()
            .find(|r| r["id"] == "S3.5")
            .map(|r| &r["helpUri"]),
        Some(&Value::from(
            "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5"
        ))
    );
    assert_rules_resolve(run);

    // A result per NON_COMPLIANT result, in the same order, each where the JSON says.
    let failing: Vec<&Value> = array(&report["results"])
        .iter()
        .filter(|r| r["compliance_type"] == "NON_COMPLIANT")
        .collect();
    let results = array(&run["results"]);
    assert_eq!(results.len(), failing.len());
    assert!(!results.is_empty());
    let mut fingerprints = HashSet::new();
    let mut account_level = 0;
    for (result, row) in results.iter().zip(&failing) {
        assert_eq!(result["ruleId"], row["control_id"]);
        assert_eq!(result["kind"], "fail");
        let severity = row["severity"].as_str().expect("a severity");
        assert_eq!(result["level"], level(severity));
        assert_eq!(result["properties"]["awsAccountId"], row["aws_account_id"]);
        assert_eq!(result["properties"]["resourceId"], row["resource_id"]);
        let location = &result["locations"][0];
        let logical = &location["logicalLocations"][0];
        assert_eq!(logical["kind"], "resource");
        match row["arn"].as_str() {
            Some(arn) => assert_eq!(logical["fullyQualifiedName"], arn),
            None => assert_eq!(
                logical["fullyQualifiedName"],
                format!(
                    "{}/{}",
                    row["resource_type"].as_str().unwrap_or_default(),
                    row["resource_id"].as_str().unwrap_or_default()
                )
            ),
        }
        let uri = location["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_else(|| panic!("a file location: {result}"));
        match row["source"].as_str() {
            // `file#index`: the file.
            Some(source) => assert_eq!(Some(uri), source.split('#').next()),
            // An account-level result: the snapshot of its account and region.
            None => {
                account_level += 1;
                let account = row["aws_account_id"].as_str().unwrap_or_default();
                let region = row["aws_region"].as_str().unwrap_or_default();
                assert!(
                    uri.contains(&format!("/{account}/Config/{region}/")),
                    "{uri} holds {account} {region}"
                );
            }
        }
        let fingerprint = result["partialFingerprints"]["regentFinding/v1"]
            .as_str()
            .expect("a fingerprint");
        assert!(
            fingerprints.insert(fingerprint.to_string()),
            "{fingerprint} twice"
        );
    }
    assert!(account_level > 0, "the demo has account-level failures");
    // No errors: the run succeeded, with no notifications.
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert!(run["invocations"][0]["toolExecutionNotifications"].is_null());

    // The same input gives the same bytes.
    let again = common::regent(&["eval", "fixtures/demo", "--format", "sarif"]);
    assert!(again.stdout == sarif.stdout, "the output is deterministic");

    if let Some(tool) = common::tools::sarif_multitool_or_skip("sarif::demo") {
        assert_valid(&tool, &sarif.stdout, "demo");
    }
}

#[test]
fn an_ndjson_input_gives_each_result_its_line() {
    let run = common::regent(&["eval", "fixtures/_loader/items.ndjson", "--format", "sarif"]);
    let log = parse(&run.stdout);
    let results = array(&run_of(&log)["results"]);
    let bucket: Vec<&Value> = results
        .iter()
        .filter(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                == "arn:aws:s3:::audit-logs-111122223333"
        })
        .collect();
    assert!(!bucket.is_empty(), "the bucket fails some controls");
    for result in bucket {
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            physical["artifactLocation"]["uri"],
            "fixtures/_loader/items.ndjson"
        );
        assert_eq!(physical["region"]["startLine"], 2, "{result}");
        assert_eq!(
            result["properties"]["source"],
            "fixtures/_loader/items.ndjson:2"
        );
    }
}

fn subject(id: &str, origin: Option<&str>, account_level: bool) -> Arc<Subject> {
    let text = |s: &str| Arc::<str>::from(s);
    Arc::new(Subject {
        resource_type: text(if account_level {
            "AWS::::Account"
        } else {
            "AWS::S3::Bucket"
        }),
        resource_id: text(id),
        resource_name: None,
        arn: (!account_level).then(|| text(&format!("arn:aws:s3:::{id}"))),
        account: text("111122223333"),
        region: text("eu-west-1"),
        capture_time: None,
        state_id: None,
        origin: origin.map(|source| Origin {
            source: text(source),
            index: None,
        }),
    })
}

/// A report with every kind of place an input can have (an S3 object, an NDJSON line, an
/// absolute path with characters a URI escapes, stdin, none), an ERROR result, a problem
/// with a line and a control the report does not record.
fn awkward_report() -> Report {
    let control = |id: &str, severity| ControlRecord {
        meta: Metadata {
            id: id.into(),
            title: format!("Title of {id}"),
            description: String::new(),
            severity,
            resource_types: vec!["AWS::S3::Bucket".into()],
            requires: Vec::new(),
            requires_fields: BTreeMap::new(),
            standards: BTreeMap::from([("custom/acme".to_string(), Vec::new())]),
            config_rule: None,
            parameters: BTreeMap::new(),
            remediation: None,
            needs_complete: Default::default(),
        },
        source: format!("acme/{id}.rego"),
    };
    let acme_1 = control("ACME.1", Severity::Critical);
    let acme_2 = control("ACME.2", Severity::Informational);
    let row = |control: &str, severity, subject, verdict| ResultRow {
        control_id: Arc::from(control),
        title: Arc::from(format!("Title of {control}")),
        severity,
        subject,
        compliance_type: verdict,
        annotation: Some(format!("why {control}")),
        remediation: None,
        waiver: None,
        baseline: None,
    };
    let failing = Compliance::NonCompliant;
    let results = vec![
        row(
            "ACME.1",
            Severity::Critical,
            subject("a", Some("s3://org-config/AWSLogs/1/x y.json.gz"), false),
            failing,
        ),
        row(
            "ACME.1",
            Severity::Critical,
            subject("b", Some("/tmp/in put/é#1.ndjson:7"), false),
            failing,
        ),
        row(
            "ACME.1",
            Severity::Critical,
            subject("c", Some("<stdin>"), false),
            failing,
        ),
        row(
            "ACME.1",
            Severity::Critical,
            subject("111122223333", None, true),
            failing,
        ),
        row(
            "ACME.2",
            Severity::Informational,
            subject("d", Some("config://eu-west-1/AWS::S3::Bucket/1"), false),
            Compliance::Error,
        ),
        // A control the report does not record (a hand-made report).
        row(
            "ACME.3",
            Severity::Low,
            subject("e", Some("c:d/e.json"), false),
            failing,
        ),
    ];
    let text = "{\n  \"configurationItems\": [\n    {,}\n  ]\n}\n";
    Report {
        version: "0.0.0-test".into(),
        summary: Summary {
            evaluations: results.len(),
            non_compliant: 5,
            errors: 1,
            ..Summary::default()
        },
        controls: vec![acme_1, acme_2],
        results,
        errors: vec![Problem::new(
            Code::InputInvalidJson,
            "in/broken file.json",
            "invalid JSON: expected value",
        )
        .at(text, 3, 6, "expected value")],
        skipped_inputs: Vec::new(),
        envelopes: Vec::new(),
        shard: None,
        waivers: Vec::new(),
        resolved: Vec::new(),
    }
}

#[test]
fn every_kind_of_place_is_a_valid_location() {
    let mut out = Vec::new();
    sink::render(Format::Sarif, &awkward_report(), &View::default(), &mut out)
        .expect("renders to memory");
    let text = String::from_utf8(out).expect("UTF-8");
    let log = parse(&text);
    let run = run_of(&log);
    assert_rules_resolve(run);
    let rules = array(&run["tool"]["driver"]["rules"]);
    assert_eq!(rules.len(), 3, "ACME.3 gets a rule of its own");
    assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "note");

    let physical: Vec<&Value> = array(&run["results"])
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"])
        .collect();
    assert_eq!(physical.len(), 5);
    // The S3 object: its key under its bucket's base, which resolves to the bucket.
    assert_eq!(
        physical[0]["artifactLocation"]["uri"],
        "AWSLogs/1/x%20y.json.gz"
    );
    assert_eq!(
        physical[0]["artifactLocation"]["uriBaseId"],
        "S3_org-config"
    );
    assert_eq!(
        run["originalUriBaseIds"]["S3_org-config"]["uri"],
        "s3://org-config/"
    );
    // An absolute path: a file URI, escaped, with the NDJSON line.
    assert_eq!(
        physical[1]["artifactLocation"]["uri"],
        "file:///tmp/in%20put/%C3%A9%231.ndjson"
    );
    assert_eq!(physical[1]["region"]["startLine"], 7);
    // stdin: no file; the resource only.
    assert!(physical[2].is_null());
    // The account-level result: no input of its own, and its account's only input is
    // the S3 object (the first in report order).
    assert_eq!(
        physical[3]["artifactLocation"]["uri"],
        "AWSLogs/1/x%20y.json.gz"
    );
    // A colon in a relative path's first segment would read as a scheme.
    assert_eq!(physical[4]["artifactLocation"]["uri"], "./c:d/e.json");

    // The problem and the ERROR result are notifications; the run did not succeed.
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = array(&invocation["toolExecutionNotifications"]);
    assert_eq!(notifications.len(), 2);
    assert_eq!(notifications[0]["descriptor"]["id"], "input::invalid_json");
    assert_eq!(
        notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "in/broken%20file.json"
    );
    assert_eq!(
        notifications[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(notifications[1]["associatedRule"]["id"], "ACME.2");
    assert_eq!(notifications[1]["associatedRule"]["index"], 1);
    assert!(notifications.iter().all(|n| n["level"] == "error"));

    if let Some(tool) = common::tools::sarif_multitool_or_skip("sarif::every_kind_of_place") {
        assert_valid(&tool, &text, "awkward");
    }
}

/// The Multitool's rule options: its defaults, less the one rule that reaches the network.
const OFFLINE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
"#;

/// The Multitool's findings on `sarif` of level `error`, each as its message.
fn multitool_errors(tool: &Path, sarif: &str, name: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join(format!("{name}.sarif"));
    let output = dir.path().join(format!("{name}.validation.sarif"));
    std::fs::write(&input, sarif).expect("writes the log");
    // Offline: SARIF2006 would GET every helpUri (30 s of timeouts here, and no test
    // touches the internet).
    let config = dir.path().join("offline.xml");
    std::fs::write(&config, OFFLINE).expect("writes the configuration");
    let ran = Command::new(tool)
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args(["--log", "ForceOverwrite"])
        .arg("-c")
        .arg(&config)
        // SARIF's own rules, and what GitHub code scanning requires to ingest a log.
        .args(["--rule-kind", "Sarif;Gh"])
        .output()
        .expect("the SARIF Multitool runs");
    assert!(
        ran.status.success(),
        "Sarif.Multitool validate failed to run: {}{}",
        String::from_utf8_lossy(&ran.stdout),
        String::from_utf8_lossy(&ran.stderr)
    );
    let text = std::fs::read_to_string(&output).expect("the Multitool writes its log");
    let log: Value = serde_json::from_str(&text).expect("its log is JSON");
    let run = &log["runs"][0];
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], true,
        "the Multitool ran: {text}"
    );
    // Its messages are templates in its rules' messageStrings, filled with arguments.
    let templates: HashMap<(String, String), String> = array(&run["tool"]["driver"]["rules"])
        .iter()
        .flat_map(|rule| {
            let id = rule["id"].as_str().unwrap_or_default().to_string();
            rule["messageStrings"]
                .as_object()
                .into_iter()
                .flatten()
                .map(move |(key, text)| {
                    (
                        (id.clone(), key.clone()),
                        text["text"].as_str().unwrap_or_default().to_string(),
                    )
                })
        })
        .collect();
    array(&run["results"])
        .iter()
        .filter(|r| r["level"] == "error")
        .map(|r| {
            let rule = r["ruleId"].as_str().unwrap_or_default().to_string();
            let id = r["message"]["id"].as_str().unwrap_or_default().to_string();
            let mut message = templates
                .get(&(rule.clone(), id))
                .cloned()
                .unwrap_or_else(|| r["message"].to_string());
            for (i, argument) in array(&r["message"]["arguments"]).iter().enumerate() {
                message = message.replace(&format!("{{{i}}}"), argument.as_str().unwrap_or(""));
            }
            format!("{rule}: {message}")
        })
        .collect()
}

fn assert_valid(tool: &Path, sarif: &str, name: &str) {
    // The tool itself finds errors where there are some (a rule index past the rules).
    let broken = r#"{"$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json", "version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "A.1"}]}}, "results": [{"ruleId": "A.1", "ruleIndex": 3, "message": {"text": "m"}}]}]}"#;
    assert!(
        !multitool_errors(tool, broken, "canary").is_empty(),
        "the Multitool reports errors in a broken log"
    );
    let errors = multitool_errors(tool, sarif, name);
    assert!(
        errors.is_empty(),
        "the SARIF Multitool finds errors in the {name} log:\n{}",
        errors.join("\n")
    );
}
