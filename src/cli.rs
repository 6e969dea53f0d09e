//! The command line. The only module that uses clap: it turns arguments into the
//! settings each command takes.

use crate::commands::{
    controls::ControlsSettings, eval::EvalSettings, explain::ExplainSettings,
    inspect::InspectSettings, lambda::InvokeSettings, merge::MergeSettings, test::TestSettings,
};
use crate::eval::{EngineKind, EvalOptions};
use crate::pipeline;
use crate::policy::{select::Selection, Severity};
use crate::sink::{Filter, Format, View};
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
    /// Colour: auto (when writing to a terminal and NO_COLOR is not set), always, never
    #[arg(long, global = true, value_enum, ignore_case = true, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// No progress display on stderr (it is shown only on a terminal anyway)
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate configuration items (snapshot exports, history files, API output, events)
    Eval(Box<EvalArgs>),
    /// List the controls of the pack
    Controls(ControlsArgs),
    /// Show one control: what it checks, its parameters, standards and remediation
    Explain(ExplainArgs),
    /// Print the normalised configuration items a policy would see, one JSON per line
    Inspect(InspectArgs),
    /// Test a policy pack: its fixture folders and its Rego test_* rules, with coverage
    Test(TestArgs),
    /// Combine the JSON reports of a sharded run (eval --shard K/N) into the report one run
    /// over everything gives
    Merge(MergeArgs),
    /// Compare two JSON reports: findings new since OLD, persisting and resolved; exit 1
    /// when a new, unwaived finding is at or above --fail-on (README "Baselines")
    Diff(DiffArgs),
    /// The AWS Config custom rule's handler, run locally (README "A Config custom rule")
    #[command(subcommand)]
    Lambda(LambdaCommand),
    /// From finding to fix: plan, export to AWS Config, apply through SSM Automation,
    /// verify, and the IAM policy the runbooks need (README "Remediation")
    #[command(subcommand)]
    Remediate(RemediateCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum, ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `regent man | man -l -`)
    Man,
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
    /// AWS Security Finding Format: a FAILED finding per NON_COMPLIANT result (PASSED ones
    /// too with --asff-passed), as --to-security-hub imports them
    Asff,
    /// The PutEvaluations requests the run would send, one Config rule per control (or
    /// --config-rule over all), for review (the result token is a placeholder)
    PutEvaluations,
    /// SARIF 2.1.0 for code scanning (GitHub's upload-sarif): a rule per control, a result
    /// per NON_COMPLIANT result with its input file and resource
    Sarif,
    /// JUnit XML for CI test reports: a test suite per control, a test case per resource
    /// (failure: NON_COMPLIANT, error: ERROR, skipped: NOT_APPLICABLE)
    Junit,
    /// CSV, a row per result; cells a spreadsheet would run as a formula start with '
    Csv,
    /// Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY: outcome, counts by
    /// severity, failures (at most 100 rows) and errors
    Markdown,
    /// OCSF 1.3.0 Compliance Finding events (class 2003), a JSON array: Fail, Warning (ERROR)
    /// and Pass findings
    Ocsf,
    /// One self-contained HTML page (no network): totals with charts, a filterable,
    /// sortable results table, the controls that ran, errors
    Html,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        arg.format(false)
    }
}

