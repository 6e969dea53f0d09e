//! What a run answers AWS Config with. `evaluations` turns a report into the evaluations
//! of each Config rule (one per rule and resource, as AWS Config keeps them), `bodies`
//! cuts them into PutEvaluations requests of at most 100, and `render` prints those
//! requests for review (`--format put-evaluations`), with a placeholder where the result
//! token goes. The sending path and the Lambda handler call the first two.

use crate::eval::Compliance;
use crate::model::Subject;
use crate::policy::natural_cmp;
use crate::report::{Report, ResultRow};
use crate::sink::View;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

/// PutEvaluations takes at most this many evaluations per call.
pub const MAX_PER_REQUEST: usize = 100;
/// AWS Config's longest annotation, in characters.
pub const MAX_ANNOTATION_CHARS: usize = 256;
/// What `--format put-evaluations` prints where the result token goes: the token is the
/// invocation's secret, and `--put-evaluations --result-token` supplies it when sending.
pub const RESULT_TOKEN_PLACEHOLDER: &str = "<RESULT_TOKEN>";

/// Which Config rule each control's results answer for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Grouping {
    /// One Config rule per control, named by the control id.
    #[default]
    PerControl,
    /// Rules that each cover several controls (a custom rule's `ruleParameters`): rule
    /// name → control ids. A control no rule lists answers for none.
    Rules(BTreeMap<String, Vec<String>>),
}

impl Grouping {
    /// One rule covering `controls` (the Lambda custom rule).
    pub fn one_rule(name: impl Into<String>, controls: impl IntoIterator<Item = String>) -> Self {
        Grouping::Rules(BTreeMap::from([(
            name.into(),
            controls.into_iter().collect(),
        )]))
    }

    /// What the view asks for: one rule named `config_rule` covering every control of the
    /// report, else one rule per control.
    pub fn of(report: &Report, view: &View) -> Self {
        match &view.config_rule {
            Some(rule) => Grouping::one_rule(
                rule.clone(),
                report.controls.iter().map(|c| c.meta.id.clone()),
            ),
            None => Grouping::PerControl,
        }
    }

    /// The rules a control's results answer for.
    fn rules_of<'g>(&'g self, control_id: &'g str) -> Vec<&'g str> {
        match self {
            Grouping::PerControl => vec![control_id],
            Grouping::Rules(rules) => rules
                .iter()
                .filter(|(_, controls)| controls.iter().any(|c| c == control_id))
                .map(|(rule, _)| rule.as_str())
                .collect(),
        }
    }
}

/// Which time orders the evaluations (`OrderingTimestamp`): AWS Config keeps, per rule and
/// resource, the evaluation with the latest one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ordering {
    /// Change-triggered rules: the item's capture time (for an account-level result, the
    /// newest capture time of its account and region, else of the report).
    CaptureTime,
    /// Periodic rules: the notification's time (RFC 3339), for every evaluation.
    Notification(String),
}

/// One evaluation, as PutEvaluations names its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Evaluation {
    pub compliance_resource_type: String,
    pub compliance_resource_id: String,
    /// COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE: an ERROR is never sent as a verdict.
    pub compliance_type: Compliance,
    /// At most 256 characters; left out when there is nothing to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// RFC 3339, UTC.
    pub ordering_timestamp: String,
}

/// A rule where it runs: a Config rule lives in one account and region, and its result
/// token answers only for that rule there (IAM's resources, region `global`, get a scope
/// of their own; the region that records them answers for them). Ordered by rule
/// (natural order: EC2.2 before EC2.13), then account, then region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleScope {
    pub rule: String,
    pub account: String,
    pub region: String,
}

impl Ord for RuleScope {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        natural_cmp(&self.rule, &other.rule)
            .then_with(|| self.account.cmp(&other.account))
            .then_with(|| self.region.cmp(&other.region))
    }
}

