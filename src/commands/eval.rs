//! `regent eval`: inputs → items → inventory → verdicts → report → sink → exit status.

use super::{load_inputs, load_pack, print_problems, write_output};
use crate::config::{self, Config};
use crate::diagnostics::Problem;
use crate::eval::{self, Compliance, EvalOptions, Profile};
use crate::model::inventory::Inventory;
use crate::model::load::Skip;
use crate::policy::select::Selection;
use crate::policy::{Pack, Severity};
use crate::report::{reason_kind, Report};
use crate::sink::{self, Format};
use crate::source;
use crate::ExitStatus;
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    pub options: EvalOptions,
}

pub fn run(mut settings: EvalSettings) -> miette::Result<ExitStatus> {
    let mut timer = Timer::from_env();
    let (mut pack, mut problems) = load_pack(settings.builtin, &settings.policy_dirs);
    // Configuration and selection mistakes stop the run: evaluating a different set of
    // controls than asked for would be misleading.
    let config_path = settings.config.clone().or_else(|| {
        let default = PathBuf::from(config::FILE_NAME);
        default.is_file().then_some(default)
    });
    if settings.config.is_none() && config_path.is_some() {
        eprintln!(
            "regent: using ./{} (pass --config to choose another file)",
            config::FILE_NAME
        );
    }
    let config = match config_path {
        Some(path) => match config::load(&path, &pack) {
            Ok(config) => config,
            Err(more) => {
                print_problems(&more);
                return Ok(ExitStatus::Error);
            }
        },
        None => Config::default(),
    };
    let disabled: Vec<String> = config.disabled.iter().cloned().collect();
    if let Err(more) = settings.selection.apply(&mut pack, &disabled) {
        print_problems(&more);
        return Ok(ExitStatus::Error);
    }
    settings.options.parameter_overrides = config.parameters;
    settings.options.settings = config.settings;
    let reported = problems.len();

    timer.lap("pack");
    let discovered = source::discover(&settings.inputs);
    let mut skipped_inputs: Vec<Skip> = discovered
        .ignored
        .iter()
        .map(|i| Skip {
            source: i.source.clone(),
            reason: i.reason.clone(),
        })
        .collect();
    let mut inputs_failed = discovered.problems.len();
    let inputs_read =
        discovered.inputs.len() + discovered.ignored.len() + discovered.problems.len();
    problems.extend(discovered.problems);

    let mut items = Vec::new();
    let mut skipped_items: Vec<Skip> = Vec::new();
    let (mut items_read, mut items_failed) = (0, 0);
    for (_, loaded) in load_inputs(&discovered.inputs) {
        items_read += loaded.items_read;
        items_failed += loaded.items_failed;
        if loaded.document_failed {
            inputs_failed += 1;
        }
        if let Some(skip) = loaded.skipped_document {
            skipped_inputs.push(skip);
        }
        skipped_items.extend(loaded.skipped_items);
        problems.extend(loaded.problems);
        items.extend(loaded.items);
    }

    // Evaluating nothing must not pass a gate: a wrong path or an empty export is an error.
    if items_read == 0 && problems.len() == reported {
        let names: Vec<String> = settings
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        problems.push(
            Problem::new("input::empty", names.join(", "), "no configuration items were read from the inputs")
                .with_help("point regent at snapshot files, a directory of them, or - for stdin; see the skipped inputs in the summary"),
        );
    }
    timer.lap("load");
    let (inventory, superseded) = Inventory::build(items);
    skipped_items.extend(superseded);
    timer.lap("inventory");
    let mut outcome = eval::evaluate(&pack, inventory, &settings.options);
    crate::memory::release_freed();
    timer.lap("evaluate");
    timer.steps(&outcome.phases);
    problems.extend(std::mem::take(&mut outcome.problems));
    let profile = outcome.profile.take();

    let mut report = Report::new(&pack, outcome.evaluations);
    problems.extend(runtime_problems(&report));
    let summary = &mut report.summary;
    summary.items_read = items_read;
    summary.items_failed = items_failed;
    summary.items_evaluated = outcome.items_in_scope;
    let unscoped: usize = outcome.unscoped_types.values().sum();
    summary.items_skipped = skipped_items.len() + unscoped;
    summary.inputs_read = inputs_read;
    summary.inputs_failed = inputs_failed;
    summary.inputs_skipped = skipped_inputs.len();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for skip in skipped_items.iter().chain(&skipped_inputs) {
        *reasons.entry(reason_kind(&skip.reason)).or_default() += 1;
    }
    for (resource_type, n) in &outcome.unscoped_types {
        *reasons
            .entry(format!("no selected control evaluates {resource_type}"))
            .or_default() += n;
    }
    summary.skipped_reasons = reasons;
    report.skipped_inputs = skipped_inputs;

    // Pack problems were printed when the pack loaded; print the rest now, all at once.
    print_problems(&problems[reported..]);
    report.errors = problems;

    timer.lap("report");
    let format = settings.format;
    write_output(settings.output.as_deref(), |out| {
        sink::render(format, &report, out)
    })?;
    timer.lap("render");
    if let Some(profile) = &profile {
        eprint!("{}", profile_table(&pack, profile));
    }

    Ok(if report.has_errors() {
        ExitStatus::Error
    } else if report.has_findings_at(settings.fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// One diagnostic per control that raised errors, naming how many items and the first.
fn runtime_problems(report: &Report) -> Vec<Problem> {
    let mut by_control: BTreeMap<&str, (usize, &str, &str)> = BTreeMap::new();
    for row in &report.results {
        if row.compliance_type == Compliance::Error {
            let entry = by_control.entry(&*row.control_id).or_insert((
                0,
                &*row.resource_id,
                row.annotation.as_deref().unwrap_or(""),
            ));
            entry.0 += 1;
        }
    }
    by_control
        .into_iter()
        .map(|(control, (count, first_resource, first_message))| {
            Problem::new(
                "eval::runtime",
                control,
                format!(
                    "control {control} raised an error on {count} item(s); first on {first_resource}: {first_message}"
                ),
            )
            .with_help("those results are ERROR in the report; fix the policy or report the input that triggers it")
        })
        .collect()
}

/// The `--profile` table: controls dearest first (ties by id), then the views.
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
    last: Option<std::time::Instant>,
}

impl Timer {
    fn from_env() -> Self {
        Timer {
            last: std::env::var_os("REGENT_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    /// The steps of the phase just timed, indented under it.
    fn steps(&self, steps: &[(&str, std::time::Duration)]) {
        if self.last.is_some() {
            for (step, time) in steps {
                eprintln!("regent:   {step:<26} {:>8.3} s", time.as_secs_f64());
            }
        }
    }

    fn lap(&mut self, phase: &str) {
        if let Some(last) = self.last.as_mut() {
            eprintln!(
                "regent: {phase:<10} {:>8.3} s  rss {:>6} MiB  peak {:>6} MiB",
                last.elapsed().as_secs_f64(),
                memory("VmRSS:"),
                memory("VmHWM:")
            );
            *last = std::time::Instant::now();
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
