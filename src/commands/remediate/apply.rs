//! `regent remediate apply --plan FILE`: the command line's part of running a plan (the
//! confirmation typed per runbook, the progress shown, the summary and exit code); the run
//! itself is `remediation::apply`, SSM is `aws::ssm`.

use crate::aws::Connection;
use crate::commands::print_problems;
use crate::diagnostics::{Code, Problem};
use crate::remediation::apply::{self, Applied, ApplyOptions, Batch, Fate, Observer, Runner};
use crate::remediation::audit::{AuditLog, Event, Ledger, Record};
use crate::remediation::notify::Summary;
use crate::remediation::plan::{self, Plan};
use crate::ExitStatus;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

pub struct ApplySettings {
    pub plan: PathBuf,
    pub audit_log: PathBuf,
    /// `--yes`: no confirmation asked.
    pub yes: bool,
    /// `--dry-run`: say what would run, call nothing.
    pub dry_run: bool,
    /// `--max-resources N`: refuse more actions than this.
    pub max_resources: Option<usize>,
    pub options: ApplyOptions,
    pub notify: Option<String>,
    pub aws: crate::aws::AwsSettings,
    pub progress: bool,
}

pub fn run(settings: ApplySettings) -> miette::Result<ExitStatus> {
    let plan = match plan::read(&settings.plan) {
        Ok(plan) => plan,
        Err(problem) => {
            print_problems(&[problem]);
            return Ok(ExitStatus::Error);
        }
    };
    let (batches, left) = apply::batches(&plan, &settings.options);
    say_left_out(&left);
    if batches.is_empty() {
        eprintln!(
            "regent: nothing to run ({} actions in the plan)",
            plan.actions
        );
        return Ok(ExitStatus::Success);
    }
    let actions: usize = batches.iter().map(|b| b.actions.len()).sum();
    if let Some(max) = settings.max_resources.filter(|max| actions > *max) {
        print_problems(&[Problem::new(
            Code::RemediationTooMany,
            "--max-resources",
            format!("the run would start {actions} actions, more than --max-resources {max}"),
        )
        .with_help("run fewer controls (--control) or a narrower plan, or raise --max-resources after reviewing the plan")]);
        return Ok(ExitStatus::Error);
    }
    if settings.dry_run {
        for batch in &batches {
            eprintln!("{}", describe(batch));
        }
        eprintln!("regent: dry run: nothing was started");
        return Ok(ExitStatus::Success);
    }
    let ledger = match Ledger::read(&settings.audit_log) {
        Ok(ledger) => ledger,
        Err(problem) => {
            print_problems(&[problem]);
            return Ok(ExitStatus::Error);
        }
    };
    print_problems(&ledger.problems);
    let confirmed = confirm(&batches, settings.yes);
    let mut applied = Applied::default();
    let (to_run, declined): (Vec<&Batch<'_>>, Vec<&Batch<'_>>) = batches
        .iter()
        .partition(|b| confirmed.iter().any(|c| c == b.runbook));
    for batch in declined {
        for action in &batch.actions {
            let reason = "not confirmed".to_string();
            applied
                .fates
                .push(((*action).clone(), Fate::Skipped { reason }));
        }
    }
    if !to_run.is_empty() {
        let mut log = match AuditLog::open(&settings.audit_log) {
            Ok(log) => log,
            Err(problem) => {
                print_problems(&[problem]);
                return Ok(ExitStatus::Error);
            }
        };
        let mut aws_settings = settings.aws.clone();
        // The role is assumed in each resource's account (`aws::ssm`), not for the
        // connection itself.
        let role = aws_settings.assume_role.take();
        let external_id = aws_settings.external_id.take();
        if aws_settings.region.is_none() && std::env::var_os("AWS_REGION").is_none() {
            aws_settings.region = first_region(&plan);
        }
        let connection = Connection::new(aws_settings);
        let aws = match connection.get("regent remediate apply") {
            Ok(aws) => aws,
            Err(problem) => {
                print_problems(&[problem]);
                return Ok(ExitStatus::Error);
            }
        };
        let ssm = crate::aws::ssm::Ssm::new(Arc::clone(&aws), role, external_id);
        let total: usize = to_run.iter().map(|b| b.actions.len()).sum();
        let shown = Shown::new(total, settings.progress);
        let mut runner = Runner::new(&ssm, &mut log, &ledger, &settings.options, &shown);
        for batch in to_run {
            runner.run(batch, &mut applied);
        }
        shown.finish();
    }
    print_problems(&applied.problems);
    let failures = apply::failures(&applied);
    print_problems(&failures);
    let headline = format!(
        "{}: {} succeeded, {} failed, {} not started",
        plural(applied.fates.len(), "action"),
        applied.succeeded(),
        applied.failed(),
        applied.skipped()
    );
    eprintln!(
        "regent: {headline}; audit log {}",
        settings.audit_log.display()
    );
    crate::commands::notify(
        settings.notify.as_deref(),
        &Summary {
            step: "apply",
            headline,
            counts: vec![
                ("succeeded", applied.succeeded()),
                ("failed", applied.failed()),
                ("not_started", applied.skipped()),
            ],
            details: failures
                .iter()
                .map(|p| format!("{}: {}", p.source, p.message))
                .collect(),
        },
    );
    Ok(if !applied.problems.is_empty() {
        ExitStatus::Error
    } else if applied.failed() > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// What the plan holds that this run leaves out, a line per control.
fn say_left_out(left: &[(&plan::Action, String)]) {
    let mut by_reason: Vec<(&str, usize)> = Vec::new();
    for (_, reason) in left {
        match by_reason.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => by_reason.push((reason, 1)),
        }
    }
    for (reason, n) in by_reason {
        eprintln!("regent: {} not run: {reason}", plural(n, "action"));
    }
}

fn describe(batch: &Batch<'_>) -> String {
    let c = batch.control;
    let mut accounts: Vec<&str> = batch
        .actions
        .iter()
        .map(|a| a.aws_account_id.as_str())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    let mut text = format!(
        "{} for {}: {} in {}; {} % at once, stop past {} % errors, {} {} s apart",
        batch.runbook,
        c.control_id,
        plural(batch.actions.len(), "resource"),
        plural(accounts.len(), "account"),
        c.concurrent_execution_rate_percentage,
        c.error_percentage,
        plural(c.maximum_automatic_attempts as usize, "attempt"),
        c.retry_attempt_seconds
    );
    for action in batch.actions.iter().take(5) {
        text.push_str(&format!(
            "\n  {} {} ({} / {})",
            action.resource_type, action.resource_id, action.aws_account_id, action.aws_region
        ));
    }
    if batch.actions.len() > 5 {
        text.push_str(&format!("\n  ... and {} more", batch.actions.len() - 5));
    }
    text
}

/// The runbooks confirmed: all with `--yes`; else each whose name is typed when asked (on
/// stdin, a terminal or not; an end of input confirms nothing more).
fn confirm(batches: &[Batch<'_>], yes: bool) -> Vec<String> {
    let mut runbooks: Vec<&str> = batches.iter().map(|b| b.runbook).collect();
    runbooks.dedup();
    if yes {
        return runbooks.into_iter().map(str::to_string).collect();
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut confirmed = Vec::new();
    for runbook in runbooks {
        for batch in batches.iter().filter(|b| b.runbook == runbook) {
            eprintln!("{}", describe(batch));
        }
        eprint!("Type `{runbook}` to run it (anything else skips it): ");
        let _ = std::io::stderr().flush();
        match lines.next() {
            Some(Ok(line)) if line.trim() == runbook => confirmed.push(runbook.to_string()),
            Some(Ok(_)) => eprintln!("regent: {runbook} skipped"),
            _ => {
                eprintln!("\nregent: no confirmation (end of input): {runbook} and the rest skipped; --yes runs without asking");
                break;
            }
        }
    }
    confirmed
}

fn first_region(plan: &Plan) -> Option<String> {
    plan.groups
        .iter()
        .flat_map(|g| g.actions.iter())
        .map(|a| a.aws_region.clone())
        .next()
}

/// The progress shown: a bar on a terminal, a line per execution started and finished
/// otherwise (each also in the audit log).
struct Shown {
    bar: Option<indicatif::ProgressBar>,
}

impl Shown {
    fn new(total: usize, progress: bool) -> Self {
        let bar = (progress && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos}/{len} actions done [{elapsed_precise}] {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Shown { bar }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn say(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

impl Observer for Shown {
    fn record(&self, record: &Record) {
        let what = format!(
            "{} {} {} ({} / {}), attempt {}",
            record.control_id,
            record.resource_type,
            record.resource_id,
            record.aws_account_id,
            record.aws_region,
            record.attempt
        );
        match record.event {
            Event::Intent => {}
            Event::Started => self.say(format!(
                "regent: started {} for {what}",
                record.execution_id.as_deref().unwrap_or("?")
            )),
            Event::Finished => {
                let status = record.status.as_deref().unwrap_or("?");
                let reason = record
                    .reason
                    .as_deref()
                    .map_or(String::new(), |r| format!(": {r}"));
                self.say(format!("regent: {status}: {what}{reason}"));
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            Event::Skipped => {}
        }
    }
}

/// `1 action`, `2 actions`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
