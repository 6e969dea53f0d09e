//! A local AWS Config endpoint for tests, on 127.0.0.1: a small HTTP/1.1 server speaking
//! the Config JSON 1.1 protocol (`POST /`, `X-Amz-Target: StarlingDoveService.<Operation>`,
//! `application/x-amz-json-1.1`, timestamps as epoch seconds) and, for `--assume-role`,
//! STS's query protocol (AssumeRole, GetCallerIdentity; XML answers). moto cannot stand in:
//! its Config items are not readable by the Rust SDK, and its PutEvaluations never fails.
//!
//! It serves the configuration items a test gives it, as AWS Config would: the current
//! items of the caller's account in the region the request is signed for (deleted ones
//! are not listed; BatchGet answers carry no tags and no relationships, as AWS's do),
//! every account and region through an aggregator, and their history. It records every
//! request, and injects faults on demand. Point regent at it with `--endpoint-url
//! endpoint.url()` and `AWS_ACCESS_KEY_ID=testing`, `AWS_SECRET_ACCESS_KEY=testing`,
//! `AWS_REGION=us-east-1`.
//!
//! ```ignore
//! let endpoint = ConfigEndpoint::start();
//! endpoint.add_snapshot_file(&demo_snapshot);        // the recorder of one account and region
//! endpoint.add_aggregator("org");                     // every account and region added
//! endpoint.inject(Fault::Throttle { every: 3 });      // a third of calls throttled, once each
//! // ... run regent ...
//! let listed = endpoint.requests_of("ListDiscoveredResources");
//! let sent = endpoint.evaluations();                  // what PutEvaluations accepted
//! ```
//!
//! Operations: ListDiscoveredResources, BatchGetResourceConfig (`unprocessedResourceKeys`),
//! ListAggregateDiscoveredResources, BatchGetAggregateResourceConfig
//! (`UnprocessedResourceIdentifiers`), GetResourceConfigHistory (`laterTime`,
//! `earlierTime`, `chronologicalOrder`, `limit`, `nextToken`), PutEvaluations (at most
//! 100, the checks AWS makes, `FailedEvaluations`), GetComplianceDetailsByConfigRule (the
//! verdicts a test says a rule recorded before: `add_judged`); STS AssumeRole (temporary credentials
//! that act as the role's account) and GetCallerIdentity. Anything else answers HTTP 400
//! `UnknownOperationException`.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// One request as the endpoint saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `ListDiscoveredResources`, `PutEvaluations`, `AssumeRole`, ...
    pub operation: String,
    /// The JSON body; for STS the form's fields as an object of strings.
    pub body: Value,
    /// The access key id the request was signed with (from `Authorization`).
    pub access_key_id: Option<String>,
    /// The region it was signed for.
    pub region: Option<String>,
    /// `X-Amz-Security-Token`, when it was sent (temporary credentials).
    pub security_token: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
}

/// An evaluation PutEvaluations accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub result_token: String,
    pub test_mode: bool,
    /// As sent: `ComplianceResourceType`, `ComplianceResourceId`, `ComplianceType`,
    /// `Annotation`, `OrderingTimestamp` (epoch seconds).
    pub evaluation: Value,
}

