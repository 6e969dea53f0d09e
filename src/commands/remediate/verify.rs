//! `regent remediate verify --audit LOG`: each action the log says succeeded, its resource
//! read again from AWS Config (`config://` of its account and region, or one aggregator)
//! and judged again by its control: verified (COMPLIANT), still failing, not yet recorded
//! (AWS Config's item predates the execution's end: look again later), or gone.

use crate::aws::ssm::role_for;
use crate::aws::{AwsSettings, Connection};
use crate::commands::eval::config_entries;
use crate::commands::{print_problems, selected_pack};
use crate::eval::{Compliance, EvalOptions, ReleaseMemory};
use crate::pipeline::{self, Quiet};
use crate::policy::select::Selection;
use crate::remediation::apply::Place;
use crate::remediation::audit::{self, Event, Record};
use crate::remediation::notify::Summary;
use crate::report::ResultRow;
use crate::source::Untallied;
use crate::ExitStatus;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

pub struct VerifySettings {
    pub audit: PathBuf,
    pub aggregator: Option<String>,
    pub json: bool,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub notify: Option<String>,
    pub aws: AwsSettings,
    pub release_memory: ReleaseMemory,
}

/// What the second look found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    Verified,
    StillFailing,
    NotYetRecorded,
    NotFound,
    NotApplicable,
    Error,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::StillFailing => "still failing",
            Verdict::NotYetRecorded => "not yet recorded",
            Verdict::NotFound => "not found",
            Verdict::NotApplicable => "not applicable",
            Verdict::Error => "error",
        }
    }
}

#[derive(Debug, Serialize)]
struct Checked<'a> {
    control_id: &'a str,
    resource_type: &'a str,
    resource_id: &'a str,
    aws_account_id: &'a str,
    aws_region: &'a str,
    execution_id: Option<&'a str>,
    remediated_at: &'a str,
    verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    recorded_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotation: Option<String>,
}

