//! `regent eval ... --to-security-hub`: findings imported with BatchImportFindings, against
//! moto's Security Hub on 127.0.0.1 (one finding per NON_COMPLIANT result, read back with
//! GetFindings; a second import updates rather than duplicates; `--asff-passed`), and
//! against a small local endpoint speaking Security Hub's REST-JSON protocol where moto
//! falls short: it records what is sent (so the wire can be compared with `--format
//! asff`), refuses chosen findings in `FailedFindings`, and answers as AWS does when
//! Security Hub is not enabled (moto imports whether it is enabled or not).

mod common;

use aws_sdk_securityhub::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_securityhub::Client;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Never to be printed: every run checks that it is not.
const SECRET: &str = "regent-securityhub-test-secret-never-printed";

/// `regent eval fixtures/demo --endpoint-url <url>` plus `extra`, with credentials for a
/// local endpoint and a retry policy that cannot hang a test.
fn eval_demo(endpoint: &str, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "eval",
        "fixtures/demo",
        "--endpoint-url",
        endpoint,
        "--aws-max-attempts",
        "2",
        "--aws-backoff",
        "10ms",
        "--aws-timeout",
        "30s",
        "--quiet",
    ];
    args.extend(extra);
    let run = common::regent_with_local_aws(&args, SECRET, &[]);
    assert!(
        !run.stdout.contains(SECRET) && !says(&run.stderr, SECRET),
        "the secret key was printed:\n{}",
        run.transcript()
    );
    run
}

/// The demo's results of one verdict, from `--format json`, as (control id, the
/// resource's id in Security Hub: its ARN, or `AWS::::Account:<id>` for an account, the
/// region its finding goes to: IAM's `global` is us-east-1's).
fn demo_results(verdict: &str) -> BTreeSet<(String, String, String)> {
    let run = common::regent(&["eval", "fixtures/demo", "--format", "json"]);
    let report = common::json(&run);
    let rows: Vec<&Value> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["compliance_type"] == verdict)
        .collect();
    let results: BTreeSet<(String, String, String)> = rows
        .iter()
        .map(|r| {
            let resource = match (r["arn"].as_str(), r["resource_type"].as_str()) {
                (Some(arn), _) => arn.to_string(),
                (None, Some("AWS::::Account")) => {
                    format!("AWS::::Account:{}", r["aws_account_id"].as_str().unwrap())
                }
                _ => r["resource_id"].as_str().unwrap().to_string(),
            };
            let region = match r["aws_region"].as_str().unwrap() {
                "global" => "us-east-1",
                region => region,
            };
            (
                r["control_id"].as_str().unwrap().to_string(),
                resource,
                region.to_string(),
            )
        })
        .collect();
    assert_eq!(results.len(), rows.len(), "each result is one finding");
    results
}

/// The demo's regions, as Security Hub receives its findings (IAM's `global` in us-east-1).
const DEMO_REGIONS: [&str; 2] = ["eu-west-1", "us-east-1"];

/// A Security Hub client for moto in `region`.
fn client(endpoint: &str, region: &str) -> Client {
    let config = aws_sdk_securityhub::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
        .build();
    Client::from_conf(config)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Every finding moto holds in `region`, page by page.
fn get_findings(
    rt: &tokio::runtime::Runtime,
    endpoint: &str,
    region: &str,
) -> Vec<aws_sdk_securityhub::types::AwsSecurityFinding> {
    let client = client(endpoint, region);
    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = rt
            .block_on(
                client
                    .get_findings()
                    .max_results(100)
                    .set_next_token(token)
                    .send(),
            )
            .expect("GetFindings answers");
        all.extend(page.findings().iter().cloned());
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if token.is_none() {
            return all;
        }
    }
}

/// (SecurityControlId, Resources[0].Id, the region, Compliance.Status) of every finding
/// in the demo's regions, with the number of findings in all (duplicates would make it
/// larger).
fn held(rt: &tokio::runtime::Runtime, endpoint: &str) -> (usize, BTreeSet<Held>) {
    let mut count = 0;
    let mut seen = BTreeSet::new();
    for region in DEMO_REGIONS {
        for finding in get_findings(rt, endpoint, region) {
            count += 1;
            let compliance = finding.compliance().expect("Compliance");
            seen.insert((
                compliance
                    .security_control_id()
                    .unwrap_or_default()
                    .to_string(),
                finding.resources()[0].id().unwrap_or_default().to_string(),
                region.to_string(),
                compliance
                    .status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            ));
        }
    }
    (count, seen)
}