impl Accepted {
    /// The evaluation's `ComplianceResourceId`.
    pub fn resource_id(&self) -> String {
        self.evaluation["ComplianceResourceId"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The evaluation's `ComplianceType`.
    pub fn compliance(&self) -> String {
        self.evaluation["ComplianceType"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// A fault to inject. Faults that would only delay a call are injected at most once per
/// distinct request (same operation and body), so a client that retries always gets
/// through: what is tested is that it retries, not luck.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Every `every`-th Config call answers HTTP 400 `ThrottlingException`.
    Throttle { every: usize },
    /// Every `every`-th Config call answers HTTP 500 `InternalFailure`.
    ServerError { every: usize },
    /// Every call of `operation` (of `resource_type` only, when given) answers HTTP 400
    /// `ThrottlingException`, however often it is retried.
    AlwaysThrottle {
        operation: String,
        resource_type: Option<String>,
    },
    /// BatchGet(Aggregate)ResourceConfig leaves every `every`-th key of a request
    /// unprocessed, the first `times` times that key is asked for.
    Unprocessed { every: usize, times: usize },
    /// PutEvaluations lists every `every`-th evaluation of a request in
    /// `FailedEvaluations`, the first `times` times that evaluation (type and id) is sent
    /// (`usize::MAX`: always).
    FailEvaluations { every: usize, times: usize },
}

/// One item, as recorded by the recorder of an account and region (`home`).
#[derive(Debug, Clone)]
struct Recorded {
    account: String,
    home: String,
    /// In the snapshot-file (N) dialect.
    item: Value,
}

#[derive(Default)]
struct State {
    items: Vec<Recorded>,
    aggregators: HashSet<String>,
    /// The account of calls not signed with assumed credentials.
    default_account: Option<String>,
    /// Access key ids handed out by AssumeRole, and the account they act as.
    assumed: BTreeMap<String, String>,
    page_size: usize,
    faults: Vec<Fault>,
    requests: Vec<Request>,
    accepted: Vec<Accepted>,
    /// Verdicts recorded before: (rule, resource type, resource id, compliance type).
    judged: Vec<(String, String, String, String)>,
    config_calls: usize,
    faulted_bodies: HashSet<String>,
    /// How often each resource key was asked for, and each evaluation sent; which of them
    /// a fault picked (when first seen at a picked position).
    asks: BTreeMap<String, usize>,
    picked: HashSet<String>,
}

/// The endpoint; it stops listening when dropped.
pub struct ConfigEndpoint {
    port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl ConfigEndpoint {
    /// Listening on a free port of 127.0.0.1, serving nothing yet.
    pub fn start() -> ConfigEndpoint {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let port = listener.local_addr().expect("bound").port();
        let state = Arc::new(Mutex::new(State {
            page_size: 100,
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (accept_state, accept_stop) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = accept_state.clone();
                std::thread::spawn(move || serve_connection(stream, &state));
            }
        });
        ConfigEndpoint { port, state, stop }
    }

    /// `http://127.0.0.1:PORT`, for `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Serve `items` (snapshot-file dialect) as recorded in `account` and `region` (IAM
    /// items, region `global`, belong to the region that records them). The first account
    /// added answers calls signed with keys AssumeRole did not hand out.
    pub fn add_items(&self, account: &str, region: &str, items: impl IntoIterator<Item = Value>) {
        let mut state = self.state();
        state
            .default_account
            .get_or_insert_with(|| account.to_string());
        state.items.extend(items.into_iter().map(|item| Recorded {
            account: account.to_string(),
            home: region.to_string(),
            item,
        }));
    }

    /// Serve the items of a snapshot file (`{"configurationItems": [...]}`), recorded in the
    /// account and region of its items. Returns that account and region.
    pub fn add_snapshot_file(&self, path: &Path) -> (String, String) {
        let text = std::fs::read_to_string(path).expect("the snapshot file is readable");
        let snapshot: Value = serde_json::from_str(&text).expect("the snapshot file is JSON");
        let items = snapshot["configurationItems"]
            .as_array()
            .expect("a snapshot file has configurationItems")
            .clone();
        let account = items
            .iter()
            .find_map(|i| i["awsAccountId"].as_str())
            .expect("items name their account")
            .to_string();
        let region = items
            .iter()
            .filter_map(|i| i["awsRegion"].as_str())
            .find(|r| *r != "global")
            .expect("items name their region")
            .to_string();
        self.add_items(&account, &region, items);
        (account, region)
    }

    /// A verdict `rule` recorded before on a resource, as GetComplianceDetailsByConfigRule
    /// answers it.
    pub fn add_judged(&self, rule: &str, resource_type: &str, resource_id: &str, compliance: &str) {
        self.state().judged.push((
            rule.to_string(),
            resource_type.to_string(),
            resource_id.to_string(),
            compliance.to_string(),
        ));
    }

    /// An aggregator of every account and region served.
    pub fn add_aggregator(&self, name: &str) {
        self.state().aggregators.insert(name.to_string());
    }

    /// The account calls signed with the base credentials act as.
    pub fn set_caller_account(&self, account: &str) {
        self.state().default_account = Some(account.to_string());
    }

    /// The most identifiers a listing page holds (a request's `limit` may ask for fewer).
    pub fn set_page_size(&self, size: usize) {
        self.state().page_size = size.max(1);
    }

    pub fn inject(&self, fault: Fault) {
        self.state().faults.push(fault);
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    /// The requests of one operation.
    pub fn requests_of(&self, operation: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation == operation)
            .collect()
    }

    /// Every evaluation PutEvaluations accepted, in order.
    pub fn evaluations(&self) -> Vec<Accepted> {
        self.state().accepted.clone()
    }

    /// The items served for `account` in `region`, as the snapshot file a test compares
    /// with: what a BatchGetResourceConfig answer carries (no tags, relationships, related
    /// events or hash; no deleted resource), in the snapshot-file dialect.
    pub fn as_served_snapshot(&self, account: &str, region: &str) -> Value {
        let state = self.state();
        let items: Vec<Value> = state
            .items
            .iter()
            .filter(|r| r.account == account && r.home == region && is_current(&r.item))
            .map(|r| {
                let mut item = r.item.clone();
                if let Some(object) = item.as_object_mut() {
                    for key in [
                        "tags",
                        "relationships",
                        "relatedEvents",
                        "configurationStateMd5Hash",
                    ] {
                        object.remove(key);
                    }
                }
                item
            })
            .collect();
        json!({
            "fileVersion": "1.0",
            "configSnapshotId": format!("served-{account}-{region}"),
            "configurationItems": items,
        })
    }
}

impl Drop for ConfigEndpoint {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
}

impl Answer {
    fn json(body: Value) -> Answer {
        Answer {
            status: 200,
            content_type: "application/x-amz-json-1.1",
            body: body.to_string(),
        }
    }

    fn error(status: u16, code: &str, message: &str) -> Answer {
        Answer {
            status,
            content_type: "application/x-amz-json-1.1",
            body: json!({"__type": code, "message": message}).to_string(),
        }
    }

    fn xml(body: String) -> Answer {
        Answer {
            status: 200,
            content_type: "text/xml",
            body,
        }
    }
}

/// Requests of one connection (the SDK keeps connections alive), until it closes.
fn serve_connection(stream: TcpStream, state: &Mutex<State>) {
    let Ok(writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = writer;
    while let Some((headers, body)) = read_request(&mut reader) {
        let (request, answer) = {
            let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
            let mut request = describe(&headers, &body);
            let answer = handle(&mut state, &request);
            request.status = answer.status;
            state.requests.push(request.clone());
            (request, answer)
        };
        let reason = if answer.status == 200 { "OK" } else { "Error" };
        let response = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nx-amzn-RequestId: req-{}-{}\r\n\r\n{}",
            answer.status,
            answer.content_type,
            answer.body.len(),
            request.operation,
            answer.status,
            answer.body
        );
        let close = headers
            .get("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        if writer.write_all(response.as_bytes()).is_err() || close {
            return;
        }
    }
}

/// One request's headers (names lower-cased) and body; `None` when the connection ends.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(BTreeMap<String, String>, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        let length: usize = headers
            .get("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        body.resize(length, 0);
        reader.read_exact(&mut body).ok()?;
    }
    Some((headers, body))
}

/// What a request is: its operation, body and signer.
fn describe(headers: &BTreeMap<String, String>, body: &[u8]) -> Request {
    let text = String::from_utf8_lossy(body);
    let (operation, body) = match headers.get("x-amz-target") {
        Some(target) => (
            target.rsplit('.').next().unwrap_or_default().to_string(),
            serde_json::from_str(&text).unwrap_or(Value::Null),
        ),
        None => {
            let form = form_fields(&text);
            let action = form
                .get("Action")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            (action, Value::Object(form))
        }
    };
    let credential = headers
        .get("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .map(|c| c.split([',', ' ']).next().unwrap_or("").to_string());
    let scope: Vec<&str> = credential.as_deref().unwrap_or("").split('/').collect();
    Request {
        operation,
        body,
        access_key_id: scope
            .first()
            .filter(|k| !k.is_empty())
            .map(|k| k.to_string()),
        region: scope.get(2).map(|r| r.to_string()),
        security_token: headers.get("x-amz-security-token").cloned(),
        status: 0,
    }
}

/// `a=1&b=x%2Fy` as an object of strings.
fn form_fields(text: &str) -> Map<String, Value> {
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), Value::String(decode(v))))
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).map(String::from_utf8_lossy);
        if let (b'%', Some(Ok(byte))) = (bytes[i], hex.map(|h| u8::from_str_radix(&h, 16))) {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn handle(state: &mut State, request: &Request) -> Answer {
    let body = &request.body;
    match request.operation.as_str() {
        "AssumeRole" => return assume_role(state, body),
        "GetCallerIdentity" => return caller_identity(state, request),
        _ => {}
    }
    if let Some(fault) = injected(state, request) {
        return fault;
    }
    let account = account_of(state, request);
    let region = request.region.clone().unwrap_or_default();
    match request.operation.as_str() {
        "ListDiscoveredResources" => list(state, body, &account, &region),
        "BatchGetResourceConfig" => batch_get(state, body, &account, &region),
        "ListAggregateDiscoveredResources" => list_aggregate(state, body),
        "BatchGetAggregateResourceConfig" => batch_get_aggregate(state, body),
        "GetResourceConfigHistory" => history(state, body, &account, &region),
        "PutEvaluations" => put_evaluations(state, body),
        "GetComplianceDetailsByConfigRule" => compliance_details(state, body),
        other => Answer::error(
            400,
            "UnknownOperationException",
            &format!("{other} is not served here"),
        ),
    }
}

/// A throttle or server error, when one is due for this request.
fn injected(state: &mut State, request: &Request) -> Option<Answer> {
    state.config_calls += 1;
    let call = state.config_calls;
    let key = format!("{} {}", request.operation, request.body);
    for fault in state.faults.clone() {
        let (every, answer) = match &fault {
            Fault::AlwaysThrottle {
                operation,
                resource_type,
            } if *operation == request.operation
                && resource_type.as_ref().is_none_or(|t| {
                    [&request.body["resourceType"], &request.body["ResourceType"]]
                        .contains(&&json!(t))
                }) =>
            {
                return Some(Answer::error(400, "ThrottlingException", "Rate exceeded"));
            }
            Fault::Throttle { every } => (
                *every,
                Answer::error(400, "ThrottlingException", "Rate exceeded"),
            ),
            Fault::ServerError { every } => (
                *every,
                Answer::error(500, "InternalFailure", "injected server error"),
            ),
            _ => continue,
        };
        if every > 0 && call.is_multiple_of(every) && state.faulted_bodies.insert(key.clone()) {
            return Some(answer);
        }
    }
    None
}

/// The account a request acts as: the role's for assumed credentials, else the caller's.
fn account_of(state: &State, request: &Request) -> String {
    request
        .access_key_id
        .as_ref()
        .and_then(|key| state.assumed.get(key))
        .or(state.default_account.as_ref())
        .cloned()
        .unwrap_or_default()
}

fn is_current(item: &Value) -> bool {
    !matches!(
        item["configurationItemStatus"].as_str(),
        Some("ResourceDeleted" | "ResourceDeletedNotRecorded")
    )
}

fn text<'v>(item: &'v Value, keys: &[&str]) -> Option<&'v str> {
    keys.iter().find_map(|k| item[*k].as_str())
}

fn resource_type(item: &Value) -> &str {
    text(item, &["resourceType"]).unwrap_or("")
}

fn resource_id(item: &Value) -> &str {
    text(item, &["resourceId"]).unwrap_or("")
}

/// A page of `entries` from `token` (an offset), at most `limit` long.
fn page<T: Clone>(entries: &[T], token: Option<&str>, limit: usize) -> (Vec<T>, Option<String>) {
    let start: usize = token
        .and_then(|t| t.strip_prefix("page-"))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let end = (start + limit).min(entries.len());
    let next = (end < entries.len()).then(|| format!("page-{end}"));
    (entries.get(start..end).unwrap_or_default().to_vec(), next)
}

fn limit(state: &State, requested: &Value) -> usize {
    match requested.as_u64() {
        Some(n) if n > 0 => (n as usize).min(state.page_size),
        _ => state.page_size,
    }
}

/// The current items of `account` recorded in `region`.
fn served<'s>(
    state: &'s State,
    account: &'s str,
    region: &'s str,
) -> impl Iterator<Item = &'s Recorded> {
    state
        .items
        .iter()
        .filter(move |r| r.account == account && r.home == region && is_current(&r.item))
}

