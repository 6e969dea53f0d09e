//! `regent remediate apply` and `verify` through the real CLI against local endpoints on
//! 127.0.0.1: SSM Automation (tests/common/ssm_endpoint.rs, since moto has none), STS
//! (the Config endpoint's, or moto's for roles per account), AWS Config (for verify), and
//! a webhook for --notify. Nothing reaches AWS.

mod common;

use common::config_endpoint::ConfigEndpoint;
use common::ssm_endpoint::{Fault, Outcome, SsmEndpoint};
use common::webhook::Webhook;
use common::{finish, Run};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "111122223333";
const RUNBOOK: &str = "AWSConfigRemediation-RestrictBucketSSLRequestsOnly";

/// A plan of `buckets` fixed by `runbook` for `control`, with these execution controls.
fn plan(control: &str, runbook: &str, buckets: &[&str], controls: Value) -> Value {
    let actions: Vec<Value> = buckets
        .iter()
        .map(|b| {
            json!({
                "control_id": control, "severity": "MEDIUM", "resource_type": "AWS::S3::Bucket",
                "resource_id": b, "arn": format!("arn:aws:s3:::{b}"), "aws_account_id": ACCOUNT,
                "aws_region": "us-east-1",
                "parameters": {"BucketName": b, "AutomationAssumeRole": "arn:aws:iam::111122223333:role/Fixer"}
            })
        })
        .collect();
    let mut run = json!({
        "control_id": control, "automatic": true, "maximum_automatic_attempts": 1,
        "retry_attempt_seconds": 1, "concurrent_execution_rate_percentage": 100, "error_percentage": 100
    });
    for (key, value) in controls.as_object().expect("an object") {
        run[key] = value.clone();
    }
    json!({
        "plan_version": 1, "actions": buckets.len(),
        "groups": [{"runbook": runbook, "controls": [run], "actions": actions}],
        "unplanned": []
    })
}

struct Setup {
    dir: tempfile::TempDir,
    ssm: SsmEndpoint,
    sts: ConfigEndpoint,
}

impl Setup {
    fn new() -> Setup {
        let sts = ConfigEndpoint::start();
        sts.set_caller_account(ACCOUNT);
        let ssm = SsmEndpoint::start();
        ssm.set_default_duration(Duration::from_millis(30));
        Setup {
            dir: tempfile::tempdir().expect("a temp dir"),
            ssm,
            sts,
        }
    }

    fn write_plan(&self, plan: &Value) -> PathBuf {
        common::write(self.dir.path(), "plan.json", plan.to_string())
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("audit.jsonl")
    }

    fn command(&self, args: &[&str]) -> Command {
        let log = self.log();
        let mut all: Vec<&str> = vec!["remediate", "apply"];
        all.extend(args);
        all.extend([
            "--audit-log",
            log.to_str().expect("utf-8"),
            "--poll-interval",
            "20ms",
            "--aws-max-attempts",
            "4",
            "--aws-backoff",
            "10ms",
        ]);
        let mut cmd = common::command(&all);
        cmd.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL_SSM", self.ssm.url())
            .env("AWS_ENDPOINT_URL_STS", self.sts.url());
        cmd
    }

    fn apply(&self, args: &[&str]) -> Run {
        finish(self.command(args).output().expect("regent runs"))
    }

    fn apply_typing(&self, args: &[&str], typed: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("regent starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(typed.as_bytes())
            .expect("typed");
        finish(child.wait_with_output().expect("regent ends"))
    }

    fn records(&self) -> Vec<Value> {
        std::fs::read_to_string(self.log())
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }
}

fn events(records: &[Value], event: &str) -> Vec<Value> {
    records
        .iter()
        .filter(|r| r["event"] == event)
        .cloned()
        .collect()
}

#[test]
fn a_dry_run_calls_nothing_and_writes_no_audit_log() {
    let s = Setup::new();
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["a", "b"], json!({})));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr.contains("dry run: nothing was started"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(RUNBOOK) && run.stderr.contains("AWS::S3::Bucket a"));
    assert!(s.ssm.requests().is_empty(), "no SSM call");
    assert!(s.sts.requests().is_empty(), "no STS call");
    assert!(!s.log().exists(), "no audit log");
}

