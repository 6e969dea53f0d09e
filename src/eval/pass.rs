//! One pass over the items: publish the views, prepare the evaluators, evaluate every item
//! in the plan's scopes and every (account, region), collect the profile.

use super::cache::Reuse;
use super::engine::prepare;
use super::item::{evaluate_account, evaluate_item, Controls};
use super::options::{EngineKind, EvalOptions};
use super::outcome::{Clock, Outcome, Profile};
use super::pending::Pending;
use super::plan::{Plan, Steps};
use super::runner::{self, ControlTime, Runner, Setup, Shared};
use super::verdict::Evaluation;
use super::views::{self, Published};
use crate::diagnostics::{Code, Problem};
use crate::model::ConfigurationItem;
use crate::policy::Pack;
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// What a pass evaluates and how.
pub struct Pass<'a> {
    pub controls: Controls<'a>,
    pub plan: &'a Plan<'a>,
    pub steps: &'a Steps,
    pub options: &'a EvalOptions,
    /// `--cache`: the verdicts that need not be evaluated again.
    pub reuse: Option<&'a Reuse<'a>>,
}

/// What a pass runs over: the items with their documents, and the (account, region) pairs.
pub struct Work<'a> {
    pub items: &'a [ConfigurationItem],
    pub inputs: &'a mut [Pending],
    pub accounts: &'a [(Arc<str>, Arc<str>)],
}

