//! The test doubles `regent remediate` is tested against, checked through raw HTTP (no
//! SDK): the SSM Automation endpoint (tests/common/ssm_endpoint.rs) keeps AWS's
//! idempotency, progress and error shapes and injects what it is told to; the webhook
//! (tests/common/webhook.rs) records and fails on demand; moto's STS tells which account
//! assumed keys act as.

mod common;

use common::http::{send, Response};
use common::ssm_endpoint::{Fault, Outcome, SsmEndpoint};
use common::webhook::Webhook;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const TOKEN: &str = "4f1c2a3b-0d9e-4c8b-a7f6-5e4d3c2b1a00";

/// An SSM call signed (as far as the endpoint reads it) by `AKIDTEST` for eu-west-1.
fn call(ssm: &SsmEndpoint, operation: &str, body: Value) -> Response {
    let target = format!("AmazonSSM.{operation}");
    send(
        &ssm.url(),
        "POST",
        "/",
        &[
            ("X-Amz-Target", &target),
            ("Content-Type", "application/x-amz-json-1.1"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDTEST/20240101/eu-west-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
            ),
            ("X-Amz-Security-Token", "session-token"),
        ],
        body.to_string().as_bytes(),
    )
}

fn start_body(bucket: &str) -> Value {
    json!({
        "DocumentName": "AWS-DisableS3BucketPublicReadWrite",
        "Parameters": {"S3BucketName": [bucket], "AutomationAssumeRole": ["arn:aws:iam::111111111111:role/Fixer"]},
    })
}

fn start(ssm: &SsmEndpoint, body: Value) -> String {
    let answer = call(ssm, "StartAutomationExecution", body);
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["AutomationExecutionId"]
        .as_str()
        .expect("an execution id")
        .to_string()
}