pub fn run(settings: VerifySettings) -> miette::Result<ExitStatus> {
    let (records, problems) = match audit::records(&settings.audit) {
        Ok(read) => read,
        Err(problem) => {
            print_problems(&[problem]);
            return Ok(ExitStatus::Error);
        }
    };
    print_problems(&problems);
    let done = succeeded(&records);
    if done.is_empty() {
        eprintln!("regent: the audit log has no action that succeeded: nothing to verify");
        return Ok(ExitStatus::Success);
    }
    let selection = Selection {
        controls: done
            .iter()
            .map(|r| r.control_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        ..Selection::default()
    };
    let (pack, config) = match selected_pack(
        settings.builtin,
        &settings.policy_dirs,
        settings.config.as_deref(),
        &selection,
        false,
    ) {
        Ok(selected) => selected,
        Err(status) => return Ok(status),
    };
    let options = pipeline::Options {
        eval: EvalOptions {
            release_memory: settings.release_memory,
            parameter_overrides: config.parameters,
            ..EvalOptions::default()
        },
        settings: config.settings,
        ..pipeline::Options::default()
    };
    let mut rows: Vec<ResultRow> = Vec::new();
    let mut errors = Vec::new();
    for (input, aws) in reads(&settings, &done) {
        let connection = Connection::new(aws);
        let entries = config_entries(
            &connection,
            &input,
            pack.resource_types_read(),
            Arc::new(Untallied),
        );
        let run = pipeline::run(&pack, entries, &options, &Quiet);
        errors.extend(run.report.errors.iter().cloned());
        rows.extend(run.report.results.iter().cloned());
    }
    print_problems(&errors);
    let checked: Vec<Checked<'_>> = done.iter().map(|r| check(r, &rows)).collect();
    if settings.json {
        let text = serde_json::to_string_pretty(&checked).unwrap_or_default();
        println!("{text}");
    } else {
        for c in &checked {
            println!(
                "{:<16} {} {} {} ({} / {})",
                c.verdict.as_str(),
                c.control_id,
                c.resource_type,
                c.resource_id,
                c.aws_account_id,
                c.aws_region
            );
        }
    }
    let count = |v: Verdict| checked.iter().filter(|c| c.verdict == v).count();
    let headline = format!(
        "{} actions: {} verified, {} still failing, {} not yet recorded, {} not found",
        checked.len(),
        count(Verdict::Verified),
        count(Verdict::StillFailing),
        count(Verdict::NotYetRecorded),
        count(Verdict::NotFound)
    );
    eprintln!("regent: {headline}");
    crate::commands::notify(
        settings.notify.as_deref(),
        &Summary {
            step: "verify",
            headline,
            counts: vec![
                ("verified", count(Verdict::Verified)),
                ("still_failing", count(Verdict::StillFailing)),
                ("not_yet_recorded", count(Verdict::NotYetRecorded)),
                ("not_found", count(Verdict::NotFound)),
            ],
            details: checked
                .iter()
                .filter(|c| c.verdict != Verdict::Verified)
                .map(|c| {
                    format!(
                        "{} {} {}: {}",
                        c.control_id,
                        c.resource_type,
                        c.resource_id,
                        c.verdict.as_str()
                    )
                })
                .collect(),
        },
    );
    Ok(if !errors.is_empty() {
        ExitStatus::Error
    } else if checked.iter().all(|c| c.verdict == Verdict::Verified) {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    })
}

/// The last `finished` record of each action whose status is Success, in log order.
fn succeeded(records: &[Record]) -> Vec<&Record> {
    let mut last: BTreeMap<&str, &Record> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for record in records.iter().filter(|r| r.event == Event::Finished) {
        if last.insert(&record.action_id, record).is_none() {
            order.push(&record.action_id);
        }
    }
    order
        .into_iter()
        .filter_map(|id| last.get(id).copied())
        .filter(|r| r.status.as_deref() == Some("Success"))
        .collect()
}

/// What to read, and as whom: the aggregator once, or each account and region, in its
/// region, through the role of `--assume-role` (`{account}`, `{region}` filled in).
fn reads(settings: &VerifySettings, done: &[&Record]) -> Vec<(String, AwsSettings)> {
    if let Some(name) = &settings.aggregator {
        return vec![(format!("config://aggregator/{name}"), settings.aws.clone())];
    }
    let places: BTreeSet<(&str, &str)> = done
        .iter()
        .map(|r| (r.aws_account_id.as_str(), r.aws_region.as_str()))
        .collect();
    places
        .into_iter()
        .map(|(account, region)| {
            let mut aws = settings.aws.clone();
            aws.region = Some(region.to_string());
            let place = Place {
                account: account.to_string(),
                region: region.to_string(),
            };
            aws.assume_role = aws.assume_role.map(|template| role_for(&template, &place));
            ("config://".to_string(), aws)
        })
        .collect()
}

fn check<'a>(record: &'a Record, rows: &[ResultRow]) -> Checked<'a> {
    let row = rows.iter().find(|row| {
        let s = &row.subject;
        *row.control_id == *record.control_id
            && *s.resource_type == *record.resource_type
            && *s.resource_id == *record.resource_id
            && *s.account == *record.aws_account_id
            && *s.region == *record.aws_region
    });
    let recorded_at = row.and_then(|r| r.subject.capture_time.as_deref().map(str::to_string));
    let verdict = match row.map(|r| r.compliance_type) {
        None => Verdict::NotFound,
        Some(Compliance::Compliant) => Verdict::Verified,
        Some(Compliance::NonCompliant) if recorded_before(recorded_at.as_deref(), &record.time) => {
            Verdict::NotYetRecorded
        }
        Some(Compliance::NonCompliant) => Verdict::StillFailing,
        Some(Compliance::NotApplicable) => Verdict::NotApplicable,
        Some(_) => Verdict::Error,
    };
    Checked {
        control_id: &record.control_id,
        resource_type: &record.resource_type,
        resource_id: &record.resource_id,
        aws_account_id: &record.aws_account_id,
        aws_region: &record.aws_region,
        execution_id: record.execution_id.as_deref(),
        remediated_at: &record.time,
        verdict,
        recorded_at,
        annotation: row.and_then(|r| r.annotation.clone()),
    }
}

/// Whether AWS Config's item was captured before the execution ended (so it cannot show
/// the fix yet).
fn recorded_before(captured: Option<&str>, finished: &str) -> bool {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    match (captured.and_then(parse), parse(finished)) {
        (Some(captured), Some(finished)) => captured < finished,
        _ => false,
    }
}
