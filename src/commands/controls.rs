//! `regent controls`: the pack as a table sized to the screen, or as JSON; filtered by
//! standard, service and severity.

use super::{load_pack, print_problems, write_output};
use crate::diagnostics::{printable, suggest, Code, Problem};
use crate::policy::standards::standard_key;
use crate::policy::{natural_cmp, Control, ControlRecord, Severity};
use crate::ExitStatus;
use comfy_table::{ColumnConstraint, ContentArrangement, Table};
use serde::Serialize;
use std::path::PathBuf;

pub struct ControlsSettings {
    pub json: bool,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
    /// Only controls of these standards (names or aliases).
    pub standards: Vec<String>,
    /// Only controls of these services (the id before the dot, any case).
    pub services: Vec<String>,
    pub severities: Vec<Severity>,
    /// The width to fit the table to.
    pub width: Option<usize>,
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
    let standards = standard_keys(&settings.standards);
    let unknown_services = unknown_services(&pack, &settings.services);
    let standards = match (standards, unknown_services.is_empty()) {
        (Ok(keys), true) => keys,
        (standards, _) => {
            let mut problems = standards.err().unwrap_or_default();
            problems.extend(unknown_services);
            print_problems(&problems);
            return Ok(ExitStatus::Error);
        }
    };
    let mut controls: Vec<&Control> = pack
        .controls
        .iter()
        .filter(|c| {
            let meta = &c.meta;
            let service = service_of(&meta.id);
            (standards.is_empty() || standards.iter().any(|s| meta.standards.contains_key(*s)))
                && (settings.services.is_empty()
                    || settings
                        .services
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(service)))
                && (settings.severities.is_empty() || settings.severities.contains(&meta.severity))
        })
        .collect();
    // Natural order, without regard to case: AutoScaling.9 sits with Autoscaling.5.
    controls.sort_by(|a, b| {
        natural_cmp(&a.meta.id.to_lowercase(), &b.meta.id.to_lowercase())
            .then_with(|| a.meta.id.cmp(&b.meta.id))
    });
    write_output(None, |out| {
        if settings.json {
            let rows: Vec<Row> = controls.iter().map(|c| row(c)).collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            return writeln!(out);
        }
        for line in table(&controls, settings.width).lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        let count = controls.len();
        writeln!(
            out,
            "\n{count} {}",
            if count == 1 { "control" } else { "controls" }
        )
    })?;
    Ok(if pack.problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}

/// A control's service: its id before the dot.
fn service_of(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Services named that no control of the pack belongs to, each with the nearest ones.
fn unknown_services(pack: &crate::policy::Pack, names: &[String]) -> Vec<Problem> {
    let mut services: Vec<&str> = pack
        .controls
        .iter()
        .map(|c| service_of(&c.meta.id))
        .collect();
    services.sort_unstable();
    services.dedup();
    names
        .iter()
        .filter(|name| !services.iter().any(|s| s.eq_ignore_ascii_case(name)))
        .map(|name| {
            let hint = suggest(name, services.iter().copied());
            Problem::new(
                Code::ConfigInvalid,
                "--service",
                format!("unknown service `{name}`"),
            )
            .with_help(format!(
                "{hint}a service is the part of a control id before the dot (S3 in S3.5)"
            ))
        })
        .collect()
}

/// The standards' keys for the names given (aliases allowed); unknown ones are problems
/// that suggest the nearest names.
fn standard_keys(names: &[String]) -> Result<Vec<&'static str>, Vec<Problem>> {
    let mut keys = Vec::new();
    let mut problems = Vec::new();
    for name in names {
        match standard_key(name) {
            Some(key) => keys.push(key),
            None => problems.push(crate::policy::select::unknown_standard("--standard", name)),
        }
    }
    if problems.is_empty() {
        Ok(keys)
    } else {
        Err(problems)
    }
}

/// The listing: every control's id, severity, standards (all of them) and title, and, when
/// the screen is wide enough (or the output is not a screen), its resource types and
/// runbook; fitted to `width` when there is one.
fn table(controls: &[&Control], width: Option<usize>) -> Table {
    let wide = width.is_none_or(|w| w >= WIDE);
    let mut table = Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    let mut header = vec!["ID", "SEVERITY", "STANDARDS"];
    if wide {
        header.extend(["RESOURCE TYPES", "RUNBOOK"]);
    }
    header.push("TITLE");
    table.set_header(header);
    for control in controls {
        let meta = &control.meta;
        let standards: Vec<String> = meta
            .standards
            .iter()
            .map(|(key, ids)| format!("{} {}", standard_label(key), ids.join(",")))
            .collect();
        let mut cells = vec![
            printable(&meta.id).into_owned(),
            meta.severity.as_str().to_string(),
            if standards.is_empty() {
                "-".into()
            } else {
                standards.join("\n")
            },
        ];
        if wide {
            cells.push(printable(&meta.resource_types.join("\n")).into_owned());
            cells.push(
                meta.remediation
                    .as_ref()
                    .map_or("-".to_string(), |r| printable(&r.runbook).into_owned()),
            );
        }
        cells.push(printable(&meta.title).into_owned());
        table.add_row(cells);
    }
    match width {
        Some(width) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
            // Everything but the title keeps its width; the title wraps in what is left.
            let fixed = table.column_count().saturating_sub(1);
            for index in 0..fixed {
                if let Some(column) = table.column_mut(index) {
                    column.set_constraint(ColumnConstraint::ContentWidth);
                }
            }
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table
}

/// From this many columns on, the listing also shows resource types and runbooks.
const WIDE: usize = 160;
