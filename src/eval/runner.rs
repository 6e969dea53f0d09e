//! How a worker runs a control's rules: regorus's bytecode VM (several times faster) or its
//! interpreter (coverage, and the fallback for the controls the VM compiler does not
//! support yet). Both are set up once and cloned per worker.

use super::options::{timer, EngineKind};
use crate::policy::{Control, Pack};
use rayon::prelude::*;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::RegoVM;
use regorus::utils::limits::ExecutionTimerConfig;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
struct Entries {
    applicable: Option<usize>,
    violation: usize,
}

/// A VM needs a generous instruction budget: controls loop over every rule of a security
/// group or statement of a policy; runaway policies are still stopped.
const MAX_INSTRUCTIONS: usize = 50_000_000;

/// A group of controls evaluated on the same inputs (the controls of one resource type, or
/// the account-level controls), compiled into one small VM program. One program per group
/// keeps every execution cheap: the VM resets a cache slot for every rule of its program
/// on each run, so a program holding the whole pack costs far more per run.
struct Scope {
    program: Option<Arc<Program>>,
    /// The entry point that evaluates every VM control of the scope in one execution (see
    /// `combined_module`), when it compiled.
    combined: Option<usize>,
    /// Per control of the scope (same order): its VM entry points, or `None` to use the
    /// interpreter.
    entries: Vec<Option<Entries>>,
}

impl Scope {
    fn uses_interpreter(&self) -> bool {
        self.entries.iter().any(Option::is_none)
    }
}

/// What every worker shares: the compiled policy, one VM program per scope and the
/// prepared interpreter.
pub struct Shared {
    policy: Option<regorus::CompiledPolicy>,
    scopes: Vec<Scope>,
    engine: regorus::Engine,
    /// Controls that run on the interpreter, with the VM compiler's reason.
    pub interpreted: Vec<(String, String)>,
    /// Per control of the pack, the time its evaluations took, when profiling: every
    /// runner adds its own totals here when it is dropped.
    profile: Option<Mutex<Vec<ControlTime>>>,
    /// The budget of one evaluation, as regorus's timer.
    timer: ExecutionTimerConfig,
    /// Per control of the pack, how many evaluations ran out of their budget.
    overruns: Vec<AtomicU32>,
}

/// How a pass's evaluators are set up.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub kind: EngineKind,
    /// Time every control alone (no combined rules).
    pub profile: bool,
    /// The budget of one control's evaluation on one item.
    pub budget: Duration,
}

/// After this many evaluations of a control ran out of their budget, the control is not
/// run again in the pass: a runaway control on every item of an organisation would
/// otherwise hold the run for the budget times every item.
pub const MAX_OVERRUNS: u32 = 3;

/// The time one control's evaluations took (`regent eval --profile-controls`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ControlTime {
    pub evaluations: u64,
    pub total: Duration,
    /// The slowest single evaluation.
    pub max: Duration,
}

impl ControlTime {
    pub fn add(&mut self, other: &ControlTime) {
        self.evaluations += other.evaluations;
        self.total += other.total;
        self.max = self.max.max(other.max);
    }
}

fn compile_program(
    policy: &regorus::CompiledPolicy,
    names: &[String],
) -> Result<Arc<Program>, String> {
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Compiler::compile_from_policy(policy, &refs).map_err(|e| e.to_string())
}

/// Add each scope's combined rule (`combined_module`) to `engine`, before the pack is
/// analysed, so that the analysis the views need covers them too; returns the scopes that
/// have one. None on the interpreter, nor when profiling, which times each control alone.
pub fn add_combined_rules(
    engine: &mut regorus::Engine,
    pack: &Pack,
    scopes: &[Vec<usize>],
    kind: EngineKind,
    profile: bool,
) -> Vec<bool> {
    scopes
        .iter()
        .enumerate()
        .map(|(index, controls)| {
            kind != EngineKind::Interpreter
                && !profile
                && !controls.is_empty()
                && engine
                    .add_policy(
                        format!("<regent scope {index}>"),
                        combined_module(pack, index, controls),
                    )
                    .is_ok()
        })
        .collect()
}

/// The entry points of `controls`, in order, and where each control's rules sit among them.
fn entry_table(pack: &Pack, controls: &[usize]) -> (Vec<String>, Vec<Entries>) {
    let mut names = Vec::new();
    let mut entries = Vec::new();
    for &index in controls {
        let control = &pack.controls[index];
        let applicable = control.has_applicable.then(|| {
            names.push(control.rule("applicable"));
            names.len() - 1
        });
        names.push(control.rule("violation"));
        entries.push(Entries {
            applicable,
            violation: names.len() - 1,
        });
    }
    (names, entries)
}

