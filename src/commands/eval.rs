//! `regent eval`: the files and directories named → the pipeline → a sink → exit status.

use super::progress::{Both, Progress};
use super::{load_pack, print_problems, read_config, Output};
use crate::aws::Connection;
use crate::config;
use crate::diagnostics::{suggest, Code, Problem};
use crate::eval::{self, Profile};
use crate::pipeline::{self, Observer};
use crate::policy::select::Selection;
use crate::policy::{Pack, Severity};
use crate::remediation::plan::{self, PlanOptions};
use crate::report::baseline::Findings;
use crate::report::Report;
use crate::sink::{self, Format, Outcome, View};
use crate::source::{config_api, fs};
use crate::ExitStatus;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct EvalSettings {
    pub inputs: Vec<PathBuf>,
    pub format: Format,
    /// `None`: findings never change the exit code.
    pub fail_on: Option<Severity>,
    pub output: Option<PathBuf>,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
    pub selection: Selection,
    /// regent.toml; `None` uses ./regent.toml when it exists.
    pub config: Option<PathBuf>,
    pub options: pipeline::Options,
    /// What the report shows.
    pub view: View,
    /// `--complete`: the inputs are a complete record of their accounts and regions.
    pub complete: bool,
    /// `--waivers FILE`, beside regent.toml's.
    pub waivers: Option<PathBuf>,
    /// `--baseline REPORT.json`.
    pub baseline: Option<PathBuf>,
    /// `--remediation-plan FILE`.
    pub remediation_plan: Option<PlanRequest>,
    /// `--set NAME=VALUE`: runbook settings over regent.toml's.
    pub set: Vec<(String, String)>,
    /// How to reach AWS, for `s3://` and `config://` inputs and for sending results.
    pub aws: crate::aws::AwsSettings,
    /// `--to-security-hub`: import the report's findings after writing it.
    pub to_security_hub: bool,
    /// `--asff-passed`: PASSED findings for COMPLIANT results too.
    pub asff_passed: bool,
    /// Which objects of `s3://` inputs are read.
    pub s3: crate::source::s3::S3Options,
    /// `--put-evaluations --result-token T`: answer that Config rule with the evaluations.
    pub put_evaluations: Option<crate::aws::config::Answer>,
    /// Show progress on stderr.
    pub progress: bool,
    /// Render the report (`regent remediate plan` writes only the plan).
    pub write_report: bool,
    /// `--notify URL`: where the plan's summary is posted.
    pub notify: Option<String>,
}

/// Where and how to write the remediation plan.
pub struct PlanRequest {
    /// `None`: stdout.
    pub path: Option<PathBuf>,
    pub markdown: bool,
    pub options: PlanOptions,
}

