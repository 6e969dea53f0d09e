//! `regent diff OLD NEW`: the findings new since OLD, how many persist, and those gone,
//! as a table, JSON or Markdown (for a pull-request comment).

use super::markdown::escape;
use super::view::plural;
use crate::report::baseline::{Detail, Diff};
use crate::report::ResolvedFinding;
use std::io::{self, Write};

/// The formats of `regent diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
}

pub fn render(diff: &Diff, format: DiffFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DiffFormat::Table => table(diff, out),
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &json(diff)).map_err(io::Error::other)?;
            writeln!(out)
        }
        DiffFormat::Markdown => markdown(diff, out),
    }
}

fn json(diff: &Diff) -> serde_json::Value {
    let rows = |findings: &[(ResolvedFinding, Detail)]| {
        findings
            .iter()
            .map(|(f, d)| {
                serde_json::json!({
                    "control_id": f.control_id, "severity": d.severity,
                    "resource_type": f.resource_type, "resource_id": f.resource_id,
                    "aws_account_id": f.aws_account_id, "aws_region": f.aws_region,
                    "annotation": d.annotation, "waived": d.waived,
                })
            })
            .collect::<Vec<_>>()
    };
    serde_json::json!({
        "summary": {"new": diff.new.len(), "persisting": diff.persisting, "resolved": diff.resolved.len()},
        "new": rows(&diff.new),
        "resolved": rows(&diff.resolved),
    })
}

fn headline(diff: &Diff) -> String {
    format!(
        "{} new, {} persisting, {} resolved",
        plural(diff.new.len(), "finding", "findings"),
        diff.persisting,
        diff.resolved.len()
    )
}

fn table(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    for (title, findings) in [("New", &diff.new), ("Resolved", &diff.resolved)] {
        if findings.is_empty() {
            continue;
        }
        writeln!(out, "{title}")?;
        for (f, d) in findings.iter() {
            let waived = if d.waived { " (waived)" } else { "" };
            writeln!(
                out,
                "  {:<14} {:<13} {} {} {}/{}{waived}",
                f.control_id,
                d.severity,
                f.resource_type,
                f.resource_id,
                f.aws_account_id,
                f.aws_region
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", headline(diff))
}

fn markdown(diff: &Diff, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### regent diff: {}\n", headline(diff))?;
    for (title, findings) in [
        ("New findings", &diff.new),
        ("Resolved findings", &diff.resolved),
    ] {
        if findings.is_empty() {
            continue;
        }
        writeln!(out, "#### {title}\n")?;
        writeln!(
            out,
            "| Control | Severity | Resource | Account / region | Reason |"
        )?;
        writeln!(out, "| --- | --- | --- | --- | --- |")?;
        for (f, d) in findings.iter() {
            let waived = if d.waived { " (waived)" } else { "" };
            writeln!(
                out,
                "| {} | {}{waived} | {} `{}` | {} / {} | {} |",
                escape(&f.control_id),
                escape(&d.severity),
                escape(&f.resource_type),
                escape(&f.resource_id),
                escape(&f.aws_account_id),
                escape(&f.aws_region),
                escape(d.annotation.as_deref().unwrap_or_default())
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