impl PartialOrd for RuleScope {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A result that is not sent as a verdict, and why: the caller logs it and fails (so
/// AWS Config invokes the rule again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSent {
    pub rule: String,
    pub control_id: String,
    pub subject: Arc<Subject>,
    pub kind: NotSentKind,
    /// `ERROR: <the evaluation's error>`, or why there is no time.
    pub reason: String,
}

/// Why a result is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSentKind {
    /// The result is ERROR (the report's errors name it already).
    Error,
    /// No capture time anywhere in the report to order it by (`Ordering::CaptureTime`).
    NoTime,
}

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.subject;
        write!(
            f,
            "rule {} ({}) on {} {} in {} {}: {}",
            self.rule,
            self.control_id,
            s.resource_type,
            s.resource_id,
            s.account,
            s.region,
            self.reason
        )
    }
}

/// Every rule's evaluations, and the results not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluations {
    /// Per rule, account and region: one evaluation per resource, in report order
    /// (resource type, then id).
    pub per_rule: BTreeMap<RuleScope, Vec<Evaluation>>,
    /// ERROR results, and results with no time to order them by.
    pub errors: Vec<NotSent>,
}

/// The evaluations a run answers with: for each rule (see `Grouping`) and resource, NON_COMPLIANT
/// if any of the rule's controls fails it (the annotation names the failing controls and
/// their reasons when the rule groups controls), else COMPLIANT if one passes it and none
/// gave an error, else NOT_APPLICABLE if none gave an error. ERROR results are never a
/// verdict: they come back in `errors`.
pub fn evaluations(report: &Report, grouping: &Grouping, ordering: &Ordering) -> Evaluations {
    evaluations_of(report, report.results.iter(), grouping, ordering)
}

/// `evaluations` of some of the report's rows (those a view shows, say).
pub fn evaluations_of<'r>(
    report: &'r Report,
    rows: impl Iterator<Item = &'r ResultRow>,
    grouping: &Grouping,
    ordering: &Ordering,
) -> Evaluations {
    let times = CaptureTimes::of(report);
    let mut out = Evaluations::default();
    for (scope, resources) in rows_by_rule_and_resource(rows, grouping) {
        let grouped = matches!(grouping, Grouping::Rules(_));
        let mut evaluations = Vec::with_capacity(resources.len());
        for rows in resources.into_values() {
            let (evaluation, errors) = judge(&scope.rule, &rows, grouped, &times, ordering);
            evaluations.extend(evaluation);
            out.errors.extend(errors);
        }
        if !evaluations.is_empty() {
            out.per_rule.insert(scope, evaluations);
        }
    }
    out
}

/// The rows of each rule and resource, rules in natural order, resources in report order.
type ByResource<'r> = BTreeMap<(&'r str, &'r str), Vec<&'r ResultRow>>;

fn rows_by_rule_and_resource<'r>(
    rows: impl Iterator<Item = &'r ResultRow>,
    grouping: &Grouping,
) -> BTreeMap<RuleScope, ByResource<'r>> {
    let mut by_rule: BTreeMap<RuleScope, ByResource<'r>> = BTreeMap::new();
    for row in rows {
        let subject = &*row.subject;
        for rule in grouping.rules_of(&row.control_id) {
            let scope = RuleScope {
                rule: rule.to_string(),
                account: subject.account.to_string(),
                region: subject.region.to_string(),
            };
            by_rule
                .entry(scope)
                .or_default()
                .entry((&subject.resource_type, &subject.resource_id))
                .or_default()
                .push(row);
        }
    }
    by_rule
}

