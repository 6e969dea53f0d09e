//! The door AWS Config opens: one custom rule's Lambda event in, the rule's evaluations
//! out through PutEvaluations. The Lambda handler (`src/bin/regent-lambda.rs`, under the
//! Lambda Runtime API) and `regent lambda invoke` both call `handle`, which runs the same
//! pipeline as `regent eval`.
//!
//! - A ConfigurationItemChangeNotification judges its item with the rule's controls
//!   (`rule::RuleParameters`); an item that left the rule's scope, or was deleted, is
//!   NOT_APPLICABLE.
//! - An OversizedConfigurationItemChangeNotification carries only a summary: the item is
//!   fetched with GetResourceConfigHistory (`laterTime` = its capture time, `limit` 1) and
//!   judged as if it had come whole.
//! - A ScheduledNotification (or ConfigurationSnapshotDeliveryCompleted) judges the
//!   account's current items, read as `config://` reads them, with the account-level
//!   controls; resources the rule judged before that are gone become NOT_APPLICABLE (AWS
//!   Config keeps a verdict until told otherwise).
//!
//! The answer is one evaluation per resource over all the rule's controls (AWS Config
//! keeps one per rule and resource): NON_COMPLIANT if any fails. An ERROR is never sent as
//! a verdict: the invocation fails, so AWS Config invokes the rule again.

pub mod rule;

use crate::aws::config::{Answer, ConfigClient, Sent};
use crate::aws::Connection;
use crate::diagnostics::{Code, Problem};
use crate::eval::Compliance;
use crate::model::envelope::ResultToken;
use crate::pipeline::{self, Options, Quiet};
use crate::policy::Pack;
use crate::report::Report;
use crate::sink::put_evaluations::{
    evaluations_of, utc, Evaluation, Evaluations, Grouping, NotSentKind, Ordering, RuleScope,
};
use crate::sink::view::plural;
use crate::source::config_api::{self, ConfigApi, Target};
use crate::source::{Document, Entry};
use aws_lambda_events::event::config::ConfigEvent;
use rule::RuleParameters;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What every invocation shares: the pack (loaded once, at a cold start), the connection
/// to AWS (made when first needed), and how runs go.
pub struct Handler {
    pub pack: Pack,
    pub aws: Connection,
    /// The pipeline's options (budgets, input limits); each event adds its rule's
    /// parameter values.
    pub options: Options,
}

/// What an event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A configuration item changed: the event holds it.
    Change,
    /// A configuration item changed, too large for the event: only its summary is there.
    Oversized,
    /// A periodic rule's turn (ScheduledNotification, or a snapshot delivered).
    Periodic,
}

/// What one event came to.
pub struct Handled {
    pub rule: String,
    pub message_type: String,
    /// The controls the rule covers.
    pub controls: Vec<String>,
    /// The run's report (its errors include every problem below that came from the run).
    pub report: Report,
    /// The rule's evaluations (of one account and region), as sent.
    pub evaluations: Evaluations,
    /// Of them, NOT_APPLICABLE for resources judged before and gone since.
    pub gone: usize,
    /// What sending did (nothing when not asked to send).
    pub sent: Sent,
    /// Everything that makes the invocation fail: a result not sent as a verdict (ERROR),
    /// an input that could not be read, a call that failed.
    pub problems: Vec<Problem>,
}

