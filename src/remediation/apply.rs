//! `regent remediate apply`: a reviewed plan run through SSM Automation, one control's
//! actions at a time, within the control's execution controls: at most its concurrency
//! percentage of them running at once, no new execution once its error percentage is
//! crossed, each failed execution tried again after its retry interval up to its attempts,
//! each followed to its final status. Every step is in the audit log before it happens;
//! a rerun with the same log resumes and never starts an action twice. Whether a group
//! runs at all is the caller's (a typed confirmation, or `--yes`).

use super::audit::{AuditLog, Event, Ledger, Record, Stage};
use super::plan::{Action, ControlRun, Plan};
use crate::diagnostics::{Code, Problem};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// Where an execution runs: an account and region (and the role assumed there).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub account: String,
    pub region: String,
}

/// What StartAutomationExecution is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub document: String,
    pub parameters: BTreeMap<String, Vec<String>>,
    /// SSM's idempotency token: the same token never makes a second execution.
    pub client_token: String,
}

/// An execution's state, as GetAutomationExecution says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub status: String,
    pub failure: Option<String>,
}

impl Execution {
    /// Whether SSM is done with it.
    pub fn is_final(&self) -> bool {
        FINAL_STATUSES.contains(&self.status.as_str())
    }

    pub fn succeeded(&self) -> bool {
        self.status == "Success"
    }
}

/// SSM's final automation statuses (AutomationExecutionStatus).
const FINAL_STATUSES: &[&str] = &[
    "Success",
    "Failed",
    "TimedOut",
    "Cancelled",
    "Rejected",
    "CompletedWithSuccess",
    "CompletedWithFailure",
    "Exited",
];

/// The calls `apply` makes: SSM Automation in each account and region (`aws::ssm` over the
/// SDK, assuming the role of `--assume-role` there).
pub trait Automation {
    /// Who the executions of `place` are asked for by (an ARN), for the audit log.
    fn identity(&self, place: &Place) -> Result<String, Problem>;
    /// StartAutomationExecution: the execution's id.
    fn start(&self, place: &Place, start: &Start) -> Result<String, Problem>;
    /// GetAutomationExecution.
    fn execution(&self, place: &Place, execution_id: &str) -> Result<Execution, Problem>;
}

/// How `apply` runs.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// `--control ID`: run only these controls, automatic or not. Empty: only the controls
    /// that allow automatic remediation.
    pub controls: Vec<String>,
    /// How long to wait between looks at running executions.
    pub poll_interval: Duration,
    /// `--retry-failed`: start again actions an earlier run saw fail for good.
    pub retry_failed: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            controls: Vec::new(),
            poll_interval: Duration::from_secs(5),
            retry_failed: false,
        }
    }
}

/// How one action ended in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    Succeeded {
        execution_id: String,
    },
    Failed {
        status: String,
        reason: String,
    },
    /// Not started, and why (done before, not confirmed, stopped by the error rate, ...).
    Skipped {
        reason: String,
    },
}

/// What a run did, action by action, in the plan's order.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub fates: Vec<(Action, Fate)>,
    pub problems: Vec<Problem>,
}

impl Applied {
    pub fn count(&self, wanted: fn(&Fate) -> bool) -> usize {
        self.fates.iter().filter(|(_, fate)| wanted(fate)).count()
    }

    pub fn succeeded(&self) -> usize {
        self.count(|f| matches!(f, Fate::Succeeded { .. }))
    }

    pub fn failed(&self) -> usize {
        self.count(|f| matches!(f, Fate::Failed { .. }))
    }

    pub fn skipped(&self) -> usize {
        self.count(|f| matches!(f, Fate::Skipped { .. }))
    }
}

/// What the caller hears as the run goes (a progress display, a line per execution).
pub trait Observer {
    /// Each record as it is written to the log.
    fn record(&self, record: &Record);
}

/// The actions of one control in one runbook group: what is confirmed and run together.
pub struct Batch<'a> {
    pub runbook: &'a str,
    pub control: &'a ControlRun,
    pub actions: Vec<&'a Action>,
}

