//! A local SSM Automation endpoint for tests, on 127.0.0.1: moto implements no
//! automation executions, so this small server speaks the SSM JSON 1.1 protocol (`POST /`,
//! `X-Amz-Target: AmazonSSM.<Operation>`, `application/x-amz-json-1.1`, timestamps as
//! epoch seconds, errors as HTTP 400 `{"__type": ..., "message": ...}`) for
//! StartAutomationExecution, GetAutomationExecution and DescribeAutomationExecutions.
//!
//! Executions progress by the wall clock: each is in progress for its duration (50 ms
//! unless an outcome says otherwise), then ends as its outcome says. The first
//! GetAutomationExecution of an unfinished execution answers `Pending`, later ones
//! `InProgress`. A `ClientToken` makes Start idempotent as on AWS: the same token with the
//! same request answers the first execution's id and starts nothing; with a different
//! request it is refused (`IdempotentParameterMismatch`). Point regent at it with
//! `AWS_ENDPOINT_URL_SSM=endpoint.url()` (or `--endpoint-url`).
//!
//! ```ignore
//! let ssm = SsmEndpoint::start();
//! ssm.set_known_documents(["AWS-DisableS3BucketPublicReadWrite"]);
//! ssm.set_outcome("bucket-a", Outcome::FailTimes(1));   // fails once, then succeeds
//! ssm.set_outcome("bucket-b", Outcome::Slow(Duration::from_millis(400)));
//! ssm.inject(Fault::Throttle { every: 3 });               // a third of calls throttled, once each
//! // ... run regent ...
//! let executions = ssm.executions();                      // one per execution, not per call
//! assert!(ssm.max_in_progress() <= 2);
//! ```

use super::http::{listen, Incoming, Listening, Reply};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long an execution is in progress unless its outcome says otherwise.
const DEFAULT_DURATION: Duration = Duration::from_millis(50);

/// One request as the endpoint saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `StartAutomationExecution`, `GetAutomationExecution`, ...
    pub operation: String,
    pub body: Value,
    /// The access key id the request was signed with (from `Authorization`).
    pub access_key_id: Option<String>,
    /// The region it was signed for.
    pub region: Option<String>,
    /// `X-Amz-Security-Token`, when it was sent (temporary credentials).
    pub security_token: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// The error answered (`__type`), if any.
    pub error: Option<String>,
}

/// One automation execution (however many Start calls asked for it).
#[derive(Debug, Clone)]
pub struct Execution {
    pub id: String,
    pub document: String,
    pub document_version: String,
    pub parameters: BTreeMap<String, Vec<String>>,
    pub client_token: Option<String>,
    /// Who started it: the signer of the Start call that created it.
    pub access_key_id: Option<String>,
    pub region: Option<String>,
    pub security_token: Option<String>,
    pub started_at: SystemTime,
    /// Its status when `executions()` was called: `Pending`, `InProgress`, `Success` or
    /// `Failed`.
    pub status: String,
    pub failure_message: Option<String>,
}

/// How the executions a matcher picks end.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Success,
    Failed {
        message: String,
    },
    /// The first `n` executions the matcher picks fail, later ones succeed.
    FailTimes(usize),
    /// In progress this long, then `Success`.
    Slow(Duration),
}

/// A fault to inject. Each is answered at most once per distinct request (operation and
/// body), so a client that retries gets through: what is tested is that it retries.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Every `every`-th call answers HTTP 400 `ThrottlingException` (the SDK's standard
    /// retry knows it as throttling).
    Throttle { every: usize },
    /// Every `every`-th call answers HTTP 500 `InternalServerError`.
    ServerError { every: usize },
    /// Every `every`-th StartAutomationExecution answers HTTP 400
    /// `AutomationExecutionLimitExceededException` (the SDK does not retry it).
    StartLimit { every: usize },
    /// Every `every`-th StartAutomationExecution starts its execution but answers HTTP 500
    /// `InternalServerError`, as if the answer were lost: the SDK retries, and only a
    /// `ClientToken` keeps the retry from starting a second execution.
    StartedButLost { every: usize },
}