/// Add to `unsupported` the controls of `controls` the VM does not compile (with the
/// reason), halving the set until the ones that fail are found.
fn split_supported(
    policy: &regorus::CompiledPolicy,
    pack: &Pack,
    controls: &[usize],
    unsupported: &mut Vec<(usize, String)>,
) {
    if controls.is_empty() {
        return;
    }
    match compile_program(policy, &entry_table(pack, controls).0) {
        Ok(_) => {}
        Err(err) if controls.len() == 1 => unsupported.push((controls[0], reason(&err))),
        Err(_) => {
            let (left, right) = controls.split_at(controls.len() / 2);
            split_supported(policy, pack, left, unsupported);
            split_supported(policy, pack, right, unsupported);
        }
    }
}

/// The first line of a compiler message that says what is wrong.
fn reason(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text)
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

/// The package of scope `scope`'s combined rule (never a pack package: theirs start with
/// `regent.`).
fn combined_package(scope: usize) -> String {
    format!("regent_combined.scope_{scope}")
}

/// The entry points of scope `scope`'s `controls`, as `entry_table`, with its combined
/// rule last when `combined`.
fn scope_entries(
    pack: &Pack,
    scope: usize,
    controls: &[usize],
    combined: bool,
) -> (Vec<String>, Vec<Entries>) {
    let (mut names, entries) = entry_table(pack, controls);
    if combined {
        names.push(format!("data.{}.results", combined_package(scope)));
    }
    (names, entries)
}

/// A module whose one rule, `results`, evaluates every control of `controls` on the input:
/// per control `[[applicable], [violation]]`, each list empty where the rule is undefined
/// (and `violation` not evaluated where `applicable` is false, as `run_control` does). In
/// one execution the VM computes each rule once, so a library rule over `input` that
/// several controls of the type read (`network.open_ingress`) is worked out once per item
/// instead of once per control. (The saving is that: the fixed cost of an execution is
/// small, measured.)
fn combined_module(pack: &Pack, scope: usize, controls: &[usize]) -> String {
    let mut text = format!("package {}\n\nresults := [\n", combined_package(scope));
    for &index in controls {
        let control = &pack.controls[index];
        let violation = control.rule("violation");
        if control.has_applicable {
            let applicable = control.rule("applicable");
            text.push_str(&format!(
                "\t[[x | x := {applicable}], [x | not {applicable} == false; x := {violation}]],\n"
            ));
        } else {
            text.push_str(&format!("\t[[], [x | x := {violation}]],\n"));
        }
    }
    text.push_str("]\n");
    text
}