/// One rule's verdict on one resource from its controls' rows, and the rows not sent.
fn judge(
    rule: &str,
    rows: &[&ResultRow],
    grouped: bool,
    times: &CaptureTimes,
    ordering: &Ordering,
) -> (Option<Evaluation>, Vec<NotSent>) {
    let not_sent = |row: &ResultRow, kind: NotSentKind, reason: String| NotSent {
        rule: rule.to_string(),
        control_id: row.control_id.to_string(),
        subject: row.subject.clone(),
        kind,
        reason,
    };
    let mut errors: Vec<NotSent> = rows
        .iter()
        .filter(|r| r.compliance_type == Compliance::Error)
        .map(|r| {
            let reason = r
                .annotation
                .clone()
                .unwrap_or_else(|| "evaluation error".into());
            not_sent(r, NotSentKind::Error, format!("ERROR: {reason}"))
        })
        .collect();
    let with = |verdict: Compliance| rows.iter().filter(move |r| r.compliance_type == verdict);
    let (verdict, annotation) = if with(Compliance::NonCompliant).next().is_some() {
        // A failure stands whatever the other controls say.
        let failing: Vec<&&ResultRow> = with(Compliance::NonCompliant).collect();
        (Compliance::NonCompliant, annotate(&failing, grouped))
    } else if !errors.is_empty() {
        // Without a failure, an error leaves the verdict unknown: nothing is sent.
        return (None, errors);
    } else if with(Compliance::Compliant).next().is_some() {
        (Compliance::Compliant, None)
    } else {
        let rows: Vec<&&ResultRow> = with(Compliance::NotApplicable).collect();
        (Compliance::NotApplicable, annotate(&rows, grouped))
    };
    let first = rows[0];
    let time = match ordering {
        Ordering::CaptureTime => times.of_row(first),
        Ordering::Notification(time) => Some(utc(time)),
    };
    let Some(ordering_timestamp) = time else {
        errors.push(not_sent(
            first,
            NotSentKind::NoTime,
            "no capture time to order the evaluation by (the input holds none)".into(),
        ));
        return (None, errors);
    };
    let subject = &*first.subject;
    let evaluation = Evaluation {
        compliance_resource_type: subject.resource_type.to_string(),
        compliance_resource_id: subject.resource_id.to_string(),
        compliance_type: verdict,
        annotation,
        ordering_timestamp,
    };
    (Some(evaluation), errors)
}

/// The annotation of the rows that decided a verdict: each control's own when the rule is
/// the control, `ID: reasons` joined by ` | ` when the rule groups controls; cut to 256.
fn annotate(rows: &[&&ResultRow], grouped: bool) -> Option<String> {
    let text = if grouped {
        rows.iter()
            .map(|r| match r.annotation.as_deref() {
                Some(reasons) if !reasons.is_empty() => format!("{}: {reasons}", r.control_id),
                _ => r.control_id.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" | ")
    } else {
        rows.first()?.annotation.clone()?
    };
    (!text.is_empty()).then(|| cut(&text, MAX_ANNOTATION_CHARS))
}

/// `text` in at most `limit` characters: whole, or its first `limit - 1` and an ellipsis.
pub fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut out: String = text.chars().take(limit.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A time as RFC 3339 in UTC with milliseconds (`2026-11-01T00:00:00.000Z`); a text that
/// is not RFC 3339 stays as written.
pub fn utc(time: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(time).map_or_else(
        |_| time.to_string(),
        |t| {
            t.to_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        },
    )
}

/// The time each result describes, never the clock: its item's capture time; for a result
/// without one (an account-level result has no item) the newest capture time among the
/// report's results of its account and region, else of the whole report.
pub struct CaptureTimes {
    newest_by_place: HashMap<(Arc<str>, Arc<str>), i64>,
    newest: Option<i64>,
}

impl CaptureTimes {
    pub fn of(report: &Report) -> Self {
        let mut newest_by_place: HashMap<(Arc<str>, Arc<str>), i64> = HashMap::new();
        let mut newest = None;
        for row in &report.results {
            let subject = &row.subject;
            let Some(ms) = subject.capture_time.as_deref().and_then(millis) else {
                continue;
            };
            let place = (subject.account.clone(), subject.region.clone());
            let entry = newest_by_place.entry(place).or_insert(ms);
            *entry = (*entry).max(ms);
            newest = Some(newest.map_or(ms, |n: i64| n.max(ms)));
        }
        CaptureTimes {
            newest_by_place,
            newest,
        }
    }

    /// The row's time, RFC 3339 in UTC; `None` when the report holds no capture time.
    pub fn of_row(&self, row: &ResultRow) -> Option<String> {
        let subject = &row.subject;
        if let Some(time) = &subject.capture_time {
            return Some(utc(time));
        }
        let place = (subject.account.clone(), subject.region.clone());
        let ms = self.newest_by_place.get(&place).copied().or(self.newest)?;
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }
}

fn millis(time: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// One PutEvaluations request, as AWS names its fields (and `aws configservice
/// put-evaluations --cli-input-json` reads them).
#[derive(Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutEvaluationsRequest<'a> {
    pub evaluations: &'a [Evaluation],
    pub result_token: &'a str,
    pub test_mode: bool,
}

/// The token is a secret: never in a log.
impl std::fmt::Debug for PutEvaluationsRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PutEvaluationsRequest")
            .field("evaluations", &self.evaluations)
            .field("result_token", &"<redacted>")
            .field("test_mode", &self.test_mode)
            .finish()
    }
}