fn list(state: &State, body: &Value, account: &str, region: &str) -> Answer {
    let wanted = body["resourceType"].as_str().unwrap_or("");
    let identifiers: Vec<Value> = served(state, account, region)
        .filter(|r| resource_type(&r.item) == wanted)
        .map(|r| {
            let mut identifier =
                json!({"resourceType": wanted, "resourceId": resource_id(&r.item)});
            if let Some(name) = r.item["resourceName"].as_str() {
                identifier["resourceName"] = json!(name);
            }
            identifier
        })
        .collect();
    let (identifiers, next) = page(
        &identifiers,
        body["nextToken"].as_str(),
        limit(state, &body["limit"]),
    );
    let mut answer = json!({"resourceIdentifiers": identifiers});
    if let Some(next) = next {
        answer["nextToken"] = json!(next);
    }
    Answer::json(answer)
}

/// The rule's recorded verdicts of the compliance types asked for, a page at a time.
fn compliance_details(state: &State, body: &Value) -> Answer {
    let rule = body["ConfigRuleName"].as_str().unwrap_or("");
    let wanted: Vec<&str> = body["ComplianceTypes"]
        .as_array()
        .map(|types| types.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let results: Vec<Value> = state
        .judged
        .iter()
        .filter(|(r, _, _, compliance)| {
            r == rule && (wanted.is_empty() || wanted.contains(&compliance.as_str()))
        })
        .map(|(rule, resource_type, resource_id, compliance)| {
            json!({
                "EvaluationResultIdentifier": {
                    "EvaluationResultQualifier": {
                        "ConfigRuleName": rule,
                        "ResourceType": resource_type,
                        "ResourceId": resource_id,
                    },
                    "OrderingTimestamp": 1.7e9,
                },
                "ComplianceType": compliance,
                "ResultRecordedTime": 1.7e9,
                "ConfigRuleInvokedTime": 1.7e9,
            })
        })
        .collect();
    let (results, next) = page(
        &results,
        body["NextToken"].as_str(),
        limit(state, &body["Limit"]),
    );
    let mut answer = json!({"EvaluationResults": results});
    if let Some(next) = next {
        answer["NextToken"] = json!(next);
    }
    Answer::json(answer)
}

/// Whether a fault of `every` and `times` fails this ask of `key` (at `position` in its
/// request): picked when first asked at every `every`-th position, failed while asked at
/// most `times` times.
fn faulted(
    state: &mut State,
    key: String,
    position: usize,
    (every, times): (usize, usize),
) -> bool {
    let asked = state.asks.entry(key.clone()).or_default();
    *asked += 1;
    let asked = *asked;
    if asked == 1 && every > 0 && (position + 1).is_multiple_of(every) {
        state.picked.insert(key.clone());
    }
    state.picked.contains(&key) && asked <= times
}

/// Whether this ask of `key` is one to leave unprocessed.
fn leave_unprocessed(state: &mut State, key: String, position: usize) -> bool {
    let fault = state.faults.iter().find_map(|f| match f {
        Fault::Unprocessed { every, times } => Some((*every, *times)),
        _ => None,
    });
    fault.is_some_and(|fault| faulted(state, format!("key {key}"), position, fault))
}

fn batch_get(state: &mut State, body: &Value, account: &str, region: &str) -> Answer {
    let keys = body["resourceKeys"].as_array().cloned().unwrap_or_default();
    if keys.is_empty() || keys.len() > 100 {
        return Answer::error(
            400,
            "ValidationException",
            "resourceKeys must hold 1 to 100 keys",
        );
    }
    let mut items = Vec::new();
    let mut unprocessed = Vec::new();
    for (position, key) in keys.iter().enumerate() {
        let (wanted_type, wanted_id) =
            (resource_type(key).to_string(), resource_id(key).to_string());
        if leave_unprocessed(
            state,
            format!("{account} {region} {wanted_type} {wanted_id}"),
            position,
        ) {
            unprocessed.push(key.clone());
            continue;
        }
        let found = served(state, account, region)
            .find(|r| resource_type(&r.item) == wanted_type && resource_id(&r.item) == wanted_id);
        items.extend(found.map(|r| base_item(&r.item)));
    }
    Answer::json(json!({"baseConfigurationItems": items, "unprocessedResourceKeys": unprocessed}))
}

fn aggregator_missing(state: &State, body: &Value) -> Option<Answer> {
    let name = body["ConfigurationAggregatorName"].as_str().unwrap_or("");
    (!state.aggregators.contains(name)).then(|| {
        Answer::error(
            400,
            "NoSuchConfigurationAggregatorException",
            &format!("The configuration aggregator does not exist: {name}"),
        )
    })
}

fn list_aggregate(state: &State, body: &Value) -> Answer {
    if let Some(missing) = aggregator_missing(state, body) {
        return missing;
    }
    let wanted = body["ResourceType"].as_str().unwrap_or("");
    let identifiers: Vec<Value> = state
        .items
        .iter()
        .filter(|r| is_current(&r.item) && resource_type(&r.item) == wanted)
        .map(|r| {
            let mut identifier = json!({"SourceAccountId": r.account, "SourceRegion": r.home,
                "ResourceId": resource_id(&r.item), "ResourceType": wanted});
            if let Some(name) = r.item["resourceName"].as_str() {
                identifier["ResourceName"] = json!(name);
            }
            identifier
        })
        .collect();
    let (identifiers, next) = page(
        &identifiers,
        body["NextToken"].as_str(),
        limit(state, &body["Limit"]),
    );
    let mut answer = json!({"ResourceIdentifiers": identifiers});
    if let Some(next) = next {
        answer["NextToken"] = json!(next);
    }
    Answer::json(answer)
}

fn batch_get_aggregate(state: &mut State, body: &Value) -> Answer {
    if let Some(missing) = aggregator_missing(state, body) {
        return missing;
    }
    let identifiers = body["ResourceIdentifiers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if identifiers.is_empty() || identifiers.len() > 100 {
        return Answer::error(
            400,
            "ValidationException",
            "ResourceIdentifiers must hold 1 to 100 identifiers",
        );
    }
    let mut items = Vec::new();
    let mut unprocessed = Vec::new();
    for (position, identifier) in identifiers.iter().enumerate() {
        let field = |k: &str| identifier[k].as_str().unwrap_or("").to_string();
        let (account, region) = (field("SourceAccountId"), field("SourceRegion"));
        let (wanted_type, wanted_id) = (field("ResourceType"), field("ResourceId"));
        if leave_unprocessed(
            state,
            format!("{account} {region} {wanted_type} {wanted_id}"),
            position,
        ) {
            unprocessed.push(identifier.clone());
            continue;
        }
        let found = served(state, &account, &region)
            .find(|r| resource_type(&r.item) == wanted_type && resource_id(&r.item) == wanted_id);
        items.extend(found.map(|r| base_item(&r.item)));
    }
    Answer::json(
        json!({"BaseConfigurationItems": items, "UnprocessedResourceIdentifiers": unprocessed}),
    )
}

/// GetResourceConfigHistory: the resource's items (all states added, deleted ones too),
/// newest first unless `chronologicalOrder` is `Forward`, within `earlierTime` ..
/// `laterTime`, `limit` (default 10) per page.
fn history(state: &State, body: &Value, account: &str, region: &str) -> Answer {
    let (wanted_type, wanted_id) = (resource_type(body), resource_id(body));
    let mut items: Vec<&Value> = state
        .items
        .iter()
        .filter(|r| r.account == account && r.home == region)
        .map(|r| &r.item)
        .filter(|i| resource_type(i) == wanted_type && resource_id(i) == wanted_id)
        .collect();
    if items.is_empty() {
        return Answer::error(
            400,
            "ResourceNotDiscoveredException",
            &format!("Resource {wanted_id} of resourceType:{wanted_type} is unknown or has not been discovered"),
        );
    }
    let later = body["laterTime"].as_f64().unwrap_or(f64::MAX);
    let earlier = body["earlierTime"].as_f64().unwrap_or(f64::MIN);
    items.retain(|i| {
        let time = epoch(i["configurationItemCaptureTime"].as_str())
            .and_then(|t| t.as_f64())
            .unwrap_or(0.0);
        time <= later && time >= earlier
    });
    items.sort_by(|a, b| {
        let time = |i: &Value| {
            epoch(i["configurationItemCaptureTime"].as_str())
                .and_then(|t| t.as_f64())
                .unwrap_or(0.0)
        };
        time(b).total_cmp(&time(a))
    });
    if body["chronologicalOrder"].as_str() == Some("Forward") {
        items.reverse();
    }
    let limit = match body["limit"].as_u64() {
        Some(n) if n > 0 => n as usize,
        _ => 10,
    };
    let full: Vec<Value> = items.iter().map(|i| history_item(i)).collect();
    let (items, next) = page(&full, body["nextToken"].as_str(), limit);
    let mut answer = json!({"configurationItems": items});
    if let Some(next) = next {
        answer["nextToken"] = json!(next);
    }
    Answer::json(answer)
}

/// An N-dialect time as epoch seconds, as JSON 1.1 sends timestamps.
fn epoch(time: Option<&str>) -> Option<Value> {
    let time = chrono::DateTime::parse_from_rfc3339(time?).ok()?;
    Some(json!(time.timestamp_millis() as f64 / 1000.0))
}

/// An N-dialect item as BatchGet answers carry it: A names, epoch times, `configuration`
/// and every supplementary value as JSON text; no tags, relationships, events or hash.
fn base_item(item: &Value) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value.filter(|v| !v.is_null()) {
            out.insert(key.to_string(), value);
        }
    };
    let string = |keys: &[&str]| text(item, keys).map(|s| json!(s));
    put("version", string(&["configurationItemVersion", "version"]));
    put("accountId", string(&["awsAccountId", "accountId"]));
    put(
        "configurationItemCaptureTime",
        epoch(item["configurationItemCaptureTime"].as_str()),
    );
    put(
        "configurationItemStatus",
        string(&["configurationItemStatus"]),
    );
    put(
        "configurationStateId",
        match &item["configurationStateId"] {
            Value::Number(n) => Some(json!(n.to_string())),
            other => Some(other.clone()),
        },
    );
    put("arn", string(&["ARN", "arn"]));
    put("resourceType", string(&["resourceType"]));
    put("resourceId", string(&["resourceId"]));
    put("resourceName", string(&["resourceName"]));
    put("awsRegion", string(&["awsRegion"]));
    put("availabilityZone", string(&["availabilityZone"]));
    put(
        "resourceCreationTime",
        epoch(item["resourceCreationTime"].as_str()),
    );
    put(
        "configuration",
        match &item["configuration"] {
            Value::Null => None,
            Value::String(text) => Some(json!(text)),
            other => Some(json!(other.to_string())),
        },
    );
    if let Some(supplementary) = item["supplementaryConfiguration"].as_object() {
        let encoded: Map<String, Value> = supplementary
            .iter()
            .map(|(k, v)| (k.clone(), json!(v.to_string())))
            .collect();
        out.insert("supplementaryConfiguration".into(), Value::Object(encoded));
    }
    Value::Object(out)
}