impl Shared {
    /// Prepare `engine` (already holding the pack and its `data` document) for `kind`, with
    /// one VM program per scope (a list of control indices); a scope marked in `combinable`
    /// (its rule added by `add_combined_rules`) runs its controls in one execution per item.
    pub fn new(
        mut engine: regorus::Engine,
        pack: &Pack,
        scopes: &[Vec<usize>],
        combinable: &[bool],
        setup: Setup,
    ) -> Result<Self, String> {
        let Setup {
            kind,
            profile,
            budget,
        } = setup;
        engine.set_execution_timer_config(timer(budget));
        let mut shared = Shared {
            policy: None,
            scopes: scopes
                .iter()
                .map(|controls| Scope {
                    program: None,
                    combined: None,
                    entries: vec![None; controls.len()],
                })
                .collect(),
            engine: engine.clone(),
            interpreted: Vec::new(),
            profile: profile.then(|| Mutex::new(vec![ControlTime::default(); pack.controls.len()])),
            timer: timer(budget),
            overruns: (0..pack.controls.len())
                .map(|_| AtomicU32::new(0))
                .collect(),
        };
        let Some(first) = pack.controls.first() else {
            return Ok(shared);
        };
        if kind == EngineKind::Interpreter {
            return Ok(shared);
        }
        // The analysed policy is compiled once and every scope's VM program from it. When a
        // scope's program does not compile, halving its controls finds the ones the VM does
        // not support; they are left to the interpreter.
        let mut unsupported: Vec<(usize, String)> = Vec::new();
        // A scope whose program does not compile with its combined rule runs its controls
        // one by one.
        match engine.compile_with_entrypoint(&first.rule("violation").as_str().into()) {
            Err(err) => {
                let why = reason(&err.to_string());
                unsupported.extend((0..pack.controls.len()).map(|c| (c, why.clone())));
            }
            Ok(policy) => {
                // Every scope's program with all its controls (and its combined rule), in
                // parallel: what nearly every scope ends with. The loop below works out the
                // rest when one does not compile.
                let mut whole: Vec<Option<Result<Arc<Program>, String>>> = scopes
                    .par_iter()
                    .enumerate()
                    .map(|(index, controls)| {
                        let (names, _) = scope_entries(pack, index, controls, combinable[index]);
                        (!controls.is_empty()).then(|| compile_program(&policy, &names))
                    })
                    .collect();
                let mut vm_compiles = vec![true; pack.controls.len()];
                for (index, (scope, controls)) in shared.scopes.iter_mut().zip(scopes).enumerate() {
                    let mut compiled: Vec<usize> = controls
                        .iter()
                        .copied()
                        .filter(|&c| vm_compiles[c])
                        .collect();
                    if compiled.is_empty() {
                        continue;
                    }
                    let with_combined = combinable[index] && compiled.len() == controls.len();
                    let (mut names, entries) = scope_entries(pack, index, &compiled, with_combined);
                    let mut first = match whole[index].take() {
                        Some(program) if compiled.len() == controls.len() => program,
                        _ => compile_program(&policy, &names),
                    };
                    if with_combined {
                        if first.is_ok() {
                            scope.combined = Some(names.len() - 1);
                        } else {
                            names.pop();
                            first = compile_program(&policy, &names);
                        }
                    }
                    let (program, entries) = match first {
                        Ok(program) => (program, entries),
                        Err(_) => {
                            let found = unsupported.len();
                            split_supported(&policy, pack, &compiled, &mut unsupported);
                            for (control, _) in &unsupported[found..] {
                                vm_compiles[*control] = false;
                            }
                            compiled.retain(|&c| vm_compiles[c]);
                            if compiled.is_empty() {
                                continue;
                            }
                            let (names, entries) = entry_table(pack, &compiled);
                            (compile_program(&policy, &names)?, entries)
                        }
                    };
                    scope.program = Some(program);
                    let mut entries = entries.into_iter();
                    for (slot, &control) in scope.entries.iter_mut().zip(controls) {
                        if vm_compiles[control] {
                            *slot = entries.next();
                        }
                    }
                }
                shared.policy = Some(policy);
            }
        }
        unsupported.sort();
        shared.interpreted = unsupported
            .into_iter()
            .map(|(index, why)| (pack.controls[index].meta.id.clone(), why))
            .collect();
        if kind == EngineKind::Vm && !shared.interpreted.is_empty() {
            let list: Vec<String> = shared
                .interpreted
                .iter()
                .map(|(id, why)| format!("{id} ({why})"))
                .collect();
            return Err(format!(
                "controls the VM cannot compile: {}",
                list.join("; ")
            ));
        }
        Ok(shared)
    }

    /// The summed time of every control, once every runner has been dropped (`None`
    /// unless profiling).
    pub fn profile(&self) -> Option<Vec<ControlTime>> {
        let times = self.profile.as_ref()?.lock();
        Some(times.map_or_else(|poisoned| poisoned.into_inner().clone(), |t| t.clone()))
    }
}

/// A copy of `program` that shares no reference count with it. The VM clones its program's
/// `Arc`, a rule's definitions and the literals it loads on every call: with one program
/// shared by every worker those counts (and the fields beside them) bounce between the
/// cores on each call, about a tenth of a run's time on two threads (measured with perf).
fn own_copy(program: &Program) -> Program {
    let mut copy = program.clone();
    copy.literals = program.literals.iter().map(own_value).collect();
    copy.rule_tree = own_value(&program.rule_tree);
    for rule in &mut copy.rule_infos {
        rule.definitions = Arc::new(rule.definitions.as_ref().clone());
    }
    copy
}