impl FormatArg {
    /// The format, with ASFF's PASSED findings when `asff_passed`.
    pub fn format(self, asff_passed: bool) -> Format {
        match self {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Asff => Format::Asff {
                passed: asff_passed,
            },
            FormatArg::PutEvaluations => Format::PutEvaluations,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Junit => Format::Junit,
            FormatArg::Csv => Format::Csv,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Ocsf => Format::Ocsf,
            FormatArg::Html => Format::Html,
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
    /// .ndjson, .jsonl, .yaml, .yml, .template and their .gz): Config exports, CloudFormation
    /// templates, Terraform plans (`terraform show -json`); - for stdin,
    /// s3://bucket[/prefix] (README "Reading from S3"), or config:// and
    /// config://aggregator/NAME for what AWS Config holds now (README "The Config API")
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Exit 1 when a resource fails a control of this severity or higher
    #[arg(long, value_enum, ignore_case = true, default_value_t = FailOn::Informational)]
    pub fail_on: FailOn,
    /// Write the report to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Evaluation time for time-based controls: an RFC 3339 time, or a date (the end of that
    /// day, UTC); default: the newest configurationItemCaptureTime in the input
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Parameters, disabled controls and runbook settings (default: ./regent.toml if present)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluator: regorus's bytecode VM, its interpreter, or the VM when the pack compiles for it
    #[arg(long, value_enum, ignore_case = true, default_value_t = EngineArg::Auto)]
    pub engine: EngineArg,
    /// Print on stderr where evaluation time went: per control (evaluations, total, mean
    /// and slowest) and per view, dearest first. The report is unchanged.
    #[arg(long)]
    pub profile_controls: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub budgets: BudgetArgs,
    #[command(flatten)]
    pub view: ViewArgs,
    /// Treat the inputs as a complete record of every account and region they hold, so the
    /// absence of a resource counts (README "Partial inputs")
    #[arg(long)]
    pub complete: bool,
    /// Judge only shard K of N (0-based, as AWS_BATCH_JOB_ARRAY_INDEX and
    /// JOB_COMPLETION_INDEX count): the accounts that hash to it, each whole; `regent merge`
    /// makes the shards' JSON reports one (README "Sharded runs")
    #[arg(long, value_name = "K/N")]
    pub shard: Option<pipeline::shard::Shard>,
    /// A value for a CloudFormation template's parameter (over its default) or a pseudo
    /// parameter (AWS::AccountId, AWS::Region, ...), for templates and plans; repeat for
    /// more (README "Templates before deploy")
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub parameters: Vec<(String, String)>,
    /// Waivers ([[waivers]] tables) in addition to regent.toml's: a waived finding is shown
    /// as waived and does not fail the run until it expires (README "Waivers")
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// An earlier JSON report: only findings new since it fail the run; the summary counts
    /// new, persisting and resolved findings (README "Baselines")
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
    /// Keep verdicts in this directory and reuse those of items unchanged since a run with
    /// the same pack, parameters and settings; the report is the same as without it
    /// (README "Verdict cache")
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Also write the remediation plan (what each unwaived finding's runbook would run,
    /// grouped by runbook; nothing runs) to this file (README "Remediation")
    #[arg(long, value_name = "FILE")]
    pub remediation_plan: Option<PathBuf>,
    /// The plan's format: json or markdown
    #[arg(long, value_enum, ignore_case = true, default_value_t = PlanFormatArg::Json, requires = "remediation_plan")]
    pub plan_format: PlanFormatArg,
    /// Refuse a remediation plan of more than N actions
    #[arg(long, value_name = "N")]
    pub max_resources: Option<usize>,
    /// A runbook setting (over regent.toml's [settings]): NAME=VALUE; repeat for more
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_key_value)]
    pub set: Vec<(String, String)>,
    /// Post the remediation plan's summary (Slack incoming-webhook compatible JSON) to this
    /// URL; a failure to post is reported and changes nothing else
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub security_hub: SecurityHubArgs,
    #[command(flatten)]
    pub s3: S3Args,
    #[command(flatten)]
    pub aws_config: ConfigArgs,
}

/// What the report shows (the run and its exit code are unchanged).
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// Show only results of these accounts (repeatable)
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub account: Vec<String>,
    /// Show only results of these regions (repeatable)
    #[arg(long, value_name = "REGION", value_delimiter = ',')]
    pub region: Vec<String>,
    /// Show only results of these resource types, e.g. AWS::S3::Bucket (repeatable)
    #[arg(long, value_name = "TYPE", value_delimiter = ',')]
    pub resource_type: Vec<String>,
    /// Show only results of controls of these severities (repeatable)
    #[arg(long, value_enum, ignore_case = true, value_delimiter = ',')]
    pub severity: Vec<SeverityArg>,
    /// Table: only the summary
    #[arg(long)]
    pub summary: bool,
    /// Table: only the N most severe failing controls, N resources each
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// A severity, as options take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Critical,
    High,
    Medium,
    Low,
    Informational,
}