/// An N-dialect item as GetResourceConfigHistory answers carry it: the BatchGet fields
/// and tags, relationships (`relationshipName`), related events and the hash.
fn history_item(item: &Value) -> Value {
    let mut out = base_item(item);
    out["tags"] = item
        .get("tags")
        .cloned()
        .filter(|t| t.is_object())
        .unwrap_or(json!({}));
    out["relatedEvents"] = item.get("relatedEvents").cloned().unwrap_or(json!([]));
    out["configurationItemMD5Hash"] = json!(text(
        item,
        &["configurationStateMd5Hash", "configurationItemMD5Hash"]
    )
    .unwrap_or(""));
    let relationships: Vec<Value> = item["relationships"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| {
                    let name = r.get("name").or(r.get("relationshipName"));
                    let fields = [
                        ("resourceType", r.get("resourceType")),
                        ("resourceId", r.get("resourceId")),
                        ("resourceName", r.get("resourceName")),
                        ("relationshipName", name),
                    ];
                    let present = fields.into_iter().filter_map(|(k, v)| {
                        Some((k.to_string(), v.filter(|v| !v.is_null())?.clone()))
                    });
                    Value::Object(present.collect())
                })
                .collect()
        })
        .unwrap_or_default();
    out["relationships"] = json!(relationships);
    out
}