impl Handled {
    /// Whether AWS Config should invoke the rule again.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty()
    }

    /// How many evaluations the answer holds.
    pub fn evaluation_count(&self) -> usize {
        self.evaluations.per_rule.values().map(Vec::len).sum()
    }

    /// One line for the log: the rule, what it judged, and what was sent (or that it was
    /// not, `sent` false).
    pub fn summary(&self, sent: bool) -> String {
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for evaluation in self.evaluations.per_rule.values().flatten() {
            *counts
                .entry(evaluation.compliance_type.as_str())
                .or_default() += 1;
        }
        let verdicts = counts
            .iter()
            .map(|(verdict, n)| format!("{n} {verdict}"))
            .collect::<Vec<_>>()
            .join(", ");
        let total = self.evaluation_count();
        let gone = if self.gone > 0 {
            format!(" ({} for resources gone since last judged)", self.gone)
        } else {
            String::new()
        };
        let outcome = if !sent {
            "not sent (--dry-run)".to_string()
        } else {
            format!(
                "{} accepted by AWS Config in {}",
                self.sent.accepted,
                plural(
                    self.sent.calls,
                    "PutEvaluations call",
                    "PutEvaluations calls"
                )
            )
        };
        let failed = if self.failed() {
            format!(
                "; the invocation fails ({}), so AWS Config invokes the rule again",
                plural(self.problems.len(), "problem", "problems")
            )
        } else {
            String::new()
        };
        let verdicts = if verdicts.is_empty() {
            String::new()
        } else {
            format!(" ({verdicts})")
        };
        format!(
            "rule {} ({}), {} over {}: {}{verdicts}{gone}; {outcome}{failed}",
            self.rule,
            self.message_type,
            plural(self.controls.len(), "control", "controls"),
            plural(self.report.summary.items_read, "item", "items"),
            plural(total, "evaluation", "evaluations"),
        )
    }
}

/// The event read: the rule's name, what is asked, and the invoking event.
struct Event<'e> {
    config: &'e ConfigEvent,
    rule: String,
    message: Message,
    message_type: String,
    invoking: Value,
}

/// Answer one event: judge what it asks for and, when `send`, answer AWS Config with the
/// rule's evaluations. `Err` when the event itself cannot be answered (not a Config rule's
/// event, unknown rule parameters): nothing is judged and nothing sent.
pub fn handle(handler: &Handler, event: &ConfigEvent, send: bool) -> Result<Handled, Vec<Problem>> {
    let event = read_event(event)?;
    let rule = RuleParameters::parse(event.config.rule_parameters.as_deref(), &handler.pack)?;
    let pack = rule.pack;
    let token = match (&event.config.result_token, send) {
        (Some(token), _) => Some(ResultToken::new(token.clone())),
        (None, false) => None,
        (None, true) => {
            return Err(vec![event_problem(
                "the event has no resultToken: PutEvaluations cannot answer without one",
            )])
        }
    };
    let mut options = handler.options.clone();
    options.eval.parameter_overrides = rule.parameters;
    let report = pipeline::run(&pack, entries(handler, &event, &pack), &options, &Quiet).report;
    let controls: Vec<String> = pack.controls.iter().map(|c| c.meta.id.clone()).collect();
    let grouping = Grouping::one_rule(event.rule.clone(), controls.clone());
    let ordering = ordering(&event);
    let mut evaluations = evaluations_of(&report, report.results.iter(), &grouping, &ordering);
    let mut problems = report.errors.clone();
    problems.extend(untimed(&evaluations));
    let mut gone = 0;
    // Only a complete read of the account tells what is gone.
    if let (Message::Periodic, Ordering::Notification(time), 0) =
        (&event.message, &ordering, report.summary.inputs_failed)
    {
        match clear_gone(handler, &event, &report, &mut evaluations, time) {
            Ok(count) => gone = count,
            Err(problem) => problems.push(problem),
        }
    }
    let sent = match token.filter(|_| send) {
        Some(token) => send_answer(handler, token, &evaluations),
        None => Sent::default(),
    };
    problems.extend(sent.problems.iter().cloned());
    Ok(Handled {
        rule: event.rule,
        message_type: event.message_type,
        controls,
        report,
        evaluations,
        gone,
        sent,
        problems,
    })
}

/// AWS Config's API, reached only when the event needs it: an item to fetch, an account
/// to read, an answer to send.
fn client(handler: &Handler, event: &Event) -> Result<Arc<ConfigClient>, Problem> {
    let aws = handler.aws.get(&format!("rule {}", event.rule))?;
    Ok(Arc::new(ConfigClient::new(aws)))
}

