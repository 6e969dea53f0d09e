//! `regent controls`: the pack as a table or JSON.

use super::{load_pack, write_output};
use crate::diagnostics::printable;
use crate::policy::{Control, ControlRecord};
use crate::ExitStatus;
use serde::Serialize;
use std::path::PathBuf;

pub struct ControlsSettings {
    pub json: bool,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
}

/// A control as listed: its record, and its runbook at the top level as the listing
/// has always had it.
#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    record: ControlRecord,
    runbook: Option<&'a str>,
}

fn row(control: &Control) -> Row<'_> {
    Row {
        record: control.record(),
        runbook: control
            .meta
            .remediation
            .as_ref()
            .map(|r| r.runbook.as_ref()),
    }
}

/// Short names for the standards, for the table.
pub fn standard_label(name: &str) -> String {
    match name {
        "aws-foundational-security-best-practices/v1.0.0" => "AFSBP".into(),
        other => match other.strip_prefix("cis-aws-foundations-benchmark/v") {
            Some(version) => format!("CIS {}", version.strip_suffix(".0").unwrap_or(version)),
            None => other.to_string(),
        },
    }
}

pub fn run(settings: ControlsSettings) -> miette::Result<ExitStatus> {
    let pack = load_pack(settings.builtin, &settings.policy_dirs);
    write_output(None, |out| {
        if settings.json {
            let rows: Vec<Row> = pack.controls.iter().map(row).collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            return writeln!(out);
        }
        writeln!(
            out,
            "{:<16} {:<13} {:<40} {:<24} {:<44} TITLE",
            "ID", "SEVERITY", "RESOURCE TYPES", "STANDARDS", "RUNBOOK"
        )?;
        for control in &pack.controls {
            let meta = &control.meta;
            let standards: Vec<String> = meta
                .standards
                .keys()
                .filter(|k| !k.starts_with("aws-foundational"))
                .map(|k| standard_label(k))
                .collect();
            writeln!(
                out,
                "{:<16} {:<13} {:<40} {:<24} {:<44} {}",
                meta.id,
                meta.severity.as_str(),
                meta.resource_types.join(","),
                if standards.is_empty() {
                    "-".to_string()
                } else {
                    standards.join(",")
                },
                meta.remediation
                    .as_ref()
                    .map_or("-", |r| r.runbook.as_ref()),
                printable(&meta.title)
            )?;
        }
        writeln!(out, "\n{} controls", pack.controls.len())
    })?;
    Ok(if pack.problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}