/// A finding Security Hub holds: control, resource, region, status.
type Held = (String, String, String, String);

fn with_status(results: &BTreeSet<(String, String, String)>, status: &str) -> BTreeSet<Held> {
    results
        .iter()
        .map(|(control, resource, region)| {
            (
                control.clone(),
                resource.clone(),
                region.clone(),
                status.to_string(),
            )
        })
        .collect()
}

/// Whether stderr says `wanted`, however miette wrapped it to the terminal's width (a
/// line may break inside a finding id): both compared without whitespace.
fn says(stderr: &str, wanted: &str) -> bool {
    let squeeze = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    squeeze(stderr).contains(&squeeze(wanted))
}

#[test]
fn findings_are_imported_once_per_failure_and_updated_on_reimport() {
    let Some(moto) =
        common::tools::moto("findings_are_imported_once_per_failure_and_updated_on_reimport")
    else {
        return;
    };
    let endpoint = moto.url();
    let rt = runtime();
    for region in DEMO_REGIONS {
        rt.block_on(client(&endpoint, region).enable_security_hub().send())
            .expect("EnableSecurityHub answers");
    }
    let failing = demo_results("NON_COMPLIANT");
    let passing = demo_results("COMPLIANT");
    assert!(failing.len() > 200, "the demo has failures to send");

    let run = eval_demo(&endpoint, &["--to-security-hub"]);
    // The demo has findings (exit 1); every one was imported.
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        says(
            &run.stderr,
            &format!("{} findings imported into Security Hub", failing.len())
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("Summary"),
        "the report is still written: {}",
        run.stdout
    );
    let (count, seen) = held(&rt, &endpoint);
    assert_eq!(count, failing.len(), "one finding per NON_COMPLIANT result");
    assert_eq!(seen, with_status(&failing, "FAILED"));

    // The same findings again: the same ids, so Security Hub updates instead of adding.
    let again = eval_demo(&endpoint, &["--to-security-hub"]);
    assert_eq!(again.code, 1, "{}", again.transcript());
    assert_eq!(
        held(&rt, &endpoint).0,
        failing.len(),
        "a re-import does not duplicate"
    );

    // PASSED findings for COMPLIANT results come on top.
    let passed = eval_demo(&endpoint, &["--to-security-hub", "--asff-passed"]);
    assert_eq!(passed.code, 1, "{}", passed.transcript());
    let (count, seen) = held(&rt, &endpoint);
    assert_eq!(count, failing.len() + passing.len());
    let mut expected = with_status(&failing, "FAILED");
    expected.extend(with_status(&passing, "PASSED"));
    assert_eq!(seen, expected);
}

/// One request the local endpoint received.
#[derive(Debug, Clone)]
struct Call {
    method: String,
    path: String,
    /// The region the request was signed for (from `Authorization`'s credential scope).
    region: String,
    body: Value,
}