impl Pass<'_> {
    /// Run the pass on `engine` (the pack with its data). `keep` says which items keep
    /// their document for a later pass. `None` when the pass could not run (the problem is
    /// in `outcome`).
    pub fn run(
        mut self,
        engine: regorus::Engine,
        work: Work<'_>,
        keep: impl Fn(&ConfigurationItem) -> bool + Sync,
        outcome: &mut Outcome,
        clock: &mut Clock,
    ) -> Option<Vec<Evaluation>> {
        let kind = self.engine_kind();
        let (engine, combinable, views) = self.prepare_engine(engine, kind);
        self.controls.broken = broken_controls(self.controls.pack, &views.failed);
        outcome
            .problems
            .extend(views.failed.into_iter().map(|(_, problem)| problem));
        let view_times = views.times;
        clock.lap(outcome, self.steps.views);
        let shared = self.share(engine, kind, &combinable, outcome)?;
        clock.lap(outcome, self.steps.programs);
        let evaluations = self.evaluate(&shared, work, keep, outcome);
        clock.lap(outcome, self.steps.controls);
        // Every runner has been dropped, so the profile holds all their times.
        if let Some(controls) = shared.profile() {
            add_profile(outcome, &controls, view_times);
        }
        Some(evaluations)
    }

    /// Coverage lives in the interpreter.
    fn engine_kind(&self) -> EngineKind {
        if self.options.coverage {
            EngineKind::Interpreter
        } else {
            self.options.engine
        }
    }

    /// The pass's engine with the scopes' combined rules, analysed, with the views
    /// published; which scopes have a combined rule; what publishing the views gave.
    fn prepare_engine(
        &self,
        mut engine: regorus::Engine,
        kind: EngineKind,
    ) -> (regorus::Engine, Vec<bool>, Published) {
        let pack = self.controls.pack;
        if self.options.coverage {
            engine.set_enable_coverage(true);
        }
        // The controls of a resource type run in one VM execution per item, sharing the
        // rules they read. Their generated rules are analysed with the pack's, which costs
        // a run of the demo's size under 2 % more instructions.
        let combinable = runner::add_combined_rules(
            &mut engine,
            pack,
            &self.plan.scopes,
            kind,
            self.options.profile,
        );
        prepare(&mut engine, pack);
        let views = views::publish(
            pack,
            &mut engine,
            kind,
            self.options.coverage,
            self.options.view_timeout,
        );
        // Computing the views parsed and built far more than they keep.
        self.options.release_memory.call();
        (engine, combinable, views)
    }

    /// The evaluators every worker shares (one VM program per scope).
    fn share(
        &self,
        engine: regorus::Engine,
        kind: EngineKind,
        combinable: &[bool],
        outcome: &mut Outcome,
    ) -> Option<Arc<Shared>> {
        let pack = self.controls.pack;
        let setup = Setup {
            kind,
            profile: self.options.profile,
            budget: self.options.eval_timeout,
        };
        match Shared::new(engine, pack, &self.plan.scopes, combinable, setup) {
            Ok(shared) => {
                outcome
                    .interpreted
                    .extend(shared.interpreted.iter().cloned());
                Some(Arc::new(shared))
            }
            Err(reason) => {
                outcome.problems.push(
                    Problem::new(Code::EvalRuntime, "--engine vm", reason)
                        .with_help("run with --engine auto or interpreter"),
                );
                None
            }
        }
    }

    /// Every item of the plan's scopes and every (account, region): in parallel, or on one
    /// runner when recording coverage (which lives in one interpreter).
    fn evaluate(
        &self,
        shared: &Arc<Shared>,
        work: Work<'_>,
        keep: impl Fn(&ConfigurationItem) -> bool + Sync,
        outcome: &mut Outcome,
    ) -> Vec<Evaluation> {
        let plan = self.plan;
        let controls = &self.controls;
        let reuse = self.reuse;
        let new_runner = || Runner::new(shared);
        let account_controls: &[usize] = &plan.scopes[plan.account_scope];
        let run_item =
            |runner: &mut Runner,
             (order, (item, slot)): (usize, (&ConfigurationItem, &mut Pending))| {
                // An item another shard judges is only read here (`--shard`).
                let scope = plan
                    .scope(&item.subject.resource_type)
                    .filter(|_| controls.inventory.judges(item));
                let rows = match scope {
                    Some(scope) => reuse
                        .and_then(|reuse| reuse.item_rows(order, item, &plan.scopes[scope]))
                        .unwrap_or_else(|| {
                            evaluate_item(
                                runner,
                                controls,
                                (item, order, &*slot),
                                (scope, &plan.scopes[scope]),
                            )
                        }),
                    None => Vec::new(),
                };
                if !keep(item) {
                    *slot = Pending::Done;
                }
                rows
            };
        let run_account = |runner: &mut Runner, (order, pair): (usize, &(Arc<str>, Arc<str>))| {
            if let Some(rows) =
                reuse.and_then(|reuse| reuse.account_rows(order, pair, account_controls))
            {
                return rows;
            }
            let (account, region) = pair;
            evaluate_account(
                runner,
                controls,
                (account, region, order),
                (plan.account_scope, account_controls),
            )
        };
        let accounts: &[(Arc<str>, Arc<str>)] = if account_controls.is_empty() {
            &[]
        } else {
            work.accounts
        };
        let (items, inputs) = (work.items, work.inputs);
        if !self.options.coverage {
            let mut evaluations: Vec<Evaluation> = items
                .par_iter()
                .zip(inputs.par_iter_mut())
                .enumerate()
                .map_init(new_runner, run_item)
                .flatten_iter()
                .collect();
            evaluations.par_extend(
                accounts
                    .par_iter()
                    .enumerate()
                    .map_init(new_runner, run_account)
                    .flatten_iter(),
            );
            return evaluations;
        }
        let mut runner = new_runner();
        let mut evaluations = Vec::new();
        for entry in items.iter().zip(inputs.iter_mut()).enumerate() {
            evaluations.extend(run_item(&mut runner, entry));
        }
        for pair in accounts.iter().enumerate() {
            evaluations.extend(run_account(&mut runner, pair));
        }
        let engine = runner
            .engine_mut()
            .expect("coverage runs on the interpreter");
        // Metadata is evaluated when the pack loads; count its lines as run.
        for control in &controls.pack.controls {
            let _ = engine.eval_rule(control.rule("metadata"));
        }
        outcome.coverage = engine.get_coverage_report().ok();
        evaluations
    }
}

/// Per control of the pack, why it cannot be judged: a view it reads failed.
fn broken_controls(pack: &Pack, failed: &[(String, Problem)]) -> Vec<Option<Arc<str>>> {
    if failed.is_empty() {
        return Vec::new();
    }
    pack.views_read_by_controls()
        .into_iter()
        .map(|views| {
            let (name, problem) = failed.iter().find(|(name, _)| views.contains(name))?;
            Some(Arc::from(format!(
                "not judged: the view `{name}` it reads failed ({})",
                problem.place()
            )))
        })
        .collect()
}

/// Add one pass's control and view times to the run's profile.
fn add_profile(outcome: &mut Outcome, controls: &[ControlTime], views: Vec<(String, Duration)>) {
    let profile = outcome.profile.get_or_insert_with(|| Profile {
        controls: vec![ControlTime::default(); controls.len()],
        views: Vec::new(),
    });
    for (total, pass) in profile.controls.iter_mut().zip(controls) {
        total.add(pass);
    }
    for (name, time) in views {
        match profile.views.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += time,
            None => profile.views.push((name, time)),
        }
    }
}