pub fn run(settings: EvalSettings) -> miette::Result<ExitStatus> {
    let timer = Timer::from_env();
    // A report that cannot be written is known before anything is evaluated.
    let output = match settings.write_report {
        true => Some(Output::open(settings.output.as_deref())?),
        false => None,
    };
    let mut pack = load_pack(settings.builtin, &settings.policy_dirs);
    let reported = pack.problems.len();
    // A missing policy directory, or configuration and selection mistakes, stop the run
    // before anything is evaluated: a different set of controls than asked for would be
    // misleading, and a gate must not pass on it.
    if pack
        .problems
        .iter()
        .any(|p| p.code == Code::PolicyUnreadable)
    {
        return Ok(ExitStatus::Error);
    }
    let config = match read_config(settings.config.as_deref(), &pack) {
        Ok(config) => config,
        Err(problems) => {
            print_problems(&problems);
            return Ok(ExitStatus::Error);
        }
    };
    let disabled: Vec<String> = config.disabled.iter().cloned().collect();
    if let Err(more) = settings.selection.apply(&mut pack, &disabled) {
        print_problems(&more);
        return Ok(ExitStatus::Error);
    }
    if pack.controls.is_empty() {
        print_problems(&[no_controls(&settings)]);
        return Ok(ExitStatus::Error);
    }
    if let Some(problem) = s3_flags_without_s3(&settings) {
        print_problems(&[problem]);
        return Ok(ExitStatus::Error);
    }
    let unknown = unknown_resource_types(&pack, &settings.view.filter.resource_types);
    if !unknown.is_empty() {
        print_problems(&unknown);
        return Ok(ExitStatus::Error);
    }
    let mut options = settings.options;
    options.waivers = config.waivers;
    if let Some(path) = &settings.waivers {
        match config::waivers::load(path, &pack) {
            Ok(more) => options.waivers.extend(more),
            Err(problems) => {
                print_problems(&problems);
                return Ok(ExitStatus::Error);
            }
        }
    }
    if let Some(path) = &settings.baseline {
        match read_baseline(path) {
            Ok(findings) => options.baseline = Some(findings),
            Err(problem) => {
                print_problems(&[problem]);
                return Ok(ExitStatus::Error);
            }
        }
    }
    options.eval.parameter_overrides = config.parameters;
    options.settings = config.settings;
    for (name, value) in &settings.set {
        options
            .settings
            .insert(name.clone(), serde_json::Value::String(value.clone()));
    }
    options.assume_complete = settings.complete;
    options.require_items = Some(
        settings
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    timer.lap("pack");
    let typing = say_when_stdin_is_a_terminal(&settings.inputs);

    // No spinner over what the user types.
    let progress = Arc::new(Progress::new(settings.progress && !typing));
    let aws = Arc::new(Connection::new(settings.aws.clone()));
    let run = pipeline::run(
        &pack,
        entries(
            &settings.inputs,
            aws.clone(),
            &settings.s3,
            options.max_input_bytes,
            pack.resource_types_read(),
            progress.clone(),
        ),
        &options,
        &Both(&timer, &*progress),
    );
    progress.finish();
    if let Some(cache) = &run.cache {
        print_problems(&cache.problems);
        eprintln!("regent: {}", cache.summary());
    }
    let mut report = run.report;
    // A shard sees only its accounts: `regent merge` keeps this gate for the whole run.
    if let Some(problem) = nothing_evaluated(&report).filter(|_| report.shard.is_none()) {
        report.errors.push(problem);
    }
    let view = settings.view;
    if let Some(answer) = &settings.put_evaluations {
        let problems = send_evaluations(&aws, &report, &view, answer);
        report.errors.extend(problems);
    }
    // The pack's problems were printed when it loaded; print the rest now, all at once.
    print_problems(&report.errors[reported..]);
    let format = settings.format;
    if let Some(output) = output {
        output.write(|out| sink::render(format, &report, &view, out))?;
    }
    timer.lap("render");
    let planned = match &settings.remediation_plan {
        Some(request) => write_plan(&report, request, settings.notify.as_deref())?,
        None => true,
    };
    let sent = !settings.to_security_hub
        || send_to_security_hub(&aws, &report, &view, settings.asff_passed);
    if let Some(profile) = &run.profile {
        eprint!("{}", profile_table(&pack, profile));
    }

    let status = match Outcome::of(&report, settings.fail_on) {
        Outcome::Errors => ExitStatus::Error,
        _ if !sent || !planned => ExitStatus::Error,
        Outcome::Failed => ExitStatus::Findings,
        Outcome::Passed => ExitStatus::Success,
    };
    // The process ends with this command: freeing a million rows one by one (0.4 s at
    // organisation scale) would only delay the exit; the system takes the memory back.
    std::mem::forget(report);
    Ok(status)
}

/// `--to-security-hub`: imports the findings of the results the report shows, once it is
/// written (connecting only when there is one). Whether every one was imported (what was
/// not is printed).
fn send_to_security_hub(aws: &Connection, report: &Report, view: &View, passed: bool) -> bool {
    use crate::aws::securityhub::{import, Imported};
    let findings = sink::asff::findings(report, view, passed);
    let imported = if findings.is_empty() {
        Imported::default()
    } else {
        match aws.get("--to-security-hub") {
            Ok(connection) => import(&connection, &findings, aws.settings.retry),
            Err(problem) => Imported::none(findings.len(), problem),
        }
    };
    eprintln!("regent: {}", imported.summary());
    print_problems(&imported.problems);
    imported.problems.is_empty()
}

/// `--resource-type` values no selected control reads: such a filter could only ever show
/// nothing, so it is a mistake (a typo, most often), each with the nearest types.
fn unknown_resource_types(pack: &Pack, wanted: &[String]) -> Vec<Problem> {
    let mut types: Vec<&str> = pack
        .controls
        .iter()
        .flat_map(|c| c.meta.resource_types.iter().map(String::as_str))
        .collect();
    types.sort_unstable();
    types.dedup();
    wanted
        .iter()
        .filter(|w| !types.iter().any(|t| t.eq_ignore_ascii_case(w)))
        .map(|w| {
            let hint = suggest(w, types.iter().copied());
            Problem::new(
                Code::ConfigInvalid,
                "--resource-type",
                format!("no selected control reads `{w}`"),
            )
            .with_help(format!(
                "{hint}`regent controls` shows the types each control reads"
            ))
        })
        .collect()
}

/// Nothing to run: say why, and what to do.
/// S3's selection flags with no `s3://` input would choose nothing: a mistake to say, not
/// to ignore (`--accounts` is not `--account`, which filters the report).
fn s3_flags_without_s3(settings: &EvalSettings) -> Option<Problem> {
    let flags = settings.s3.flags_given();
    let reads_s3 = settings
        .inputs
        .iter()
        .any(|i| i.to_str().is_some_and(crate::source::s3::is_s3_url));
    if flags.is_empty() || reads_s3 {
        return None;
    }
    Some(
        Problem::new(
            Code::ConfigInvalid,
            flags.join(", "),
            format!("{} choose among the objects of s3:// inputs, and no input is one", flags.join(", ")),
        )
        .with_help("to show only some accounts or regions of any input, use --account and --region; README \"Reading from S3\""),
    )
}

fn no_controls(settings: &EvalSettings) -> Problem {
    let help = if !settings.builtin && settings.policy_dirs.is_empty() {
        "--no-builtin leaves only the controls of --policies DIR, and none was given"
    } else {
        "the selection (--standard, --control, --exclude-control, enabled = false in regent.toml) leaves no control; `regent controls` lists them"
    };
    Problem::new(Code::PolicyNoControls, "regent eval", "no control to run").with_help(help)
}

/// Items were read, but no selected control looks at any of them: a gate must not pass on
/// that. Says what would make them count.
pub fn nothing_evaluated(report: &Report) -> Option<Problem> {
    let s = &report.summary;
    if s.items_read == 0 || s.items_evaluated > 0 || s.items_failed == s.items_read {
        return None;
    }
    let reasons: Vec<&str> = s.skipped_reasons.keys().map(String::as_str).collect();
    let help = if reasons
        .iter()
        .any(|r| r.starts_with("Select result without resourceType"))
    {
        "the Select query's rows carry no resourceType: SELECT resourceType, resourceId, accountId, awsRegion, configuration, supplementaryConfiguration"
            .to_string()
    } else {
        let types: Vec<&str> = reasons
            .iter()
            .filter_map(|r| r.strip_prefix("no selected control evaluates "))
            .collect();
        if types.is_empty() {
            "see the skipped items in the summary".to_string()
        } else {
            format!(
                "no selected control evaluates {}; widen --standard/--control, or check the inputs",
                types.join(", ")
            )
        }
    };
    Some(
        Problem::new(
            Code::InputNothingEvaluated,
            "regent eval",
            format!(
                "{} configuration items were read, and no selected control evaluated any of them",
                s.items_read
            ),
        )
        .with_help(help),
    )
}

/// The entries the inputs name, in their order: `s3://bucket[/prefix]` from S3, the rest
/// from the file system.
fn entries(
    inputs: &[PathBuf],
    aws: Arc<Connection>,
    s3: &crate::source::s3::S3Options,
    max_bytes: u64,
    config_types: Vec<String>,
    tally: Arc<dyn crate::source::Tally>,
) -> impl Iterator<Item = crate::source::Entry> + Send + 'static {
    use crate::source::{s3 as s3_source, Entry};
    let (inputs, s3) = (inputs.to_vec(), s3.clone());
    inputs
        .into_iter()
        .flat_map(move |input| -> Box<dyn Iterator<Item = Entry> + Send> {
            match input.to_str() {
                Some(url) if s3_source::is_s3_url(url) => match aws.get(url) {
                    Ok(aws) => {
                        let store = crate::aws::s3::S3Store::new(aws, s3.page_size);
                        let (url, s3) = (url.to_string(), s3.clone());
                        let tally = tally.clone();
                        Box::new(s3_source::entries(
                            Arc::new(store),
                            url,
                            s3,
                            max_bytes,
                            tally,
                        ))
                    }
                    Err(problem) => Box::new(std::iter::once(Entry::Failed(problem))),
                },
                Some(url) if url.starts_with(config_api::SCHEME) => {
                    config_entries(&aws, url, config_types.clone(), tally.clone())
                }
                _ => Box::new(fs::entries(vec![input])),
            }
        })
}

