//! The command line. The only module that uses clap: it turns arguments into the
//! settings each command takes.

use crate::commands::{
    controls::ControlsSettings, eval::EvalSettings, explain::ExplainSettings,
    inspect::InspectSettings, test::TestSettings,
};
use crate::eval::{EngineKind, EvalOptions};
use crate::pipeline;
use crate::policy::{select::Selection, Severity};
use crate::sink::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "regent",
    version,
    about = "Evaluate AWS Config configuration items against CIS and AWS Foundational Security Best Practices controls written in Rego",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate configuration items (snapshot exports, history files, API output, events)
    Eval(EvalArgs),
    /// List the controls of the pack
    Controls(ControlsArgs),
    /// Show one control: what it checks, its parameters, standards and remediation
    Explain(ExplainArgs),
    /// Print the normalised configuration items a policy would see, one JSON per line
    Inspect(InspectArgs),
    /// Test a policy pack: its fixture folders and its Rego test_* rules, with coverage
    Test(TestArgs),
}

#[derive(Debug, Args)]
pub struct PackArgs {
    /// A directory of your own policies (same layout as the built-in pack); a control with
    /// the id of a built-in one replaces it. May be given more than once.
    #[arg(long = "policies", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    /// Do not load the built-in pack (only --policies)
    #[arg(long)]
    pub no_builtin: bool,
}

/// `--format` of `regent eval` (the sinks themselves know nothing of clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Failures grouped by control with severity, then a summary
    Table,
    /// The report, JSON schema version 1 (one result per line)
    Json,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
        }
    }
}

/// `--engine` of `regent eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// The VM for every control it compiles, the interpreter for the rest
    Auto,
    /// The VM only; a control it cannot compile is an error
    Vm,
    /// The interpreter only
    Interpreter,
}

impl From<EngineArg> for EngineKind {
    fn from(arg: EngineArg) -> Self {
        match arg {
            EngineArg::Auto => EngineKind::Auto,
            EngineArg::Vm => EngineKind::Vm,
            EngineArg::Interpreter => EngineKind::Interpreter,
        }
    }
}

/// The lowest severity whose failures make `regent eval` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Informational,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            Self::Critical => Some(Severity::Critical),
            Self::High => Some(Severity::High),
            Self::Medium => Some(Severity::Medium),
            Self::Low => Some(Severity::Low),
            Self::Informational => Some(Severity::Informational),
            Self::Never => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Files or directories to read (directories are walked recursively for .json,
    /// .ndjson, .jsonl and their .gz), or - for stdin
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Exit 1 when a resource fails a control of this severity or higher
    #[arg(long, value_enum, default_value_t = FailOn::Informational)]
    pub fail_on: FailOn,
    /// Write the report to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Evaluation time for time-based controls (RFC 3339); default: the newest
    /// configurationItemCaptureTime in the input
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Parameters, disabled controls and runbook settings (default: ./regent.toml if present)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluator: regorus's bytecode VM, its interpreter, or the VM when the pack compiles for it
    #[arg(long, value_enum, default_value_t = EngineArg::Auto)]
    pub engine: EngineArg,
    /// Print on stderr where evaluation time went: per control (evaluations, total, mean
    /// and slowest) and per view, dearest first. The report is unchanged.
    #[arg(long)]
    pub profile: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub budgets: BudgetArgs,
}

/// The bounds a run keeps to (README "Limits").
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The largest input to read, before and after gunzip (e.g. 512MiB, 4GiB); larger ones
    /// are refused with input::too_large
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_input_size: u64,
}

/// The budgets of evaluations (README "Limits").
#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// The longest one control may take on one item (e.g. 5s, 500ms); past it that result
    /// is ERROR (eval::timeout) and the run goes on
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub eval_timeout: std::time::Duration,
    /// The longest one view may take over the whole inventory (e.g. 10m)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub view_timeout: std::time::Duration,
}