/// What the event has the pipeline judge: its own item, the item fetched for an oversized
/// change, or the account's current items.
fn entries(
    handler: &Handler,
    event: &Event,
    pack: &Pack,
) -> Box<dyn Iterator<Item = Entry> + Send> {
    let one =
        |entry| -> Box<dyn Iterator<Item = Entry> + Send> { Box::new(std::iter::once(entry)) };
    if event.message == Message::Change {
        return one(whole_event(event, None));
    }
    match (&event.message, client(handler, event)) {
        (_, Err(problem)) => one(Entry::Failed(problem)),
        (Message::Periodic, Ok(client)) => {
            let types = pack.resource_types_read();
            let tally = Arc::new(crate::source::Untallied);
            config_api::entries(
                client,
                Target::Account,
                types,
                handler.aws.read_options(),
                tally,
            )
        }
        (_, Ok(client)) => one(fetched_item(event, &client)),
    }
}

/// A result with no time to order it by is a problem (`aws::not_sent`).
fn untimed(evaluations: &Evaluations) -> impl Iterator<Item = Problem> + '_ {
    evaluations
        .errors
        .iter()
        .filter(|n| n.kind == NotSentKind::NoTime)
        .map(|n| {
            Problem::new(
                Code::AwsNotSent,
                n.subject.resource_id.to_string(),
                n.to_string(),
            )
        })
}

/// NOT_APPLICABLE for what the rule judged before and the account no longer holds; how
/// many.
fn clear_gone(
    handler: &Handler,
    event: &Event,
    report: &Report,
    evaluations: &mut Evaluations,
    time: &str,
) -> Result<usize, Problem> {
    let client = client(handler, event)?;
    let judged = client.judged_resources(&event.rule)?;
    let scope = scope(event, &*client, evaluations);
    Ok(add_gone(evaluations, report, scope, judged, time))
}

/// The evaluations sent with the event's token.
fn send_answer(handler: &Handler, token: ResultToken, evaluations: &Evaluations) -> Sent {
    match handler.aws.get("PutEvaluations") {
        Ok(aws) => {
            let answer = Answer {
                token,
                test_mode: false,
            };
            crate::aws::config::answer(&aws, evaluations, &answer, handler.aws.resend())
        }
        Err(problem) => Sent {
            problems: vec![problem],
            ..Sent::default()
        },
    }
}

fn event_problem(message: impl Into<String>) -> Problem {
    Problem::new(Code::LambdaEvent, "the Lambda event", message).with_help(
        "a Config custom rule's event has configRuleName, resultToken and invokingEvent (JSON text with messageType); README \"A Config custom rule\"",
    )
}

/// What the event asks for, from its invoking event.
fn read_event(config: &ConfigEvent) -> Result<Event<'_>, Vec<Problem>> {
    let rule = config
        .config_rule_name
        .clone()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| vec![event_problem("the event has no configRuleName")])?;
    let text = config
        .invoking_event
        .as_deref()
        .ok_or_else(|| vec![event_problem("the event has no invokingEvent")])?;
    let invoking: Value = serde_json::from_str(text)
        .map_err(|err| vec![event_problem(format!("invokingEvent is not JSON: {err}"))])?;
    let message_type = invoking["messageType"].as_str().unwrap_or("").to_string();
    let message = match message_type.as_str() {
        "ConfigurationItemChangeNotification" => Message::Change,
        "OversizedConfigurationItemChangeNotification" => Message::Oversized,
        "ScheduledNotification" | "ConfigurationSnapshotDeliveryCompleted" => Message::Periodic,
        "" => return Err(vec![event_problem("invokingEvent has no messageType")]),
        other => {
            return Err(vec![event_problem(format!(
                "messageType `{other}` is not one a Config rule is invoked with"
            ))])
        }
    };
    Ok(Event {
        config,
        rule,
        message,
        message_type,
        invoking,
    })
}

