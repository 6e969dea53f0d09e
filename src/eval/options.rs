//! What a run adds to the pack: parameter overrides, the evaluation time, the engine.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

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

/// How to evaluate: parameter overrides, the evaluation time, the engine.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// control id -> parameter name -> value, over the metadata defaults.
    pub parameter_overrides: BTreeMap<String, Map<String, Value>>,
    /// RFC 3339; defaults to the newest capture time in the input.
    pub as_of: Option<String>,
    /// Evaluate on one thread and record which policy lines ran (`regent test`).
    pub coverage: bool,
    pub engine: EngineKind,
    /// Time every control's evaluations (`regent eval --profile`).
    pub profile: bool,
    /// Called between the phases of a run that free much memory (see `ReleaseMemory`).
    pub release_memory: ReleaseMemory,
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