/// PutEvaluations, with the checks AWS makes (at most 100, a token, a valid compliance
/// type, an annotation of 1 to 256 characters when given); some listed as failed when a
/// `FailEvaluations` fault says so, the rest accepted.
fn put_evaluations(state: &mut State, body: &Value) -> Answer {
    let token = body["ResultToken"].as_str().unwrap_or("");
    if token.is_empty() {
        return Answer::error(
            400,
            "InvalidResultTokenException",
            "The result token is required",
        );
    }
    let evaluations = body["Evaluations"].as_array().cloned().unwrap_or_default();
    if evaluations.len() > 100 {
        return Answer::error(
            400,
            "ValidationException",
            "1 validation error detected: Value at 'evaluations' failed to satisfy constraint: Member must have length less than or equal to 100",
        );
    }
    for evaluation in &evaluations {
        let compliance = evaluation["ComplianceType"].as_str().unwrap_or("");
        if !["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"].contains(&compliance) {
            return Answer::error(
                400,
                "InvalidParameterValueException",
                &format!("ComplianceType {compliance} is not accepted"),
            );
        }
        if let Some(annotation) = evaluation.get("Annotation") {
            let length = annotation.as_str().map_or(0, |a| a.chars().count());
            if !(1..=256).contains(&length) {
                return Answer::error(
                    400,
                    "ValidationException",
                    "Annotation must be 1 to 256 characters",
                );
            }
        }
        if !evaluation["OrderingTimestamp"].is_number() {
            return Answer::error(
                400,
                "SerializationException",
                "OrderingTimestamp must be epoch seconds",
            );
        }
    }
    let fault = state.faults.iter().find_map(|f| match f {
        Fault::FailEvaluations { every, times } => Some((*every, *times)),
        _ => None,
    });
    let test_mode = body["TestMode"].as_bool().unwrap_or(false);
    let mut failed = Vec::new();
    for (position, evaluation) in evaluations.into_iter().enumerate() {
        let key = format!(
            "evaluation {} {}",
            evaluation["ComplianceResourceType"], evaluation["ComplianceResourceId"]
        );
        let fails = fault.is_some_and(|fault| faulted(state, key, position, fault));
        if fails {
            failed.push(evaluation);
        } else {
            state.accepted.push(Accepted {
                result_token: token.to_string(),
                test_mode,
                evaluation,
            });
        }
    }
    Answer::json(json!({"FailedEvaluations": failed}))
}