impl From<SeverityArg> for Severity {
    fn from(arg: SeverityArg) -> Self {
        match arg {
            SeverityArg::Critical => Severity::Critical,
            SeverityArg::High => Severity::High,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Informational => Severity::Informational,
        }
    }
}

/// `--as-of`: an RFC 3339 time as given, or a date as the end of that day in UTC.
fn parse_time(text: &str) -> Result<String, String> {
    let text = text.trim();
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        return Ok(text.to_string());
    }
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Ok(format!("{date}T23:59:59.999Z")),
        Err(_) => Err(format!(
            "`{text}` is neither a date (2026-11-10) nor an RFC 3339 time (2026-11-10T12:00:00Z)"
        )),
    }
}

/// The bounds a run keeps to (README "Limits").
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// The largest input to read, before and after gunzip (e.g. 512MiB, 4GiB); larger ones
    /// are refused with input::too_large
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_size)]
    pub max_input_size: u64,
}

/// How to reach AWS (README "AWS"): the standard credential, profile and region chain,
/// with these overrides, and the retry policy of every call.
#[derive(Debug, Args)]
#[command(next_help_heading = "AWS")]
pub struct AwsArgs {
    /// The named profile of ~/.aws/config to use (default: AWS_PROFILE, or the default)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The region to call (default: AWS_REGION, or the profile's); `--region` filters the
    /// report instead
    #[arg(long, value_name = "REGION")]
    pub aws_region: Option<String>,
    /// Send every AWS call to this endpoint (a local one, say); AWS_ENDPOINT_URL works too
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Read (and send) through this IAM role, assumed with STS (another account's, say);
    /// for `remediate apply` and `verify`, `{account}` and `{region}` in it are each
    /// resource's
    #[arg(long, value_name = "ARN")]
    pub assume_role: Option<String>,
    /// The external id the role's trust policy requires
    #[arg(long, value_name = "ID", requires = "assume_role")]
    pub external_id: Option<String>,
    /// Calls in all for one request, retries of throttling and 5xx answers included
    /// (exponential backoff with jitter)
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub aws_max_attempts: u32,
    /// The first retry's delay; each next one doubles it, with jitter, up to 20s
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = parse_duration)]
    pub aws_backoff: std::time::Duration,
    /// The longest one AWS request may take, its retries included
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub aws_timeout: std::time::Duration,
}

impl AwsArgs {
    pub fn settings(&self) -> crate::aws::AwsSettings {
        crate::aws::AwsSettings {
            profile: self.profile.clone(),
            region: self.aws_region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            assume_role: self.assume_role.clone(),
            external_id: self.external_id.clone(),
            retry: crate::aws::Retry {
                max_attempts: self.aws_max_attempts,
                operation_timeout: self.aws_timeout,
                initial_backoff: self.aws_backoff,
                ..crate::aws::Retry::default()
            },
        }
    }
}

/// Which objects of an `s3://` input are read (README "Reading from S3"); by default the
/// latest snapshot of each account and region.
#[derive(Debug, Args)]
#[command(next_help_heading = "S3")]
pub struct S3Args {
    /// Read every snapshot, not only the latest of each account and region
    #[arg(long)]
    pub all_snapshots: bool,
    /// Read ConfigHistory files too: those since the latest snapshot of their account and
    /// region (with --all-snapshots, every one)
    #[arg(long)]
    pub history: bool,
    /// Read only the delivery files of these accounts (repeatable)
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub accounts: Vec<String>,
    /// Read only the delivery files of these regions (repeatable)
    #[arg(long, value_name = "REGION", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Read only delivery files timestamped at or after this: an RFC 3339 time, or a date
    /// (its start, UTC)
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Read only delivery files timestamped at or before this: an RFC 3339 time, or a date
    /// (its end, UTC); the latest snapshot is then the latest as of this time
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    /// ListObjectsV2's page size (S3's default is 1000); for tests
    #[arg(long, hide = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub s3_page_size: Option<u32>,
}