/// An execution as kept: what it is, and how and when it ends.
#[derive(Debug, Clone)]
struct Stored {
    execution: Execution,
    /// The Start request without its token, to compare a reuse of the token with.
    request: Value,
    started: Instant,
    duration: Duration,
    failure: Option<String>,
    /// Whether a GetAutomationExecution has seen it (it is `Pending` until then).
    polled: bool,
}

#[derive(Default)]
struct State {
    known_documents: Option<BTreeSet<String>>,
    /// In the order set; the last that matches decides.
    outcomes: Vec<(String, Outcome)>,
    /// How many executions each `FailTimes` matcher has failed so far.
    failed: BTreeMap<String, usize>,
    default_duration: Duration,
    faults: Vec<Fault>,
    calls: usize,
    starts: usize,
    /// (fault, request) pairs already answered with the fault.
    faulted: HashSet<String>,
    requests: Vec<Request>,
    executions: Vec<Stored>,
}

/// The endpoint; it stops listening when dropped.
pub struct SsmEndpoint {
    server: Listening,
    state: Arc<Mutex<State>>,
}

impl SsmEndpoint {
    /// Listening on a free port of 127.0.0.1; every document is known, every execution
    /// succeeds after 50 ms.
    pub fn start() -> SsmEndpoint {
        let state = Arc::new(Mutex::new(State {
            default_duration: DEFAULT_DURATION,
            ..State::default()
        }));
        let served = state.clone();
        let server = listen(move |incoming| {
            let mut state = served.lock().unwrap_or_else(|p| p.into_inner());
            answer(&mut state, incoming)
        });
        SsmEndpoint { server, state }
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_SSM` or `--endpoint-url`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Only these documents exist; starting any other answers
    /// `AutomationDefinitionNotFoundException`.
    pub fn set_known_documents<I, S>(&self, documents: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.state().known_documents = Some(documents.into_iter().map(Into::into).collect());
    }

    /// How executions end whose document is `matcher`, or one of whose parameter values
    /// contains it (a bucket name, say). Set later, an outcome overrides earlier ones that
    /// match the same execution.
    pub fn set_outcome(&self, matcher: &str, outcome: Outcome) {
        self.state().outcomes.push((matcher.to_string(), outcome));
    }

    /// How long executions no `Slow` outcome picks are in progress.
    pub fn set_default_duration(&self, duration: Duration) {
        self.state().default_duration = duration;
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

    /// Every execution started, in order, with its status now.
    pub fn executions(&self) -> Vec<Execution> {
        let now = Instant::now();
        self.state()
            .executions
            .iter()
            .map(|stored| Execution {
                status: stored.status(now).to_string(),
                failure_message: stored.failure.clone(),
                ..stored.execution.clone()
            })
            .collect()
    }

    /// The most executions in progress at one moment (from their start until they
    /// ended), for checking a concurrency limit.
    pub fn max_in_progress(&self) -> usize {
        let state = self.state();
        let running: Vec<(Instant, Instant)> = state
            .executions
            .iter()
            .map(|s| (s.started, s.ends_at()))
            .collect();
        running
            .iter()
            .enumerate()
            .map(|(i, (start, _))| {
                let others = running
                    .iter()
                    .enumerate()
                    .filter(|(j, (other_start, end))| {
                        *j != i && other_start <= start && start < end
                    });
                1 + others.count()
            })
            .max()
            .unwrap_or(0)
    }
}

impl Stored {
    fn ends_at(&self) -> Instant {
        self.started + self.duration
    }

    fn is_final(&self, now: Instant) -> bool {
        now >= self.ends_at()
    }

    fn status(&self, now: Instant) -> &'static str {
        match (self.is_final(now), &self.failure, self.polled) {
            (true, None, _) => "Success",
            (true, Some(_), _) => "Failed",
            (false, _, false) => "Pending",
            (false, _, true) => "InProgress",
        }
    }

    /// As AutomationExecutionMetadata (DescribeAutomationExecutions) carries it.
    fn metadata(&self, now: Instant) -> Value {
        let execution = &self.execution;
        let mut view = json!({
            "AutomationExecutionId": execution.id,
            "DocumentName": execution.document,
            "DocumentVersion": execution.document_version,
            "AutomationExecutionStatus": self.status(now),
            "ExecutionStartTime": epoch_seconds(execution.started_at),
            "Outputs": {},
            "Mode": "Auto",
            "AutomationType": "Local",
        });
        if self.is_final(now) {
            view["ExecutionEndTime"] = epoch_seconds(execution.started_at + self.duration);
        }
        if let (true, Some(message)) = (self.is_final(now), &self.failure) {
            view["FailureMessage"] = json!(message);
        }
        view
    }

    /// As AutomationExecution (GetAutomationExecution) carries it.
    fn detail(&self, now: Instant) -> Value {
        let mut view = self.metadata(now);
        view["Parameters"] = json!(self.execution.parameters);
        view
    }
}

fn epoch_seconds(time: SystemTime) -> Value {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    json!(since.as_millis() as f64 / 1000.0)
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::new(
        status,
        "application/x-amz-json-1.1",
        json!({"__type": code, "message": message}).to_string(),
    )
}

fn success(body: Value) -> Reply {
    Reply::new(200, "application/x-amz-json-1.1", body.to_string())
}

/// Answer a request and record it.
fn answer(state: &mut State, incoming: &Incoming) -> Reply {
    let mut request = describe(incoming);
    let reply = handle(state, &request);
    request.status = reply.status;
    if reply.status != 200 {
        let body: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        request.error = body["__type"].as_str().map(str::to_string);
    }
    state.requests.push(request);
    reply
}

/// What a request is: its operation, body and signer.
fn describe(incoming: &Incoming) -> Request {
    let headers = &incoming.headers;
    let operation = headers
        .get("x-amz-target")
        .and_then(|t| t.strip_prefix("AmazonSSM."))
        .unwrap_or_default()
        .to_string();
    let credential = headers
        .get("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .map(|c| c.split([',', ' ']).next().unwrap_or("").to_string());
    let scope: Vec<&str> = credential.as_deref().unwrap_or("").split('/').collect();
    Request {
        operation,
        body: serde_json::from_slice(&incoming.body).unwrap_or(Value::Null),
        access_key_id: scope
            .first()
            .filter(|k| !k.is_empty())
            .map(|k| k.to_string()),
        region: scope.get(2).map(|r| r.to_string()),
        security_token: headers.get("x-amz-security-token").cloned(),
        status: 0,
        error: None,
    }
}

fn handle(state: &mut State, request: &Request) -> Reply {
    if let Some(fault) = injected(state, request) {
        return fault;
    }
    match request.operation.as_str() {
        "StartAutomationExecution" => start(state, request),
        "GetAutomationExecution" => get(state, &request.body),
        "DescribeAutomationExecutions" => describe_executions(state, &request.body),
        "" => error(
            400,
            "UnknownOperationException",
            "no X-Amz-Target: AmazonSSM.<Operation> header",
        ),
        other => error(
            400,
            "UnknownOperationException",
            &format!("{other} is not served here"),
        ),
    }
}

/// Whether `fault` answers this request: it is the `every`-th `count`-th call, and the
/// fault has not answered the same request before.
fn due(state: &mut State, fault: &Fault, every: usize, count: usize, request: &Request) -> bool {
    every > 0
        && count.is_multiple_of(every)
        && state
            .faulted
            .insert(format!("{fault:?} {} {}", request.operation, request.body))
}

/// A throttle, server error or start limit, when one is due for this request.
fn injected(state: &mut State, request: &Request) -> Option<Reply> {
    let is_start = request.operation == "StartAutomationExecution";
    state.calls += 1;
    state.starts += usize::from(is_start);
    let (calls, starts) = (state.calls, state.starts);
    for fault in state.faults.clone() {
        let (every, count, reply) = match fault {
            Fault::Throttle { every } => (
                every,
                calls,
                error(400, "ThrottlingException", "Rate exceeded"),
            ),
            Fault::ServerError { every } => (
                every,
                calls,
                error(500, "InternalServerError", "injected server error"),
            ),
            Fault::StartLimit { every } if is_start => (
                every,
                starts,
                error(
                    400,
                    "AutomationExecutionLimitExceededException",
                    "The number of concurrently running automation executions has reached the limit",
                ),
            ),
            _ => continue,
        };
        if due(state, &fault, every, count, request) {
            return Some(reply);
        }
    }
    None
}

/// StartAutomationExecution: a new execution, or the one a reused `ClientToken` started.
fn start(state: &mut State, request: &Request) -> Reply {
    let body = &request.body;
    let document = body["DocumentName"].as_str().unwrap_or("");
    if !valid_document_name(document) {
        return error(
            400,
            "ValidationException",
            &format!("1 validation error detected: Value '{document}' at 'documentName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.:/]{{3,128}}$"),
        );
    }
    let token = match client_token(&body["ClientToken"]) {
        Ok(token) => token,
        Err(refusal) => return refusal,
    };
    let without_token = without_client_token(body);
    if let Some(token) = &token {
        let earlier = state.executions.iter().find(|s| {
            s.execution
                .client_token
                .as_ref()
                .is_some_and(|t| t.eq_ignore_ascii_case(token))
        });
        if let Some(earlier) = earlier {
            return if earlier.request == without_token {
                success(json!({"AutomationExecutionId": earlier.execution.id}))
            } else {
                error(
                    400,
                    "IdempotentParameterMismatch",
                    "Error occurred during operation 'StartAutomationExecution'. ClientToken was already used with different parameters",
                )
            };
        }
    }
    if state
        .known_documents
        .as_ref()
        .is_some_and(|known| !known.contains(document))
    {
        return error(
            400,
            "AutomationDefinitionNotFoundException",
            &format!("Automation definition for {document} could not be found"),
        );
    }
    let parameters = match parameters(&body["Parameters"]) {
        Ok(parameters) => parameters,
        Err(message) => {
            return error(
                400,
                "InvalidAutomationExecutionParametersException",
                &message,
            )
        }
    };
    let id = execution_id(state.executions.len() + 1);
    let (duration, failure) = fate(state, document, &parameters);
    let version = match body["DocumentVersion"].as_str() {
        Some(version) if !version.starts_with('$') => version.to_string(),
        _ => "1".to_string(),
    };
    state.executions.push(Stored {
        execution: Execution {
            id: id.clone(),
            document: document.to_string(),
            document_version: version,
            parameters,
            client_token: token,
            access_key_id: request.access_key_id.clone(),
            region: request.region.clone(),
            security_token: request.security_token.clone(),
            started_at: SystemTime::now(),
            status: String::new(),
            failure_message: None,
        },
        request: without_token,
        started: Instant::now(),
        duration,
        failure,
        polled: false,
    });
    if answer_lost(state, request) {
        return error(
            500,
            "InternalServerError",
            "injected: the execution started but this answer was lost",
        );
    }
    success(json!({"AutomationExecutionId": id}))
}

/// Whether a `StartedButLost` fault takes this Start's answer.
fn answer_lost(state: &mut State, request: &Request) -> bool {
    let starts = state.starts;
    state.faults.clone().iter().any(|fault| match fault {
        Fault::StartedButLost { every } => due(state, fault, *every, starts, request),
        _ => false,
    })
}

/// SSM's document name pattern: `[a-zA-Z0-9_\-.:/]{3,128}`.
fn valid_document_name(name: &str) -> bool {
    (3..=128).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c))
}

/// The request's `ClientToken`, which AWS requires to be a UUID (36 characters).
fn client_token(token: &Value) -> Result<Option<String>, Reply> {
    let Some(token) = token.as_str() else {
        return Ok(None);
    };
    let groups: Vec<&str> = token.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let hex = groups
        .iter()
        .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    if lengths == [8, 4, 4, 4, 12] && hex {
        return Ok(Some(token.to_string()));
    }
    Err(error(
        400,
        "ValidationException",
        &format!("1 validation error detected: Value '{token}' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-fA-F0-9]{{8}}-[a-fA-F0-9]{{4}}-[a-fA-F0-9]{{4}}-[a-fA-F0-9]{{4}}-[a-fA-F0-9]{{12}}"),
    ))
}

fn without_client_token(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(object) = body.as_object_mut() {
        object.remove("ClientToken");
    }
    body
}

/// `Parameters`: names to lists of strings (absent: none).
fn parameters(value: &Value) -> Result<BTreeMap<String, Vec<String>>, String> {
    let empty = Map::new();
    let object = match value {
        Value::Null => &empty,
        Value::Object(object) => object,
        other => return Err(format!("Parameters must be a map, not {other}")),
    };
    object
        .iter()
        .map(|(name, values)| {
            let strings: Option<Vec<String>> = values.as_array().and_then(|list| {
                list.iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect()
            });
            strings
                .map(|strings| (name.clone(), strings))
                .ok_or_else(|| format!("Parameter {name} must be a list of strings, not {values}"))
        })
        .collect()
}

/// A UUID-shaped id, counting from 1 (`00000000-0000-4000-8000-000000000001`).
fn execution_id(number: usize) -> String {
    format!("00000000-0000-4000-8000-{number:012}")
}

/// How long a new execution is in progress, and its failure message if it fails.
fn fate(
    state: &mut State,
    document: &str,
    parameters: &BTreeMap<String, Vec<String>>,
) -> (Duration, Option<String>) {
    let picked = state.outcomes.iter().rev().find(|(matcher, _)| {
        document == matcher || parameters.values().flatten().any(|v| v.contains(matcher))
    });
    let ordinary = state.default_duration;
    match picked.cloned() {
        None | Some((_, Outcome::Success)) => (ordinary, None),
        Some((_, Outcome::Failed { message })) => (ordinary, Some(message)),
        Some((_, Outcome::Slow(duration))) => (duration, None),
        Some((matcher, Outcome::FailTimes(times))) => {
            let failed = state.failed.entry(matcher).or_default();
            if *failed >= times {
                return (ordinary, None);
            }
            *failed += 1;
            let message =
                format!("Step fails when it is Executing. Injected failure {failed} of {times}");
            (ordinary, Some(message))
        }
    }
}

/// GetAutomationExecution: the execution as it stands now.
fn get(state: &mut State, body: &Value) -> Reply {
    let id = body["AutomationExecutionId"].as_str().unwrap_or("");
    let now = Instant::now();
    let Some(stored) = state.executions.iter_mut().find(|s| s.execution.id == id) else {
        return error(
            400,
            "AutomationExecutionNotFoundException",
            &format!("Automation execution {id} not found"),
        );
    };
    let detail = stored.detail(now);
    stored.polled = true;
    success(json!({ "AutomationExecution": detail }))
}

/// DescribeAutomationExecutions, with the `ExecutionId`, `DocumentNamePrefix` and
/// `ExecutionStatus` filters (a filter matches any of its values; all filters must
/// match). No paging.
fn describe_executions(state: &State, body: &Value) -> Reply {
    let now = Instant::now();
    let filters = body["Filters"].as_array().cloned().unwrap_or_default();
    for filter in &filters {
        let key = filter["Key"].as_str().unwrap_or("");
        if !["ExecutionId", "DocumentNamePrefix", "ExecutionStatus"].contains(&key) {
            return error(
                400,
                "InvalidFilterKey",
                &format!("filter key {key} is not served here"),
            );
        }
    }
    let matches = |stored: &Stored, filter: &Value| {
        let values: Vec<&str> = filter["Values"]
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        values.iter().any(|value| match filter["Key"].as_str() {
            Some("ExecutionId") => stored.execution.id == *value,
            Some("DocumentNamePrefix") => stored.execution.document.starts_with(value),
            _ => stored.status(now) == *value,
        })
    };
    let listed: Vec<Value> = state
        .executions
        .iter()
        .filter(|stored| filters.iter().all(|filter| matches(stored, filter)))
        .map(|stored| stored.metadata(now))
        .collect();
    success(json!({ "AutomationExecutionMetadataList": listed }))
}