/// STS AssumeRole: temporary credentials (access key `ASIA...`) that act as the role's
/// account from then on.
fn assume_role(state: &mut State, form: &Value) -> Answer {
    let role = form["RoleArn"].as_str().unwrap_or("");
    let account = role.split(':').nth(4).unwrap_or("").to_string();
    let role_name = role.rsplit('/').next().unwrap_or("role");
    let session = form["RoleSessionName"].as_str().unwrap_or("session");
    let key = format!("ASIATESTASSUMED{:05}", state.assumed.len() + 1);
    state.assumed.insert(key.clone(), account.clone());
    Answer::xml(format!(
        r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>{key}</AccessKeyId>
      <SecretAccessKey>assumed-secret-{key}</SecretAccessKey>
      <SessionToken>assumed-session-token-{key}</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROATESTROLE:{session}</AssumedRoleId>
      <Arn>arn:aws:sts::{account}:assumed-role/{role_name}/{session}</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-AssumeRole</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#
    ))
}

/// STS GetCallerIdentity: the account the request's credentials act as.
fn caller_identity(state: &State, request: &Request) -> Answer {
    let account = account_of(state, request);
    Answer::xml(format!(
        r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::{account}:user/tester</Arn>
    <UserId>AIDATESTUSER</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>req-GetCallerIdentity</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#
    ))
}
