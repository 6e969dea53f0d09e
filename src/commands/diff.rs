//! `regent diff OLD NEW`: two JSON reports compared, findings new, persisting and gone,
//! with an exit code a pipeline can use (1 when a new, unwaived finding is at or above
//! `--fail-on`).

use super::{print_problems, Output};
use crate::diagnostics::{Code, Problem};
use crate::policy::Severity;
use crate::report::baseline::{Diff, Findings};
use crate::sink::diff::{self, DiffFormat};
use crate::ExitStatus;
use std::path::{Path, PathBuf};

pub struct DiffSettings {
    pub old: PathBuf,
    pub new: PathBuf,
    pub format: DiffFormat,
    pub fail_on: Option<Severity>,
    pub output: Option<PathBuf>,
}

pub fn run(settings: DiffSettings) -> miette::Result<ExitStatus> {
    let output = Output::open(settings.output.as_deref())?;
    let (old, new) = match (read(&settings.old), read(&settings.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let problems: Vec<Problem> = [old.err(), new.err()].into_iter().flatten().collect();
            print_problems(&problems);
            return Ok(ExitStatus::Error);
        }
    };
    let diff = Diff::of(&old, &new);
    output.write(|out| diff::render(&diff, settings.format, out))?;
    let fails = settings.fail_on.is_some_and(|threshold| {
        diff.new.iter().any(|(_, detail)| {
            !detail.waived && Severity::parse(&detail.severity).is_some_and(|s| s >= threshold)
        })
    });
    Ok(if fails {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn read(path: &Path) -> Result<Findings, Problem> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| {
        Problem::new(
            Code::BaselineInvalid,
            &name,
            format!("cannot read the report: {err}"),
        )
    })?;
    Findings::read(&name, &text)
}