impl S3Args {
    pub fn options(self) -> crate::source::s3::S3Options {
        crate::source::s3::S3Options {
            all_snapshots: self.all_snapshots,
            history: self.history,
            accounts: self.accounts,
            regions: self.regions,
            since: self.since,
            until: self.until,
            page_size: self.s3_page_size,
        }
    }
}

/// `--since`: an RFC 3339 time, or a date as the start of that day in UTC.
fn parse_since(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    parse_instant(text, chrono::NaiveTime::MIN)
}

/// `--until`: an RFC 3339 time, or a date as the end of that day in UTC.
fn parse_until(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let end = chrono::NaiveTime::from_hms_milli_opt(23, 59, 59, 999).unwrap_or_default();
    parse_instant(text, end)
}

fn parse_instant(
    text: &str,
    time_of_day: chrono::NaiveTime,
) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let text = text.trim();
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(time.to_utc());
    }
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Ok(date.and_time(time_of_day).and_utc()),
        Err(_) => Err(format!(
            "`{text}` is neither a date (2026-11-10) nor an RFC 3339 time (2026-11-10T12:00:00Z)"
        )),
    }
}

/// Sending the run's findings to Security Hub (README "Security Hub").
#[derive(Debug, Args)]
#[command(next_help_heading = "Security Hub")]
pub struct SecurityHubArgs {
    /// After writing the report, import its findings into Security Hub (BatchImportFindings,
    /// in each finding's region): one per NON_COMPLIANT result the report shows
    #[arg(long)]
    pub to_security_hub: bool,
    /// ASFF (--format asff, --to-security-hub): a PASSED finding for each COMPLIANT result too
    #[arg(long)]
    pub asff_passed: bool,
}

/// Answering a Config rule with the run's evaluations (README "Sending evaluations to AWS
/// Config").
#[derive(Debug, Args)]
#[command(next_help_heading = "AWS Config")]
pub struct ConfigArgs {
    /// Send the evaluations to AWS Config (PutEvaluations) for the rule --result-token
    /// belongs to: one per resource, NON_COMPLIANT if any selected control fails it
    #[arg(long, requires = "result_token")]
    pub put_evaluations: bool,
    /// The result token of the Config rule to answer for (from the rule's Lambda event);
    /// it is sent to AWS and never printed. Better from the environment than the command
    /// line, where other users' `ps` can read it
    #[arg(
        long,
        value_name = "TOKEN",
        env = "REGENT_RESULT_TOKEN",
        hide_env_values = true
    )]
    pub result_token: Option<String>,
    /// Ask AWS Config only to check the evaluations, not to record them (TestMode)
    #[arg(long, requires = "put_evaluations")]
    pub test_mode: bool,
    /// The Config rule the evaluations answer for, covering every selected control: one
    /// evaluation per resource, NON_COMPLIANT if any control fails it (as a custom rule
    /// does). Without it, --format put-evaluations makes one rule per control
    #[arg(long, value_name = "NAME")]
    pub config_rule: Option<String>,
}