/// The event as the loader reads it (the custom-rule event shape: the item, whether it
/// left the rule's scope, the notification), with `item` in place of the invoking
/// event's own when given.
fn whole_event(event: &Event, item: Option<Value>) -> Entry {
    let mut config = event.config.clone();
    if let Some(item) = item {
        let mut invoking = event.invoking.clone();
        invoking["messageType"] = json!("ConfigurationItemChangeNotification");
        invoking["configurationItem"] = item;
        config.invoking_event = Some(invoking.to_string());
    }
    // The token stays out of what the loader keeps.
    config.result_token = None;
    let origin = format!("Lambda event of rule {}", event.rule);
    match serde_json::to_vec(&config) {
        Ok(bytes) => Entry::Document(Document::from_bytes(origin, bytes)),
        Err(err) => Entry::Failed(event_problem(format!(
            "the event could not be written: {err}"
        ))),
    }
}

/// An oversized notification's item, as AWS Config recorded it at the capture time the
/// summary gives.
fn fetched_item(event: &Event, client: &ConfigClient) -> Entry {
    let summary = &event.invoking["configurationItemSummary"];
    let text = |key: &str| summary[key].as_str().filter(|t| !t.is_empty());
    let (Some(resource_type), Some(resource_id), Some(time)) = (
        text("resourceType"),
        text("resourceId"),
        text("configurationItemCaptureTime"),
    ) else {
        return Entry::Failed(event_problem(
            "the oversized notification's configurationItemSummary lacks resourceType, resourceId or configurationItemCaptureTime",
        ));
    };
    let origin = format!("config://{resource_type}/{resource_id}@{time}");
    match client.item_at(resource_type, resource_id, time, &origin) {
        Ok(Some(item)) => whole_event(event, Some(item)),
        Ok(None) => Entry::Failed(
            Problem::new(
                Code::AwsCall,
                origin,
                format!("GetResourceConfigHistory holds no item of {resource_type} {resource_id} captured by {time}"),
            )
            .with_help("AWS Config may not have recorded it yet: the invocation fails, so AWS Config tries again"),
        ),
        Err(problem) => Entry::Failed(problem),
    }
}

/// AWS's `OrderingTimestamp`: the item's capture time for a change, the notification's
/// time for a periodic rule.
fn ordering(event: &Event) -> Ordering {
    match (
        &event.message,
        event.invoking["notificationCreationTime"].as_str(),
    ) {
        (Message::Periodic, Some(time)) => Ordering::Notification(time.to_string()),
        _ => Ordering::CaptureTime,
    }
}

/// Where the rule runs: the account and region of its evaluations, else the event's
/// account and the connection's region.
fn scope(event: &Event, client: &dyn ConfigApi, evaluations: &Evaluations) -> RuleScope {
    if let Some(scope) = evaluations.per_rule.keys().next() {
        return scope.clone();
    }
    RuleScope {
        rule: event.rule.clone(),
        account: event.config.account_id.clone().unwrap_or_default(),
        region: client.region(),
    }
}

/// NOT_APPLICABLE for each resource `judged` that the run no longer saw; how many.
fn add_gone(
    evaluations: &mut Evaluations,
    report: &Report,
    scope: RuleScope,
    judged: Vec<(String, String)>,
    time: &str,
) -> usize {
    let seen: BTreeSet<(&str, &str)> = report
        .results
        .iter()
        .map(|r| (&*r.subject.resource_type, &*r.subject.resource_id))
        .collect();
    let gone: BTreeSet<(String, String)> = judged
        .into_iter()
        .filter(|(t, id)| !seen.contains(&(t.as_str(), id.as_str())))
        .collect();
    let count = gone.len();
    let list = evaluations.per_rule.entry(scope).or_default();
    list.extend(
        gone.into_iter()
            .map(|(resource_type, resource_id)| Evaluation {
                compliance_resource_type: resource_type,
                compliance_resource_id: resource_id,
                compliance_type: Compliance::NotApplicable,
                annotation: Some("AWS Config no longer records this resource".into()),
                ordering_timestamp: utc(time),
            }),
    );
    count
}