/// One rule's evaluations as requests of at most 100 each, in order.
pub fn bodies<'a>(
    evaluations: &'a [Evaluation],
    result_token: &'a str,
    test_mode: bool,
) -> Vec<PutEvaluationsRequest<'a>> {
    evaluations
        .chunks(MAX_PER_REQUEST)
        .map(|chunk| PutEvaluationsRequest {
            evaluations: chunk,
            result_token,
            test_mode,
        })
        .collect()
}

/// regent's envelope around one request: which rule, where (snake_case, as the JSON report
/// names fields; the request inside is AWS's).
#[derive(Serialize)]
struct Entry<'a> {
    config_rule: &'a str,
    aws_account_id: &'a str,
    aws_region: &'a str,
}

/// `--format put-evaluations`: a JSON array with one entry per request, each
/// `{"config_rule", "aws_account_id", "aws_region", "request": {PutEvaluations request}}`,
/// one evaluation per line, for the results the view shows. One Config rule per control
/// (or the view's `config_rule` over all of them), ordered by the capture times; ERROR results are not sent (the report's errors say why).
pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let answer = evaluations_of(
        report,
        view.results(report),
        &Grouping::of(report, view),
        &Ordering::CaptureTime,
    );
    write_requests(&answer, false, out)
}

/// The requests of `answer`, as `render` prints them (the token a placeholder), with
/// `TestMode` as they will be sent.
pub fn write_requests(
    answer: &Evaluations,
    test_mode: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    write!(out, "[")?;
    let mut first = true;
    for (scope, evaluations) in &answer.per_rule {
        for body in bodies(evaluations, RESULT_TOKEN_PLACEHOLDER, test_mode) {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            write_entry(&mut out, scope, &body)?;
        }
    }
    writeln!(out, "\n]")?;
    out.flush()
}

/// One entry: the envelope, then the request with one evaluation per line.
fn write_entry(
    out: &mut dyn Write,
    scope: &RuleScope,
    body: &PutEvaluationsRequest,
) -> io::Result<()> {
    let entry = Entry {
        config_rule: &scope.rule,
        aws_account_id: &scope.account,
        aws_region: &scope.region,
    };
    let mut head = json(&entry);
    head.pop(); // the closing brace
    out.write_all(&head)?;
    write!(out, ",\"request\":{{\"Evaluations\":[")?;
    for (i, evaluation) in body.evaluations.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        out.write_all(&json(evaluation))?;
    }
    write!(out, "\n],\"ResultToken\":")?;
    out.write_all(&json(body.result_token))?;
    write!(out, ",\"TestMode\":{}}}}}", body.test_mode)
}

