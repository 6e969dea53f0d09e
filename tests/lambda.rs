//! regent as an AWS Config custom rule: `regent lambda invoke` and the `regent-lambda`
//! handler under the Lambda Runtime API (cargo-lambda's emulator), answering a local AWS
//! Config endpoint on 127.0.0.1 (tests/common/config_endpoint.rs). Each message type, the
//! verdict of a rule that groups controls, NOT_APPLICABLE for what left scope or is gone,
//! ERROR never sent, and events the handler cannot answer.

mod common;

use common::config_endpoint::{Accepted, ConfigEndpoint, Fault};
use common::tools;
use common::Run;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A token nobody could mistake for other output.
const TOKEN: &str = "eyJyZWdlbnQtbGFtYmRhIjoicmVzdWx0LXRva2VuLXNlY3JldC0yNzE4In0";
const ACCOUNT: &str = "191295367128";
const RULE: &str = "regent-s3-buckets";
/// In the demo: fails S3.5 (no bucket policy), passes S3.8.
const FAILING_BUCKET: &str = "initech-notifications-shared-artifacts-7128-use1";
/// In the demo: passes both.
const PASSING_BUCKET: &str = "initech-catalog-prod-logs-7128-use1";

fn demo_snapshot() -> PathBuf {
    let dir = common::root().join(format!(
        "fixtures/demo/AWSLogs/{ACCOUNT}/Config/us-east-1/2026/11/10/ConfigSnapshot"
    ));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.pop().expect("a snapshot file")
}

/// The demo's item of `id` (snapshot-file dialect, as a change notification carries it).
fn demo_item(id: &str) -> Value {
    let text = std::fs::read_to_string(demo_snapshot()).unwrap();
    let snapshot: Value = serde_json::from_str(&text).unwrap();
    snapshot["configurationItems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["resourceId"] == id)
        .unwrap_or_else(|| panic!("{id} is in the demo"))
        .clone()
}

/// A Config rule's Lambda event, as AWS Config sends it.
fn event(rule: &str, invoking: Value, parameters: Value, left_scope: bool) -> Value {
    json!({
        "version": "1.0",
        "invokingEvent": invoking.to_string(),
        "ruleParameters": parameters.to_string(),
        "resultToken": TOKEN,
        "eventLeftScope": left_scope,
        "executionRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/config-role"),
        "configRuleArn": format!("arn:aws:config:us-east-1:{ACCOUNT}:config-rule/config-rule-abc123"),
        "configRuleName": rule,
        "configRuleId": "config-rule-abc123",
        "accountId": ACCOUNT,
    })
}

fn change(item: Value) -> Value {
    json!({
        "configurationItem": item,
        "notificationCreationTime": "2026-11-10T03:00:00.000Z",
        "messageType": "ConfigurationItemChangeNotification",
        "recordVersion": "1.3",
    })
}

fn s3_rule() -> Value {
    json!({"controls": "S3.5,S3.8"})
}

/// `regent lambda invoke` with `event`, against the endpoint (us-east-1), with a retry
/// policy that cannot hang a test.
fn invoke(endpoint: &ConfigEndpoint, event: &Value, more: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "event.json", event.to_string());
    let mut args = vec!["lambda", "invoke", "--event", file.to_str().unwrap()];
    args.extend(more);
    let run = common::regent_at_local_endpoint(&endpoint.url(), &args, &[]);
    assert!(!run.stdout.contains(TOKEN) && !said(&run).contains(TOKEN));
    run
}

/// stderr as one line (miette wraps a message over lines, with a gutter).
fn said(run: &Run) -> String {
    common::flat(&run.stderr)
}

/// What arrived, by resource id: (compliance type, annotation, ordering timestamp as RFC 3339).
fn arrived(accepted: &[Accepted]) -> BTreeMap<String, (String, String, String)> {
    accepted
        .iter()
        .map(|a| {
            let e = &a.evaluation;
            let seconds = e["OrderingTimestamp"].as_f64().unwrap();
            let time =
                chrono::DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64).unwrap();
            (
                e["ComplianceResourceId"].as_str().unwrap().to_string(),
                (
                    e["ComplianceType"].as_str().unwrap().to_string(),
                    e["Annotation"].as_str().unwrap_or("").to_string(),
                    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                ),
            )
        })
        .collect()
}

