//! `config://` and `--put-evaluations` against a local AWS Config endpoint on 127.0.0.1
//! (tests/common/config_endpoint.rs): the real binary, the real SDK, the Config JSON
//! protocol on the wire. Reading an account through the API judges its items exactly as
//! the same items from a file; throttling, unprocessed keys and failed evaluations lose
//! nothing; the result token and credentials never reach the output.

mod common;

use common::config_endpoint::{ConfigEndpoint, Fault, Request};
use common::Run;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A token nobody could mistake for other output.
const TOKEN: &str = "eyJyZWdlbnQtdGVzdCI6InJlc3VsdC10b2tlbi1zZWNyZXQtNzM2MSJ9";
const ACCOUNT_A: &str = "191295367128";
const ACCOUNT_B: &str = "986349127075";

/// The demo's snapshot file of `account` in `region`.
fn demo_snapshot(account: &str, region: &str) -> PathBuf {
    let dir = common::root().join(format!(
        "fixtures/demo/AWSLogs/{account}/Config/{region}/2026/11/10/ConfigSnapshot"
    ));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.pop().expect("a snapshot file")
}

/// An endpoint serving the demo's account A in us-east-1 and eu-west-1.
fn endpoint_with_account_a() -> ConfigEndpoint {
    let endpoint = ConfigEndpoint::start();
    endpoint.add_snapshot_file(&demo_snapshot(ACCOUNT_A, "us-east-1"));
    endpoint.add_snapshot_file(&demo_snapshot(ACCOUNT_A, "eu-west-1"));
    endpoint
}

/// `regent` with base credentials for the endpoint, in us-east-1, and a retry policy that
/// cannot hang a test.
fn regent_at(endpoint: &ConfigEndpoint, args: &[&str]) -> Run {
    common::regent_at_local_endpoint(&endpoint.url(), args, &[])
}

/// The JSON report of `input` judged by `controls`.
fn report_of(endpoint: &ConfigEndpoint, input: &str, controls: &str) -> Run {
    regent_at(
        endpoint,
        &["eval", input, "--control", controls, "--format", "json"],
    )
}

/// Every verdict of a JSON report: control, resource, place, compliance and annotation.
fn verdicts(report: &Value) -> BTreeSet<[String; 7]> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap_or("").to_string();
            [
                field("control_id"),
                field("resource_type"),
                field("resource_id"),
                field("aws_account_id"),
                field("aws_region"),
                field("compliance_type"),
                field("annotation"),
            ]
        })
        .collect()
}

/// The report of the same items from files: the served snapshots of `places`.
fn from_files(endpoint: &ConfigEndpoint, places: &[(&str, &str)], args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut command: Vec<String> = vec!["eval".into()];
    for (account, region) in places {
        let snapshot = endpoint.as_served_snapshot(account, region);
        let name = format!("{account}-{region}.json");
        command.push(
            common::write(dir.path(), &name, snapshot.to_string())
                .display()
                .to_string(),
        );
    }
    command.extend(["--format", "json"].map(String::from));
    command.extend(args.iter().map(|a| a.to_string()));
    let refs: Vec<&str> = command.iter().map(String::as_str).collect();
    let run = common::regent(&refs);
    assert_ne!(run.code, 2, "{}", run.stderr);
    common::json(&run)
}

/// The types a report's controls read (their own and those they require), but the account.
fn types_read(report: &Value) -> BTreeSet<String> {
    report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .flat_map(|c| {
            let list = |k: &str| c[k].as_array().cloned().unwrap_or_default();
            list("resource_types").into_iter().chain(list("requires"))
        })
        .filter_map(|t| t.as_str().map(str::to_string))
        .filter(|t| t != "AWS::::Account")
        .collect()
}

fn listed_types(requests: &[Request], field: &str) -> BTreeSet<String> {
    requests
        .iter()
        .filter_map(|r| r.body[field].as_str().map(str::to_string))
        .collect()
}

/// The report's errors as `code source: message` lines (whole, where stderr wraps them).
fn errors(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().unwrap_or("");
            format!(
                "{} {}: {}",
                field("code"),
                field("source"),
                field("message")
            )
        })
        .collect()
}