/// `value` as JSON text, written by the caller so a closed pipe keeps its error kind (and
/// exits quietly). Plain structs of strings always serialise.
pub(super) fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use crate::policy::Severity;
    use crate::report::Summary;

    fn subject(account: &str, id: &str, capture_time: Option<&str>) -> Arc<Subject> {
        let (resource_type, region) = if id == account {
            ("AWS::::Account", "eu-west-1")
        } else {
            ("AWS::S3::Bucket", "eu-west-1")
        };
        Arc::new(Subject {
            resource_type: resource_type.into(),
            resource_id: id.into(),
            resource_name: None,
            arn: None,
            account: account.into(),
            region: region.into(),
            capture_time: capture_time.map(Arc::from),
            state_id: None,
            origin: Some(Origin {
                source: "x.json".into(),
                index: None,
            }),
        })
    }

    fn row(
        control: &str,
        subject: &Arc<Subject>,
        verdict: Compliance,
        note: Option<&str>,
    ) -> ResultRow {
        ResultRow {
            control_id: control.into(),
            title: "t".into(),
            severity: Severity::High,
            subject: subject.clone(),
            compliance_type: verdict,
            annotation: note.map(str::to_string),
            remediation: None,
            waiver: None,
            baseline: None,
        }
    }

    fn report(results: Vec<ResultRow>) -> Report {
        Report {
            version: "0".into(),
            summary: Summary::default(),
            controls: Vec::new(),
            results,
            errors: Vec::new(),
            skipped_inputs: Vec::new(),
            envelopes: Vec::new(),
            shard: None,
            waivers: Vec::new(),
            resolved: Vec::new(),
        }
    }

    const T1: &str = "2026-11-01T10:00:00Z";
    const T2: &str = "2026-11-02T00:00:00.5+02:00";

    #[test]
    fn a_grouped_rule_gives_one_evaluation_per_resource() {
        let a = subject("111122223333", "a", Some(T1));
        let b = subject("111122223333", "b", Some(T1));
        let c = subject("111122223333", "c", Some(T1));
        let d = subject("111122223333", "d", Some(T1));
        let report = report(vec![
            row("S3.5", &a, Compliance::NonCompliant, Some("no TLS")),
            row("S3.5", &b, Compliance::Compliant, None),
            row("S3.5", &c, Compliance::NotApplicable, Some("deleted")),
            row("S3.5", &d, Compliance::Error, Some("boom")),
            row("S3.8", &a, Compliance::NonCompliant, Some("public")),
            row("S3.8", &b, Compliance::NotApplicable, None),
            row("S3.8", &c, Compliance::NotApplicable, None),
            row("S3.8", &d, Compliance::Compliant, None),
            // Not one of the rule's controls.
            row("EC2.2", &a, Compliance::NonCompliant, Some("ignored")),
        ]);
        let grouping = Grouping::one_rule("regent-s3", ["S3.5".to_string(), "S3.8".to_string()]);
        let answer = evaluations(&report, &grouping, &Ordering::CaptureTime);
        assert_eq!(answer.per_rule.len(), 1);
        let (scope, evaluations) = answer.per_rule.iter().next().unwrap();
        assert_eq!(scope.rule, "regent-s3");
        let verdicts: Vec<(&str, Compliance, Option<&str>)> = evaluations
            .iter()
            .map(|e| {
                (
                    e.compliance_resource_id.as_str(),
                    e.compliance_type,
                    e.annotation.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            verdicts,
            vec![
                (
                    "a",
                    Compliance::NonCompliant,
                    Some("S3.5: no TLS | S3.8: public")
                ),
                ("b", Compliance::Compliant, None),
                ("c", Compliance::NotApplicable, Some("S3.5: deleted | S3.8")),
            ]
        );
        // d: S3.5 gave an error and nothing failed, so its verdict is unknown.
        assert_eq!(answer.errors.len(), 1);
        assert_eq!(answer.errors[0].control_id, "S3.5");
        assert_eq!(answer.errors[0].kind, NotSentKind::Error);
        assert!(answer.errors[0].reason.contains("boom"));
        assert_eq!(
            evaluations[0].ordering_timestamp,
            "2026-11-01T10:00:00.000Z"
        );
    }

    #[test]
    fn per_control_rules_keep_each_annotation_and_an_error_is_never_a_verdict() {
        let a = subject("111122223333", "a", Some(T1));
        let report = report(vec![
            row("EC2.13", &a, Compliance::Error, Some("boom")),
            row("EC2.2", &a, Compliance::NonCompliant, Some("open")),
        ]);
        let answer = evaluations(&report, &Grouping::PerControl, &Ordering::CaptureTime);
        let rules: Vec<&str> = answer.per_rule.keys().map(|s| s.rule.as_str()).collect();
        assert_eq!(rules, vec!["EC2.2"], "EC2.13 erred and sends nothing");
        assert_eq!(
            answer.per_rule.values().next().unwrap()[0]
                .annotation
                .as_deref(),
            Some("open")
        );
        assert_eq!(answer.errors.len(), 1);
        assert!(answer.errors[0].to_string().contains("EC2.13"));
    }

    #[test]
    fn account_results_take_the_newest_capture_time_of_their_place() {
        let bucket = subject("111122223333", "a", Some(T1));
        let newer = subject("111122223333", "b", Some(T2));
        let account = subject("111122223333", "111122223333", None);
        let report = report(vec![
            row(
                "Config.1",
                &account,
                Compliance::NonCompliant,
                Some("no recorder"),
            ),
            row("S3.5", &bucket, Compliance::Compliant, None),
            row("S3.5", &newer, Compliance::Compliant, None),
        ]);
        let answer = evaluations(&report, &Grouping::PerControl, &Ordering::CaptureTime);
        let config = answer
            .per_rule
            .iter()
            .find(|(s, _)| s.rule == "Config.1")
            .unwrap()
            .1;
        // T2 is 2026-11-01T22:00:00.500Z in UTC.
        assert_eq!(config[0].ordering_timestamp, "2026-11-01T22:00:00.500Z");
        assert_eq!(config[0].compliance_resource_type, "AWS::::Account");

        let periodic = evaluations(
            &report,
            &Grouping::PerControl,
            &Ordering::Notification("2026-12-01T00:00:00Z".into()),
        );
        assert!(periodic
            .per_rule
            .values()
            .flatten()
            .all(|e| e.ordering_timestamp == "2026-12-01T00:00:00.000Z"));
    }

    #[test]
    fn without_any_capture_time_nothing_is_sent() {
        let a = subject("111122223333", "a", None);
        let report = report(vec![row("S3.5", &a, Compliance::Compliant, None)]);
        let answer = evaluations(&report, &Grouping::PerControl, &Ordering::CaptureTime);
        assert!(answer.per_rule.is_empty());
        assert_eq!(answer.errors[0].kind, NotSentKind::NoTime);
        assert!(answer.errors[0].reason.contains("no capture time"));
    }

    #[test]
    fn annotations_are_cut_on_a_character_boundary() {
        let long = "é".repeat(300);
        let text = cut(&long, MAX_ANNOTATION_CHARS);
        assert_eq!(text.chars().count(), 256);
        assert!(text.ends_with("é…"));
        assert_eq!(cut("short", 256), "short");
        let exactly = "x".repeat(256);
        assert_eq!(cut(&exactly, 256), exactly);
    }

    #[test]
    fn requests_hold_at_most_100_evaluations_and_hide_the_token() {
        let subjects: Vec<Arc<Subject>> = (0..250)
            .map(|i| subject("111122223333", &format!("b{i:03}"), Some(T1)))
            .collect();
        let rows = subjects
            .iter()
            .map(|s| row("S3.5", s, Compliance::Compliant, None))
            .collect();
        let report = report(rows);
        let answer = evaluations(&report, &Grouping::PerControl, &Ordering::CaptureTime);
        let all = &answer.per_rule.values().next().unwrap();
        let requests = bodies(all, "secret-token", true);
        let sizes: Vec<usize> = requests.iter().map(|r| r.evaluations.len()).collect();
        assert_eq!(sizes, vec![100, 100, 50]);
        assert!(!format!("{requests:?}").contains("secret-token"));
        let json = serde_json::to_value(&requests[2]).unwrap();
        assert_eq!(json["TestMode"], true);
        assert_eq!(json["Evaluations"][49]["ComplianceResourceId"], "b249");

        // The rendered entries hold exactly these requests, with the placeholder token.
        let mut out = Vec::new();
        render(&report, &View::default(), &mut out).unwrap();
        let rendered: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let entries = rendered.as_array().unwrap();
        assert_eq!(entries.len(), 3);
        for (entry, request) in entries
            .iter()
            .zip(bodies(all, RESULT_TOKEN_PLACEHOLDER, false))
        {
            assert_eq!(entry["request"], serde_json::to_value(&request).unwrap());
            assert_eq!(entry["config_rule"], "S3.5");
        }
    }
}