impl ConfigArgs {
    pub fn answer(&self) -> Option<crate::aws::config::Answer> {
        let token = self.result_token.clone().filter(|_| self.put_evaluations)?;
        Some(crate::aws::config::Answer {
            token: crate::model::envelope::ResultToken::new(token),
            test_mode: self.test_mode,
        })
    }
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

/// `KEY=VALUE` of `--parameter`.
fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
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
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Only controls of this standard: afsbp, cis-1.2, cis-1.4, cis-3.0 (repeatable)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub standard: Vec<String>,
    /// Only controls of this service, e.g. s3, ec2 (the id before the dot; repeatable)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub service: Vec<String>,
    /// Only controls of these severities (repeatable)
    #[arg(long, value_enum, ignore_case = true, value_delimiter = ',')]
    pub severity: Vec<SeverityArg>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A control id, e.g. S3.5 (case-insensitive)
    pub id: String,
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub pack: PackArgs,
}

/// `--format` of `regent merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// Failures grouped by control with severity, then a summary
    Table,
    /// The report, JSON schema version 1 (one result per line)
    Json,
}

/// `--plan-format` of `regent eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormatArg {
    /// The plan, schema version 1
    Json,
    /// For review in a pull request or a change ticket
    Markdown,
}

/// `regent remediate ...`.
#[derive(Debug, Subcommand)]
pub enum RemediateCommand {
    /// Evaluate the inputs (as `regent eval` does, with its options) and print the
    /// remediation plan: every unwaived finding whose control names a runbook, grouped by
    /// runbook, with its parameters resolved. Nothing runs. --format json (the default in
    /// a file or a pipe) or markdown (the default on a terminal), -o FILE
    Plan(Box<EvalArgs>),
    /// Print the selected controls as AWS Config rules with their remediation
    /// configurations: PutRemediationConfigurations requests, a CloudFormation template, or
    /// a conformance pack
    Export(RemediateExportArgs),
    /// Run a reviewed plan through SSM Automation (asks per runbook unless --yes), with an
    /// append-only audit log a rerun resumes from
    Apply(Box<RemediateApplyArgs>),
    /// Read each resource an audit log says was remediated again from AWS Config and judge
    /// it again: verified, still failing, or not yet recorded
    Verify(Box<RemediateVerifyArgs>),
    /// Print the IAM policy the automation role needs for the runbooks of a plan (or of the
    /// selected controls)
    IamPolicy(IamPolicyArgs),
}

/// `--format` of `regent remediate export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// PutRemediationConfigurations request bodies, at most 25 configurations each
    Config,
    /// A CloudFormation template: each control's Config rule and remediation
    Cloudformation,
    /// An AWS Config conformance pack template
    ConformancePack,
}