/// The evaluations of `--format put-evaluations` output, by resource id.
fn printed(stdout: &str) -> BTreeMap<String, (String, String, String)> {
    let bodies: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    bodies
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["request"]["Evaluations"].as_array().unwrap().clone())
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (
                text("ComplianceResourceId"),
                (
                    text("ComplianceType"),
                    text("Annotation"),
                    text("OrderingTimestamp"),
                ),
            )
        })
        .collect()
}

#[test]
fn a_change_is_answered_with_one_evaluation_over_the_rules_controls() {
    let endpoint = ConfigEndpoint::start();
    let item = demo_item(FAILING_BUCKET);
    let run = invoke(
        &endpoint,
        &event(RULE, change(item.clone()), s3_rule(), false),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let sent = endpoint.evaluations();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].result_token.as_str(), sent[0].test_mode),
        (TOKEN, false)
    );
    let (verdict, annotation, time) = &arrived(&sent)[FAILING_BUCKET];
    assert_eq!(verdict, "NON_COMPLIANT");
    assert!(
        annotation.starts_with("S3.5: bucket has no bucket policy"),
        "{annotation}"
    );
    assert_eq!(time, item["configurationItemCaptureTime"].as_str().unwrap());
    assert!(
        said(&run).contains("rule regent-s3-buckets (ConfigurationItemChangeNotification), 2 controls over 1 item: 1 evaluation (1 NON_COMPLIANT); 1 accepted by AWS Config in 1 PutEvaluations call"),
        "{}",
        run.stderr
    );

    // The same as `regent eval` makes of the item for a rule grouping the same controls.
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "item.json", item.to_string());
    let eval = common::regent(&[
        "eval",
        file.to_str().unwrap(),
        "--control",
        "S3.5,S3.8",
        "--config-rule",
        RULE,
        "--format",
        "put-evaluations",
    ]);
    assert_eq!(printed(&eval.stdout), arrived(&sent));
    assert_eq!(
        printed(&run.stdout),
        arrived(&sent),
        "invoke prints what it sent"
    );

    // A passing bucket is COMPLIANT; TESTMODE as the token sets TestMode.
    let endpoint = ConfigEndpoint::start();
    let mut passing = event(RULE, change(demo_item(PASSING_BUCKET)), s3_rule(), false);
    passing["resultToken"] = json!("TESTMODE");
    let run = invoke(&endpoint, &passing, &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let sent = endpoint.evaluations();
    assert_eq!(arrived(&sent)[PASSING_BUCKET].0, "COMPLIANT");
    assert!(sent[0].test_mode);
}

