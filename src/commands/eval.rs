//! `regent eval`: the files and directories named → the pipeline → a sink → exit status.

use super::{load_pack, print_problems, write_output};
use crate::config::{self, Config};
use crate::diagnostics::Problem;
use crate::eval::{self, Profile};
use crate::pipeline::{self, Observer};
use crate::policy::select::Selection;
use crate::policy::{Pack, Severity};
use crate::sink::{self, Format};
use crate::source::fs;
use crate::ExitStatus;
use std::cell::Cell;
use std::path::{Path, PathBuf};
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
}

pub fn run(settings: EvalSettings) -> miette::Result<ExitStatus> {
    let timer = Timer::from_env();
    let mut pack = load_pack(settings.builtin, &settings.policy_dirs);
    let reported = pack.problems.len();
    // Configuration and selection mistakes stop the run: evaluating a different set of
    // controls than asked for would be misleading.
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
    let mut options = settings.options;
    options.eval.parameter_overrides = config.parameters;
    options.settings = config.settings;
    options.require_items = Some(
        settings
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    );
    timer.lap("pack");

    let run = pipeline::run(
        &pack,
        fs::entries(settings.inputs.clone()),
        &options,
        &timer,
    );
    let report = run.report;
    // The pack's problems were printed when it loaded; print the rest now, all at once.
    print_problems(&report.errors[reported..]);
    let format = settings.format;
    write_output(settings.output.as_deref(), |out| {
        sink::render(format, &report, out)
    })?;
    timer.lap("render");
    if let Some(profile) = &run.profile {
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

/// `--config FILE`, or ./regent.toml when it exists (said on stderr), or nothing.
fn read_config(given: Option<&Path>, pack: &Pack) -> Result<Config, Vec<Problem>> {
    let default = Path::new(config::FILE_NAME);
    let path = match given {
        Some(path) => path,
        None if default.is_file() => {
            eprintln!(
                "regent: using ./{} (pass --config to choose another file)",
                config::FILE_NAME
            );
            default
        }
        None => return Ok(Config::default()),
    };
    config::load(path, pack)
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
    last: Option<Cell<Instant>>,
}

impl Timer {
    fn from_env() -> Self {
        Timer {
            last: std::env::var_os("REGENT_TIMINGS").map(|_| Cell::new(Instant::now())),
        }
    }

    fn lap(&self, phase: &str) {
        if let Some(last) = &self.last {
            eprintln!(
                "regent: {phase:<10} {:>8.3} s  rss {:>6} MiB  peak {:>6} MiB",
                last.get().elapsed().as_secs_f64(),
                memory("VmRSS:"),
                memory("VmHWM:")
            );
            last.set(Instant::now());
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
