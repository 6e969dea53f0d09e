//! regent: a policy-as-code compliance evaluator for AWS Config configuration items.
//!
//! Data flows one way, and no module imports a later one (tests/layers.rs checks it):
//! `diagnostics` → `source` (documents) → `model` (normalised items, inventory) →
//! `policy` (the pack) → `config` → `eval` (verdicts) → `report` → `sink` (rendering) →
//! `pipeline` (all of it, one call) → `testing` → `aws` → `lambda` (the Config rule's
//! door) → `commands` → `cli`, the only user of clap. The `regent` binary lends the
//! library its allocator hook (`Hooks`).

// The command line and AWS (feature `cli`, on by default; the fuzz targets build without).
#[cfg(feature = "cli")]
pub mod aws;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod eval;
#[cfg(feature = "cli")]
pub mod lambda;
pub mod model;
pub mod pipeline;
pub mod policy;
pub mod remediation;
pub mod report;
pub mod sink;
pub mod source;
pub mod testing;

use std::process::ExitCode;

/// How a run ended (exit codes 0, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the `--fail-on` severity failed.
    Success,
    /// Findings at or above the threshold.
    Findings,
    /// The run itself had errors: unreadable input, a policy that does not compile, an
    /// evaluation error.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// What the binary lends the library.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hooks {
    /// Give freed memory back to the system between phases (the allocator is the
    /// binary's).
    pub release_memory: eval::ReleaseMemory,
}

/// Run one command.
#[cfg(feature = "cli")]
pub fn run(cli: cli::Cli, hooks: Hooks) -> miette::Result<ExitStatus> {
    match cli::Settings::new(cli, hooks) {
        cli::Settings::Eval(settings) => commands::eval::run(*settings),
        cli::Settings::Controls(settings) => commands::controls::run(settings),
        cli::Settings::Explain(settings) => commands::explain::run(settings),
        cli::Settings::Inspect(settings) => commands::inspect::run(settings),
        cli::Settings::Test(settings) => commands::test::run(settings),
        cli::Settings::Merge(settings) => commands::merge::run(settings),
        cli::Settings::Diff(settings) => commands::diff::run(settings),
        cli::Settings::Remediate(settings) => commands::remediate::run(settings),
        cli::Settings::Invoke(settings) => commands::lambda::run(*settings),
        cli::Settings::Completions(shell) => {
            // clap_complete panics on a write error (a closed pipe): render to memory first.
            let mut script = Vec::new();
            cli::completions(shell, &mut script);
            commands::write_output(None, |out| out.write_all(&script))?;
            Ok(ExitStatus::Success)
        }
        cli::Settings::Man => {
            commands::write_output(None, |out| cli::man(out))?;
            Ok(ExitStatus::Success)
        }
    }
}

/// A closed pipe (`regent eval ... | head`) ends the run quietly.
pub fn is_broken_pipe(report: &miette::Report) -> bool {
    report.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
