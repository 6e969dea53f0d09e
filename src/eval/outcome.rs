//! What an evaluation returns, with the time each step took.

use super::cache::Cached;
use super::runner::ControlTime;
use super::verdict::Evaluation;
use crate::diagnostics::Problem;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What `evaluate` returns.
#[derive(Default)]
pub struct Outcome {
    /// Line coverage of the policies, when `EvalOptions::coverage` was set.
    pub coverage: Option<regorus::coverage::Report>,
    pub evaluations: Vec<Evaluation>,
    pub problems: Vec<Problem>,
    /// Items whose type a selected control evaluates or reads (`requires`).
    pub items_in_scope: usize,
    /// Resource types present in the input that no selected control looks at.
    pub unscoped_types: BTreeMap<String, usize>,
    /// Controls that ran on the interpreter instead of the VM, with the reason.
    pub interpreted: Vec<(String, String)>,
    /// How long each step of the evaluation took: the inventory document, the views, the
    /// controls, the sort (for `REGENT_TIMINGS` and `--profile-controls`).
    pub phases: Vec<(&'static str, Duration)>,
    /// With `EvalOptions::profile`: per control of the pack (same order), the time its
    /// evaluations took, summed over the workers; and each view's time.
    pub profile: Option<Profile>,
    /// With `--cache`: what was reused, and the verdicts to keep.
    pub cached: Option<Cached>,
}

/// Where evaluation time went (`regent eval --profile-controls`).
#[derive(Debug, Default)]
pub struct Profile {
    pub controls: Vec<ControlTime>,
    /// (view name, time to compute it).
    pub views: Vec<(String, Duration)>,
}

/// Times the steps of an evaluation one after the other.
pub struct Clock(Instant);

impl Clock {
    pub fn start() -> Self {
        Clock(Instant::now())
    }

    /// Record the step that just ended in `outcome` and start the next.
    pub fn lap(&mut self, outcome: &mut Outcome, step: &'static str) {
        outcome.phases.push((step, self.0.elapsed()));
        self.0 = Instant::now();
    }
}