#[derive(Debug, Args)]
pub struct RemediateExportArgs {
    #[arg(long, short, value_enum, ignore_case = true)]
    pub format: ExportFormatArg,
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Parameters, disabled controls and runbook settings (default: ./regent.toml if present)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A runbook setting (over regent.toml's [settings]): NAME=VALUE; repeat for more
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_key_value)]
    pub set: Vec<(String, String)>,
    /// Every control as a custom rule run by regent's Lambda handler (its ARN a template
    /// parameter), so the same Rego decides in AWS
    #[arg(long)]
    pub custom_rule: bool,
    /// Config rule names are this prefix and the control id (`regent-s3-5`)
    #[arg(long, value_name = "PREFIX", default_value = "regent-")]
    pub rule_prefix: String,
    /// The account runbook parameters name ({{awsAccountId}}), for --format config
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// The region runbook parameters name ({{awsRegion}}), for --format config
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RemediateApplyArgs {
    /// The plan to run (`regent remediate plan --format json`), as reviewed
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// The append-only audit log (JSON lines); a rerun with the same log resumes and never
    /// starts an action twice
    #[arg(long, value_name = "FILE", default_value = "regent-remediation.jsonl")]
    pub audit_log: PathBuf,
    /// Run without asking (otherwise each runbook group runs only when its name is typed)
    #[arg(long)]
    pub yes: bool,
    /// Print what would run and stop: no AWS call, nothing in the audit log
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Run only these controls, automatic or not (without it: only the controls marked for
    /// automatic remediation); repeatable
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub control: Vec<String>,
    /// Start again the actions the audit log says failed for good
    #[arg(long)]
    pub retry_failed: bool,
    /// Refuse to run more than N actions (the plan may have been made without a cap)
    #[arg(long, value_name = "N")]
    pub max_resources: Option<usize>,
    /// How often running executions are looked at
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub poll_interval: std::time::Duration,
    /// Post a JSON summary (Slack incoming-webhook compatible) to this URL when done; a
    /// failure to post is reported and changes nothing else
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct RemediateVerifyArgs {
    /// The audit log of `regent remediate apply`
    #[arg(long = "audit", value_name = "LOG")]
    pub audit: PathBuf,
    /// Read through this Config aggregator (every account and region at once) instead of
    /// each account and region in turn
    #[arg(long, value_name = "NAME")]
    pub aggregator: Option<String>,
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub pack: PackArgs,
    /// Parameters and settings the controls were judged with (default: ./regent.toml)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Post a JSON summary (Slack incoming-webhook compatible) to this URL when done
    #[arg(long, value_name = "URL")]
    pub notify: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// The runbooks of this plan (else those of the selected controls)
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

/// `--format` of `regent diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    /// New and resolved findings, then the counts
    Table,
    /// The counts and the new and resolved findings
    Json,
    /// For a pull-request comment
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`regent eval --format json`)
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later JSON report
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = DiffFormatArg::Table)]
    pub format: DiffFormatArg,
    /// Exit 1 when a new finding is of this severity or higher
    #[arg(long, value_enum, ignore_case = true, default_value_t = FailOn::Informational)]
    pub fail_on: FailOn,
    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The JSON reports of every shard of one run (`regent eval --shard K/N --format json`),
    /// in any order
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    #[arg(long, short, value_enum, ignore_case = true, default_value_t = MergeFormat::Table)]
    pub format: MergeFormat,
    /// Exit 1 when a resource fails a control of this severity or higher
    #[arg(long, value_enum, ignore_case = true, default_value_t = FailOn::Informational)]
    pub fail_on: FailOn,
    /// Write the report to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum LambdaCommand {
    /// Answer one Config rule event as the Lambda handler does: judge it and send the
    /// evaluations with PutEvaluations (a resultToken of TESTMODE sets TestMode); the
    /// evaluations are printed as PutEvaluations requests, the token left out
    Invoke(Box<InvokeArgs>),
}

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// The event: a Config custom rule's Lambda event (JSON), or - for stdin
    #[arg(long, value_name = "FILE")]
    pub event: PathBuf,
    /// Judge and print the evaluations, but send nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub budgets: BudgetArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
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

/// Write the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "regent", out);
}

/// Write the manual page (roff).
pub fn man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)
}

/// Whether to colour what goes to stdout: `--color`, then `NO_COLOR`, then whether
/// stdout is a terminal.
fn color(arg: ColorArg) -> bool {
    use std::io::IsTerminal;
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// The width to fit tables to: the terminal's when stdout is one, else `COLUMNS` when set,
/// else none (a file or a pipe gets whole lines).
fn width() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
    {
        return Some(columns.max(40));
    }
    if std::io::stdout().is_terminal() {
        // A terminal that reports no size (some pseudo-terminals) gets whole lines.
        return comfy_table::Table::new()
            .width()
            .filter(|&w| w > 0)
            .map(|w| usize::from(w).max(40));
    }
    None
}

/// Whether to show progress on stderr: only on a terminal, unless `--quiet`.
fn progress(quiet: bool) -> bool {
    use std::io::IsTerminal;
    !quiet && std::io::stderr().is_terminal()
}