/// A `config://` input's pages (source::config_api), read through AWS Config's API.
pub(crate) fn config_entries(
    aws: &Connection,
    input: &str,
    types: Vec<String>,
    tally: Arc<dyn crate::source::Tally>,
) -> Box<dyn Iterator<Item = crate::source::Entry> + Send> {
    use crate::source::Entry;
    let target = match config_api::Target::parse(input) {
        Ok(target) => target,
        Err(problem) => return Box::new(std::iter::once(Entry::Failed(problem))),
    };
    match aws.get(input) {
        Ok(connection) => {
            let client = Arc::new(crate::aws::config::ConfigClient::new(connection));
            config_api::entries(client, target, types, aws.read_options(), tally)
        }
        Err(problem) => Box::new(std::iter::once(Entry::Failed(problem))),
    }
}

/// `--put-evaluations`: the evaluations of the results shown (as `--format
/// put-evaluations` prints them), sent for the rule of the result token; what could not
/// be sent, as problems.
fn send_evaluations(
    aws: &Connection,
    report: &Report,
    view: &View,
    answer: &crate::aws::config::Answer,
) -> Vec<Problem> {
    use crate::sink::put_evaluations::{evaluations_of, Grouping, Ordering};
    let connection = match aws.get("--put-evaluations") {
        Ok(connection) => connection,
        Err(problem) => return vec![problem],
    };
    let resend = aws.resend();
    let grouping = Grouping::of(report, view);
    let made = evaluations_of(
        report,
        view.results(report),
        &grouping,
        &Ordering::CaptureTime,
    );
    crate::aws::config::answer(&connection, &made, answer, resend).problems
}