/// A duration such as 5s, 500ms, 2m.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(text.trim())
        .map_err(|err| format!("`{text}` is not a duration such as 5s, 500ms or 2m: {err}"))?;
    if duration.is_zero() {
        return Err("a budget of zero would stop every evaluation".into());
    }
    Ok(duration)
}

/// A size in bytes, with an optional unit (KiB, MiB, GiB, KB, MB, GB).
fn parse_size(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<bytesize::ByteSize>()
        .map(|size| size.as_u64())
        .map_err(|err| format!("`{text}` is not a size such as 512MiB or 4GiB: {err}"))
}

#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// Only controls of this standard: afsbp, cis-1.2, cis-1.4, cis-3.0 (repeatable)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub standard: Vec<String>,
    /// Only these controls, e.g. S3.5,EC2.19 (repeatable)
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub control: Vec<String>,
    /// Leave these controls out (repeatable)
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub exclude_control: Vec<String>,
}

impl From<SelectionArgs> for Selection {
    fn from(args: SelectionArgs) -> Self {
        Selection {
            standards: args.standard,
            controls: args.control,
            excluded: args.exclude_control,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ControlsArgs {
    #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A control id, e.g. S3.5 (case-insensitive)
    pub id: String,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub pack: PackArgs,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files or directories to read, or - for stdin
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The pack to test: a directory with policies/ and fixtures/ (default: .)
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The policy directory, if not DIR/policies
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// The fixture directory, if not DIR/fixtures
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Only the tests whose name matches this regular expression (fixture names are
    /// <ID>/<verdict>/<file>, Rego tests <package>.<rule>)
    #[arg(long, value_name = "REGEX")]
    pub run: Option<regex::Regex>,
    /// List passing tests too
    #[arg(long, short)]
    pub verbose: bool,
    /// The longest one control may take on one fixture item, or one Rego test (e.g. 5s)
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub eval_timeout: std::time::Duration,
}

pub fn parse() -> Cli {
    Cli::parse()
}

/// What a command needs, with clap left behind.
pub enum Settings {
    Eval(EvalSettings),
    Controls(ControlsSettings),
    Explain(ExplainSettings),
    Inspect(InspectSettings),
    Test(TestSettings),
}

impl Settings {
    pub fn new(cli: Cli, hooks: crate::Hooks) -> Self {
        match cli.command {
            Command::Eval(args) => Settings::Eval(EvalSettings {
                inputs: args.inputs,
                format: args.format.into(),
                fail_on: args.fail_on.threshold(),
                output: args.output,
                builtin: !args.pack.no_builtin,
                policy_dirs: args.pack.policies,
                selection: args.selection.into(),
                config: args.config,
                options: pipeline::Options {
                    eval: EvalOptions {
                        as_of: args.as_of,
                        engine: args.engine.into(),
                        profile: args.profile,
                        release_memory: hooks.release_memory,
                        eval_timeout: args.budgets.eval_timeout,
                        view_timeout: args.budgets.view_timeout,
                        ..EvalOptions::default()
                    },
                    max_input_bytes: args.limits.max_input_size,
                    ..pipeline::Options::default()
                },
            }),
            Command::Controls(args) => Settings::Controls(ControlsSettings {
                json: args.format == ListFormat::Json,
                builtin: !args.pack.no_builtin,
                policy_dirs: args.pack.policies,
            }),
            Command::Explain(args) => Settings::Explain(ExplainSettings {
                id: args.id,
                json: args.format == ListFormat::Json,
                builtin: !args.pack.no_builtin,
                policy_dirs: args.pack.policies,
            }),
            Command::Inspect(args) => Settings::Inspect(InspectSettings {
                inputs: args.inputs,
                max_input_bytes: args.limits.max_input_size,
            }),
            Command::Test(args) => Settings::Test(TestSettings {
                dir: args.dir,
                policies: args.policies,
                fixtures: args.fixtures,
                run: args.run,
                verbose: args.verbose,
                budget: args.eval_timeout,
            }),
        }
    }
}
