//! `regent explain ID`: everything about one control.

use super::{controls::standard_label, load_pack, write_output};
use crate::diagnostics::{printable, suggest, Code, Problem};
use crate::ExitStatus;
use std::path::PathBuf;

pub struct ExplainSettings {
    pub id: String,
    pub json: bool,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
}

pub fn run(settings: ExplainSettings) -> miette::Result<ExitStatus> {
    let pack = load_pack(settings.builtin, &settings.policy_dirs);
    let Some(control) = pack.control(&settings.id) else {
        let ids = pack.controls.iter().map(|c| c.meta.id.as_str());
        let hint = suggest(&settings.id, ids);
        return Err(miette::Report::new(
            Problem::new(
                Code::ExplainUnknownControl,
                "regent explain",
                format!("no control with id `{}`", settings.id),
            )
            .with_help(format!("{hint}`regent controls` lists them all")),
        ));
    };
    let meta = &control.meta;
    write_output(None, |out| {
        if settings.json {
            serde_json::to_writer_pretty(&mut *out, &control.record())?;
            return writeln!(out);
        }
        writeln!(out, "{}: {}", printable(&meta.id), printable(&meta.title))?;
        writeln!(out)?;
        writeln!(out, "  severity        {}", meta.severity)?;
        writeln!(out, "  resource types  {}", meta.resource_types.join(", "))?;
        if !meta.requires.is_empty() {
            let reads: Vec<String> = meta
                .requires
                .iter()
                .map(|t| match meta.requires_fields.get(t) {
                    Some(fields) if fields.is_empty() => format!("{t} (identity only)"),
                    Some(fields) => format!("{t} ({})", fields.join(", ")),
                    None => t.clone(),
                })
                .collect();
            writeln!(out, "  also reads      {}", reads.join(", "))?;
        }
        if let Some(rule) = &meta.config_rule {
            writeln!(out, "  AWS Config rule {rule}")?;
        }
        for (standard, ids) in &meta.standards {
            writeln!(out, "  {:<15} {}", standard_label(standard), ids.join(", "))?;
        }
        writeln!(out, "  source          {}", control.file.path)?;
        if !meta.description.is_empty() {
            writeln!(out)?;
            writeln!(out, "What it checks")?;
            for line in textwrap(&printable(&meta.description), 88) {
                writeln!(out, "  {line}")?;
            }
        }
        writeln!(out)?;
        if meta.parameters.is_empty() {
            writeln!(out, "Parameters: none")?;
        } else {
            writeln!(out, "Parameters (override in regent.toml)")?;
            for (name, p) in &meta.parameters {
                let kind = p.param_type().map(|t| t.to_string()).unwrap_or_default();
                let bounds = p.bounds().describe();
                let takes = match (kind.is_empty(), bounds.is_empty()) {
                    (true, _) => String::new(),
                    (false, true) => format!("  ({kind})"),
                    (false, false) => format!("  ({kind}; {bounds})"),
                };
                writeln!(out, "  {name} = {}{takes}", p.default)?;
                if !p.description.is_empty() {
                    writeln!(out, "      {}", printable(&p.description))?;
                }
            }
        }
        writeln!(out)?;
        match &meta.remediation {
            None => writeln!(out, "Remediation: no runbook; fix by hand")?,
            Some(r) => {
                writeln!(out, "Remediation")?;
                writeln!(out, "  runbook         {}", printable(&r.runbook))?;
                writeln!(out, "  automatic       {}", r.automatic)?;
                writeln!(
                    out,
                    "  execution       {} attempts, {} s apart; {}% concurrency, {}% error threshold",
                    r.maximum_automatic_attempts,
                    r.retry_attempt_seconds,
                    r.concurrent_execution_rate_percentage,
                    r.error_percentage
                )?;
                for (name, value) in &r.parameters {
                    let value = match value {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    writeln!(out, "  {name:<22} {}", printable(&value))?;
                }
            }
        }
        Ok(())
    })?;
    Ok(if pack.problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}

fn textwrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