/// What a command needs, with clap left behind.
pub enum Settings {
    Eval(Box<EvalSettings>),
    Controls(ControlsSettings),
    Explain(ExplainSettings),
    Inspect(InspectSettings),
    Test(TestSettings),
    Merge(MergeSettings),
    Diff(crate::commands::diff::DiffSettings),
    Remediate(crate::commands::remediate::RemediateSettings),
    Invoke(Box<InvokeSettings>),
    Completions(clap_complete::Shell),
    Man,
}

impl Settings {
    pub fn new(cli: Cli, hooks: crate::Hooks) -> Self {
        let color = color(cli.color);
        let progress = progress(cli.quiet);
        match cli.command {
            Command::Eval(args) => {
                Settings::Eval(Box::new(eval_settings(*args, &hooks, color, progress)))
            }
            Command::Remediate(command) => remediate_settings(command, &hooks, color, progress),
            Command::Controls(args) => Settings::Controls(ControlsSettings {
                json: args.format == ListFormat::Json,
                builtin: !args.pack.no_builtin,
                policy_dirs: args.pack.policies,
                standards: args.standard,
                services: args.service,
                severities: args.severity.into_iter().map(Severity::from).collect(),
                width: width(),
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
                progress,
            }),
            Command::Diff(args) => Settings::Diff(crate::commands::diff::DiffSettings {
                old: args.old,
                new: args.new,
                format: match args.format {
                    DiffFormatArg::Table => crate::sink::diff::DiffFormat::Table,
                    DiffFormatArg::Json => crate::sink::diff::DiffFormat::Json,
                    DiffFormatArg::Markdown => crate::sink::diff::DiffFormat::Markdown,
                },
                fail_on: args.fail_on.threshold(),
                output: args.output,
            }),
            Command::Merge(args) => Settings::Merge(MergeSettings {
                reports: args.reports,
                format: match args.format {
                    MergeFormat::Table => Format::Table,
                    MergeFormat::Json => Format::Json,
                },
                fail_on: args.fail_on.threshold(),
                output: args.output,
                view: View {
                    width: width(),
                    color,
                    fail_on: args.fail_on.threshold(),
                    ..View::default()
                },
            }),
            Command::Lambda(LambdaCommand::Invoke(args)) => {
                Settings::Invoke(Box::new(InvokeSettings {
                    event: args.event,
                    send: !args.dry_run,
                    builtin: !args.pack.no_builtin,
                    policy_dirs: args.pack.policies,
                    options: pipeline::Options {
                        eval: EvalOptions {
                            release_memory: hooks.release_memory,
                            eval_timeout: args.budgets.eval_timeout,
                            view_timeout: args.budgets.view_timeout,
                            ..EvalOptions::default()
                        },
                        max_input_bytes: args.limits.max_input_size,
                        ..pipeline::Options::default()
                    },
                    aws: args.aws.settings(),
                }))
            }
            Command::Completions { shell } => Settings::Completions(shell),
            Command::Man => Settings::Man,
        }
    }
}

/// `regent eval`'s settings (also the evaluation `regent remediate plan` makes).
fn eval_settings(
    args: EvalArgs,
    hooks: &crate::Hooks,
    color: bool,
    progress: bool,
) -> EvalSettings {
    EvalSettings {
        inputs: args.inputs,
        format: args.format.format(args.security_hub.asff_passed),
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
                profile: args.profile_controls,
                release_memory: hooks.release_memory,
                eval_timeout: args.budgets.eval_timeout,
                view_timeout: args.budgets.view_timeout,
                ..EvalOptions::default()
            },
            max_input_bytes: args.limits.max_input_size,
            shard: args.shard,
            template: crate::model::template::TemplateOptions {
                parameters: args.parameters.into_iter().collect(),
            },
            cache: args.cache,
            ..pipeline::Options::default()
        },
        view: View {
            filter: Filter {
                accounts: args.view.account,
                regions: args.view.region,
                resource_types: args.view.resource_type,
                severities: args.view.severity.into_iter().map(Severity::from).collect(),
            },
            summary_only: args.view.summary,
            top: args.view.top,
            width: width(),
            color,
            fail_on: args.fail_on.threshold(),
            config_rule: args.aws_config.config_rule.clone(),
        },
        complete: args.complete,
        waivers: args.waivers,
        baseline: args.baseline,
        remediation_plan: args
            .remediation_plan
            .map(|path| crate::commands::eval::PlanRequest {
                path: Some(path),
                markdown: args.plan_format == PlanFormatArg::Markdown,
                options: crate::remediation::plan::PlanOptions {
                    max_resources: args.max_resources,
                },
            }),
        set: args.set,
        aws: args.aws.settings(),
        to_security_hub: args.security_hub.to_security_hub,
        asff_passed: args.security_hub.asff_passed,
        s3: args.s3.options(),
        put_evaluations: args.aws_config.answer(),
        progress,
        write_report: true,
        notify: args.notify,
    }
}

