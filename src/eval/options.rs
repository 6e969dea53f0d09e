//! What a run adds to the pack: parameter overrides, the evaluation time, the engine.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;

pub use crate::policy::timer;

/// How long one control may take on one item by default (the slowest of the pack takes a
/// few milliseconds).
pub const DEFAULT_EVAL_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one view may take over the whole inventory by default (the dearest takes
/// about a second at a million items).
pub const DEFAULT_VIEW_TIMEOUT: Duration = Duration::from_secs(600);

/// Which evaluator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// The VM for every control it compiles, the interpreter for the rest.
    #[default]
    Auto,
    /// The VM only; a control it cannot compile is an error.
    Vm,
    /// The interpreter only.
    Interpreter,
}

/// How to evaluate: parameter overrides, the evaluation time, the engine, the budgets.
#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// control id -> parameter name -> value, over the metadata defaults.
    pub parameter_overrides: BTreeMap<String, Map<String, Value>>,
    /// RFC 3339; defaults to the newest capture time in the input.
    pub as_of: Option<String>,
    /// Evaluate on one thread and record which policy lines ran (`regent test`).
    pub coverage: bool,
    pub engine: EngineKind,
    /// Time every control's evaluations (`regent eval --profile-controls`).
    pub profile: bool,
    /// Called between the phases of a run that free much memory (see `ReleaseMemory`).
    pub release_memory: ReleaseMemory,
    /// The budget of one control's evaluation on one item, on either engine: past it, that
    /// result is ERROR (`eval::timeout`) and the run goes on.
    pub eval_timeout: Duration,
    /// The budget of one view's evaluation over the whole inventory.
    pub view_timeout: Duration,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            parameter_overrides: BTreeMap::new(),
            as_of: None,
            coverage: false,
            engine: EngineKind::default(),
            profile: false,
            release_memory: ReleaseMemory::default(),
            eval_timeout: DEFAULT_EVAL_TIMEOUT,
            view_timeout: DEFAULT_VIEW_TIMEOUT,
        }
    }
}

/// Whether an engine's error says an evaluation ran out of its budget (time, or the VM's
/// instruction count).
pub fn is_budget_error(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("exceeded time limit") || text.contains("exceeded maximum instruction limit")
}

/// How to give the memory a phase freed back to the system before the next phase: the
/// allocator is the binary's choice, so the binary lends this (`regent` collects its
/// mimalloc heaps); the library itself never calls an allocator. A no-op by default.
#[derive(Clone, Copy)]
pub struct ReleaseMemory(pub fn());

impl ReleaseMemory {
    pub fn call(self) {
        (self.0)()
    }
}

impl Default for ReleaseMemory {
    fn default() -> Self {
        ReleaseMemory(|| {})
    }
}

impl std::fmt::Debug for ReleaseMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReleaseMemory")
    }
}