/// Reading stdin that is a terminal waits for typing: say so rather than hang silently.
/// Whether the items come from a terminal (said on stderr, since regent then waits).
fn say_when_stdin_is_a_terminal(inputs: &[PathBuf]) -> bool {
    use std::io::IsTerminal;
    let typing = inputs.iter().any(|p| p.as_os_str() == "-") && std::io::stdin().is_terminal();
    if typing {
        eprintln!(
            "regent: reading configuration items from stdin (a terminal): paste or type them, then press Ctrl-D"
        );
    }
    typing
}

/// `--config FILE`, or ./regent.toml when it exists (said on stderr), or nothing.
/// Write the remediation plan; `false` when it cannot be made (its problems printed).
fn write_plan(
    report: &Report,
    request: &PlanRequest,
    notify: Option<&str>,
) -> miette::Result<bool> {
    match plan::plan(report, &request.options) {
        Ok(made) => {
            super::notify(notify, &plan::summary(&made));
            let output = Output::open(request.path.as_deref())?;
            output.write(|out| {
                if request.markdown {
                    plan::render_markdown(&made, out)
                } else {
                    plan::render_json(&made, out)
                }
            })?;
            Ok(true)
        }
        Err(problems) => {
            print_problems(&problems);
            Ok(false)
        }
    }
}

