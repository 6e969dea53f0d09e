//! `regent merge`: the JSON reports of a sharded run (`regent eval --shard K/N`) read back,
//! checked to belong together, and combined into the report a single run over everything
//! gives, rendered as `regent eval` renders one, with the same exit status.

use super::{print_problems, Output};
use crate::diagnostics::{Code, Problem};
use crate::policy::Severity;
use crate::report::merge::{self, ShardReport};
use crate::report::read;
use crate::sink::{self, Format, Outcome, View};
use crate::ExitStatus;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub struct MergeSettings {
    /// The shards' JSON reports, in any order.
    pub reports: Vec<PathBuf>,
    pub format: Format,
    /// `None`: findings never change the exit code.
    pub fail_on: Option<Severity>,
    pub output: Option<PathBuf>,
    /// How the merged report is shown.
    pub view: View,
}

pub fn run(settings: MergeSettings) -> miette::Result<ExitStatus> {
    // A report that cannot be written is known before anything is read.
    let output = Output::open(settings.output.as_deref())?;
    let read: Vec<Result<ShardReport, Problem>> = settings
        .reports
        .par_iter()
        .map(|path| read_report(path))
        .collect();
    let mut shards = Vec::new();
    let mut problems = Vec::new();
    for report in read {
        match report {
            Ok(shard) => shards.push(shard),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        print_problems(&problems);
        return Ok(ExitStatus::Error);
    }
    let mut report = match merge::merge(shards) {
        Ok(report) => report,
        Err(problems) => {
            print_problems(&problems);
            return Ok(ExitStatus::Error);
        }
    };
    // The gate of a single run that a shard, seeing only its share, leaves to the merge.
    if let Some(problem) = super::eval::nothing_evaluated(&report) {
        print_problems(std::slice::from_ref(&problem));
        report.errors.push(problem);
    }
    output.write(|out| sink::render(settings.format, &report, &settings.view, out))?;
    Ok(match Outcome::of(&report, settings.fail_on) {
        Outcome::Errors => ExitStatus::Error,
        Outcome::Failed => ExitStatus::Findings,
        Outcome::Passed => ExitStatus::Success,
    })
}

/// One shard's report, read from `path`.
fn read_report(path: &Path) -> Result<ShardReport, Problem> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|err| {
        let why = match err.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_string(),
            kind => kind.to_string(),
        };
        Problem::new(
            Code::MergeUnreadable,
            &name,
            format!("cannot read the report: {why}"),
        )
        .with_help("give the JSON report each shard wrote (`regent eval --shard K/N --format json -o FILE`)")
    })?;
    let report = read::read(&name, file)?;
    Ok(ShardReport { name, report })
}