#[test]
fn an_item_that_left_scope_or_was_deleted_is_not_applicable() {
    let endpoint = ConfigEndpoint::start();
    let left = event(RULE, change(demo_item(FAILING_BUCKET)), s3_rule(), true);
    let run = invoke(&endpoint, &left, &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let mut deleted = demo_item(PASSING_BUCKET);
    deleted["configurationItemStatus"] = json!("ResourceDeleted");
    deleted["configuration"] = Value::Null;
    deleted["supplementaryConfiguration"] = json!({});
    let run = invoke(
        &endpoint,
        &event(RULE, change(deleted), s3_rule(), false),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let sent = arrived(&endpoint.evaluations());
    assert_eq!(sent.len(), 2);
    assert!(
        sent.values()
            .all(|(verdict, _, _)| verdict == "NOT_APPLICABLE"),
        "{sent:?}"
    );
}

#[test]
fn an_oversized_change_is_read_from_history_at_its_capture_time() {
    let endpoint = ConfigEndpoint::start();
    // Two states of the bucket: failing S3.5 first, fixed a day later.
    let before = demo_item(FAILING_BUCKET);
    let mut after = before.clone();
    after["configurationItemCaptureTime"] = json!("2026-07-28T23:41:33.286Z");
    after["supplementaryConfiguration"]["BucketPolicy"] = json!({"policyText": json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [format!("arn:aws:s3:::{FAILING_BUCKET}"), format!("arn:aws:s3:::{FAILING_BUCKET}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
    }).to_string()});
    endpoint.add_items(ACCOUNT, "us-east-1", [before.clone(), after.clone()]);
    let summary = |item: &Value| {
        json!({
            "configurationItemSummary": {
                "changeType": "UPDATE",
                "configurationItemVersion": "1.3",
                "configurationItemCaptureTime": item["configurationItemCaptureTime"],
                "configurationStateId": 0,
                "awsAccountId": ACCOUNT,
                "configurationItemStatus": "OK",
                "resourceType": "AWS::S3::Bucket",
                "resourceId": FAILING_BUCKET,
                "resourceName": FAILING_BUCKET,
                "ARN": format!("arn:aws:s3:::{FAILING_BUCKET}"),
                "awsRegion": "us-east-1",
            },
            "messageType": "OversizedConfigurationItemChangeNotification",
            "notificationCreationTime": "2026-11-10T03:00:00.000Z",
            "recordVersion": "1.0",
        })
    };
    let mut verdicts = Vec::new();
    for item in [&before, &after] {
        let run = invoke(
            &endpoint,
            &event(RULE, summary(item), s3_rule(), false),
            &[],
        );
        assert_eq!(run.code, 0, "{}", run.transcript());
        let sent = endpoint.evaluations();
        let (verdict, _, time) = arrived(&sent[sent.len() - 1..])[FAILING_BUCKET].clone();
        assert_eq!(time, item["configurationItemCaptureTime"].as_str().unwrap());
        verdicts.push(verdict);
    }
    assert_eq!(
        verdicts,
        ["NON_COMPLIANT", "COMPLIANT"],
        "each as it was then"
    );
    let asked = endpoint.requests_of("GetResourceConfigHistory");
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[0].body["resourceType"], "AWS::S3::Bucket");
    assert_eq!(asked[0].body["resourceId"], FAILING_BUCKET);
    assert_eq!(asked[0].body["limit"], 1);
    let later = chrono::DateTime::parse_from_rfc3339(
        before["configurationItemCaptureTime"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(
        asked[0].body["laterTime"].as_f64().unwrap(),
        later.timestamp_millis() as f64 / 1000.0
    );

    // Nothing recorded by then: the invocation fails, so AWS Config tries again.
    let mut early = summary(&before);
    early["configurationItemSummary"]["configurationItemCaptureTime"] =
        json!("2020-01-01T00:00:00.000Z");
    let run = invoke(&endpoint, &event(RULE, early, s3_rule(), false), &[]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        said(&run).contains("aws::call") && said(&run).contains("captured by 2020-01-01"),
        "{}",
        run.stderr
    );
    assert_eq!(endpoint.evaluations().len(), 2, "nothing more sent");
}

#[test]
fn a_periodic_rule_judges_the_account_and_clears_what_is_gone() {
    let rule = json!({"controls": "S3.5,S3.8,CloudTrail.1,GuardDuty.1"});
    let periodic = json!({
        "awsAccountId": ACCOUNT,
        "notificationCreationTime": "2026-11-10T06:00:00.000Z",
        "messageType": "ScheduledNotification",
        "recordVersion": "1.0",
    });
    let endpoint = ConfigEndpoint::start();
    endpoint.add_snapshot_file(&demo_snapshot());
    endpoint.add_judged(
        "regent-account",
        "AWS::S3::Bucket",
        "deleted-last-week",
        "NON_COMPLIANT",
    );
    endpoint.add_judged(
        "regent-account",
        "AWS::S3::Bucket",
        PASSING_BUCKET,
        "COMPLIANT",
    );
    endpoint.add_judged(
        "another-rule",
        "AWS::S3::Bucket",
        "not-ours",
        "NON_COMPLIANT",
    );
    // A third of calls throttled: nothing lost.
    endpoint.inject(Fault::Throttle { every: 3 });
    let run = invoke(
        &endpoint,
        &event("regent-account", periodic.clone(), rule.clone(), false),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let sent = arrived(&endpoint.evaluations());

    // Every current bucket and the account, judged as `regent eval config://` judges them.
    let eval = common::regent_with_local_aws(
        &[
            "eval",
            "config://",
            "--control",
            "S3.5,S3.8,CloudTrail.1,GuardDuty.1",
            "--config-rule",
            "regent-account",
            "--format",
            "put-evaluations",
            "--endpoint-url",
            &endpoint.url(),
        ],
        "testing",
        &[],
    );
    let mut expected: BTreeMap<String, (String, String, String)> = printed(&eval.stdout)
        .into_iter()
        .map(|(id, (verdict, annotation, _))| {
            (id, (verdict, annotation, "2026-11-10T06:00:00.000Z".into()))
        })
        .collect();
    assert!(
        expected.contains_key(ACCOUNT),
        "the account-level controls answer for the account: {expected:?}"
    );
    assert_eq!(
        expected.len(),
        6,
        "five buckets and the account: {expected:?}"
    );
    // What the rule judged before and is gone is NOT_APPLICABLE; another rule's is not ours.
    expected.insert(
        "deleted-last-week".into(),
        (
            "NOT_APPLICABLE".into(),
            "AWS Config no longer records this resource".into(),
            "2026-11-10T06:00:00.000Z".into(),
        ),
    );
    assert_eq!(sent, expected);
    let details = endpoint.requests_of("GetComplianceDetailsByConfigRule");
    assert!(details
        .iter()
        .all(|r| r.body["ConfigRuleName"] == "regent-account"));
    assert!(
        run.stderr
            .contains("(1 for resources gone since last judged)"),
        "{}",
        run.stderr
    );
}

/// A control that errors on one bucket (its evaluation runs out of time) and fails the
/// others.
const SLOW: &str = r#"package regent.acme_1

metadata := {"id": "ACME.1", "title": "Slow on one bucket", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

violation contains "always" if input.resourceName != "initech-catalog-prod-logs-7128-use1"

violation contains "slow" if {
	input.resourceName == "initech-catalog-prod-logs-7128-use1"
	count([x | some x in numbers.range(1, 100000000); x % 7 == 0]) > 0
}
"#;

#[test]
fn an_error_is_never_sent_as_a_verdict_and_fails_the_invocation() {
    let endpoint = ConfigEndpoint::start();
    endpoint.add_snapshot_file(&demo_snapshot());
    let policies = tempfile::tempdir().unwrap();
    common::write(policies.path(), "acme/acme_1.rego", SLOW);
    let periodic = json!({
        "awsAccountId": ACCOUNT,
        "notificationCreationTime": "2026-11-10T06:00:00.000Z",
        "messageType": "ScheduledNotification",
    });
    let run = invoke(
        &endpoint,
        &event("acme", periodic, json!({"controls": "ACME.1"}), false),
        &[
            "--policies",
            policies.path().to_str().unwrap(),
            "--eval-timeout",
            "200ms",
        ],
    );
    assert_eq!(run.code, 2, "the invocation fails: {}", run.transcript());
    assert!(said(&run).contains("eval::timeout"), "{}", run.stderr);
    let sent = arrived(&endpoint.evaluations());
    assert_eq!(sent.len(), 4, "the other buckets are answered: {sent:?}");
    assert!(!sent.contains_key(PASSING_BUCKET), "the ERROR is not sent");
    assert!(sent
        .values()
        .all(|(verdict, _, _)| verdict == "NON_COMPLIANT"));
}

#[test]
fn an_event_that_cannot_be_answered_says_why_and_sends_nothing() {
    let endpoint = ConfigEndpoint::start();
    let item = demo_item(FAILING_BUCKET);
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            event(
                RULE,
                change(item.clone()),
                json!({"controls": "S3.55", "myParameterKey": "x"}),
                false,
            ),
            "lambda::rule_parameters",
            "unknown key `myParameterKey`",
        ),
        (
            event(
                RULE,
                change(item.clone()),
                json!({"S3.5.maxAge": "90"}),
                false,
            ),
            "lambda::rule_parameters",
            "S3.5 has no parameter `maxAge`",
        ),
        (
            event(
                RULE,
                json!({"messageType": "ComplianceChangeNotification"}),
                s3_rule(),
                false,
            ),
            "lambda::event",
            "messageType `ComplianceChangeNotification` is not one a Config rule is invoked with",
        ),
        (
            json!({"configRuleName": RULE}),
            "lambda::event",
            "not a Config rule's Lambda event",
        ),
    ];
    for (event, code, message) in cases {
        let run = invoke(&endpoint, &event, &[]);
        assert_eq!(run.code, 2, "{}", run.transcript());
        assert!(
            said(&run).contains(code) && said(&run).contains(message),
            "{message}: {}",
            run.stderr
        );
    }
    let mut event = event(RULE, change(item), s3_rule(), false);
    event["invokingEvent"] = json!("{\"messageType\": ");
    let run = invoke(&endpoint, &event, &[]);
    assert!(
        said(&run).contains("invokingEvent is not JSON"),
        "{}",
        run.stderr
    );
    assert!(endpoint.requests_of("PutEvaluations").is_empty());
}

#[test]
fn the_events_aws_documents_are_answered() {
    let Some(envelopes) = common::shared_or_skip(
        "fixtures-external/_envelopes",
        "the_events_aws_documents_are_answered",
    ) else {
        return;
    };
    let endpoint = ConfigEndpoint::start();
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(envelopes.join(name)).unwrap()).unwrap()
    };
    // As published, their ruleParameters name a key no regent rule has.
    let published = read("awsdocs-lambda-event-configuration-change.json");
    let run = invoke(&endpoint, &published, &["--dry-run"]);
    assert_eq!(run.code, 2);
    assert!(
        said(&run).contains("unknown key `myParameterKey`"),
        "{}",
        run.stderr
    );
    // With the rule's controls named, the instance is judged and answered.
    let mut change = published;
    change["ruleParameters"] = json!(json!({"controls": "EC2.8"}).to_string());
    let run = invoke(&endpoint, &change, &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let sent = arrived(&endpoint.evaluations());
    assert_eq!(sent["i-00000000"].0, "NON_COMPLIANT", "{sent:?}");
    assert_eq!(sent["i-00000000"].2, "2016-02-17T01:36:34.043Z");
}

/// The handler binary under cargo-lambda's Runtime API emulator.
struct Runtime {
    _emulator: tools::Server,
    handler: std::process::Child,
    port: u16,
    /// The handler's log (its stderr).
    log: tempfile::NamedTempFile,
}

impl Runtime {
    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        let _ = self.handler.kill();
        let _ = self.handler.wait();
    }
}

fn runtime(cargo_lambda: &Path, endpoint: &ConfigEndpoint, region: &str) -> Runtime {
    use std::process::{Command, Stdio};
    let port = tools::free_port();
    let child = Command::new(cargo_lambda)
        .args([
            "lambda",
            "watch",
            "--only-lambda-apis",
            "-A",
            "127.0.0.1",
            "-P",
        ])
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cargo lambda watch starts");
    let emulator = tools::Server { child, port };
    assert!(
        tools::wait_for_port(port, std::time::Duration::from_secs(60)),
        "cargo lambda watch listens on 127.0.0.1:{port}"
    );
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut handler = Command::new(env!("CARGO_BIN_EXE_regent-lambda"));
    common::isolate_from_aws(&mut handler);
    handler
        .env(
            "AWS_LAMBDA_RUNTIME_API",
            format!("http://127.0.0.1:{port}/.rt"),
        )
        .env("AWS_LAMBDA_FUNCTION_NAME", "regent")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", region)
        .env("AWS_ENDPOINT_URL", endpoint.url())
        .env("AWS_MAX_ATTEMPTS", "4")
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap());
    let handler = handler.spawn().expect("the regent-lambda binary starts");
    Runtime {
        _emulator: emulator,
        handler,
        port,
        log,
    }
}