/// The findings of `--baseline REPORT.json`.
fn read_baseline(path: &Path) -> Result<Findings, Problem> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| {
        Problem::new(
            Code::BaselineInvalid,
            &name,
            format!("cannot read the baseline: {err}"),
        )
    })?;
    Findings::read(&name, &text)
}

/// The `--profile-controls` table: controls dearest first (ties by id), then the views.
fn profile_table(pack: &Pack, profile: &Profile) -> String {
    use std::fmt::Write;
    let mut rows: Vec<(&str, &eval::ControlTime)> = pack
        .controls
        .iter()
        .zip(&profile.controls)
        .filter(|(_, time)| time.evaluations > 0)
        .map(|(control, time)| (control.meta.id.as_str(), time))
        .collect();
    rows.sort_by(|a, b| b.1.total.cmp(&a.1.total).then_with(|| a.0.cmp(b.0)));
    let all: f64 = rows.iter().map(|(_, t)| t.total.as_secs_f64()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "regent: profile: {} controls ran, {:.3} s of evaluation summed over the workers",
        rows.len(),
        all
    );
    let _ = writeln!(
        out,
        "{:<22} {:>12} {:>12} {:>10} {:>10} {:>7}",
        "control", "evaluations", "total ms", "mean µs", "max µs", "share"
    );
    for (id, time) in rows {
        let total = time.total.as_secs_f64();
        let _ = writeln!(
            out,
            "{:<22} {:>12} {:>12.1} {:>10.1} {:>10.1} {:>6.1}%",
            id,
            time.evaluations,
            total * 1e3,
            total * 1e6 / time.evaluations as f64,
            time.max.as_secs_f64() * 1e6,
            if all > 0.0 { 100.0 * total / all } else { 0.0 }
        );
    }
    let mut views = profile.views.clone();
    views.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (name, time) in views {
        let _ = writeln!(
            out,
            "view {:<17} {:>12} {:>12.1}",
            name,
            1,
            time.as_secs_f64() * 1e3
        );
    }
    out
}

/// Phase durations on stderr when `REGENT_TIMINGS` is set (for benchmarks and profiling).
struct Timer {
    last: Option<Mutex<Instant>>,
}

impl Timer {
    fn from_env() -> Self {
        Timer {
            last: std::env::var_os("REGENT_TIMINGS").map(|_| Mutex::new(Instant::now())),
        }
    }

    fn lap(&self, phase: &str) {
        if let Some(last) = &self.last {
            let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
            eprintln!(
                "regent: {phase:<10} {:>8.3} s  rss {:>6} MiB  peak {:>6} MiB",
                last.elapsed().as_secs_f64(),
                memory("VmRSS:"),
                memory("VmHWM:")
            );
            *last = Instant::now();
        }
    }
}

impl Observer for Timer {
    /// The phase, then its steps indented under it.
    fn phase(&self, name: &'static str, steps: &[(&'static str, std::time::Duration)]) {
        self.lap(name);
        if self.last.is_some() {
            for (step, time) in steps {
                eprintln!("regent:   {step:<26} {:>8.3} s", time.as_secs_f64());
            }
        }
    }
}

/// A `/proc/self/status` memory figure in MiB (0 where there is none).
fn memory(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with(field))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib / 1024)
}