#[test]
fn max_resources_refuses_a_larger_run_before_any_call() {
    let s = Setup::new();
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["a", "b", "c"], json!({})));
    let run = s.apply(&[
        "--plan",
        plan.to_str().unwrap(),
        "--yes",
        "--max-resources",
        "2",
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("remediation::too_many"),
        "{}",
        run.stderr
    );
    assert!(
        common::flat(&run.stderr).contains("3 actions, more than --max-resources 2"),
        "{}",
        run.stderr
    );
    assert!(s.ssm.requests().is_empty() && s.sts.requests().is_empty());
    assert!(!s.log().exists());
}

#[test]
fn without_yes_a_runbook_runs_only_when_its_name_is_typed() {
    let s = Setup::new();
    let mut two = plan("S3.5", RUNBOOK, &["a"], json!({}));
    let other = plan(
        "S3.8",
        "ASR-ConfigureS3BucketPublicAccessBlock",
        &["b"],
        json!({}),
    );
    two["groups"]
        .as_array_mut()
        .unwrap()
        .push(other["groups"][0].clone());
    two["actions"] = json!(2);
    let plan = s.write_plan(&two);
    // The first runbook is confirmed, the second answered with "yes", which is not its name.
    let run = s.apply_typing(
        &["--plan", plan.to_str().unwrap()],
        &format!("{RUNBOOK}\nyes\n"),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let executions = s.ssm.executions();
    assert_eq!(executions.len(), 1, "{executions:?}");
    assert_eq!(executions[0].document, RUNBOOK);
    assert!(
        run.stderr
            .contains("ASR-ConfigureS3BucketPublicAccessBlock skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 succeeded, 0 failed, 1 not started"),
        "{}",
        run.stderr
    );

    // No input at all (a pipeline without --yes): nothing runs.
    let s = Setup::new();
    let run = s.apply_typing(&["--plan", plan.to_str().unwrap()], "");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(s.ssm.executions().is_empty());
    assert!(run.stderr.contains("no confirmation"), "{}", run.stderr);
}

#[test]
fn a_control_not_marked_automatic_runs_only_when_named() {
    let s = Setup::new();
    let plan = s.write_plan(&plan(
        "S3.5",
        RUNBOOK,
        &["a", "b"],
        json!({"automatic": false}),
    ));
    let plan = plan.to_str().unwrap();
    let run = s.apply(&["--plan", plan, "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(s.ssm.executions().is_empty());
    assert!(
        run.stderr.contains("2 actions not run: S3.5 is not marked for automatic remediation: name it with --control S3.5"),
        "{}",
        run.stderr
    );
    let run = s.apply(&["--plan", plan, "--yes", "--control", "S3.5"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let mut started: Vec<String> = s
        .ssm
        .executions()
        .iter()
        .map(|e| e.parameters["BucketName"][0].clone())
        .collect();
    started.sort();
    assert_eq!(started, ["a", "b"]);
    assert!(s.ssm.executions().iter().all(|e| e.status == "Success"));
}

#[test]
fn the_audit_log_says_what_ran_where_as_whom_with_which_parameters_and_how_it_ended() {
    let s = Setup::new();
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["logs"], json!({})));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let records = s.records();
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["intent", "started", "finished"]);
    let execution = &s.ssm.executions()[0];
    let intent = &records[0];
    assert_eq!(intent["control_id"], "S3.5");
    assert_eq!(intent["runbook"], RUNBOOK);
    assert_eq!(intent["resource_id"], "logs");
    assert_eq!(intent["aws_account_id"], ACCOUNT);
    assert_eq!(intent["parameters"]["BucketName"], json!(["logs"]));
    assert!(
        intent["identity"].as_str().unwrap().contains(ACCOUNT),
        "{intent}"
    );
    assert_eq!(
        intent["client_token"].as_str(),
        execution.client_token.as_deref()
    );
    assert!(intent["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        records[1]["execution_id"].as_str(),
        Some(execution.id.as_str())
    );
    assert_eq!(records[2]["status"], "Success");
    assert!(
        !std::fs::read_to_string(s.log())
            .unwrap()
            .contains("testing"),
        "no secret in the log"
    );
}

#[test]
fn retries_follow_the_declared_attempts_and_interval() {
    let s = Setup::new();
    s.ssm.set_outcome("flaky", Outcome::FailTimes(1));
    s.ssm.set_outcome(
        "broken",
        Outcome::Failed {
            message: "Step failed: AccessDenied".into(),
        },
    );
    let plan = s.write_plan(&plan(
        "S3.5",
        RUNBOOK,
        &["flaky", "broken"],
        json!({"maximum_automatic_attempts": 3, "retry_attempt_seconds": 1}),
    ));
    let started = Instant::now();
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(
        run.code,
        1,
        "a failure for good exits 1: {}",
        run.transcript()
    );
    let count = |b: &str| {
        s.ssm
            .executions()
            .iter()
            .filter(|e| e.parameters["BucketName"][0] == b)
            .count()
    };
    assert_eq!(count("flaky"), 2, "failed once, then succeeded");
    assert_eq!(count("broken"), 3, "every attempt used");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "two waits of 1 s for broken"
    );
    assert!(
        run.stderr.contains("remediation::execution"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("AccessDenied"), "{}", run.stderr);
    let finished = events(&s.records(), "finished");
    let attempts: Vec<u64> = finished
        .iter()
        .filter(|r| r["resource_id"] == "broken")
        .map(|r| r["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
}

#[test]
fn no_new_execution_starts_once_the_error_percentage_is_crossed() {
    let s = Setup::new();
    s.ssm.set_outcome(
        RUNBOOK,
        Outcome::Failed {
            message: "boom".into(),
        },
    );
    let buckets: Vec<String> = (0..10).map(|i| format!("bucket-{i}")).collect();
    let names: Vec<&str> = buckets.iter().map(String::as_str).collect();
    let plan = s.write_plan(&plan(
        "S3.5",
        RUNBOOK,
        &names,
        json!({"concurrent_execution_rate_percentage": 10, "error_percentage": 10}),
    ));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        s.ssm.executions().len(),
        2,
        "the second failure crosses 10 %"
    );
    assert_eq!(s.ssm.max_in_progress(), 1, "10 % of 10 at once");
    assert!(
        run.stderr.contains("2 failed, 8 not started"),
        "{}",
        run.stderr
    );
    let skipped = events(&s.records(), "skipped");
    assert_eq!(skipped.len(), 8);
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("error percentage was crossed"));
}

#[test]
fn the_concurrency_percentage_bounds_executions_in_flight() {
    let s = Setup::new();
    s.ssm
        .set_outcome(RUNBOOK, Outcome::Slow(Duration::from_millis(300)));
    let plan = s.write_plan(&plan(
        "S3.5",
        RUNBOOK,
        &["a", "b", "c", "d"],
        json!({"concurrent_execution_rate_percentage": 50}),
    ));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(s.ssm.executions().len(), 4);
    assert_eq!(s.ssm.max_in_progress(), 2);
}

#[test]
fn throttling_and_lost_answers_never_make_a_second_execution() {
    let s = Setup::new();
    s.ssm.inject(Fault::Throttle { every: 2 });
    s.ssm.inject(Fault::StartedButLost { every: 1 });
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["a", "b", "c"], json!({})));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        s.ssm.requests_of("StartAutomationExecution").len() > 3,
        "retried"
    );
    assert_eq!(s.ssm.executions().len(), 3, "one execution per action");
}

