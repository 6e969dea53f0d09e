//! How a worker runs a control's rules: regorus's bytecode VM (the default, several times
//! faster) or its interpreter (coverage, and the fallback when a policy uses something the
//! VM compiler does not support). Both are set up once and cloned per worker.

use crate::policy::{Control, Pack};
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::RegoVM;
use std::sync::Arc;

/// Which evaluator to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum EngineKind {
    /// The VM when every control compiles for it, else the interpreter.
    #[default]
    Auto,
    Vm,
    Interpreter,
}

#[derive(Debug, Clone, Copy)]
struct Entries {
    applicable: Option<usize>,
    violation: usize,
}

/// The compiled program every VM worker shares.
pub struct VmProgram {
    program: Arc<Program>,
    policy: regorus::CompiledPolicy,
    entries: Vec<Entries>,
    data: regorus::Value,
}

/// A VM needs a generous instruction budget: controls loop over every rule of a security
/// group or statement of a policy; runaway policies are still stopped.
const MAX_INSTRUCTIONS: usize = 50_000_000;

impl VmProgram {
    /// Compile every control's `applicable` and `violation` into one program.
    pub fn compile(
        engine: &mut regorus::Engine,
        pack: &Pack,
        data: &regorus::Value,
    ) -> Result<Self, String> {
        let mut names = Vec::new();
        let mut entries = Vec::new();
        for control in &pack.controls {
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
        let Some(first) = names.first() else {
            return Err("no controls".into());
        };
        let first: regorus::Rc<str> = first.as_str().into();
        let policy = engine
            .compile_with_entrypoint(&first)
            .map_err(|e| e.to_string())?;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let program = Compiler::compile_from_policy(&policy, &refs).map_err(|e| e.to_string())?;
        Ok(Self {
            program,
            policy,
            entries,
            data: data.clone(),
        })
    }

    fn machine(&self) -> RegoVM {
        let mut vm = RegoVM::new_with_policy(self.policy.clone());
        vm.load_program(self.program.clone());
        // Data was accepted by the interpreter already; the VM takes the same document.
        let _ = vm.set_data(self.data.clone());
        vm.set_strict_builtin_errors(true);
        vm.set_max_instructions(MAX_INSTRUCTIONS);
        vm
    }
}

/// One worker's evaluator.
pub enum Runner {
    Interpreter(regorus::Engine),
    Vm(Box<RegoVM>, Arc<VmProgram>),
}

impl Runner {
    pub fn interpreter(engine: &regorus::Engine) -> Self {
        Runner::Interpreter(engine.clone())
    }

    pub fn vm(program: &Arc<VmProgram>) -> Self {
        Runner::Vm(Box::new(program.machine()), program.clone())
    }

    pub fn set_input(&mut self, input: regorus::Value) {
        match self {
            Runner::Interpreter(engine) => engine.set_input(input),
            Runner::Vm(vm, _) => vm.set_input(input),
        }
    }

    /// `applicable` of control number `index` (`None` when the control has none).
    pub fn applicable(
        &mut self,
        index: usize,
        control: &Control,
    ) -> Option<Result<regorus::Value, String>> {
        match self {
            Runner::Interpreter(engine) => control.has_applicable.then(|| {
                engine
                    .eval_rule(control.rule("applicable"))
                    .map_err(|e| e.to_string())
            }),
            Runner::Vm(vm, program) => program.entries[index].applicable.map(|entry| {
                vm.execute_entry_point_by_index(entry)
                    .map_err(|e| e.to_string())
            }),
        }
    }

    pub fn violation(&mut self, index: usize, control: &Control) -> Result<regorus::Value, String> {
        match self {
            Runner::Interpreter(engine) => engine
                .eval_rule(control.rule("violation"))
                .map_err(|e| e.to_string()),
            Runner::Vm(vm, program) => vm
                .execute_entry_point_by_index(program.entries[index].violation)
                .map_err(|e| e.to_string()),
        }
    }

    pub fn engine_mut(&mut self) -> Option<&mut regorus::Engine> {
        match self {
            Runner::Interpreter(engine) => Some(engine),
            Runner::Vm(..) => None,
        }
    }
}