/// The batches of `plan`, in its order, and the actions `options` leaves out (controls not
/// named or not automatic).
pub fn batches<'a>(
    plan: &'a Plan,
    options: &ApplyOptions,
) -> (Vec<Batch<'a>>, Vec<(&'a Action, String)>) {
    let mut run = Vec::new();
    let mut left = Vec::new();
    for group in &plan.groups {
        for control in &group.controls {
            let actions: Vec<&Action> = group
                .actions
                .iter()
                .filter(|a| a.control_id == control.control_id)
                .collect();
            match why_not(control, options) {
                Some(reason) => left.extend(actions.into_iter().map(|a| (a, reason.clone()))),
                None => run.push(Batch {
                    runbook: &group.runbook,
                    control,
                    actions,
                }),
            }
        }
    }
    (run, left)
}

/// Why a control's actions do not run: not named when `--control` is given, or not marked
/// automatic when it is not.
fn why_not(control: &ControlRun, options: &ApplyOptions) -> Option<String> {
    if !options.controls.is_empty() {
        return (!options.controls.contains(&control.control_id))
            .then(|| "its control was not named with --control".to_string());
    }
    (!control.automatic).then(|| {
        format!(
            "{} is not marked for automatic remediation: name it with --control {}",
            control.control_id, control.control_id
        )
    })
}

/// An action's identity: its runbook, control, resource and parameters, hashed. The same
/// finding planned again gets the same id, so a rerun over a fresh plan still resumes.
pub fn action_id(runbook: &str, action: &Action) -> String {
    let identity = serde_json::json!([
        runbook,
        action.control_id,
        action.aws_account_id,
        action.aws_region,
        action.resource_type,
        action.resource_id,
        action.parameters,
    ]);
    let digest = Sha256::digest(identity.to_string().as_bytes());
    hex(&digest[..16])
}

