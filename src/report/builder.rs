//! Builds a report as a run goes: every input and item is accounted for as it is read,
//! then the evaluation's verdicts become rows. The summary's arithmetic lives here and
//! nowhere else: `items_read = items_evaluated + items_skipped + items_failed` and
//! `inputs_read = documents + inputs skipped before reading + inputs failed`.

use super::remediation::resolve;
use super::schema::{reason_kind, Report, ResultRow, Summary};
use crate::diagnostics::{Code, Problem, Skip};
use crate::eval::{Compliance, Evaluation, Outcome, OVER_BUDGET};
use crate::model::envelope::Envelope;
use crate::model::load::Loaded;
use crate::model::ConfigurationItem;
use crate::policy::Pack;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A report in the making.
#[derive(Debug, Default)]
pub struct ReportBuilder {
    inputs_read: usize,
    inputs_failed: usize,
    skipped_inputs: Vec<Skip>,
    items_read: usize,
    items_failed: usize,
    skipped_items: Vec<Skip>,
    /// How many of `skipped_items` (the last ones) were superseded by newer items.
    superseded: usize,
    problems: Vec<Problem>,
    /// How many of `problems` are about the inputs.
    input_problems: usize,
    envelopes: Vec<Envelope>,
}

impl ReportBuilder {
    /// A report that starts with `problems` found before the run (loading the pack).
    pub fn new(problems: Vec<Problem>) -> Self {
        ReportBuilder {
            problems,
            ..ReportBuilder::default()
        }
    }

    /// An input found but not read, and why (a file in a directory that is not JSON).
    pub fn input_ignored(&mut self, skip: Skip) {
        self.inputs_read += 1;
        self.skipped_inputs.push(skip);
    }

    /// An input that could not be found or read.
    pub fn input_failed(&mut self, problem: Problem) {
        self.inputs_read += 1;
        self.inputs_failed += 1;
        self.input_problem(problem);
    }

    /// One document the loader read: everything but its items is accounted for here; the
    /// items are handed back for the inventory.
    pub fn document(&mut self, loaded: Loaded) -> Vec<ConfigurationItem> {
        self.inputs_read += 1;
        self.items_read += loaded.items_read;
        self.items_failed += loaded.items_failed;
        if loaded.document_failed {
            self.inputs_failed += 1;
        }
        self.skipped_inputs.extend(loaded.skipped_document);
        self.skipped_items.extend(loaded.skipped_items);
        for problem in loaded.problems {
            self.input_problem(problem);
        }
        self.envelopes.extend(loaded.envelopes);
        loaded.items
    }

    /// Items left out because a newer item of the same resource supersedes them.
    pub fn superseded(&mut self, skips: Vec<Skip>) {
        self.superseded += skips.len();
        self.skipped_items.extend(skips);
    }

    /// Items read here whose account another shard judges (`--shard`): that shard counts
    /// them, so that the shards' counts add up to a single run's.
    pub fn items_of_other_shards(&mut self, items: usize) {
        self.items_read -= items;
    }

    /// What every shard of a run counts alike, since each reads every input: the inputs,
    /// and the items that failed or were skipped as they loaded (before an account could
    /// place them); and how many of the problems so far (the pack's and the inputs') every
    /// shard reports. `regent merge` counts these once.
    pub fn shared(&self) -> (Summary, usize) {
        let loading = &self.skipped_items[..self.skipped_items.len() - self.superseded];
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for skip in loading.iter().chain(&self.skipped_inputs) {
            *reasons.entry(reason_kind(&skip.reason)).or_default() += 1;
        }
        let summary = Summary {
            items_read: loading.len() + self.items_failed,
            items_skipped: loading.len(),
            items_failed: self.items_failed,
            inputs_read: self.inputs_read,
            inputs_skipped: self.skipped_inputs.len(),
            inputs_failed: self.inputs_failed,
            skipped_reasons: reasons,
            ..Summary::default()
        };
        (summary, self.problems.len())
    }

    /// A problem with the inputs as a whole.
    pub fn input_problem(&mut self, problem: Problem) {
        self.input_problems += 1;
        self.problems.push(problem);
    }

    /// Configuration items read so far.
    pub fn items_read(&self) -> usize {
        self.items_read
    }

    /// Whether any input (or item) had a problem so far.
    pub fn has_input_problems(&self) -> bool {
        self.input_problems > 0
    }