fn execution(ssm: &SsmEndpoint, id: &str) -> Value {
    let answer = call(
        ssm,
        "GetAutomationExecution",
        json!({"AutomationExecutionId": id}),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["AutomationExecution"].clone()
}

/// The execution's state once it is final (at most 5 s).
fn final_execution(ssm: &SsmEndpoint, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let execution = execution(ssm, id);
        let status = execution["AutomationExecutionStatus"]
            .as_str()
            .unwrap_or("");
        if !["Pending", "InProgress"].contains(&status) || Instant::now() > deadline {
            return execution;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn two_starts_with_one_client_token_make_one_execution() {
    let ssm = SsmEndpoint::start();
    let mut body = start_body("bucket-a");
    body["ClientToken"] = json!(TOKEN);
    let first = start(&ssm, body.clone());
    let again = start(&ssm, body);
    assert_eq!(first, again);
    assert_eq!(first.len(), 36);
    assert_eq!(ssm.requests_of("StartAutomationExecution").len(), 2);
    let executions = ssm.executions();
    assert_eq!(executions.len(), 1);
    let execution = &executions[0];
    assert_eq!(execution.id, first);
    assert_eq!(execution.client_token.as_deref(), Some(TOKEN));
    assert_eq!(execution.parameters["S3BucketName"], ["bucket-a"]);
    assert_eq!(execution.access_key_id.as_deref(), Some("AKIDTEST"));
    assert_eq!(execution.region.as_deref(), Some("eu-west-1"));
    assert_eq!(execution.security_token.as_deref(), Some("session-token"));
    // Without a token every Start is an execution of its own.
    let other = start(&ssm, start_body("bucket-a"));
    assert_ne!(other, first);
    assert_eq!(ssm.executions().len(), 2);
}

#[test]
fn a_client_token_reused_with_other_parameters_is_refused() {
    let ssm = SsmEndpoint::start();
    let mut body = start_body("bucket-a");
    body["ClientToken"] = json!(TOKEN);
    start(&ssm, body);
    let mut changed = start_body("bucket-b");
    changed["ClientToken"] = json!(TOKEN.to_uppercase());
    let refused = call(&ssm, "StartAutomationExecution", changed);
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["__type"], "IdempotentParameterMismatch");
    let mut malformed = start_body("bucket-c");
    malformed["ClientToken"] = json!("not-a-uuid");
    let refused = call(&ssm, "StartAutomationExecution", malformed);
    assert_eq!(refused.json()["__type"], "ValidationException");
    assert_eq!(ssm.executions().len(), 1);
    let errors: Vec<Option<String>> = ssm.requests().into_iter().map(|r| r.error).collect();
    assert_eq!(
        errors,
        [
            None,
            Some("IdempotentParameterMismatch".to_string()),
            Some("ValidationException".to_string())
        ]
    );
}

#[test]
fn unknown_documents_executions_and_malformed_parameters_are_refused() {
    let ssm = SsmEndpoint::start();
    ssm.set_known_documents(["AWS-DisableS3BucketPublicReadWrite"]);
    let mut unknown = start_body("bucket-a");
    unknown["DocumentName"] = json!("AWS-NoSuchRunbook");
    let refused = call(&ssm, "StartAutomationExecution", unknown);
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.json()["__type"],
        "AutomationDefinitionNotFoundException"
    );
    let mut malformed = start_body("bucket-a");
    malformed["Parameters"]["S3BucketName"] = json!("bucket-a");
    let refused = call(&ssm, "StartAutomationExecution", malformed);
    assert_eq!(
        refused.json()["__type"],
        "InvalidAutomationExecutionParametersException"
    );
    let missing = call(
        &ssm,
        "GetAutomationExecution",
        json!({"AutomationExecutionId": "00000000-0000-4000-8000-000000000099"}),
    );
    assert_eq!(
        missing.json()["__type"],
        "AutomationExecutionNotFoundException"
    );
    assert!(ssm.executions().is_empty());
}

#[test]
fn an_execution_is_pending_then_in_progress_then_succeeds() {
    let ssm = SsmEndpoint::start();
    ssm.set_outcome("bucket-slow", Outcome::Slow(Duration::from_millis(500)));
    let id = start(&ssm, start_body("bucket-slow"));
    let first = execution(&ssm, &id);
    assert_eq!(first["AutomationExecutionStatus"], "Pending");
    assert!(first["ExecutionStartTime"].is_f64());
    assert!(first.get("ExecutionEndTime").is_none());
    assert_eq!(first["Parameters"]["S3BucketName"], json!(["bucket-slow"]));
    assert_eq!(
        execution(&ssm, &id)["AutomationExecutionStatus"],
        "InProgress"
    );
    std::thread::sleep(Duration::from_millis(550));
    let done = execution(&ssm, &id);
    assert_eq!(done["AutomationExecutionStatus"], "Success");
    let (started, ended) = (
        done["ExecutionStartTime"].as_f64().unwrap(),
        done["ExecutionEndTime"].as_f64().unwrap(),
    );
    assert!((ended - started - 0.5).abs() < 0.01, "{started} .. {ended}");
    assert!(done.get("FailureMessage").is_none());
}

#[test]
fn fail_times_fails_the_first_executions_then_lets_them_succeed() {
    let ssm = SsmEndpoint::start();
    ssm.set_outcome("bucket-flaky", Outcome::FailTimes(1));
    ssm.set_outcome(
        "bucket-broken",
        Outcome::Failed {
            message: "access denied".into(),
        },
    );
    let failed = final_execution(&ssm, &start(&ssm, start_body("bucket-flaky")));
    assert_eq!(failed["AutomationExecutionStatus"], "Failed");
    assert!(failed["FailureMessage"]
        .as_str()
        .unwrap()
        .contains("failure 1 of 1"));
    let retried = final_execution(&ssm, &start(&ssm, start_body("bucket-flaky")));
    assert_eq!(retried["AutomationExecutionStatus"], "Success");
    let broken = final_execution(&ssm, &start(&ssm, start_body("bucket-broken")));
    assert_eq!(broken["FailureMessage"], "access denied");
    let ordinary = final_execution(&ssm, &start(&ssm, start_body("bucket-fine")));
    assert_eq!(ordinary["AutomationExecutionStatus"], "Success");
    let statuses: Vec<String> = ssm.executions().into_iter().map(|e| e.status).collect();
    assert_eq!(statuses, ["Failed", "Success", "Failed", "Success"]);
}

#[test]
fn every_nth_call_is_throttled_once() {
    let ssm = SsmEndpoint::start();
    ssm.inject(Fault::Throttle { every: 2 });
    let id = start(&ssm, start_body("bucket-a"));
    let get = json!({"AutomationExecutionId": id});
    let throttled = call(&ssm, "GetAutomationExecution", get.clone());
    assert_eq!(throttled.status, 400);
    assert_eq!(throttled.json()["__type"], "ThrottlingException");
    // The same request again (a retry) gets through, though it is the 4th call.
    assert_eq!(
        call(&ssm, "GetAutomationExecution", get.clone()).status,
        200
    );
    assert_eq!(call(&ssm, "GetAutomationExecution", get).status, 200);
    let statuses: Vec<u16> = ssm.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 400, 200, 200]);
}

#[test]
fn a_lost_start_answer_is_safe_to_retry_only_with_a_client_token() {
    let ssm = SsmEndpoint::start();
    ssm.inject(Fault::StartedButLost { every: 1 });
    let mut body = start_body("bucket-a");
    body["ClientToken"] = json!(TOKEN);
    let lost = call(&ssm, "StartAutomationExecution", body.clone());
    assert_eq!(lost.status, 500);
    assert_eq!(ssm.executions().len(), 1);
    let retried = start(&ssm, body);
    assert_eq!(retried, ssm.executions()[0].id);
    assert_eq!(ssm.executions().len(), 1);
    // Without a token the retry starts the action a second time.
    let untokened = start_body("bucket-b");
    assert_eq!(
        call(&ssm, "StartAutomationExecution", untokened.clone()).status,
        500
    );
    start(&ssm, untokened);
    assert_eq!(ssm.executions().len(), 3);
}

