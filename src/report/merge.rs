//! The reports of a sharded run (`regent eval --shard K/N`) made into the report a single
//! run over everything gives: the results of every shard in the report's order, the summary
//! and errors that every shard shares counted once (each reads every input) and the rest
//! added up, the runtime errors worked out again over all the results. Shards that do not
//! belong together (other controls, options, evaluation time or inputs), a missing or a
//! repeated shard, and a report that contradicts itself are refused, every problem at once.

use super::builder::runtime_problems;
use super::schema::{Report, ResultRow, ShardRecord, Summary, WaiverRecord, WaiverStatus};
use crate::diagnostics::{Code, Problem};
use crate::eval::Compliance;
use crate::policy::ControlRecord;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One shard's report, and where it was read from.
pub struct ShardReport {
    pub name: String,
    pub report: Report,
}

/// The report of the single run the shards make up.
pub fn merge(mut shards: Vec<ShardReport>) -> Result<Report, Vec<Problem>> {
    if shards.is_empty() {
        let none = Problem::new(Code::MergeIncomplete, "regent merge", "no report to merge");
        return Err(vec![none]);
    }
    let records = records(&shards)?;
    missing_or_repeated(&shards, &records)?;
    shards.sort_by_key(|s| s.report.shard.as_ref().map(|r| r.index));
    let mut problems: Vec<Problem> = shards.iter().flat_map(contradictions).collect();
    problems.extend(disagreements(&shards));
    problems.extend(accounts_in_two_shards(&shards));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(combine(shards))
}