    /// The report: `outcome`'s verdicts as rows (runbook templates filled from `settings`),
    /// the controls of `pack` that ran, and the summary.
    pub fn finish(
        mut self,
        pack: &Pack,
        mut outcome: Outcome,
        settings: &BTreeMap<String, Value>,
    ) -> Report {
        self.problems.append(&mut outcome.problems);
        let evaluations = std::mem::take(&mut outcome.evaluations);
        let mut summary = self.summary(&outcome);
        count_verdicts(&mut summary, &evaluations);
        let results = rows(pack, evaluations, settings);
        summary.evaluations = results.len();
        self.problems.extend(runtime_problems(&results));
        Report {
            version: env!("CARGO_PKG_VERSION").to_string(),
            summary,
            controls: pack.controls.iter().map(|c| c.record()).collect(),
            results,
            errors: self.problems,
            skipped_inputs: self.skipped_inputs,
            envelopes: self.envelopes,
            shard: None,
            waivers: Vec::new(),
            resolved: Vec::new(),
        }
    }

    /// Everything the summary says about inputs and items.
    fn summary(&self, outcome: &Outcome) -> Summary {
        let unscoped: usize = outcome.unscoped_types.values().sum();
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for skip in self.skipped_items.iter().chain(&self.skipped_inputs) {
            *reasons.entry(reason_kind(&skip.reason)).or_default() += 1;
        }
        for (resource_type, n) in &outcome.unscoped_types {
            *reasons
                .entry(format!("no selected control evaluates {resource_type}"))
                .or_default() += n;
        }
        Summary {
            items_read: self.items_read,
            items_evaluated: outcome.items_in_scope,
            items_skipped: self.skipped_items.len() + unscoped,
            items_failed: self.items_failed,
            inputs_read: self.inputs_read,
            inputs_skipped: self.skipped_inputs.len(),
            inputs_failed: self.inputs_failed,
            skipped_reasons: reasons,
            ..Summary::default()
        }
    }
}

fn count_verdicts(summary: &mut Summary, evaluations: &[Evaluation]) {
    for e in evaluations {
        match e.compliance {
            Compliance::Compliant => summary.compliant += 1,
            Compliance::NonCompliant => summary.non_compliant += 1,
            Compliance::NotApplicable => summary.not_applicable += 1,
            Compliance::Error => summary.errors += 1,
        }
    }
}

/// One row per verdict, in the verdicts' order, with the failing ones' runbooks filled.
fn rows(
    pack: &Pack,
    evaluations: Vec<Evaluation>,
    settings: &BTreeMap<String, Value>,
) -> Vec<ResultRow> {
    let names: Vec<(Arc<str>, Arc<str>)> = pack
        .controls
        .iter()
        .map(|c| {
            (
                Arc::from(c.meta.id.as_str()),
                Arc::from(c.meta.title.as_str()),
            )
        })
        .collect();
    // Millions of rows at organisation scale: convert them in parallel (order kept).
    evaluations
        .into_par_iter()
        .map(|e| {
            let control = &pack.controls[e.control];
            let (id, title) = &names[e.control];
            let subject = &e.subject;
            let remediation = match (&control.meta.remediation, e.compliance) {
                (Some(remediation), Compliance::NonCompliant) => Some(resolve(
                    remediation,
                    subject,
                    e.captured.as_deref(),
                    settings,
                )),
                _ => None,
            };
            ResultRow {
                control_id: id.clone(),
                title: title.clone(),
                severity: control.meta.severity,
                subject: e.subject,
                compliance_type: e.compliance,
                annotation: e.annotation,
                remediation,
                waiver: None,
                baseline: None,
            }
        })
        .collect()
}

/// One diagnostic per control and kind of error (ran past its budget, or raised an error),
/// naming how many items and the first.
pub(super) fn runtime_problems(results: &[ResultRow]) -> Vec<Problem> {
    let mut by_control: BTreeMap<(&str, bool), (usize, &str, &str)> = BTreeMap::new();
    for row in results {
        if row.compliance_type == Compliance::Error {
            let annotation = row.annotation.as_deref().unwrap_or("");
            let over_budget = annotation.starts_with(OVER_BUDGET);
            let entry = by_control
                .entry((&*row.control_id, over_budget))
                .or_insert((0, &*row.subject.resource_id, annotation));
            entry.0 += 1;
        }
    }
    by_control
        .into_iter()
        .map(|((control, over_budget), (count, first_resource, first_message))| {
            if over_budget {
                return Problem::new(
                    Code::EvalTimeout,
                    control,
                    format!(
                        "control {control} ran past its evaluation budget on {count} item(s); first on {first_resource}: {first_message}"
                    ),
                )
                .with_help("those results are ERROR in the report; fix the policy's loops, or raise --eval-timeout");
            }
            Problem::new(
                Code::EvalRuntime,
                control,
                format!(
                    "control {control} raised an error on {count} item(s); first on {first_resource}: {first_message}"
                ),
            )
            .with_help("those results are ERROR in the report; fix the policy or report the input that triggers it")
        })
        .collect()
}