#[test]
fn a_run_killed_mid_apply_resumes_from_the_log_without_starting_anything_twice() {
    let s = Setup::new();
    s.ssm
        .set_outcome(RUNBOOK, Outcome::Slow(Duration::from_secs(3)));
    let buckets = ["a", "b", "c", "d"];
    let plan = s.write_plan(&plan(
        "S3.5",
        RUNBOOK,
        &buckets,
        json!({"concurrent_execution_rate_percentage": 50}),
    ));
    let plan = plan.to_str().unwrap().to_string();
    let mut child = s
        .command(&["--plan", &plan, "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("regent starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while s.ssm.executions().len() < 2 {
        assert!(Instant::now() < deadline, "two executions start");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL: no chance to finish a line or clean up.
    child.kill().expect("killed");
    child.wait().expect("reaped");
    let before = events(&s.records(), "started").len();
    assert_eq!(before, 2, "the log has both starts");
    assert!(events(&s.records(), "finished").is_empty());

    let run = s.apply(&["--plan", &plan, "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let executions = s.ssm.executions();
    assert_eq!(
        executions.len(),
        4,
        "the two running were followed, two more started: {executions:?}"
    );
    let finished = events(&s.records(), "finished");
    assert_eq!(finished.len(), 4);
    assert!(finished.iter().all(|r| r["status"] == "Success"));

    // A third run finds everything done.
    let run = s.apply(&["--plan", &plan, "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(s.ssm.executions().len(), 4);
    assert!(
        run.stderr.contains("0 succeeded, 0 failed, 4 not started"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_intent_without_its_start_is_asked_again_with_the_same_token() {
    let s = Setup::new();
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["a"], json!({})));
    let plan = plan.to_str().unwrap();
    let run = s.apply(&["--plan", plan, "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    // As if the run died after asking, before the answer reached the log.
    let intent = events(&s.records(), "intent")[0].clone();
    std::fs::write(s.log(), format!("{intent}\n")).unwrap();
    let run = s.apply(&["--plan", plan, "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        s.ssm.requests_of("StartAutomationExecution").len(),
        2,
        "asked again"
    );
    assert_eq!(s.ssm.executions().len(), 1, "SSM made no second execution");
    let started = events(&s.records(), "started");
    assert_eq!(started[0]["client_token"], intent["client_token"]);
}

#[test]
fn roles_are_assumed_in_each_resources_account() {
    let Some(moto) = common::tools::moto("roles_are_assumed_in_each_resources_account") else {
        return;
    };
    let s = Setup::new();
    let mut two = plan("S3.5", RUNBOOK, &["in-b", "in-c"], json!({}));
    two["groups"][0]["actions"][0]["aws_account_id"] = json!("222222222222");
    two["groups"][0]["actions"][1]["aws_account_id"] = json!("333333333333");
    let plan = s.write_plan(&two);
    let sts = moto.url();
    let run = finish(
        s.command(&[
            "--plan",
            plan.to_str().unwrap(),
            "--yes",
            "--assume-role",
            "arn:aws:iam::{account}:role/Remediator",
        ])
        .env("AWS_ENDPOINT_URL_STS", &sts)
        .output()
        .expect("regent runs"),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    for execution in s.ssm.executions() {
        let key = execution.access_key_id.as_deref().expect("signed");
        let expected = if execution.parameters["BucketName"][0] == "in-b" {
            "222222222222"
        } else {
            "333333333333"
        };
        assert_eq!(
            common::tools::account_of_key(&sts, key).as_deref(),
            Some(expected)
        );
        assert!(execution.security_token.is_some(), "temporary credentials");
    }
    let intents = events(&s.records(), "intent");
    assert!(
        intents[0]["identity"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:sts::222222222222:assumed-role/Remediator/"),
        "{}",
        intents[0]
    );
}

#[test]
fn credentials_that_act_in_another_account_start_nothing() {
    let s = Setup::new();
    s.sts.set_caller_account("999999999999");
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["a"], json!({})));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(s.ssm.executions().is_empty());
    assert!(
        run.stderr.contains("act as account 999999999999"),
        "{}",
        run.stderr
    );
}

#[test]
fn notify_posts_a_summary_and_a_failing_webhook_changes_nothing_else() {
    let s = Setup::new();
    let hook = Webhook::start();
    let plan = s.write_plan(&plan("S3.5", RUNBOOK, &["a"], json!({})));
    let url = format!("{}/services/T0/B0/secret-part", hook.url());
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes", "--notify", &url]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let posts = hook.posts();
    assert_eq!(posts.len(), 1);
    let text = posts[0].body["text"].as_str().unwrap();
    assert!(
        text.contains("regent remediate apply") && text.contains("1 succeeded"),
        "{text}"
    );
    assert_eq!(posts[0].body["regent"]["counts"]["succeeded"], 1);

    let s = Setup::new();
    hook.fail_with(500);
    let plan = s.write_plan(&plan_value_for(&["b"]));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes", "--notify", &url]);
    assert_eq!(run.code, 0, "the remediation stands: {}", run.transcript());
    assert_eq!(s.ssm.executions().len(), 1);
    assert!(run.stderr.contains("remediation::notify"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("secret-part"),
        "the webhook's path is never shown"
    );
}

fn plan_value_for(buckets: &[&str]) -> Value {
    plan("S3.5", RUNBOOK, buckets, json!({}))
}

#[test]
fn a_plan_that_is_not_one_is_refused() {
    let s = Setup::new();
    let bad = common::write(
        s.dir.path(),
        "plan.json",
        r#"{"plan_version": 7, "groups": []}"#,
    );
    let run = s.apply(&["--plan", bad.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("remediation::plan_invalid"),
        "{}",
        run.stderr
    );
    assert!(s.ssm.requests().is_empty());
}

/// A bucket item as AWS Config records it, from our S3.5 fixture, in `ACCOUNT`.
fn bucket(fixture: &str, name: &str, captured: &str) -> Value {
    let path = Path::new("fixtures/S3.5").join(fixture);
    let mut item: Value =
        serde_json::from_str(&std::fs::read_to_string(common::root().join(path)).unwrap()).unwrap();
    item["resourceId"] = json!(name);
    item["resourceName"] = json!(name);
    item["ARN"] = json!(format!("arn:aws:s3:::{name}"));
    item["awsAccountId"] = json!(ACCOUNT);
    item["awsRegion"] = json!("us-east-1");
    item["configurationItemCaptureTime"] = json!(captured);
    item
}

#[test]
fn verify_judges_each_remediated_resource_again_from_aws_config() {
    let s = Setup::new();
    let plan = s.write_plan(&plan(
        "S3.5",
        RUNBOOK,
        &["fixed", "unfixed", "stale", "gone"],
        json!({}),
    ));
    let run = s.apply(&["--plan", plan.to_str().unwrap(), "--yes"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let config = ConfigEndpoint::start();
    config.add_items(
        ACCOUNT,
        "us-east-1",
        [
            bucket(
                "compliant/deny_insecure_transport.json",
                "fixed",
                "2030-01-01T00:00:00Z",
            ),
            bucket(
                "non_compliant/deny_limited_to_get_object.json",
                "unfixed",
                "2030-01-01T00:00:00Z",
            ),
            bucket(
                "non_compliant/deny_limited_to_get_object.json",
                "stale",
                "2020-01-01T00:00:00Z",
            ),
        ],
    );
    let log = s.log();
    let run = common::regent_at_local_endpoint(
        &config.url(),
        &[
            "remediate",
            "verify",
            "--audit",
            log.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "not all verified: {}", run.transcript());
    let checked: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let verdict = |id: &str| {
        checked
            .iter()
            .find(|c| c["resource_id"] == id)
            .map(|c| c["verdict"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict("fixed").as_deref(), Some("verified"));
    assert_eq!(verdict("unfixed").as_deref(), Some("still_failing"));
    assert_eq!(verdict("stale").as_deref(), Some("not_yet_recorded"));
    assert_eq!(verdict("gone").as_deref(), Some("not_found"));
    assert!(
        !config.requests_of("ListDiscoveredResources").is_empty(),
        "read through the Config API"
    );
    assert!(
        run.stderr
            .contains("1 verified, 1 still failing, 1 not yet recorded, 1 not found"),
        "{}",
        run.stderr
    );
}