/// SSM's idempotency token for one attempt of an action: a UUID (the format SSM demands)
/// made of the action id and the attempt, so asking again for the same attempt can never
/// make a second execution, and a retry makes a new one.
pub fn client_token(action_id: &str, attempt: u32) -> String {
    let digest = Sha256::digest(format!("{action_id}/{attempt}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // Version 8 (custom), RFC 9562 variant.
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A plan parameter as SSM takes it: a list of strings (a list stays a list; a number or
/// boolean is its text; an object its JSON).
pub fn ssm_parameters(parameters: &BTreeMap<String, Value>) -> BTreeMap<String, Vec<String>> {
    parameters
        .iter()
        .map(|(name, value)| {
            let values = match value {
                Value::Array(items) => items.iter().map(text).collect(),
                other => vec![text(other)],
            };
            (name.clone(), values)
        })
        .collect()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One action being worked on.
struct Work<'a> {
    action: &'a Action,
    id: String,
    place: Place,
    attempt: u32,
    /// Set when resuming an attempt the log says was asked for with this token.
    token: Option<String>,
}

/// An execution in flight.
struct Running<'a> {
    work: Work<'a>,
    execution_id: String,
}

/// What asking for an execution came to.
enum Started<'a> {
    Running(Running<'a>),
    /// SSM (or STS, for the place's identity) refused: a failed attempt.
    Refused {
        work: Work<'a>,
        reason: String,
    },
    /// The audit log could not be written: nothing more may start.
    Unrecorded(Problem),
}

/// The failed attempts of a batch waiting to be tried again, and the fates decided.
struct Retries<'a> {
    attempts: u32,
    after: Duration,
    waiting: Vec<(Instant, usize, Work<'a>)>,
    fates: BTreeMap<usize, Fate>,
    /// Actions failed for good.
    failed: usize,
}

/// The run of one batch, step by step.
pub struct Runner<'r> {
    pub automation: &'r dyn Automation,
    pub log: &'r mut AuditLog,
    pub ledger: &'r Ledger,
    pub options: &'r ApplyOptions,
    pub observer: &'r dyn Observer,
    /// The identity of each place, asked once.
    identities: BTreeMap<Place, Result<String, Problem>>,
}

impl<'r> Runner<'r> {
    pub fn new(
        automation: &'r dyn Automation,
        log: &'r mut AuditLog,
        ledger: &'r Ledger,
        options: &'r ApplyOptions,
        observer: &'r dyn Observer,
    ) -> Self {
        Runner {
            automation,
            log,
            ledger,
            options,
            observer,
            identities: BTreeMap::new(),
        }
    }

    /// Runs `batch`, adding each action's fate to `applied`. Stops early (the rest
    /// skipped) when the audit log cannot be written.
    pub fn run<'a>(&mut self, batch: &Batch<'a>, applied: &mut Applied) {
        let control = batch.control;
        let total = batch.actions.len();
        let concurrency = concurrency(total, control.concurrent_execution_rate_percentage);
        let attempts = control.maximum_automatic_attempts.max(1);
        let retry_after = Duration::from_secs(u64::from(control.retry_attempt_seconds));
        let mut retry = Retries {
            attempts,
            after: retry_after,
            waiting: Vec::new(),
            fates: BTreeMap::new(),
            failed: 0,
        };
        let mut queue: VecDeque<(usize, Work<'a>)> = VecDeque::new();
        let mut running: Vec<(usize, Running<'a>)> = Vec::new();
        for (index, action) in batch.actions.iter().enumerate() {
            let work = Work {
                action,
                id: action_id(batch.runbook, action),
                place: Place {
                    account: action.aws_account_id.clone(),
                    region: action.aws_region.clone(),
                },
                attempt: 1,
                token: None,
            };
            match self.ledger.stages.get(&work.id) {
                None => queue.push_back((index, work)),
                Some(Stage::Intended {
                    attempt,
                    client_token,
                }) => queue.push_back((
                    index,
                    Work {
                        attempt: *attempt,
                        token: Some(client_token.clone()),
                        ..work
                    },
                )),
                Some(Stage::Started {
                    attempt,
                    execution_id,
                }) => running.push((
                    index,
                    Running {
                        work: Work {
                            attempt: *attempt,
                            ..work
                        },
                        execution_id: execution_id.clone(),
                    },
                )),
                Some(Stage::Finished { status, .. }) if status == "Success" => {
                    retry.fates.insert(
                        index,
                        Fate::Skipped {
                            reason: "done by an earlier run (Success in the audit log)".into(),
                        },
                    );
                }
                Some(Stage::Finished { attempt, .. }) if self.options.retry_failed => {
                    queue.push_back((
                        index,
                        Work {
                            attempt: attempt + 1,
                            ..work
                        },
                    ));
                }
                Some(Stage::Finished { status, .. }) => {
                    retry.fates.insert(
                        index,
                        Fate::Skipped {
                            reason: format!(
                                "ended {status} in an earlier run: --retry-failed starts it again"
                            ),
                        },
                    );
                }
            }
        }
        let mut stopped: Option<String> = None;
        loop {
            let now = Instant::now();
            let (ready, later): (Vec<_>, Vec<_>) =
                retry.waiting.drain(..).partition(|(at, ..)| *at <= now);
            retry.waiting = later;
            for (_, index, work) in ready {
                queue.push_front((index, work));
            }
            while stopped.is_none() && running.len() < concurrency {
                let Some((index, work)) = queue.pop_front() else {
                    break;
                };
                match self.start(batch.runbook, work) {
                    Started::Running(run) => running.push((index, run)),
                    Started::Refused { work, reason } => {
                        if let Err(problem) =
                            self.finished(batch.runbook, &work, None, NOT_STARTED, Some(&reason))
                        {
                            stopped = Some(problem.message.clone());
                            applied.problems.push(problem);
                        }
                        let status = NOT_STARTED.to_string();
                        self.after_failure(index, work, status, reason, &mut retry);
                    }
                    Started::Unrecorded(problem) => {
                        stopped = Some(problem.message.clone());
                        applied.problems.push(problem);
                    }
                }
                if stopped.is_none() {
                    stopped = crossed(retry.failed, total, control.error_percentage);
                }
            }
            let nothing_left = queue.is_empty() && retry.waiting.is_empty();
            if running.is_empty() && (nothing_left || stopped.is_some()) {
                break;
            }
            std::thread::sleep(self.options.poll_interval);
            let mut still = Vec::new();
            for (index, run) in running {
                match self
                    .automation
                    .execution(&run.work.place, &run.execution_id)
                {
                    Ok(execution) if execution.is_final() => {
                        let reason = execution.failure.clone();
                        if let Err(problem) = self.finished(
                            batch.runbook,
                            &run.work,
                            Some(&run.execution_id),
                            &execution.status,
                            reason.as_deref(),
                        ) {
                            stopped = Some(problem.message.clone());
                            applied.problems.push(problem);
                        }
                        if execution.succeeded() {
                            let execution_id = run.execution_id;
                            retry.fates.insert(index, Fate::Succeeded { execution_id });
                        } else {
                            let reason = reason.unwrap_or_else(|| {
                                format!("execution {} ended {}", run.execution_id, execution.status)
                            });
                            self.after_failure(
                                index,
                                run.work,
                                execution.status,
                                reason,
                                &mut retry,
                            );
                        }
                    }
                    Ok(_) => still.push((index, run)),
                    // A look that failed (after the SDK's retries) is tried again at the next poll.
                    Err(problem) => {
                        applied.problems.push(problem);
                        still.push((index, run));
                    }
                }
            }
            running = still;
            if stopped.is_none() {
                stopped = crossed(retry.failed, total, control.error_percentage);
            }
        }
        let why_stopped = stopped.unwrap_or_default();
        let waiting = retry
            .waiting
            .drain(..)
            .map(|(_, index, work)| (index, work));
        let left: Vec<(usize, Work<'a>)> = queue.into_iter().chain(waiting).collect();
        for (index, work) in left {
            let reason = format!("not started: {why_stopped}");
            let _ = self.skipped(batch.runbook, &work, &reason);
            retry.fates.entry(index).or_insert(Fate::Skipped { reason });
        }
        for (index, action) in batch.actions.iter().enumerate() {
            let fate = retry.fates.remove(&index).unwrap_or(Fate::Skipped {
                reason: "not reached".into(),
            });
            applied.fates.push(((*action).clone(), fate));
        }
    }

    /// A failed attempt: tried again after the retry interval while attempts remain,
    /// else the action failed for good (and counts toward the error percentage).
    fn after_failure<'a>(
        &mut self,
        index: usize,
        work: Work<'a>,
        status: String,
        reason: String,
        retry: &mut Retries<'a>,
    ) {
        if work.attempt < retry.attempts {
            let next = Work {
                attempt: work.attempt + 1,
                token: None,
                ..work
            };
            retry
                .waiting
                .push((Instant::now() + retry.after, index, next));
        } else {
            retry.failed += 1;
            retry.fates.insert(index, Fate::Failed { status, reason });
        }
    }

    /// Asks for one execution: the intent on disk first, then the call, then its id.
    fn start<'a>(&mut self, runbook: &str, work: Work<'a>) -> Started<'a> {
        let identity = match self.identity(&work.place) {
            Ok(identity) => identity,
            Err(problem) => {
                let reason = problem.message;
                return Started::Refused { work, reason };
            }
        };
        let token = work
            .token
            .clone()
            .unwrap_or_else(|| client_token(&work.id, work.attempt));
        let start = Start {
            document: runbook.to_string(),
            parameters: ssm_parameters(&work.action.parameters),
            client_token: token.clone(),
        };
        let mut intent = self.record(Event::Intent, runbook, &work);
        intent.identity = Some(identity.clone());
        intent.parameters = start.parameters.clone();
        intent.client_token = Some(token.clone());
        if let Err(problem) = self.write(&intent) {
            return Started::Unrecorded(problem);
        }
        match self.automation.start(&work.place, &start) {
            Ok(execution_id) => {
                let mut started = self.record(Event::Started, runbook, &work);
                started.identity = Some(identity);
                started.client_token = Some(token);
                started.execution_id = Some(execution_id.clone());
                if let Err(problem) = self.write(&started) {
                    return Started::Unrecorded(problem);
                }
                Started::Running(Running { work, execution_id })
            }
            Err(problem) => {
                let reason = problem.message;
                Started::Refused { work, reason }
            }
        }
    }

    fn identity(&mut self, place: &Place) -> Result<String, Problem> {
        let automation = self.automation;
        self.identities
            .entry(place.clone())
            .or_insert_with(|| automation.identity(place))
            .clone()
    }

    fn finished(
        &mut self,
        runbook: &str,
        work: &Work<'_>,
        execution_id: Option<&str>,
        status: &str,
        reason: Option<&str>,
    ) -> Result<(), Problem> {
        let mut record = self.record(Event::Finished, runbook, work);
        record.execution_id = execution_id.map(str::to_string);
        record.status = Some(status.to_string());
        record.reason = reason.map(str::to_string);
        self.write(&record)
    }

    fn skipped(&mut self, runbook: &str, work: &Work<'_>, reason: &str) -> Result<(), Problem> {
        let mut record = self.record(Event::Skipped, runbook, work);
        record.reason = Some(reason.to_string());
        self.write(&record)
    }

    fn record(&self, event: Event, runbook: &str, work: &Work<'_>) -> Record {
        let a = work.action;
        Record {
            time: now(),
            event,
            action_id: work.id.clone(),
            control_id: a.control_id.clone(),
            runbook: runbook.to_string(),
            resource_type: a.resource_type.clone(),
            resource_id: a.resource_id.clone(),
            aws_account_id: a.aws_account_id.clone(),
            aws_region: a.aws_region.clone(),
            attempt: work.attempt,
            identity: None,
            parameters: BTreeMap::new(),
            client_token: None,
            execution_id: None,
            status: None,
            reason: None,
        }
    }

    fn write(&mut self, record: &Record) -> Result<(), Problem> {
        self.log.append(record)?;
        self.observer.record(record);
        Ok(())
    }
}

/// The status recorded when no execution could be asked for.
const NOT_STARTED: &str = "NotStarted";

/// How many of `total` executions may run at once: the percentage, rounded up, at least 1.
pub fn concurrency(total: usize, percentage: u32) -> usize {
    let percentage = percentage.clamp(1, 100) as usize;
    (total * percentage).div_ceil(100).max(1)
}

/// Why no new execution starts: more than `percentage` of the batch failed for good.
fn crossed(failed: usize, total: usize, percentage: u32) -> Option<String> {
    (failed * 100 > total * percentage as usize).then(|| {
        format!(
            "the error percentage was crossed ({failed} of {total} failed, more than {percentage} %)"
        )
    })
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A problem for each action that failed, naming its resource.
pub fn failures(applied: &Applied) -> Vec<Problem> {
    applied
        .fates
        .iter()
        .filter_map(|(action, fate)| match fate {
            Fate::Failed { status, reason } => Some(Problem::new(
                Code::RemediationExecution,
                format!(
                    "{} {} ({} / {})",
                    action.resource_type,
                    action.resource_id,
                    action.aws_account_id,
                    action.aws_region
                ),
                format!("{}: {status}: {reason}", action.control_id),
            )),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrency_is_the_percentage_rounded_up_and_at_least_one() {
        assert_eq!(concurrency(10, 10), 1);
        assert_eq!(concurrency(10, 25), 3);
        assert_eq!(concurrency(3, 10), 1);
        assert_eq!(concurrency(4, 100), 4);
    }

    #[test]
    fn the_error_percentage_is_crossed_only_past_it() {
        assert!(crossed(1, 10, 10).is_none());
        assert!(crossed(2, 10, 10).is_some());
        assert!(crossed(1, 1, 100).is_none());
    }

    #[test]
    fn a_client_token_is_a_uuid_and_differs_per_attempt() {
        let a = client_token("abc", 1);
        let b = client_token("abc", 2);
        assert_ne!(a, b);
        assert_eq!(a, client_token("abc", 1));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "8", "version 8: {a}");
    }

    #[test]
    fn ssm_takes_every_parameter_as_a_list_of_strings() {
        let parameters: BTreeMap<String, Value> =
            serde_json::from_str(r#"{"Name": "b", "Count": 5, "On": true, "Ids": ["a", 1]}"#)
                .unwrap();
        let ssm = ssm_parameters(&parameters);
        assert_eq!(ssm["Name"], vec!["b"]);
        assert_eq!(ssm["Count"], vec!["5"]);
        assert_eq!(ssm["On"], vec!["true"]);
        assert_eq!(ssm["Ids"], vec!["a", "1"]);
    }
}