fn assert_no_secret(run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "`{secret}` was printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn an_account_read_through_the_api_is_judged_as_the_same_items_from_a_file() {
    let endpoint = endpoint_with_account_a();
    let run = regent_at(&endpoint, &["eval", "config://", "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let report = common::json(&run);
    let expected = from_files(&endpoint, &[(ACCOUNT_A, "us-east-1")], &[]);
    let got = verdicts(&report);
    assert!(
        got.len() > 300,
        "the whole pack judged the account: {}",
        got.len()
    );
    assert_eq!(got, verdicts(&expected));
    assert_eq!(
        report["summary"]["items_read"], expected["summary"]["items_read"],
        "every served item was read, once"
    );
    // Only the region called (and the account's global record it holds).
    let places: BTreeSet<(String, String)> =
        got.iter().map(|v| (v[3].clone(), v[4].clone())).collect();
    let want: BTreeSet<(String, String)> = [(ACCOUNT_A, "global"), (ACCOUNT_A, "us-east-1")]
        .map(|(a, r)| (a.to_string(), r.to_string()))
        .into();
    assert_eq!(places, want);
    let sources: BTreeSet<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["source"].as_str())
        .collect();
    assert!(
        sources
            .iter()
            .all(|s| s.starts_with("config://us-east-1/AWS::")),
        "{sources:?}"
    );

    // Every type the controls read was listed, once, and nothing else.
    let listings = endpoint.requests_of("ListDiscoveredResources");
    assert_eq!(listed_types(&listings, "resourceType"), types_read(&report));
    assert_eq!(listings.len(), types_read(&report).len(), "one page each");
    assert!(endpoint
        .requests_of("BatchGetResourceConfig")
        .iter()
        .all(|r| r.body["resourceKeys"].as_array().unwrap().len() <= 100));
}

#[test]
fn only_the_types_the_selected_controls_read_are_listed() {
    let endpoint = endpoint_with_account_a();
    // EC2.22 reads security groups and requires network interfaces; S3.5 reads buckets.
    endpoint.set_page_size(2);
    let run = report_of(&endpoint, "config://", "S3.5,EC2.22");
    assert_ne!(run.code, 2, "{}", run.stderr);
    let listings = endpoint.requests_of("ListDiscoveredResources");
    let want: BTreeSet<String> = [
        "AWS::EC2::NetworkInterface",
        "AWS::EC2::SecurityGroup",
        "AWS::S3::Bucket",
    ]
    .map(String::from)
    .into();
    assert_eq!(listed_types(&listings, "resourceType"), want);
    assert!(
        listings.iter().any(|r| r.body["nextToken"].is_string()),
        "pages of 2 were followed"
    );
    let expected = from_files(
        &endpoint,
        &[(ACCOUNT_A, "us-east-1")],
        &["--control", "S3.5,EC2.22"],
    );
    assert_eq!(verdicts(&common::json(&run)), verdicts(&expected));
}

#[test]
fn unprocessed_keys_are_fetched_again() {
    let endpoint = endpoint_with_account_a();
    endpoint.inject(Fault::Unprocessed { every: 3, times: 2 });
    let run = regent_at(&endpoint, &["eval", "config://", "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let expected = from_files(&endpoint, &[(ACCOUNT_A, "us-east-1")], &[]);
    assert_eq!(verdicts(&common::json(&run)), verdicts(&expected));
    // Some keys were asked for three times: left unprocessed twice, then fetched.
    let mut asks: BTreeMap<String, usize> = BTreeMap::new();
    for request in endpoint.requests_of("BatchGetResourceConfig") {
        for key in request.body["resourceKeys"].as_array().unwrap() {
            *asks.entry(key.to_string()).or_default() += 1;
        }
    }
    assert!(asks.values().any(|&n| n == 3), "{asks:?}");
}

#[test]
fn with_a_third_of_calls_throttled_nothing_is_lost() {
    let endpoint = endpoint_with_account_a();
    endpoint.inject(Fault::Throttle { every: 3 });
    let run = regent_at(&endpoint, &["eval", "config://", "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let report = common::json(&run);
    assert_eq!(report["errors"], json!([]));
    let expected = from_files(&endpoint, &[(ACCOUNT_A, "us-east-1")], &[]);
    assert_eq!(verdicts(&report), verdicts(&expected));
    let requests = endpoint.requests();
    let throttled = requests.iter().filter(|r| r.status == 400).count();
    assert!(
        throttled * 4 >= requests.len(),
        "{throttled} of {} throttled",
        requests.len()
    );
    // The very report an untroubled read gives, byte for byte (pages keep their order).
    let calm = endpoint_with_account_a();
    let again = regent_at(&calm, &["eval", "config://", "--format", "json"]);
    assert_eq!(run.stdout, again.stdout);
}

#[test]
fn a_type_that_cannot_be_listed_is_named_and_the_rest_is_judged_as_partial() {
    let endpoint = endpoint_with_account_a();
    endpoint.inject(Fault::AlwaysThrottle {
        operation: "ListDiscoveredResources".into(),
        resource_type: Some("AWS::EC2::NetworkInterface".into()),
    });
    let run = report_of(&endpoint, "config://", "S3.5,EC2.22");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = common::json(&run);
    assert_eq!(
        errors(&report),
        ["aws::call config://us-east-1/AWS::EC2::NetworkInterface: ListDiscoveredResources failed: ThrottlingException: Rate exceeded (request id req-ListDiscoveredResources-400)"]
    );
    // Four attempts, as --aws-max-attempts says.
    let denied = endpoint
        .requests_of("ListDiscoveredResources")
        .iter()
        .filter(|r| r.status == 400)
        .count();
    assert_eq!(denied, 4);
    // The buckets are judged as ever; a group's "unused" verdict rests on no interface
    // listing it, which proves nothing when the interfaces could not be listed.
    let complete = from_files(
        &endpoint,
        &[(ACCOUNT_A, "us-east-1")],
        &["--control", "S3.5,EC2.22"],
    );
    let of = |report: &Value, control: &str| -> BTreeMap<String, (String, String)> {
        verdicts(report)
            .into_iter()
            .filter(|v| v[0] == control)
            .map(|v| (v[2].clone(), (v[5].clone(), v[6].clone())))
            .collect()
    };
    assert_eq!(of(&report, "S3.5"), of(&complete, "S3.5"));
    let (partial, complete) = (of(&report, "EC2.22"), of(&complete, "EC2.22"));
    let unused: Vec<&String> = complete
        .iter()
        .filter(|(_, v)| v.0 == "NON_COMPLIANT")
        .map(|(g, _)| g)
        .collect();
    assert!(!unused.is_empty(), "the demo has unused groups");
    assert!(
        partial
            .values()
            .all(|(verdict, _)| verdict != "NON_COMPLIANT"),
        "{partial:?}"
    );
    for group in unused {
        let (verdict, annotation) = &partial[group];
        assert_eq!(verdict, "NOT_APPLICABLE");
        assert!(annotation.starts_with("partial input:"), "{annotation}");
    }
}

#[test]
fn an_aggregator_is_read_across_its_accounts_and_regions() {
    let endpoint = ConfigEndpoint::start();
    let mut places = Vec::new();
    for account in [ACCOUNT_A, ACCOUNT_B] {
        for region in ["eu-west-1", "us-east-1"] {
            places.push(endpoint.add_snapshot_file(&demo_snapshot(account, region)));
        }
    }
    endpoint.add_aggregator("org");
    endpoint.inject(Fault::ServerError { every: 4 });
    let run = regent_at(
        &endpoint,
        &["eval", "config://aggregator/org", "--format", "json"],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let report = common::json(&run);
    let places: Vec<(&str, &str)> = places
        .iter()
        .map(|(a, r)| (a.as_str(), r.as_str()))
        .collect();
    let expected = from_files(&endpoint, &places, &[]);
    let got = verdicts(&report);
    assert_eq!(got, verdicts(&expected));
    let seen: BTreeSet<(String, String)> =
        got.iter().map(|v| (v[3].clone(), v[4].clone())).collect();
    assert_eq!(
        seen.len(),
        6,
        "2 accounts, 2 regions and their global records: {seen:?}"
    );
    assert!(endpoint.requests_of("ListDiscoveredResources").is_empty());
    assert!(
        endpoint.requests().iter().any(|r| r.status == 500),
        "5xx answers were retried"
    );
    let batches = endpoint.requests_of("BatchGetAggregateResourceConfig");
    assert!(batches
        .iter()
        .all(|r| r.body["ConfigurationAggregatorName"] == "org"));
    let sources: BTreeSet<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["source"].as_str())
        .collect();
    assert!(sources.contains("config://aggregator/org/986349127075/eu-west-1/AWS::S3::Bucket/1#0"));
    assert!(
        sources
            .iter()
            .all(|s| s.starts_with("config://aggregator/org/")),
        "{sources:?}"
    );

    let missing = report_of(&endpoint, "config://aggregator/nobody", "S3.5");
    assert_eq!(missing.code, 2);
    let report = common::json(&missing);
    let [listing] = &errors(&report)[..] else {
        panic!("{}", missing.stderr)
    };
    assert!(
        listing.starts_with("aws::call config://aggregator/nobody/AWS::S3::Bucket: ListAggregateDiscoveredResources failed: NoSuchConfigurationAggregatorException"),
        "{listing}"
    );
}

#[test]
fn assume_role_reads_the_other_account_with_the_assumed_credentials() {
    let endpoint = ConfigEndpoint::start();
    endpoint.add_snapshot_file(&demo_snapshot(ACCOUNT_A, "us-east-1"));
    endpoint.add_snapshot_file(&demo_snapshot(ACCOUNT_B, "us-east-1"));
    endpoint.set_caller_account(ACCOUNT_A);
    let role = format!("arn:aws:iam::{ACCOUNT_B}:role/auditor");
    let run = regent_at(
        &endpoint,
        &[
            "eval",
            "config://",
            "--control",
            "S3.5,IAM.1",
            "--assume-role",
            &role,
            "--external-id",
            "ext-2741",
            "--format",
            "json",
        ],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    let accounts: BTreeSet<String> = verdicts(&common::json(&run))
        .iter()
        .map(|v| v[3].clone())
        .collect();
    assert_eq!(accounts, BTreeSet::from([ACCOUNT_B.to_string()]));

    let assumed = endpoint.requests_of("AssumeRole");
    assert!(!assumed.is_empty());
    let first = &assumed[0];
    assert_eq!(first.access_key_id.as_deref(), Some("testing"));
    assert_eq!(first.body["RoleArn"], role.as_str());
    assert_eq!(first.body["ExternalId"], "ext-2741");
    let config_calls: Vec<Request> = endpoint
        .requests()
        .into_iter()
        .filter(|r| r.operation != "AssumeRole")
        .collect();
    assert!(!config_calls.is_empty());
    for call in &config_calls {
        assert!(
            call.access_key_id
                .as_deref()
                .is_some_and(|k| k.starts_with("ASIATESTASSUMED")),
            "{} signed with {:?}",
            call.operation,
            call.access_key_id
        );
        assert!(call
            .security_token
            .as_deref()
            .is_some_and(|t| t.starts_with("assumed-session-token-")));
    }
    assert_no_secret(&run, &["assumed-session-token-", "assumed-secret-"]);
}

/// A file of `n` buckets in eu-west-1 with no bucket policy (S3.5 fails each).
fn buckets(dir: &Path, n: usize) -> PathBuf {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let name = format!("bucket-{i:03}");
            json!({
                "configurationItemVersion": "1.3",
                "configurationItemCaptureTime": format!("2026-11-10T08:{:02}:00.000Z", i % 60),
                "configurationStateId": 1_794_300_000_000_u64 + i as u64,
                "awsAccountId": "111122223333",
                "configurationItemStatus": "OK",
                "resourceType": "AWS::S3::Bucket",
                "resourceId": name,
                "resourceName": name,
                "ARN": format!("arn:aws:s3:::{name}"),
                "awsRegion": "eu-west-1",
                "availabilityZone": "Regional",
                "configuration": {"name": name},
                "supplementaryConfiguration": {},
                "tags": {}
            })
        })
        .collect();
    common::write(dir, "buckets.json", Value::Array(items).to_string())
}

/// What a PutEvaluations request carried, as the sink renders it (times RFC 3339).
fn as_rendered(evaluation: &Value) -> Value {
    let mut evaluation = evaluation.clone();
    let seconds = evaluation["OrderingTimestamp"].as_f64().unwrap();
    let time = chrono::DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64).unwrap();
    evaluation["OrderingTimestamp"] =
        json!(time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    evaluation
}

#[test]
fn evaluations_are_sent_100_per_call_with_the_token_and_test_mode() {
    let endpoint = ConfigEndpoint::start();
    let dir = tempfile::tempdir().unwrap();
    let input = buckets(dir.path(), 250);
    let input = input.to_str().unwrap();
    let run = regent_at(
        &endpoint,
        &[
            "eval",
            input,
            "--control",
            "S3.5",
            "--put-evaluations",
            "--result-token",
            TOKEN,
            "--test-mode",
        ],
    );
    assert_eq!(run.code, 1, "findings, no errors: {}", run.stderr);
    assert_no_secret(&run, &[TOKEN]);

    let calls = endpoint.requests_of("PutEvaluations");
    let sizes: Vec<usize> = calls
        .iter()
        .map(|c| c.body["Evaluations"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    for call in &calls {
        assert_eq!(call.body["ResultToken"], TOKEN);
        assert_eq!(call.body["TestMode"], true);
        assert_eq!(call.access_key_id.as_deref(), Some("testing"));
    }
    // Exactly what the put-evaluations sink makes, each once.
    let rendered = common::regent(&[
        "eval",
        input,
        "--control",
        "S3.5",
        "--format",
        "put-evaluations",
    ]);
    let bodies: Value = serde_json::from_str(&rendered.stdout).unwrap();
    let made: Vec<Value> = bodies
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["request"]["Evaluations"].as_array().unwrap().clone())
        .collect();
    let arrived: Vec<Value> = endpoint
        .evaluations()
        .iter()
        .map(|a| as_rendered(&a.evaluation))
        .collect();
    assert_eq!(arrived.len(), 250);
    assert_eq!(arrived, made);
}

#[test]
fn failed_evaluations_are_sent_again_and_then_reported() {
    let dir = tempfile::tempdir().unwrap();
    let input = buckets(dir.path(), 250);
    let input = input.to_str().unwrap();
    let args = [
        "eval",
        input,
        "--control",
        "S3.5",
        "--put-evaluations",
        "--result-token",
        TOKEN,
        "--format",
        "json",
    ];

    // Every tenth fails twice, then goes through: all arrive, each once.
    let endpoint = ConfigEndpoint::start();
    endpoint.inject(Fault::FailEvaluations {
        every: 10,
        times: 2,
    });
    let run = regent_at(&endpoint, &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let ids: Vec<String> = endpoint
        .evaluations()
        .iter()
        .map(|a| a.resource_id())
        .collect();
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), distinct.len()), (250, 250));
    assert_eq!(
        endpoint.requests_of("PutEvaluations").len(),
        9,
        "3 requests, each sent again twice"
    );
    assert!(endpoint
        .evaluations()
        .iter()
        .all(|a| !a.test_mode && a.result_token == TOKEN));

    // Every fiftieth always fails: sent four times, then each is a diagnostic.
    let endpoint = ConfigEndpoint::start();
    endpoint.inject(Fault::FailEvaluations {
        every: 50,
        times: usize::MAX,
    });
    let run = regent_at(&endpoint, &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_no_secret(&run, &[TOKEN]);
    assert_eq!(endpoint.evaluations().len(), 245);
    let named: Vec<String> = ["bucket-049", "bucket-099", "bucket-149", "bucket-199", "bucket-249"]
        .map(|id| format!("aws::call AWS::S3::Bucket {id}: PutEvaluations did not accept this NON_COMPLIANT evaluation in 4 calls: AWS Config listed it in FailedEvaluations each time"))
        .into();
    assert_eq!(errors(&common::json(&run)), named);
    assert_eq!(endpoint.requests_of("PutEvaluations").len(), 3 * 4);
}

#[test]
fn a_token_answers_for_one_account_and_region() {
    let endpoint = ConfigEndpoint::start();
    let demo = common::root().join("fixtures/demo");
    let demo = demo.to_str().unwrap();
    let args = [
        "eval",
        demo,
        "--control",
        "S3.5",
        "--put-evaluations",
        "--result-token",
        TOKEN,
    ];
    let run = regent_at(&endpoint, &args);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("aws::not_sent") && run.stderr.contains("--put-evaluations"),
        "{}",
        run.stderr
    );
    assert!(endpoint.requests_of("PutEvaluations").is_empty());
    assert_no_secret(&run, &[TOKEN]);

    let mut narrowed = args.to_vec();
    narrowed.extend([
        "--account",
        ACCOUNT_B,
        "--region",
        "eu-west-1",
        "--format",
        "json",
    ]);
    let run = regent_at(&endpoint, &narrowed);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let shown = common::json(&run)["results"].as_array().unwrap().len();
    assert!(shown > 0);
    assert_eq!(endpoint.evaluations().len(), shown);
}

/// POST one Config JSON request to the endpoint, the way the SDK does, and read the answer.
fn post(endpoint: &ConfigEndpoint, operation: &str, body: &Value) -> (u16, Value) {
    use std::io::{Read, Write};
    let address = endpoint.url().trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let body = body.to_string();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: local\r\nX-Amz-Target: StarlingDoveService.{operation}\r\nContent-Type: application/x-amz-json-1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=testing/20261110/us-east-1/config/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let json = answer.split("\r\n\r\n").nth(1).unwrap();
    (status, serde_json::from_str(json).unwrap())
}

/// The history the Lambda handler's oversized notifications need: the state at a time
/// (`laterTime`, `limit` 1), with tags and relationships, in the API's dialect.
#[test]
fn the_endpoint_serves_a_resources_history_up_to_a_time() {
    let endpoint = ConfigEndpoint::start();
    let state = |time: &str, status: &str| {
        json!({"configurationItemVersion": "1.3", "configurationItemCaptureTime": time,
               "configurationStateId": 1, "awsAccountId": ACCOUNT_A, "configurationItemStatus": status,
               "resourceType": "AWS::S3::Bucket", "resourceId": "logs", "awsRegion": "eu-west-1",
               "configuration": {"name": "logs"}, "supplementaryConfiguration": {},
               "tags": {"team": "a"},
               "relationships": [{"resourceType": "AWS::IAM::Role", "resourceId": "AROA1", "name": "Is used by"}]})
    };
    endpoint.add_items(
        ACCOUNT_A,
        "us-east-1",
        [
            state("2026-11-01T00:00:00.000Z", "OK"),
            state("2026-11-05T00:00:00.000Z", "OK"),
            state("2026-11-09T00:00:00.000Z", "ResourceDeleted"),
        ],
    );
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-06T00:00:00Z")
        .unwrap()
        .timestamp();
    let (status, answer) = post(
        &endpoint,
        "GetResourceConfigHistory",
        &json!({"resourceType": "AWS::S3::Bucket", "resourceId": "logs", "laterTime": at, "limit": 1}),
    );
    assert_eq!(status, 200);
    let items = answer["configurationItems"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    let second = chrono::DateTime::parse_from_rfc3339("2026-11-05T00:00:00Z")
        .unwrap()
        .timestamp();
    assert_eq!(item["configurationItemCaptureTime"], json!(second as f64));
    assert_eq!(item["accountId"], ACCOUNT_A);
    assert_eq!(item["configuration"], "{\"name\":\"logs\"}");
    assert_eq!(item["tags"], json!({"team": "a"}));
    assert_eq!(item["relationships"][0]["relationshipName"], "Is used by");
    assert!(answer["nextToken"].is_string(), "an older state is left");

    let (status, answer) = post(
        &endpoint,
        "GetResourceConfigHistory",
        &json!({"resourceType": "AWS::S3::Bucket", "resourceId": "gone"}),
    );
    assert_eq!(
        (status, answer["__type"].as_str()),
        (400, Some("ResourceNotDiscoveredException"))
    );
    assert_eq!(endpoint.requests_of("GetResourceConfigHistory").len(), 2);
}

#[test]
fn a_rule_over_several_controls_judges_each_resource_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = buckets(dir.path(), 3);
    let input = input.to_str().unwrap();
    let with_endpoint = |endpoint: &ConfigEndpoint, more: &[&str]| -> Run {
        let mut args = vec!["eval", input, "--control", "S3.5,S3.8", "--put-evaluations"];
        args.extend(more);
        // The token from the environment, where `ps` does not show it.
        let env = [("REGENT_RESULT_TOKEN", TOKEN)];
        common::regent_at_local_endpoint(&endpoint.url(), &args, &env)
    };
    // One evaluation per rule and resource: two controls are two rules, and a token
    // answers for one.
    let endpoint = ConfigEndpoint::start();
    let run = with_endpoint(&endpoint, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("aws::not_sent") && run.stderr.contains("--config-rule"),
        "{}",
        run.stderr
    );
    assert!(endpoint.requests_of("PutEvaluations").is_empty());

    // Named, the rule covers both: each bucket once, NON_COMPLIANT with both reasons.
    let run = with_endpoint(&endpoint, &["--config-rule", "regent-s3"]);
    assert_eq!(run.code, 1, "findings, no errors: {}", run.stderr);
    assert_no_secret(&run, &[TOKEN]);
    let arrived: Vec<Value> = endpoint
        .evaluations()
        .iter()
        .map(|a| as_rendered(&a.evaluation))
        .collect();
    assert_eq!(arrived.len(), 3);
    assert!(endpoint
        .evaluations()
        .iter()
        .all(|a| a.result_token == TOKEN));
    let annotation = arrived[0]["Annotation"].as_str().unwrap();
    assert!(
        annotation.starts_with("S3.5: ") && annotation.contains(" | S3.8: "),
        "{annotation}"
    );
    // Exactly what --format put-evaluations prints for the same rule.
    let printed = common::regent(&[
        "eval",
        input,
        "--control",
        "S3.5,S3.8",
        "--config-rule",
        "regent-s3",
        "--format",
        "put-evaluations",
    ]);
    let bodies: Value = serde_json::from_str(&printed.stdout).unwrap();
    assert_eq!(bodies.as_array().unwrap().len(), 1);
    assert_eq!(bodies[0]["config_rule"], "regent-s3");
    assert_eq!(bodies[0]["request"]["Evaluations"], Value::Array(arrived));
}

#[test]
fn without_credentials_the_diagnostic_says_so_and_what_to_do() {
    let endpoint = ConfigEndpoint::start();
    let url = endpoint.url();
    let mut command = common::command(&[
        "eval",
        "config://",
        "--control",
        "S3.5",
        "--endpoint-url",
        &url,
        "--aws-max-attempts",
        "1",
    ]);
    command.env("AWS_REGION", "us-east-1");
    let run = common::finish(command.output().unwrap());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let said = common::flat(&run.stderr);
    assert!(said.contains("aws::call"), "{said}");
    assert!(
        said.contains("ListDiscoveredResources was not sent: no AWS credentials were found"),
        "{said}"
    );
    assert!(
        said.contains("help: give regent credentials: --profile NAME or AWS_PROFILE"),
        "{said}"
    );
    assert!(
        endpoint.requests().is_empty(),
        "nothing reached the endpoint"
    );
}

#[test]
fn with_a_third_of_put_evaluations_calls_throttled_none_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let input = buckets(dir.path(), 250);
    let endpoint = ConfigEndpoint::start();
    endpoint.inject(Fault::Throttle { every: 3 });
    let run = regent_at(
        &endpoint,
        &[
            "eval",
            input.to_str().unwrap(),
            "--control",
            "S3.5",
            "--put-evaluations",
            "--result-token",
            TOKEN,
        ],
    );
    assert_eq!(run.code, 1, "findings, no errors: {}", run.stderr);
    let calls = endpoint.requests_of("PutEvaluations");
    let throttled = calls.iter().filter(|c| c.status == 400).count();
    assert!(throttled >= 1, "some calls were throttled: {}", calls.len());
    let ids: BTreeSet<String> = endpoint
        .evaluations()
        .iter()
        .map(|a| a.resource_id())
        .collect();
    assert_eq!(
        (endpoint.evaluations().len(), ids.len()),
        (250, 250),
        "each once"
    );
    assert_eq!(calls.len() - throttled, 3, "three calls went through");
}