/// `cargo lambda invoke` with `event`: its exit code and output.
fn invoke_runtime(cargo_lambda: &Path, runtime: &Runtime, event: &Value) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "event.json", event.to_string());
    std::process::Command::new(cargo_lambda)
        .args([
            "lambda",
            "invoke",
            "--invoke-address",
            "127.0.0.1",
            "--invoke-port",
        ])
        .arg(runtime.port.to_string())
        .arg("--data-file")
        .arg(&file)
        .arg("_")
        .output()
        .expect("cargo lambda invoke runs")
}

#[test]
fn the_handler_answers_each_message_type_under_the_lambda_runtime_api() {
    let Some(cargo_lambda) = tools::tool_or_skip(
        "cargo-lambda",
        "the_handler_answers_each_message_type_under_the_lambda_runtime_api",
    ) else {
        return;
    };
    let endpoint = ConfigEndpoint::start();
    endpoint.add_snapshot_file(&demo_snapshot());
    let runtime = runtime(&cargo_lambda, &endpoint, "us-east-1");

    let changed = event(RULE, change(demo_item(FAILING_BUCKET)), s3_rule(), false);
    let out = invoke_runtime(&cargo_lambda, &runtime, &changed);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        runtime.log()
    );
    let answer: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(
        answer,
        json!({"rule": RULE, "messageType": "ConfigurationItemChangeNotification", "evaluations": 1, "accepted": 1})
    );

    let mut oversized_item = demo_item(PASSING_BUCKET);
    oversized_item["configurationItemStatus"] = json!("OK");
    let summary = json!({
        "configurationItemSummary": {
            "configurationItemCaptureTime": oversized_item["configurationItemCaptureTime"],
            "resourceType": "AWS::S3::Bucket", "resourceId": PASSING_BUCKET,
            "awsAccountId": ACCOUNT, "awsRegion": "us-east-1", "configurationItemStatus": "OK",
        },
        "messageType": "OversizedConfigurationItemChangeNotification",
    });
    let out = invoke_runtime(
        &cargo_lambda,
        &runtime,
        &event(RULE, summary, s3_rule(), false),
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        runtime.log()
    );

    let periodic = json!({"awsAccountId": ACCOUNT, "notificationCreationTime": "2026-11-10T06:00:00.000Z", "messageType": "ScheduledNotification"});
    let out = invoke_runtime(
        &cargo_lambda,
        &runtime,
        &event(
            "regent-account",
            periodic,
            json!({"controls": "CloudTrail.1,GuardDuty.1"}),
            false,
        ),
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        runtime.log()
    );

    let sent: Vec<(String, String)> = endpoint
        .evaluations()
        .iter()
        .map(|a| (a.resource_id(), a.compliance()))
        .collect();
    assert_eq!(
        sent,
        [
            (FAILING_BUCKET.to_string(), "NON_COMPLIANT".to_string()),
            (PASSING_BUCKET.to_string(), "COMPLIANT".to_string()),
            (ACCOUNT.to_string(), "NON_COMPLIANT".to_string()),
        ]
    );

    // An event it cannot answer fails the invocation with the problem's code.
    let bad = event(
        RULE,
        change(demo_item(FAILING_BUCKET)),
        json!({"myParameterKey": "x"}),
        false,
    );
    let out = invoke_runtime(&cargo_lambda, &runtime, &bad);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success() && said.contains("lambda::rule_parameters"),
        "{said}"
    );
    assert_eq!(endpoint.evaluations().len(), 3, "nothing more sent");
    let log = runtime.log();
    assert!(
        log.contains("unknown key `myParameterKey`"),
        "the log says why: {log}"
    );
    assert!(!said.contains(TOKEN) && !log.contains(TOKEN));
}