#[test]
fn the_start_limit_refuses_every_nth_start_once() {
    let ssm = SsmEndpoint::start();
    ssm.inject(Fault::StartLimit { every: 2 });
    start(&ssm, start_body("bucket-a"));
    let limited = call(&ssm, "StartAutomationExecution", start_body("bucket-b"));
    assert_eq!(
        limited.json()["__type"],
        "AutomationExecutionLimitExceededException"
    );
    start(&ssm, start_body("bucket-b"));
    assert_eq!(ssm.executions().len(), 2);
}

#[test]
fn max_in_progress_counts_executions_running_at_once() {
    let ssm = SsmEndpoint::start();
    ssm.set_outcome("slow", Outcome::Slow(Duration::from_millis(500)));
    start(&ssm, start_body("slow-1"));
    start(&ssm, start_body("slow-2"));
    assert_eq!(ssm.max_in_progress(), 2);
    std::thread::sleep(Duration::from_millis(550));
    start(&ssm, start_body("slow-3"));
    assert_eq!(ssm.max_in_progress(), 2);
    start(&ssm, start_body("slow-4"));
    start(&ssm, start_body("slow-5"));
    assert_eq!(ssm.max_in_progress(), 3);
}

#[test]
fn describe_filters_by_id_document_prefix_and_status() {
    let ssm = SsmEndpoint::start();
    ssm.set_outcome(
        "broken",
        Outcome::Failed {
            message: "no".into(),
        },
    );
    let first = start(&ssm, start_body("broken"));
    let mut other = start_body("bucket-b");
    other["DocumentName"] = json!("AWSConfigRemediation-EnableS3Versioning");
    let second = start(&ssm, other);
    final_execution(&ssm, &first);
    final_execution(&ssm, &second);
    let listed = |filters: Value| -> Vec<String> {
        let answer = call(
            &ssm,
            "DescribeAutomationExecutions",
            json!({"Filters": filters}),
        );
        answer.json()["AutomationExecutionMetadataList"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|m| m["AutomationExecutionId"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        listed(json!([{"Key": "ExecutionId", "Values": [second]}])),
        [second.as_str()]
    );
    assert_eq!(
        listed(json!([{"Key": "DocumentNamePrefix", "Values": ["AWS-"]}])),
        [first.as_str()]
    );
    assert_eq!(
        listed(json!([{"Key": "ExecutionStatus", "Values": ["Success"]}])),
        [second]
    );
    assert_eq!(listed(json!([])).len(), 2);
    let refused = call(
        &ssm,
        "DescribeAutomationExecutions",
        json!({"Filters": [{"Key": "Nonsense", "Values": ["x"]}]}),
    );
    assert_eq!(refused.json()["__type"], "InvalidFilterKey");
}

fn notify(hook: &Webhook, body: &str) -> Response {
    send(
        &hook.url(),
        "POST",
        "/services/T000/B000/XXXX",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

#[test]
fn the_webhook_records_posts_answers_as_slack_and_fails_when_told() {
    let hook = Webhook::start();
    let accepted = notify(&hook, r#"{"text": "2 remediations succeeded"}"#);
    assert_eq!((accepted.status, accepted.body.as_str()), (200, "ok"));
    assert_eq!(notify(&hook, r#"{"summary": 2}"#).body, "no_text");
    assert_eq!(notify(&hook, "not json").body, "invalid_payload");
    hook.fail_with(500);
    assert_eq!(notify(&hook, r#"{"text": "again"}"#).status, 500);
    let posts = hook.posts();
    assert_eq!(posts.len(), 4);
    assert_eq!(posts[0].path, "/services/T000/B000/XXXX");
    assert_eq!(posts[0].body["text"], "2 remediations succeeded");
    assert_eq!(posts[0].headers["content-type"], "application/json");
    let statuses: Vec<u16> = posts.iter().map(|p| p.status).collect();
    assert_eq!(statuses, [200, 400, 400, 500]);
}

#[test]
fn the_webhook_answers_late_when_told_to_hang() {
    let hook = Webhook::start();
    hook.hang(Duration::from_millis(300));
    let asked = Instant::now();
    assert_eq!(notify(&hook, r#"{"text": "slow"}"#).status, 200);
    assert!(asked.elapsed() >= Duration::from_millis(300));
    assert_eq!(hook.posts().len(), 1);
}

/// Keys moto's AssumeRole hands out act as the role's account: what an assume-role test
/// reads an execution's account from.
#[test]
fn moto_tells_the_account_an_assumed_key_acts_as() {
    let Some(moto) = common::tools::moto("moto_tells_the_account_an_assumed_key_acts_as") else {
        return;
    };
    let assumed = send(
        &moto.url(),
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        b"Action=AssumeRole&Version=2011-06-15&RoleSessionName=regent&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FRemediator",
    );
    assert_eq!(assumed.status, 200, "{}", assumed.body);
    let key = assumed
        .body
        .split("<AccessKeyId>")
        .nth(1)
        .and_then(|rest| rest.split("</AccessKeyId>").next())
        .expect("AssumeRole hands out a key");
    assert_eq!(
        common::tools::account_of_key(&moto.url(), key).as_deref(),
        Some("222222222222")
    );
    assert_eq!(
        common::tools::account_of_key(&moto.url(), "testing").as_deref(),
        Some("123456789012")
    );
}