/// How the local endpoint answers BatchImportFindings, given how many calls came before
/// and the findings' ids: (HTTP status, the error type for an error, the JSON body).
type Answer = dyn Fn(usize, &[String]) -> (u16, Option<&'static str>, Value) + Send + Sync;

/// A local Security Hub on 127.0.0.1 (REST-JSON: `POST /findings/import`), recording every
/// call; stopped when dropped.
struct Endpoint {
    port: u16,
    calls: Arc<Mutex<Vec<Call>>>,
    stop: Arc<AtomicBool>,
}

impl Endpoint {
    fn start(answer: Box<Answer>) -> Endpoint {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("an address").port();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let answer: Arc<Answer> = Arc::from(answer);
        let (seen, stopped) = (calls.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (seen, answer) = (seen.clone(), answer.clone());
                std::thread::spawn(move || serve(stream, &seen, &*answer));
            }
        });
        Endpoint { port, calls, stop }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Answers the requests of one connection (the SDK keeps connections alive).
fn serve(stream: TcpStream, calls: &Mutex<Vec<Call>>, answer: &Answer) {
    let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut length = 0;
        let mut authorization = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = value.trim().to_string(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        // `Credential=<key>/<date>/<region>/securityhub/aws4_request`
        let region = authorization
            .split("Credential=")
            .nth(1)
            .and_then(|c| c.split('/').nth(2))
            .unwrap_or_default()
            .to_string();
        let ids: Vec<String> = body["Findings"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter_map(|f| f["Id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let index = {
            let mut calls = calls.lock().unwrap();
            calls.push(Call {
                method: method.clone(),
                path: path.clone(),
                region,
                body,
            });
            calls.len() - 1
        };
        let (status, error_type, reply) = if method == "POST" && path == "/findings/import" {
            answer(index, &ids)
        } else {
            (
                404,
                Some("ResourceNotFoundException"),
                json!({"Message": "no such route"}),
            )
        };
        let reply = reply.to_string();
        let error_header =
            error_type.map_or(String::new(), |t| format!("x-amzn-ErrorType: {t}\r\n"));
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nx-amzn-RequestId: req-{index}\r\n{error_header}\r\n",
            if status == 200 { "OK" } else { "Error" },
            reply.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(reply.as_bytes()).is_err()
        {
            return;
        }
    }
}

/// A BatchImportFindings answer refusing `refused` of `ids`.
fn import_answer(ids: &[String], refused: &[&str]) -> Value {
    let failed: Vec<Value> = ids
        .iter()
        .filter(|id| refused.contains(&id.as_str()))
        .map(|id| json!({"Id": id, "ErrorCode": "InvalidInput", "ErrorMessage": "Finding does not adhere to ASFF"}))
        .collect();
    json!({"FailedCount": failed.len(), "SuccessCount": ids.len() - failed.len(), "FailedFindings": failed})
}

/// Findings of `--format asff` output, by id.
fn by_id(findings: &[Value]) -> BTreeMap<String, Value> {
    findings
        .iter()
        .map(|f| (f["Id"].as_str().expect("an Id").to_string(), f.clone()))
        .collect()
}

#[test]
fn what_is_sent_is_the_asff_report_100_at_a_time_in_each_region() {
    let endpoint = Endpoint::start(Box::new(|_, ids| (200, None, import_answer(ids, &[]))));
    let run = eval_demo(
        &endpoint.url(),
        &["--format", "asff", "--asff-passed", "--to-security-hub"],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let printed: Vec<Value> = serde_json::from_str::<Value>(&run.stdout)
        .expect("--format asff prints JSON")
        .as_array()
        .expect("an array")
        .clone();
    assert!(
        printed.len() > 1000,
        "PASSED and FAILED findings of the demo"
    );

    let calls = endpoint.calls();
    let mut sent = Vec::new();
    let mut per_region: BTreeMap<String, usize> = BTreeMap::new();
    for call in &calls {
        assert_eq!(
            (call.method.as_str(), call.path.as_str()),
            ("POST", "/findings/import")
        );
        let findings = call.body["Findings"].as_array().expect("Findings");
        assert!(
            findings.len() <= 100,
            "{} findings in one call",
            findings.len()
        );
        for finding in findings {
            // Each finding goes to its own region, named in its ProductArn.
            let product_region = finding["ProductArn"]
                .as_str()
                .unwrap()
                .split(':')
                .nth(3)
                .unwrap();
            assert_eq!(product_region, call.region, "{}", finding["Id"]);
        }
        *per_region.entry(call.region.clone()).or_default() += findings.len();
        sent.extend(findings.iter().cloned());
    }
    // The fewest calls: every region's findings in full calls of 100 and one remainder.
    let expected_calls: usize = per_region.values().map(|n| n.div_ceil(100)).sum();
    assert_eq!(calls.len(), expected_calls, "{per_region:?}");
    assert_eq!(
        per_region.keys().map(String::as_str).collect::<Vec<_>>(),
        DEMO_REGIONS
    );
    // Field for field, the SDK sends what `--format asff` prints.
    assert_eq!(sent.len(), printed.len());
    assert_eq!(by_id(&sent), by_id(&printed));
}

#[test]
fn refused_findings_are_sent_again_then_reported() {
    // Two findings of the demo: one Security Hub refuses once, one it always refuses.
    let findings = common::json(&common::regent(&[
        "eval",
        "fixtures/demo",
        "--format",
        "asff",
    ]));
    let transient = findings[0]["Id"].as_str().unwrap().to_string();
    let permanent = findings[1]["Id"].as_str().unwrap().to_string();
    let (once, always) = (transient.clone(), permanent.clone());
    let refusals = Arc::new(Mutex::new(0));
    let counted = refusals.clone();
    let endpoint = Endpoint::start(Box::new(move |_, ids| {
        let mut refused = vec![always.as_str()];
        let mut first = counted.lock().unwrap();
        if *first == 0 && ids.contains(&once) {
            refused.push(once.as_str());
            *first += 1;
        }
        (200, None, import_answer(ids, &refused))
    }));

    let run = eval_demo(&endpoint.url(), &["--to-security-hub"]);
    assert_eq!(
        run.code,
        2,
        "a finding that was not imported fails the run: {}",
        run.transcript()
    );
    assert!(says(&run.stderr, "aws::call"), "{}", run.stderr);
    assert!(
        says(&run.stderr, &permanent),
        "the refused finding is named: {}",
        run.stderr
    );
    assert!(
        says(&run.stderr, "InvalidInput: Finding does not adhere to ASFF"),
        "with the error code and message: {}",
        run.stderr
    );
    assert!(says(&run.stderr, "sent 4 times"), "{}", run.stderr);
    assert!(
        !says(&run.stderr, &transient),
        "imported on its second try: {}",
        run.stderr
    );
    let sent_with = |id: &str| {
        endpoint
            .calls()
            .iter()
            .flat_map(|c| c.body["Findings"].as_array().cloned().unwrap_or_default())
            .filter(|f| f["Id"] == id)
            .count()
    };
    assert_eq!(sent_with(&transient), 2);
    assert_eq!(sent_with(&permanent), 4, "the first send and three more");
    let total = findings.as_array().unwrap().len();
    assert!(
        says(
            &run.stderr,
            &format!(
                "{} of {total} findings imported into Security Hub",
                total - 1
            )
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn security_hub_not_enabled_is_an_aws_call_error() {
    // What Security Hub answers an account that has not enabled it.
    let endpoint = Endpoint::start(Box::new(|_, _| {
        (
            403,
            Some("InvalidAccessException"),
            json!({"Code": "InvalidAccessException", "Message": "Account 123456789012 is not subscribed to AWS Security Hub"}),
        )
    }));
    let run = eval_demo(&endpoint.url(), &["--to-security-hub", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    // The report is written first, whole.
    let report = common::json(&run);
    assert_eq!(report["summary"]["non_compliant"], 237);
    for wanted in [
        "aws::call",
        "Security Hub in eu-west-1",
        "Security Hub in us-east-1",
        "BatchImportFindings failed: InvalidAccessException: Account 123456789012 is not subscribed to AWS Security Hub",
        "(request id req-",
        "were not imported",
        "aws securityhub enable-security-hub --region eu-west-1",
    ] {
        assert!(says(&run.stderr, wanted), "{wanted:?} in:\n{}", run.stderr);
    }
    // One failed call per region: the rest of a region's findings are not tried in vain.
    let regions: Vec<String> = endpoint.calls().iter().map(|c| c.region.clone()).collect();
    assert_eq!(regions, DEMO_REGIONS);
}

#[test]
fn what_the_report_does_not_show_is_not_sent() {
    // A view showing no result of the demo: no finding, so no call.
    let endpoint = Endpoint::start(Box::new(|_, ids| (200, None, import_answer(ids, &[]))));
    let run = eval_demo(
        &endpoint.url(),
        &["--to-security-hub", "--account", "000000000000"],
    );
    assert_eq!(
        run.code,
        1,
        "the exit code still reflects every result: {}",
        run.transcript()
    );
    assert!(
        says(&run.stderr, "no finding to import into Security Hub"),
        "{}",
        run.stderr
    );
    assert!(endpoint.calls().is_empty());
}