#[test]
fn a_change_is_judged_without_aws_when_nothing_is_sent() {
    // No credentials, no region, no endpoint: a dry run of a change needs none of them.
    let dir = tempfile::tempdir().unwrap();
    let changed = event(RULE, change(demo_item(FAILING_BUCKET)), s3_rule(), false);
    let file = common::write(dir.path(), "event.json", changed.to_string());
    let run = common::regent(&[
        "lambda",
        "invoke",
        "--event",
        file.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(printed(&run.stdout)[FAILING_BUCKET].0, "NON_COMPLIANT");
    assert!(
        said(&run).ends_with("not sent (--dry-run)"),
        "{}",
        run.stderr
    );
    // A periodic rule reads the account, so it needs AWS, and says so.
    let periodic = json!({"awsAccountId": ACCOUNT, "notificationCreationTime": "2026-11-10T06:00:00.000Z", "messageType": "ScheduledNotification"});
    let periodic = event(
        "regent-account",
        periodic,
        json!({"controls": "CloudTrail.1"}),
        false,
    );
    let file = common::write(dir.path(), "periodic.json", periodic.to_string());
    let run = common::regent(&[
        "lambda",
        "invoke",
        "--event",
        file.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(said(&run).contains("aws::setup"), "{}", run.stderr);
}

#[test]
fn the_readme_example_event_is_judged_offline() {
    let run = common::regent(&[
        "lambda",
        "invoke",
        "--event",
        "deploy/events/s3-bucket-change.json",
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let bodies: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(bodies[0]["config_rule"], RULE);
    assert_eq!(
        bodies[0]["request"]["TestMode"], true,
        "its token is TESTMODE"
    );
    assert_eq!(printed(&run.stdout)[FAILING_BUCKET].0, "NON_COMPLIANT");
    assert!(
        said(&run).contains("rule regent-s3-buckets (ConfigurationItemChangeNotification), 2 controls over 1 item: 1 evaluation (1 NON_COMPLIANT); not sent (--dry-run)"),
        "{}",
        run.stderr
    );
}