/// `regent remediate ...`'s settings.
fn remediate_settings(
    command: RemediateCommand,
    hooks: &crate::Hooks,
    color: bool,
    progress: bool,
) -> Settings {
    use crate::commands::remediate::{
        ApplySettings, ExportSettings, IamPolicySettings, RemediateSettings, VerifySettings,
    };
    Settings::Remediate(match command {
        RemediateCommand::Plan(args) => {
            // The plan is for a machine (apply, iam-policy) unless a person reads it on a
            // terminal: `--format table` (the default) is markdown there and JSON in a file
            // or a pipe.
            let markdown = match args.format {
                FormatArg::Json => false,
                FormatArg::Markdown => true,
                _ => args.output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()),
            };
            let max_resources = args.max_resources;
            let mut settings = eval_settings(*args, hooks, color, progress);
            settings.remediation_plan = Some(crate::commands::eval::PlanRequest {
                path: settings.output.take(),
                markdown,
                options: crate::remediation::plan::PlanOptions { max_resources },
            });
            settings.write_report = false;
            settings.fail_on = None;
            RemediateSettings::Plan(Box::new(settings))
        }
        RemediateCommand::Export(args) => RemediateSettings::Export(ExportSettings {
            format: match args.format {
                ExportFormatArg::Config => crate::remediation::export::Format::Config,
                ExportFormatArg::Cloudformation => {
                    crate::remediation::export::Format::CloudFormation
                }
                ExportFormatArg::ConformancePack => {
                    crate::remediation::export::Format::ConformancePack
                }
            },
            builtin: !args.pack.no_builtin,
            policy_dirs: args.pack.policies,
            selection: args.selection.into(),
            config: args.config,
            set: args.set,
            custom_rule: args.custom_rule,
            rule_prefix: args.rule_prefix,
            account: args.account,
            region: args.region,
            output: args.output,
        }),
        RemediateCommand::Apply(args) => RemediateSettings::Apply(Box::new(ApplySettings {
            plan: args.plan,
            audit_log: args.audit_log,
            yes: args.yes,
            dry_run: args.dry_run,
            max_resources: args.max_resources,
            options: crate::remediation::apply::ApplyOptions {
                controls: args.control,
                poll_interval: args.poll_interval,
                retry_failed: args.retry_failed,
            },
            notify: args.notify,
            aws: args.aws.settings(),
            progress,
        })),
        RemediateCommand::Verify(args) => RemediateSettings::Verify(Box::new(VerifySettings {
            audit: args.audit,
            aggregator: args.aggregator,
            json: args.format == ListFormat::Json,
            builtin: !args.pack.no_builtin,
            policy_dirs: args.pack.policies,
            config: args.config,
            notify: args.notify,
            aws: args.aws.settings(),
            release_memory: hooks.release_memory,
        })),
        RemediateCommand::IamPolicy(args) => RemediateSettings::IamPolicy(IamPolicySettings {
            plan: args.plan,
            builtin: !args.pack.no_builtin,
            policy_dirs: args.pack.policies,
            selection: args.selection.into(),
        }),
    })
}
