//! The human report: failing resources grouped by control, most severe first, then a
//! summary that accounts for every item read.

use crate::diagnostics::printable;
use crate::eval::Compliance;
use crate::policy::natural_cmp;
use crate::report::{reason_kind, Report, ResultRow};
use std::collections::BTreeMap;
use std::io::{self, Write};

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn resource_label(row: &ResultRow) -> String {
    let subject = &row.subject;
    let label = match &subject.resource_name {
        Some(name) if name != &subject.resource_id => format!("{} ({name})", subject.resource_id),
        _ => subject.resource_id.to_string(),
    };
    // Item values go to a terminal: never a raw control character.
    printable(&label).into_owned()
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let s = &report.summary;

    // Group failing and erroring rows by control; order groups by severity, then id.
    let mut groups: BTreeMap<&str, Vec<&ResultRow>> = BTreeMap::new();
    for row in &report.results {
        if matches!(
            row.compliance_type,
            Compliance::NonCompliant | Compliance::Error
        ) {
            groups.entry(&*row.control_id).or_default().push(row);
        }
    }
    let mut ordered: Vec<(&str, Vec<&ResultRow>)> = groups.into_iter().collect();
    ordered.sort_by(|(a, ra), (b, rb)| {
        rb[0]
            .severity
            .cmp(&ra[0].severity)
            .then_with(|| natural_cmp(a, b))
    });

    if ordered.is_empty() {
        writeln!(out, "No failing resources.")?;
    }
    for (control_id, rows) in &ordered {
        let first = rows[0];
        let failing = rows
            .iter()
            .filter(|r| r.compliance_type == Compliance::NonCompliant)
            .count();
        let erroring = rows.len() - failing;
        let mut counts = vec![format!("{failing} failing")];
        if erroring > 0 {
            counts.push(format!("{erroring} errors"));
        }
        writeln!(
            out,
            "{:<13} {}  {}  [{}]",
            first.severity.as_str().to_uppercase(),
            printable(control_id),
            printable(&first.title),
            counts.join(", ")
        )?;
        for row in rows {
            writeln!(
                out,
                "    {}  {}  {}  {}",
                printable(&row.subject.account),
                printable(&row.subject.region),
                printable(&row.subject.resource_type),
                resource_label(row)
            )?;
            let marker = if row.compliance_type == Compliance::Error {
                "ERROR: "
            } else {
                ""
            };
            if let Some(annotation) = &row.annotation {
                writeln!(out, "        {marker}{}", printable(annotation))?;
            }
            if let Some(remediation) = &row.remediation {
                writeln!(out, "        fix: {}", printable(&remediation.runbook))?;
            }
        }
        writeln!(out)?;
    }

    writeln!(out, "Summary")?;
    writeln!(
        out,
        "  inputs       {} read, {} skipped, {} failed",
        s.inputs_read, s.inputs_skipped, s.inputs_failed
    )?;
    writeln!(
        out,
        "  items        {} read: {} evaluated, {} skipped, {} failed",
        s.items_read, s.items_evaluated, s.items_skipped, s.items_failed
    )?;
    if !s.skipped_reasons.is_empty() {
        let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
        for (reason, n) in &s.skipped_reasons {
            *by_kind.entry(reason_kind(reason)).or_default() += n;
        }
        for (reason, n) in by_kind {
            writeln!(out, "    skipped {n:>6}  {}", printable(&reason))?;
        }
    }
    writeln!(
        out,
        "  evaluations  {} by {}: {} compliant, {} non-compliant, {} not applicable, {}",
        s.evaluations,
        plural(report.controls.len(), "control", "controls"),
        s.compliant,
        s.non_compliant,
        s.not_applicable,
        plural(s.errors, "error", "errors"),
    )?;
    let mut by_severity: BTreeMap<std::cmp::Reverse<crate::policy::Severity>, usize> =
        BTreeMap::new();
    for (_, rows) in &ordered {
        if rows
            .iter()
            .any(|r| r.compliance_type == Compliance::NonCompliant)
        {
            *by_severity
                .entry(std::cmp::Reverse(rows[0].severity))
                .or_default() += 1;
        }
    }
    if !by_severity.is_empty() {
        let parts: Vec<String> = by_severity
            .iter()
            .map(|(sev, n)| format!("{n} {}", sev.0))
            .collect();
        writeln!(out, "  failing      controls: {}", parts.join(", "))?;
    }
    if !report.errors.is_empty() {
        writeln!(
            out,
            "  problems     {} (details on stderr)",
            report.errors.len()
        )?;
    }
    out.flush()
}