/// `value` rebuilt, sharing no string, array, set or object with it.
fn own_value(value: &regorus::Value) -> regorus::Value {
    use regorus::Value;
    match value {
        Value::String(text) => Value::String(Arc::from(text.as_ref())),
        Value::Array(items) => Value::from(items.iter().map(own_value).collect::<Vec<_>>()),
        Value::Set(members) => Value::from(
            members
                .iter()
                .map(own_value)
                .collect::<std::collections::BTreeSet<_>>(),
        ),
        Value::Object(fields) => Value::from(
            fields
                .iter()
                .map(|(k, v)| (own_value(k), own_value(v)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// A control's `applicable` (`None` when it has none) and `violation`.
pub type Outcome = (Option<regorus::Value>, regorus::Value);

/// One worker's evaluators: a VM per scope, made on first use, and the interpreter.
pub struct Runner {
    shared: Arc<Shared>,
    vms: Vec<Option<Box<RegoVM>>>,
    engine: Option<Box<regorus::Engine>>,
    /// The scope whose input was set last.
    scope: usize,
    /// This runner's share of the profile (empty unless profiling).
    times: Vec<ControlTime>,
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Some(profile) = &self.shared.profile {
            let mut totals = profile.lock().unwrap_or_else(|p| p.into_inner());
            for (total, mine) in totals.iter_mut().zip(&self.times) {
                total.add(mine);
            }
        }
    }
}

impl Runner {
    pub fn new(shared: &Arc<Shared>) -> Self {
        let needs_engine = shared.scopes.iter().any(Scope::uses_interpreter);
        Runner {
            shared: shared.clone(),
            vms: (0..shared.scopes.len()).map(|_| None).collect(),
            engine: needs_engine.then(|| Box::new(shared.engine.clone())),
            scope: 0,
            // Zeroes, one per control of the shared totals (none unless profiling).
            times: shared
                .profile()
                .map(|totals| vec![ControlTime::default(); totals.len()])
                .unwrap_or_default(),
        }
    }

    pub fn profiling(&self) -> bool {
        self.shared.profile.is_some()
    }

    /// Whether control `index` ran out of its budget too often to be run again.
    pub fn overran(&self, index: usize) -> bool {
        self.shared
            .overruns
            .get(index)
            .is_some_and(|n| n.load(Ordering::Relaxed) >= MAX_OVERRUNS)
    }

    /// Count one evaluation of control `index` that ran out of its budget.
    pub fn note_overrun(&self, index: usize) {
        if let Some(n) = self.shared.overruns.get(index) {
            n.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Count one evaluation of control `index` (of the pack) that took `elapsed`.
    pub fn record(&mut self, index: usize, elapsed: Duration) {
        if let Some(time) = self.times.get_mut(index) {
            time.evaluations += 1;
            time.total += elapsed;
            time.max = time.max.max(elapsed);
        }
    }

    /// Set the input of the following calls, which evaluate controls of scope `scope`.
    pub fn set_input(&mut self, scope: usize, input: regorus::Value) {
        self.scope = scope;
        let shared = &self.shared;
        let Some(spec) = shared.scopes.get(scope) else {
            return;
        };
        if spec.uses_interpreter() {
            if let Some(engine) = self.engine.as_mut() {
                engine.set_input(input.clone());
            }
        }
        if let (Some(program), Some(policy)) = (&spec.program, &shared.policy) {
            let vm = self.vms[scope].get_or_insert_with(|| {
                let mut vm = RegoVM::new_with_policy(policy.clone());
                vm.load_program(Arc::new(own_copy(program)));
                // The interpreter accepted this document already.
                let _ = vm.set_data(shared.engine.get_data());
                vm.set_strict_builtin_errors(true);
                vm.set_max_instructions(MAX_INSTRUCTIONS);
                vm.set_execution_timer_config(Some(shared.timer));
                Box::new(vm)
            });
            vm.set_input(input);
        }
    }

    /// Every control of the current scope at once, in the scope's order: its `applicable`
    /// (`None` when it has none) and `violation`. `None` when the scope has no combined
    /// entry point (not asked for, profiling, or a control the VM does not compile) or its
    /// execution failed: the controls are then run one by one, which finds the control
    /// that errs and reports it alone.
    pub fn all_at_once(&mut self, controls: &[usize], pack: &Pack) -> Option<Vec<Outcome>> {
        let combined = self.shared.scopes.get(self.scope)?.combined?;
        // A control that keeps running out of its budget is left out, so its scope runs
        // one by one.
        if controls.iter().any(|&c| self.overran(c)) {
            return None;
        }
        let vm = self.vms.get_mut(self.scope)?.as_deref_mut()?;
        let results = vm.execute_entry_point_by_index(combined).ok()?;
        let first = |v: &regorus::Value| {
            v.as_array()
                .ok()
                .and_then(|a| a.first().cloned())
                .unwrap_or(regorus::Value::Undefined)
        };
        // A combined entry point exists only when every control of the scope is on the VM,
        // so the results are one pair per control.
        let results = results.as_array().ok()?;
        if results.len() != controls.len() {
            return None;
        }
        controls
            .iter()
            .zip(results.iter())
            .map(|(&index, pair)| {
                let [applicable, violation] = pair.as_array().ok()?.as_slice() else {
                    return None;
                };
                let applicable = pack.controls[index]
                    .has_applicable
                    .then(|| first(applicable));
                Some((applicable, first(violation)))
            })
            .collect()
    }

    fn vm_entries(&mut self, position: usize) -> Option<(Entries, &mut RegoVM, &Program)> {
        let scope = self.shared.scopes.get(self.scope)?;
        let entries = (*scope.entries.get(position)?)?;
        let program = scope.program.as_deref()?;
        Some((
            entries,
            self.vms.get_mut(self.scope)?.as_deref_mut()?,
            program,
        ))
    }

    /// `applicable` of the control at `position` in the current scope (`None` when the
    /// control has none).
    pub fn applicable(
        &mut self,
        position: usize,
        control: &Control,
    ) -> Option<Result<regorus::Value, String>> {
        match self.vm_entries(position) {
            Some((entries, vm, program)) => entries.applicable.map(|entry| {
                vm.execute_entry_point_by_index(entry)
                    .map_err(|e| located(program, e.to_string()))
            }),
            None => {
                let engine = self.engine.as_mut()?;
                control.has_applicable.then(|| {
                    engine
                        .eval_rule(control.rule("applicable"))
                        .map_err(|e| e.to_string())
                })
            }
        }
    }

    /// `violation` of the control at `position` in the current scope.
    pub fn violation(
        &mut self,
        position: usize,
        control: &Control,
    ) -> Result<regorus::Value, String> {
        match self.vm_entries(position) {
            Some((entries, vm, program)) => vm
                .execute_entry_point_by_index(entries.violation)
                .map_err(|e| located(program, e.to_string())),
            None => match self.engine.as_mut() {
                Some(engine) => engine
                    .eval_rule(control.rule("violation"))
                    .map_err(|e| e.to_string()),
                None => Err("no evaluator for this control".into()),
            },
        }
    }

    pub fn engine_mut(&mut self) -> Option<&mut regorus::Engine> {
        self.engine.as_deref_mut()
    }
}

/// A VM error's text with the place in the policy it came from, as the interpreter writes
/// its errors (`--> file:line:column`, then the message): the VM names only the
/// instruction (`(pc=N)`), which the program maps to a span of its source.
fn located(program: &Program, text: String) -> String {
    let Some((message, pc)) = text.rsplit_once(" (pc=").and_then(|(message, rest)| {
        Some((message, rest.strip_suffix(')')?.parse::<usize>().ok()?))
    }) else {
        return text;
    };
    let Some(span) = program.get_instruction_span(pc) else {
        return text;
    };
    let file = program
        .get_source_name(span.source_index)
        .unwrap_or("policy");
    format!("--> {file}:{}:{}\nerror: {message}", span.line, span.column)
}

#[cfg(test)]
mod tests {
    use super::own_value;
    use regorus::Value;

    /// Every string, array, set and object of the copy is a new allocation.
    fn shares_nothing(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::String(x), Value::String(y)) => !std::sync::Arc::ptr_eq(x, y),
            (Value::Array(x), Value::Array(y)) => {
                !std::sync::Arc::ptr_eq(x, y)
                    && x.iter().zip(y.iter()).all(|(a, b)| shares_nothing(a, b))
            }
            (Value::Set(x), Value::Set(y)) => {
                !std::sync::Arc::ptr_eq(x, y)
                    && x.iter().zip(y.iter()).all(|(a, b)| shares_nothing(a, b))
            }
            (Value::Object(x), Value::Object(y)) => {
                !std::sync::Arc::ptr_eq(x, y)
                    && x.iter().zip(y.iter()).all(|((ka, va), (kb, vb))| {
                        shares_nothing(ka, kb) && shares_nothing(va, vb)
                    })
            }
            _ => true,
        }
    }

    #[test]
    fn an_own_value_is_equal_and_shares_no_allocation() {
        let mut original = Value::from_json_str(
            r#"{"ports": [22, "3389", {"from": 0, "to": 65535}], "name": "sg", "n": null}"#,
        )
        .unwrap();
        original.as_object_mut().unwrap().insert(
            Value::from("set"),
            Value::from(std::collections::BTreeSet::from([Value::from("tcp")])),
        );
        let copy = own_value(&original);
        assert_eq!(copy, original);
        assert!(shares_nothing(&original, &copy));
        // A plain clone shares everything, so the check above can fail.
        assert!(!shares_nothing(&original, &original.clone()));
    }
}