/// Every report's shard record: a report without one is a whole run's.
fn records(shards: &[ShardReport]) -> Result<Vec<&ShardRecord>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut records = Vec::new();
    for shard in shards {
        match &shard.report.shard {
            Some(record) => records.push(record),
            None => problems.push(
                Problem::new(
                    Code::MergeMismatch,
                    &shard.name,
                    "the report is a whole run's, not a shard's",
                )
                .with_help("`regent merge` combines the reports of `regent eval --shard K/N --format json`, one per shard"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

/// Every shard of the run, each once.
fn missing_or_repeated(
    shards: &[ShardReport],
    records: &[&ShardRecord],
) -> Result<(), Vec<Problem>> {
    let count = records[0].count;
    let mut problems = Vec::new();
    for (shard, record) in shards.iter().zip(records).skip(1) {
        if record.count != count {
            problems.push(
                Problem::new(
                    Code::MergeMismatch,
                    &shard.name,
                    format!(
                        "the report is shard {}/{} and {} is shard {}/{count}: they are not of one run",
                        record.index, record.count, shards[0].name, records[0].index
                    ),
                )
                .with_help("merge the reports of one run: every shard run with the same N"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut by_index: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for (shard, record) in shards.iter().zip(records) {
        by_index.entry(record.index).or_default().push(&shard.name);
    }
    for (index, names) in &by_index {
        if names.len() > 1 {
            problems.push(
                Problem::new(
                    Code::MergeIncomplete,
                    names[1],
                    format!(
                        "shard {index}/{count} is given {} times: {}",
                        names.len(),
                        names.join(", ")
                    ),
                )
                .with_help("give each shard's report once"),
            );
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| i.to_string())
        .collect();
    if !missing.is_empty() {
        let have: Vec<String> = by_index.keys().map(u32::to_string).collect();
        problems.push(
            Problem::new(
                Code::MergeIncomplete,
                "regent merge",
                format!(
                    "the run has {count} shards and the reports of shard(s) {} are missing (given: {})",
                    missing.join(", "),
                    have.join(", ")
                ),
            )
            .with_help("a merge without every shard would silently leave their accounts out; run the missing shards with --shard K/N"),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A results row's place in the report: control (by its place among the controls), account,
/// region, resource type, resource id.
type Key<'a> = (usize, &'a str, &'a str, &'a str, &'a str);

/// Each control's place in the report's order (the controls section's order).
fn ranks(controls: &[ControlRecord]) -> HashMap<&str, usize> {
    controls
        .iter()
        .enumerate()
        .map(|(rank, control)| (control.meta.id.as_str(), rank))
        .collect()
}

fn key<'a>(ranks: &HashMap<&str, usize>, row: &'a ResultRow) -> Key<'a> {
    let subject = &*row.subject;
    (
        ranks.get(&*row.control_id).copied().unwrap_or(usize::MAX),
        &subject.account,
        &subject.region,
        &subject.resource_type,
        &subject.resource_id,
    )
}

/// What is wrong with a report by itself: a summary that does not count its results, rows
/// out of order or of a control that did not run, errors that do not hold its runtime
/// errors, a shared part larger than the whole.
fn contradictions(shard: &ShardReport) -> Vec<Problem> {
    let report = &shard.report;
    let problem = |message: String| {
        Problem::new(Code::MergeUnreadable, &shard.name, message)
            .with_help("the report is not as `regent eval` wrote it: run that shard again")
    };
    let mut problems = Vec::new();
    let counted = verdict_counts(&report.results);
    let s = &report.summary;
    let summarised = (
        s.evaluations,
        s.compliant,
        s.non_compliant,
        s.not_applicable,
        s.errors,
    );
    if counted != summarised {
        problems.push(problem(format!(
            "its summary counts (evaluations, compliant, non-compliant, not applicable, errors) {summarised:?}, and its results are {counted:?}"
        )));
    }
    let ranks = ranks(&report.controls);
    if let Some(row) = report
        .results
        .iter()
        .find(|r| !ranks.contains_key(&*r.control_id))
    {
        problems.push(problem(format!(
            "a result is of control {}, which its controls do not list",
            row.control_id
        )));
    } else if let Some(at) = report
        .results
        .windows(2)
        .position(|pair| key(&ranks, &pair[0]) >= key(&ranks, &pair[1]))
    {
        problems.push(problem(format!(
            "its results are not in the report's order (result {} and the next)",
            at + 1
        )));
    }
    let record = report.shard.as_ref().expect("a shard's report");
    if !covers(s, &record.shared_summary) {
        problems.push(problem(
            "its summary counts less than the part it says every shard shares".into(),
        ));
    }
    if split_errors(report).is_none() {
        problems.push(problem(
            "its errors do not hold the shared errors it counts and the runtime errors of its results".into(),
        ));
    }
    problems
}

fn verdict_counts(results: &[ResultRow]) -> (usize, usize, usize, usize, usize) {
    let mut counts = (results.len(), 0, 0, 0, 0);
    for row in results {
        match row.compliance_type {
            Compliance::Compliant => counts.1 += 1,
            Compliance::NonCompliant => counts.2 += 1,
            Compliance::NotApplicable => counts.3 += 1,
            Compliance::Error => counts.4 += 1,
        }
    }
    counts
}

/// A shard's errors in the order a run makes them: those every shard shares (the pack's,
/// the inputs'), then those of its evaluation, its runtime errors (one per control and
/// kind, worked out from its results), and any added after the report was built.
struct Errors<'a> {
    shared: &'a [Problem],
    before: &'a [Problem],
    after: &'a [Problem],
}

fn split_errors(report: &Report) -> Option<Errors<'_>> {
    let shared_count = report.shard.as_ref()?.shared_errors;
    let (shared, run) = report.errors.split_at_checked(shared_count)?;
    let runtime = runtime_problems(&report.results);
    if runtime.is_empty() {
        return Some(Errors {
            shared,
            before: run,
            after: &[],
        });
    }
    let at = run
        .windows(runtime.len())
        .position(|window| window.iter().zip(&runtime).all(|(a, b)| same(a, b)))?;
    Some(Errors {
        shared,
        before: &run[..at],
        after: &run[at + runtime.len()..],
    })
}

/// What the report keeps of a problem: its code, source, message and place.
type ProblemKey<'a> = (Code, &'a str, &'a str, Option<(usize, usize)>);

fn problem_key(p: &Problem) -> ProblemKey<'_> {
    (
        p.code,
        &p.source,
        &p.message,
        p.location().map(|l| (l.line, l.column)),
    )
}

fn same(a: &Problem, b: &Problem) -> bool {
    problem_key(a) == problem_key(b)
}

/// The summary's counts by name, and back: the merge adds them all alike.
const COUNTS: [&str; 12] = [
    "items_read",
    "items_evaluated",
    "items_skipped",
    "items_failed",
    "evaluations",
    "compliant",
    "non_compliant",
    "not_applicable",
    "errors",
    "inputs_read",
    "inputs_skipped",
    "inputs_failed",
];

fn counts(s: &Summary) -> [usize; 12] {
    [
        s.items_read,
        s.items_evaluated,
        s.items_skipped,
        s.items_failed,
        s.evaluations,
        s.compliant,
        s.non_compliant,
        s.not_applicable,
        s.errors,
        s.inputs_read,
        s.inputs_skipped,
        s.inputs_failed,
    ]
}

fn summary_of(c: [usize; 12], skipped_reasons: BTreeMap<String, usize>) -> Summary {
    Summary {
        items_read: c[0],
        items_evaluated: c[1],
        items_skipped: c[2],
        items_failed: c[3],
        evaluations: c[4],
        compliant: c[5],
        non_compliant: c[6],
        not_applicable: c[7],
        errors: c[8],
        inputs_read: c[9],
        inputs_skipped: c[10],
        inputs_failed: c[11],
        skipped_reasons,
        waived: None,
        baseline: None,
    }
}

/// Whether `whole` counts at least `part` everywhere.
fn covers(whole: &Summary, part: &Summary) -> bool {
    counts(whole).iter().zip(counts(part)).all(|(w, p)| *w >= p)
        && part
            .skipped_reasons
            .iter()
            .all(|(reason, n)| whole.skipped_reasons.get(reason).is_some_and(|w| w >= n))
}

/// Where the shards disagree on what a run is: each compared with the first.
fn disagreements(shards: &[ShardReport]) -> Vec<Problem> {
    let first = &shards[0];
    let (a, a_record) = (&first.report, first.report.shard.as_ref().expect("a shard"));
    let a_errors = split_errors(a);
    let mut problems = Vec::new();
    for shard in &shards[1..] {
        let (b, b_record) = (&shard.report, shard.report.shard.as_ref().expect("a shard"));
        let differ = |what: String, help: &str| {
            Problem::new(
                Code::MergeMismatch,
                &shard.name,
                format!("the report and {} {what}", first.name),
            )
            .with_help(help.to_string())
        };
        if a.controls != b.controls {
            let which = controls_apart(a, b);
            problems.push(differ(
                format!("ran other controls ({which})"),
                "run every shard with the same pack and selection: --policies, --no-builtin, --standard, --control, --exclude-control, regent.toml",
            ));
        }
        if a_record.as_of != b_record.as_of {
            problems.push(differ(
                format!(
                    "judged as of other times ({} and {})",
                    b_record.as_of.as_deref().unwrap_or("none"),
                    a_record.as_of.as_deref().unwrap_or("none")
                ),
                "run every shard over the same inputs (the default --as-of is their newest capture time), or give --as-of",
            ));
        }
        if a_record.complete != b_record.complete {
            problems.push(differ(
                "differ in --complete".into(),
                "run every shard with --complete, or none",
            ));
        }
        if a_record.options != b_record.options {
            problems.push(differ(
                "ran with other options".into(),
                "run every shard with the same regent.toml (parameters, settings), --engine, --eval-timeout, --view-timeout and --max-input-size",
            ));
        }
        let same_errors = match (&a_errors, split_errors(b)) {
            (Some(x), Some(y)) => {
                x.shared.len() == y.shared.len()
                    && x.shared.iter().zip(y.shared).all(|(p, q)| same(p, q))
            }
            _ => true, // said by `contradictions`
        };
        if a_record.shared_summary != b_record.shared_summary
            || a.skipped_inputs != b.skipped_inputs
            || !same_errors
        {
            problems.push(differ(
                inputs_apart(a_record, b_record),
                "run every shard over the same inputs: each reads all of them and judges its own accounts",
            ));
        }
    }
    problems
}

/// The first control one report ran and the other did not.
fn controls_apart(a: &Report, b: &Report) -> String {
    let ids =
        |r: &Report| -> BTreeSet<String> { r.controls.iter().map(|c| c.meta.id.clone()).collect() };
    let (x, y) = (ids(a), ids(b));
    if let Some(id) = y.difference(&x).next() {
        return format!("{id} only in the report");
    }
    if let Some(id) = x.difference(&y).next() {
        return format!("{id} only in the other");
    }
    match a.controls.iter().zip(&b.controls).find(|(p, q)| p != q) {
        Some((p, _)) => format!("{} differs", p.meta.id),
        None => "in another order".into(),
    }
}

/// How two shards' reading of the inputs differs, in the summary's words.
fn inputs_apart(a: &ShardRecord, b: &ShardRecord) -> String {
    let (x, y) = (counts(&a.shared_summary), counts(&b.shared_summary));
    let apart: Vec<String> = COUNTS
        .iter()
        .zip(x.iter().zip(y))
        .filter(|(_, (p, q))| **p != *q)
        .map(|(name, (p, q))| format!("{name} {q} and {p}"))
        .collect();
    if apart.is_empty() {
        "read other inputs (their skipped inputs or input errors differ)".into()
    } else {
        format!("read other inputs ({})", apart.join(", "))
    }
}

/// Accounts judged by two shards: the shards were not cut from one run. One problem per
/// pair of shards, naming the first such account.
fn accounts_in_two_shards(shards: &[ShardReport]) -> Vec<Problem> {
    let mut judged_by: HashMap<&str, usize> = HashMap::new();
    let mut overlaps: BTreeMap<(usize, usize), (usize, &str)> = BTreeMap::new();
    for (n, shard) in shards.iter().enumerate() {
        let accounts: BTreeSet<&str> = shard
            .report
            .results
            .iter()
            .map(|r| &*r.subject.account)
            .collect();
        for account in accounts {
            match judged_by.get(account) {
                Some(&other) => overlaps.entry((n, other)).or_insert((0, account)).0 += 1,
                None => {
                    judged_by.insert(account, n);
                }
            }
        }
    }
    overlaps
        .into_iter()
        .map(|((n, other), (count, first))| {
            Problem::new(
                Code::MergeMismatch,
                &shards[n].name,
                format!(
                    "{count} account(s) are judged in the report and in {} (the first: {first})",
                    shards[other].name
                ),
            )
            .with_help("each account belongs to one shard: were these shards cut from one run, by one regent?")
        })
        .collect()
}

/// The single run's report: shards in order, known to belong together.
fn combine(shards: Vec<ShardReport>) -> Report {
    let first = &shards[0].report;
    let record = first.shard.clone().expect("a shard");
    let summary = add_up(
        &record.shared_summary,
        shards.iter().map(|s| &s.report.summary),
    );
    let mut before = Vec::new();
    let mut after = Vec::new();
    for shard in &shards {
        let errors = split_errors(&shard.report).expect("checked");
        before.extend(errors.before.iter().cloned());
        after.extend(errors.after.iter().cloned());
    }
    let mut errors: Vec<Problem> = first.errors[..record.shared_errors].to_vec();
    let (version, controls, skipped_inputs) = (
        first.version.clone(),
        first.controls.clone(),
        first.skipped_inputs.clone(),
    );
    let waivers = merged_waivers(&shards);
    let mut summary = summary;
    if shards.iter().any(|s| s.report.summary.waived.is_some()) {
        summary.waived = Some(shards.iter().filter_map(|s| s.report.summary.waived).sum());
    }
    let mut results: Vec<ResultRow> = shards.into_iter().flat_map(|s| s.report.results).collect();
    let ranks = ranks(&controls);
    results.par_sort_by(|x, y| key(&ranks, x).cmp(&key(&ranks, y)));
    errors.extend(distinct(before));
    errors.extend(runtime_problems(&results));
    errors.extend(distinct(after));
    Report {
        version,
        summary,
        controls,
        results,
        errors,
        skipped_inputs,
        envelopes: Vec::new(),
        shard: None,
        waivers,
        resolved: Vec::new(),
    }
}

/// The shards' records of the same waivers as one run's: the results each covered added
/// up; applied when it covered any, else as each shard found it (all found it alike).
fn merged_waivers(shards: &[ShardReport]) -> Vec<WaiverRecord> {
    let mut merged: Vec<WaiverRecord> = Vec::new();
    for record in shards.iter().flat_map(|s| &s.report.waivers) {
        match merged.iter_mut().find(|m| m.source == record.source) {
            Some(m) => {
                m.results += record.results;
                if record.status == WaiverStatus::Applied {
                    m.status = WaiverStatus::Applied;
                }
            }
            None => merged.push(record.clone()),
        }
    }
    merged
}

/// What the shards counted: what they share once, and each one's own part.
fn add_up<'a>(shared: &Summary, summaries: impl Iterator<Item = &'a Summary>) -> Summary {
    let shared_counts = counts(shared);
    let mut total = shared_counts;
    let mut reasons = shared.skipped_reasons.clone();
    for summary in summaries {
        for (sum, (own, common)) in total
            .iter_mut()
            .zip(counts(summary).iter().zip(shared_counts))
        {
            *sum += own - common;
        }
        for (reason, n) in &summary.skipped_reasons {
            let common = shared.skipped_reasons.get(reason).copied().unwrap_or(0);
            *reasons.entry(reason.clone()).or_default() += n - common;
        }
    }
    summary_of(total, reasons)
}

/// `problems` without repeats, each where it first appears.
fn distinct(problems: Vec<Problem>) -> Vec<Problem> {
    let first: Vec<bool> = {
        let mut seen = std::collections::HashSet::new();
        problems
            .iter()
            .map(|p| seen.insert(problem_key(p)))
            .collect()
    };
    problems
        .into_iter()
        .zip(first)
        .filter_map(|(p, first)| first.then_some(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(counts: [usize; 12], reasons: &[(&str, usize)]) -> Summary {
        let reasons = reasons.iter().map(|(r, n)| (r.to_string(), *n)).collect();
        summary_of(counts, reasons)
    }

    #[test]
    fn what_every_shard_shares_is_counted_once_and_the_rest_added_up() {
        // Read by both: 4 inputs, one of them empty, and an item that failed to load.
        let shared = summary([1, 0, 0, 1, 0, 0, 0, 0, 0, 4, 1, 0], &[("empty file", 1)]);
        let a = summary(
            [11, 10, 0, 1, 30, 25, 5, 0, 0, 4, 1, 0],
            &[("empty file", 1)],
        );
        let b = summary(
            [6, 4, 1, 1, 9, 8, 0, 1, 0, 4, 1, 0],
            &[("empty file", 1), ("superseded by a newer item", 1)],
        );
        assert!(covers(&a, &shared) && covers(&b, &shared));
        let total = add_up(&shared, [&a, &b].into_iter());
        assert_eq!(
            total,
            summary(
                [16, 14, 1, 1, 39, 33, 5, 1, 0, 4, 1, 0],
                &[("empty file", 1), ("superseded by a newer item", 1)],
            )
        );
        assert!(!covers(&shared, &a));
    }

    #[test]
    fn a_problem_reported_by_several_shards_is_kept_once_where_it_first_appears() {
        let p = |source: &str| Problem::new(Code::EvalTimeout, source, "view ran too long");
        let kept = distinct(vec![p("a"), p("b"), p("a").at("", 2, 3, ""), p("a")]);
        let sources: Vec<String> = kept.iter().map(|p| p.place()).collect();
        assert_eq!(sources, ["a", "b", "a:2:3"]);
    }
}
