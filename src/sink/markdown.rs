//! Markdown for a pull-request comment or a GitHub job summary (`$GITHUB_STEP_SUMMARY`):
//! a title with how the run ended (the words of the table's closing line), the results
//! counted by severity, the failures table (most severe first), then the errors. The
//! failures and the errors show at most `MAX_ROWS` rows each and say how many more there
//! are, and a long reason is cut: a comment holds 65,536 characters. `--format json` has
//! everything.
//!
//! Every value from an input or a policy is escaped: Markdown and HTML markup (`|`,
//! backticks, `*`, `_`, `~`, `[`, `]`, `\`, `<`, `>`, `&`) shows as written, a newline is a
//! `<br>`, and control, invisible and bidirectional characters are written as `\u{..}`, as
//! in the table.

use super::view::plural;
use super::view::{Outcome, View};
use crate::diagnostics::printable;
use crate::eval::Compliance;
use crate::policy::{natural_cmp, Severity};
use crate::report::{Report, ResultRow};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// The most rows the failures table, and the errors table, show.
pub const MAX_ROWS: usize = 100;

/// The longest reason a row shows, in characters (cut with `…`).
const MAX_REASON: usize = 200;

pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let (mark, word, why) = outcome(report, view);
    writeln!(out, "## {mark} regent: {word}, {why}")?;
    writeln!(out)?;
    write_counts(&mut out, report, view)?;
    write_failures(&mut out, report, view)?;
    write_errors(&mut out, report, view)?;
    out.flush()
}

/// How the run ended, in the words of the table's closing line (its problems are listed
/// below here, not on stderr), with a mark.
fn outcome(report: &Report, view: &View) -> (&'static str, &'static str, String) {
    let (outcome, word, why) = Outcome::described(report, view, "below");
    let mark = match outcome {
        Outcome::Errors => "⚠️",
        Outcome::Failed => "❌",
        Outcome::Passed => "✅",
    };
    (mark, word, why)
}

/// The results shown, by severity (most severe first), then what the run read.
fn write_counts(out: &mut dyn Write, report: &Report, view: &View) -> io::Result<()> {
    #[derive(Default)]
    struct Counts<'r> {
        failing_controls: BTreeSet<&'r str>,
        non_compliant: usize,
        errors: usize,
        compliant: usize,
        not_applicable: usize,
    }
    let mut by_severity: BTreeMap<Severity, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for row in view.results(report) {
        for counts in [by_severity.entry(row.severity).or_default(), &mut total] {
            match row.compliance_type {
                Compliance::NonCompliant => {
                    counts.non_compliant += 1;
                    counts.failing_controls.insert(&row.control_id);
                }
                Compliance::Error => counts.errors += 1,
                Compliance::Compliant => counts.compliant += 1,
                Compliance::NotApplicable => counts.not_applicable += 1,
            }
        }
    }
    writeln!(
        out,
        "| Severity | Failing controls | Non-compliant | Errors | Compliant | Not applicable |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |")?;
    let line = |name: &str, c: &Counts| {
        format!(
            "| {name} | {} | {} | {} | {} | {} |",
            c.failing_controls.len(),
            c.non_compliant,
            c.errors,
            c.compliant,
            c.not_applicable
        )
    };
    for severity in Severity::ALL {
        let empty = Counts::default();
        let counts = by_severity.get(&severity).unwrap_or(&empty);
        writeln!(out, "{}", line(severity.as_str(), counts))?;
    }
    writeln!(out, "{}", line("**total**", &total))?;
    writeln!(out)?;
    let s = &report.summary;
    writeln!(
        out,
        "{} by {} over {} read ({} evaluated, {} skipped, {} failed) from {}.",
        plural(s.evaluations, "evaluation", "evaluations"),
        plural(report.controls.len(), "control", "controls"),
        plural(s.items_read, "item", "items"),
        s.items_evaluated,
        s.items_skipped,
        s.items_failed,
        plural(s.inputs_read, "input", "inputs"),
    )?;
    if !view.filter.is_empty() {
        writeln!(
            out,
            "Shown: {} of {} results ({}).",
            view.results(report).count(),
            report.results.len(),
            escape(&view.filter.describe())
        )?;
    }
    writeln!(out)
}

