//! How a worker runs a control's rules: regorus's bytecode VM (several times faster) or its
//! interpreter (coverage, and the fallback for the controls the VM compiler does not
//! support yet). Both are set up once and cloned per worker.

use crate::policy::{Control, Pack};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::RegoVM;
use std::sync::Arc;

/// Which evaluator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EngineKind {
    /// The VM for every control it compiles, the interpreter for the rest.
    #[default]
    Auto,
    /// The VM only; a control it cannot compile is an error.
    Vm,
    /// The interpreter only.
    Interpreter,
}

#[derive(Debug, Clone, Copy)]
struct Entries {
    applicable: Option<usize>,
    violation: usize,
}

/// A VM needs a generous instruction budget: controls loop over every rule of a security
/// group or statement of a policy; runaway policies are still stopped.
const MAX_INSTRUCTIONS: usize = 50_000_000;

/// What every worker shares: the compiled VM program (entry points per control) and the
/// prepared interpreter.
pub struct Shared {
    vm: Option<(Arc<Program>, regorus::CompiledPolicy)>,
    /// Per control: its VM entry points, or `None` to use the interpreter.
    entries: Vec<Option<Entries>>,
    data: regorus::Value,
    engine: regorus::Engine,
    /// Controls that run on the interpreter, with the VM compiler's reason.
    pub interpreted: Vec<(String, String)>,
}

fn compile(
    engine: &mut regorus::Engine,
    names: &[String],
) -> Result<(Arc<Program>, regorus::CompiledPolicy), String> {
    let first: regorus::Rc<str> = names.first().ok_or("no entry points")?.as_str().into();
    let policy = engine
        .compile_with_entrypoint(&first)
        .map_err(|e| e.to_string())?;
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let program = Compiler::compile_from_policy(&policy, &refs).map_err(|e| e.to_string())?;
    Ok((program, policy))
}

/// The entry points of `controls`, in order, and where each control's rules sit among them.
fn entry_table(pack: &Pack, controls: &[usize]) -> (Vec<String>, Vec<(usize, Entries)>) {
    let mut names = Vec::new();
    let mut entries = Vec::new();
    for &index in controls {
        let control = &pack.controls[index];
        let applicable = control.has_applicable.then(|| {
            names.push(control.rule("applicable"));
            names.len() - 1
        });
        names.push(control.rule("violation"));
        entries.push((
            index,
            Entries {
                applicable,
                violation: names.len() - 1,
            },
        ));
    }
    (names, entries)
}

/// Sort `controls` into those the VM compiles and those it does not (with the reason),
/// halving the set until the ones that fail are found.
fn split_supported(
    engine: &mut regorus::Engine,
    pack: &Pack,
    controls: &[usize],
    supported: &mut Vec<usize>,
    unsupported: &mut Vec<(usize, String)>,
) {
    if controls.is_empty() {
        return;
    }
    match compile(engine, &entry_table(pack, controls).0) {
        Ok(_) => supported.extend_from_slice(controls),
        Err(err) if controls.len() == 1 => unsupported.push((controls[0], reason(&err))),
        Err(_) => {
            let (left, right) = controls.split_at(controls.len() / 2);
            split_supported(engine, pack, left, supported, unsupported);
            split_supported(engine, pack, right, supported, unsupported);
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

impl Shared {
    /// Prepare `engine` (already holding the pack and `data`) for `kind`.
    pub fn new(
        mut engine: regorus::Engine,
        pack: &Pack,
        data: &regorus::Value,
        kind: EngineKind,
    ) -> Result<Self, String> {
        let mut shared = Shared {
            vm: None,
            entries: vec![None; pack.controls.len()],
            data: data.clone(),
            engine: engine.clone(),
            interpreted: Vec::new(),
        };
        if kind == EngineKind::Interpreter || pack.controls.is_empty() {
            return Ok(shared);
        }
        // Usually the whole pack compiles for the VM in one go; when it does not, find the
        // controls that do not and compile the rest.
        let all: Vec<usize> = (0..pack.controls.len()).collect();
        let (names, entries) = entry_table(pack, &all);
        let (program, entries) = match compile(&mut engine, &names) {
            Ok(program) => (program, entries),
            Err(_) => {
                let mut supported = Vec::new();
                let mut unsupported = Vec::new();
                // `all` just failed as a whole; search its halves.
                let (left, right) = all.split_at(all.len() / 2);
                for half in [left, right] {
                    split_supported(&mut engine, pack, half, &mut supported, &mut unsupported);
                }
                supported.sort_unstable();
                unsupported.sort();
                shared.interpreted = unsupported
                    .into_iter()
                    .map(|(index, why)| (pack.controls[index].meta.id.clone(), why))
                    .collect();
                if kind == EngineKind::Vm {
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
                if supported.is_empty() {
                    return Ok(shared);
                }
                let (names, entries) = entry_table(pack, &supported);
                (compile(&mut engine, &names)?, entries)
            }
        };
        for (index, entry) in entries {
            shared.entries[index] = Some(entry);
        }
        shared.vm = Some(program);
        Ok(shared)
    }
}

/// One worker's evaluators.
pub struct Runner {
    shared: Arc<Shared>,
    vm: Option<Box<RegoVM>>,
    engine: Option<Box<regorus::Engine>>,
}

impl Runner {
    pub fn new(shared: &Arc<Shared>) -> Self {
        let vm = shared.vm.as_ref().map(|(program, policy)| {
            let mut vm = RegoVM::new_with_policy(policy.clone());
            vm.load_program(program.clone());
            // The interpreter accepted this document already.
            let _ = vm.set_data(shared.data.clone());
            vm.set_strict_builtin_errors(true);
            vm.set_max_instructions(MAX_INSTRUCTIONS);
            Box::new(vm)
        });
        let needs_engine = shared.vm.is_none() || shared.entries.iter().any(Option::is_none);
        Runner {
            shared: shared.clone(),
            vm,
            engine: needs_engine.then(|| Box::new(shared.engine.clone())),
        }
    }

    pub fn set_input(&mut self, input: regorus::Value) {
        if let Some(engine) = self.engine.as_mut() {
            engine.set_input(input.clone());
        }
        if let Some(vm) = self.vm.as_mut() {
            vm.set_input(input);
        }
    }

    /// `applicable` of control number `index` (`None` when the control has none).
    pub fn applicable(
        &mut self,
        index: usize,
        control: &Control,
    ) -> Option<Result<regorus::Value, String>> {
        match (self.shared.entries[index], self.vm.as_mut()) {
            (Some(entries), Some(vm)) => entries.applicable.map(|entry| {
                vm.execute_entry_point_by_index(entry)
                    .map_err(|e| e.to_string())
            }),
            _ => {
                let engine = self.engine.as_mut()?;
                control.has_applicable.then(|| {
                    engine
                        .eval_rule(control.rule("applicable"))
                        .map_err(|e| e.to_string())
                })
            }
        }
    }

    pub fn violation(&mut self, index: usize, control: &Control) -> Result<regorus::Value, String> {
        match (self.shared.entries[index], self.vm.as_mut()) {
            (Some(entries), Some(vm)) => vm
                .execute_entry_point_by_index(entries.violation)
                .map_err(|e| e.to_string()),
            _ => match self.engine.as_mut() {
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