/// The NON_COMPLIANT results shown, most severe first, by control.
fn write_failures(out: &mut dyn Write, report: &Report, view: &View) -> io::Result<()> {
    let mut rows: Vec<&ResultRow> = view
        .results(report)
        .filter(|r| r.compliance_type == Compliance::NonCompliant)
        .collect();
    if rows.is_empty() {
        if report.has_errors() {
            return Ok(());
        }
        return match view.filter.is_empty() {
            true => writeln!(out, "No failing resources.\n"),
            false => writeln!(out, "No failing resources among the results shown.\n"),
        };
    }
    // Stable: within a control, the report's order.
    rows.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| natural_cmp(&a.control_id, &b.control_id))
    });
    writeln!(out, "### Failures")?;
    writeln!(out)?;
    writeln!(
        out,
        "| Severity | Control | Resource | Account / region | Reason |"
    )?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for row in rows.iter().take(MAX_ROWS) {
        let mut reason = reason(row);
        if let Some(remediation) = &row.remediation {
            reason.push_str(&format!("<br>fix: {}", escape(&remediation.runbook)));
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {reason} |",
            row.severity,
            control(row),
            resource(row),
            place(row),
        )?;
    }
    more(out, rows.len(), "failures")
}

/// The ERROR results shown, then the run's problems.
fn write_errors(out: &mut dyn Write, report: &Report, view: &View) -> io::Result<()> {
    let rows: Vec<&ResultRow> = view
        .results(report)
        .filter(|r| r.compliance_type == Compliance::Error)
        .collect();
    if rows.is_empty() && report.errors.is_empty() {
        return Ok(());
    }
    writeln!(out, "### Errors")?;
    writeln!(out)?;
    if !rows.is_empty() {
        writeln!(out, "| Control | Resource | Account / region | Error |")?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for row in rows.iter().take(MAX_ROWS) {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                control(row),
                resource(row),
                place(row),
                reason(row)
            )?;
        }
        more(out, rows.len(), "errors")?;
    }
    if !report.errors.is_empty() {
        writeln!(out, "Problems of the run:")?;
        writeln!(out)?;
        for problem in report.errors.iter().take(MAX_ROWS) {
            let place = match problem.location() {
                Some(l) => format!("{}:{}:{}", problem.source, l.line, l.column),
                None => problem.source.clone(),
            };
            writeln!(
                out,
                "- `{}` {}: {}",
                problem.code.as_str(),
                escape(&place),
                escape(&problem.message)
            )?;
        }
        more(out, report.errors.len(), "problems")?;
    }
    Ok(())
}

/// After a capped table: how many rows it left out, and where they all are.
fn more(out: &mut dyn Write, total: usize, what: &str) -> io::Result<()> {
    if total > MAX_ROWS {
        writeln!(out)?;
        writeln!(
            out,
            "… and {} more {what} (the first {MAX_ROWS} are shown; `--format json` has them all).",
            total - MAX_ROWS
        )?;
    }
    writeln!(out)
}

fn control(row: &ResultRow) -> String {
    format!("{} {}", escape(&row.control_id), escape(&row.title))
}

/// `AWS::S3::Bucket logs`, with the resource's name when it is not its id.
fn resource(row: &ResultRow) -> String {
    let s = &*row.subject;
    let mut text = format!("{} {}", escape(&s.resource_type), escape(&s.resource_id));
    if let Some(name) = s.resource_name.as_deref().filter(|n| *n != &*s.resource_id) {
        text.push_str(&format!(" ({})", escape(name)));
    }
    text
}

fn place(row: &ResultRow) -> String {
    format!(
        "{} / {}",
        escape(&row.subject.account),
        escape(&row.subject.region)
    )
}

/// The annotation, cut to `MAX_REASON` characters.
fn reason(row: &ResultRow) -> String {
    let text = match super::view::standing(row) {
        Some(standing) => format!(
            "[{standing}] {}",
            row.annotation.as_deref().unwrap_or_default()
        ),
        None => row.annotation.clone().unwrap_or_default(),
    };
    let text = text.as_str();
    if text.chars().count() <= MAX_REASON {
        return escape(text);
    }
    let kept: String = text.chars().take(MAX_REASON - 1).collect();
    escape(&kept) + "…"
}

/// `text` as it reads, in a table cell or a line of Markdown: markup characters escaped,
/// mentions and issue references defused, newlines as `<br>`, unprintable characters as
/// `\u{..}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        for c in printable(line).chars() {
            match c {
                '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                // GitHub would make `@name` a mention (notifying whoever it names) and
                // `#12` a link to an issue: a resource's name must do neither.
                '@' => out.push_str("&#64;"),
                '#' => out.push_str("&#35;"),
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_shows_as_written() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("`code`"), "\\`code\\`");
        assert_eq!(escape("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(
            escape("ping @org/admins, see #12"),
            "ping &#64;org/admins, see &#35;12"
        );
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("one\ntwo\r\n"), "one<br>two\\\\u{d}<br>");
        assert_eq!(
            escape("&lt; *b* _i_ ~s~ \\"),
            "&amp;lt; \\*b\\* \\_i\\_ \\~s\\~ \\\\"
        );
        assert_eq!(escape("\u{1b}[2J\u{202e}"), "\\\\u{1b}\\[2J\\\\u{202e}");
    }
}
