//! The human report: failing resources grouped by control, most severe first, each group a
//! table sized to the screen; then a summary that accounts for every input and item read,
//! and a closing line that says how the run ended.

use super::view::{is_listed, plural, Outcome, View};
use crate::diagnostics::printable;
use crate::eval::Compliance;
use crate::policy::{natural_cmp, Severity};
use crate::report::{reason_kind, Report, ResultRow, WaiverStatus};
use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, Table};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One failing control and its listed rows.
struct Group<'r> {
    control_id: &'r str,
    title: &'r str,
    severity: Severity,
    rows: Vec<&'r ResultRow>,
}

impl Group<'_> {
    fn failing(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.compliance_type == Compliance::NonCompliant)
            .count()
    }
}

pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let groups = groups(report, view);
    if !view.summary_only {
        write_groups(&mut out, &groups, report, view)?;
    }
    write_summary(&mut out, report, view, &groups)?;
    write_outcome(&mut out, report, view)?;
    out.flush()
}

/// The failing and erroring rows the view shows, by control, most severe first.
fn groups<'r>(report: &'r Report, view: &'r View) -> Vec<Group<'r>> {
    let mut by_control: BTreeMap<&str, Vec<&ResultRow>> = BTreeMap::new();
    for row in view.results(report).filter(|row| is_listed(row)) {
        by_control.entry(&*row.control_id).or_default().push(row);
    }
    let mut groups: Vec<Group> = by_control
        .into_iter()
        .map(|(control_id, rows)| Group {
            control_id,
            title: &rows[0].title,
            severity: rows[0].severity,
            rows,
        })
        .collect();
    groups.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| natural_cmp(a.control_id, b.control_id))
    });
    groups
}

fn write_groups(
    out: &mut dyn Write,
    groups: &[Group],
    report: &Report,
    view: &View,
) -> io::Result<()> {
    if groups.is_empty() && !report.has_errors() {
        if view.filter.is_empty() {
            writeln!(out, "No failing resources.")?;
        } else {
            writeln!(out, "No failing resources among the results shown.")?;
        }
        writeln!(out)?;
    }
    let shown = view.top.unwrap_or(usize::MAX);
    let blocks: Vec<Rows> = groups
        .iter()
        .take(shown)
        .map(|group| Rows::of(&group.rows[..group.rows.len().min(shown)]))
        .collect();
    // One layout for the whole report: tables when every group's fits the screen.
    let stacked = view
        .width
        .is_some_and(|width| blocks.iter().any(|rows| !rows.widths.table_fits(width)));
    for (group, rows) in groups.iter().zip(blocks) {
        write_header(out, group, view)?;
        let listed = rows.lines.len();
        match view.width {
            Some(width) if stacked => write_stacked(out, &rows.lines, width)?,
            width => {
                for line in rows.table(width).lines() {
                    writeln!(out, "  {}", line.trim_end())?;
                }
            }
        }
        if listed < group.rows.len() {
            writeln!(
                out,
                "  … and {} more (--top shows {shown}; --format json has them all)",
                group.rows.len() - listed
            )?;
        }
        writeln!(out)?;
    }
    if groups.len() > shown {
        writeln!(out, "… and {} more failing controls", groups.len() - shown)?;
        writeln!(out)?;
    }
    Ok(())
}

/// `HIGH      EC2.19  title  [12 failing, 1 error]`, the title cut to fit.
fn write_header(out: &mut dyn Write, group: &Group, view: &View) -> io::Result<()> {
    let failing = group.failing();
    let erroring = group.rows.len() - failing;
    let mut counts = vec![format!("{failing} failing")];
    if erroring > 0 {
        counts.push(plural(erroring, "error", "errors"));
    }
    let label = format!("{:<13}", group.severity.as_str().to_uppercase());
    let id = printable(group.control_id);
    let counts = format!("[{}]", counts.join(", "));
    let mut title = printable(group.title).into_owned();
    if let Some(width) = view.width {
        let room = width.saturating_sub(label.len() + 1 + id.chars().count() + 4 + counts.len());
        title = cut(&title, room.max(10));
    }
    let style = if view.color {
        severity_style(group.severity)
    } else {
        Style::new()
    };
    writeln!(out, "{style}{label}{style:#} {id}  {title}  {counts}")
}

/// The rows of one control as text cells: where, what, and why (with the runbook that
/// fixes it). The resource type gets a column only when the rows mix types (most controls
/// judge one).
struct Rows {
    header: Vec<String>,
    lines: Vec<Vec<String>>,
    widths: ColumnWidths,
}

impl Rows {
    fn of(rows: &[&ResultRow]) -> Self {
        let mixed_types = rows
            .iter()
            .any(|r| r.subject.resource_type != rows[0].subject.resource_type);
        let mut header = vec!["ACCOUNT".to_string(), "REGION".to_string()];
        if mixed_types {
            header.push("TYPE".into());
        }
        header.extend(["RESOURCE".into(), "REASON".into()]);
        let lines: Vec<Vec<String>> = rows.iter().map(|row| row_cells(row, mixed_types)).collect();
        let widths = ColumnWidths::of(&header, &lines);
        Self {
            header,
            lines,
            widths,
        }
    }

    fn table(self, width: Option<usize>) -> Table {
        let mut table = Table::new();
        table.load_preset(comfy_table::presets::NOTHING);
        table.set_header(self.header);
        for cells in self.lines {
            table.add_row(cells);
        }
        match width {
            Some(width) => {
                table.set_content_arrangement(ContentArrangement::Dynamic);
                table.set_width(u16::try_from(width.saturating_sub(2)).unwrap_or(u16::MAX));
                table.set_constraints(self.widths.constraints());
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        table
    }
}

fn row_cells(row: &ResultRow, with_type: bool) -> Vec<String> {
    let subject = &row.subject;
    let mut reason = match (&row.annotation, row.compliance_type) {
        (Some(a), Compliance::Error) => format!("ERROR: {}", printable(a)),
        (Some(a), _) => printable(a).into_owned(),
        (None, _) => String::new(),
    };
    if let Some(standing) = super::view::standing(row) {
        reason = format!("[{}]\n{reason}", printable(&standing));
    }
    if let Some(remediation) = &row.remediation {
        reason.push_str(&format!("\nfix: {}", printable(&remediation.runbook)));
    }
    let mut cells = vec![
        printable(&subject.account).into_owned(),
        printable(&subject.region).into_owned(),
    ];
    if with_type {
        cells.push(printable(&subject.resource_type).into_owned());
    }
    cells.extend([resource_label(row), reason]);
    cells
}

/// The widest line of each column, and of the runbook names among the reasons.
struct ColumnWidths {
    columns: Vec<usize>,
    runbook: usize,
}

/// The narrowest reason column worth a table.
const MIN_REASON: usize = 36;

impl ColumnWidths {
    fn of(header: &[String], lines: &[Vec<String>]) -> Self {
        let widest = |i: usize, only: &dyn Fn(&str) -> bool| {
            std::iter::once(&header[i])
                .chain(lines.iter().map(|cells| &cells[i]))
                .flat_map(|text| text.lines())
                .filter(|line| only(line))
                .map(|line| line.chars().count())
                .max()
                .unwrap_or(0)
        };
        let reason = header.len() - 1;
        Self {
            columns: (0..header.len()).map(|i| widest(i, &|_| true)).collect(),
            runbook: widest(reason, &|line| line.starts_with("fix: ")),
        }
    }

    /// The identifiers (all but the reason), each with two spaces of gap.
    fn identifiers(&self) -> usize {
        self.columns[..self.columns.len() - 1]
            .iter()
            .map(|w| w + 2)
            .sum()
    }

    fn table_fits(&self, width: usize) -> bool {
        // Two columns of indent.
        width.saturating_sub(2 + self.identifiers()) >= MIN_REASON.max(self.runbook)
    }

    /// Identifiers whole, the reason the rest: comfy-table counts a column's padding, one
    /// space each side, in its width.
    fn constraints(&self) -> Vec<comfy_table::ColumnConstraint> {
        use comfy_table::{ColumnConstraint, Width};
        let padded = |w: usize| {
            ColumnConstraint::LowerBoundary(Width::Fixed(u16::try_from(w + 2).unwrap_or(u16::MAX)))
        };
        let identifiers = &self.columns[..self.columns.len() - 1];
        identifiers
            .iter()
            .map(|&w| padded(w))
            .chain(std::iter::once(padded(self.runbook)))
            .collect()
    }
}

/// For a narrow screen: the identifiers of each row on a line, its reason wrapped below.
fn write_stacked(out: &mut dyn Write, lines: &[Vec<String>], width: usize) -> io::Result<()> {
    for cells in lines {
        let Some((reason, identifiers)) = cells.split_last() else {
            continue;
        };
        for line in wrap(&format!("    {}", identifiers.join("  ")), width, 8) {
            writeln!(out, "{line}")?;
        }
        for part in reason.lines() {
            for line in wrap(&format!("        {part}"), width, 8) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
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

fn write_summary(
    out: &mut dyn Write,
    report: &Report,
    view: &View,
    groups: &[Group],
) -> io::Result<()> {
    let s = &report.summary;
    let mut lines: Vec<String> = vec!["Summary".into()];
    lines.push(format!(
        "  inputs       {} read, {} skipped, {} failed",
        s.inputs_read, s.inputs_skipped, s.inputs_failed
    ));
    let (input_reasons, item_reasons) = skip_reasons(report);
    for (reason, n) in input_reasons {
        lines.push(format!("    skipped {n:>6}  {}", printable(&reason)));
    }
    lines.push(format!(
        "  items        {} read: {} evaluated, {} skipped, {} failed",
        s.items_read, s.items_evaluated, s.items_skipped, s.items_failed
    ));
    for (reason, n) in item_reasons {
        lines.push(format!("    skipped {n:>6}  {}", printable(&reason)));
    }
    lines.push(format!(
        "  evaluations  {} by {}: {} compliant, {} non-compliant, {} not applicable, {}",
        s.evaluations,
        plural(report.controls.len(), "control", "controls"),
        s.compliant,
        s.non_compliant,
        s.not_applicable,
        plural(s.errors, "error", "errors"),
    ));
    let mut by_severity: BTreeMap<std::cmp::Reverse<Severity>, usize> = BTreeMap::new();
    for group in groups.iter().filter(|g| g.failing() > 0) {
        *by_severity
            .entry(std::cmp::Reverse(group.severity))
            .or_default() += 1;
    }
    if !by_severity.is_empty() {
        let parts: Vec<String> = by_severity
            .iter()
            .map(|(sev, n)| format!("{n} {}", sev.0))
            .collect();
        lines.push(format!("  failing      controls: {}", parts.join(", ")));
    }
    if let Some(waived) = s.waived {
        lines.push(format!("  waived       {waived} findings"));
        for w in report
            .waivers
            .iter()
            .filter(|w| w.status != WaiverStatus::Applied)
        {
            let what = match w.status {
                WaiverStatus::Expired => format!("expired {}", w.expires),
                _ => "matched nothing".to_string(),
            };
            lines.push(format!(
                "    {what}: {} ({}, owner {})",
                printable(&w.source),
                printable(&w.control),
                printable(&w.owner)
            ));
        }
    }
    if let Some(b) = &s.baseline {
        lines.push(format!(
            "  baseline     {} new, {} persisting, {} resolved findings",
            b.new, b.persisting, b.resolved
        ));
    }
    if !report.errors.is_empty() {
        lines.push(format!(
            "  problems     {} (details on stderr)",
            report.errors.len()
        ));
    }
    if !view.filter.is_empty() {
        lines.push(format!(
            "  shown        {} of {} results: {}",
            view.results(report).count(),
            report.results.len(),
            printable(&view.filter.describe())
        ));
    }
    for line in lines {
        for part in fit(&line, view.width) {
            writeln!(out, "{part}")?;
        }
    }
    Ok(())
}

/// `line` wrapped at spaces to `width` (when there is one), continued under the text
/// after the label (15 columns in).
fn fit(line: &str, width: Option<usize>) -> Vec<String> {
    match width {
        Some(width) => wrap(line, width, 15.min(width / 3)),
        None => vec![line.to_string()],
    }
}

/// `line` broken at spaces to `width`, its continuation lines indented by `indent`; a word
/// longer than the width stays whole.
fn wrap(line: &str, width: usize, indent: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let indent = " ".repeat(indent);
    let body = line.trim_start();
    let mut lines = Vec::new();
    // The line's own indent stays on its first line.
    let mut current = line[..line.len() - body.len()].to_string();
    let mut started = false;
    for word in body.split(' ') {
        if started && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut current, indent.clone()));
            current.push_str(word);
            continue;
        }
        if started {
            current.push(' ');
        }
        current.push_str(word);
        started = true;
    }
    lines.push(current);
    lines
}

/// Why inputs were skipped and why items were, by kind: an input skip (a file that is not
/// JSON, a document without items) is no item skip.
fn skip_reasons(report: &Report) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut inputs: BTreeMap<String, usize> = BTreeMap::new();
    for skip in &report.skipped_inputs {
        *inputs.entry(reason_kind(&skip.reason)).or_default() += 1;
    }
    let mut items: BTreeMap<String, usize> = BTreeMap::new();
    for (reason, n) in &report.summary.skipped_reasons {
        *items.entry(reason_kind(reason)).or_default() += n;
    }
    for (reason, n) in &inputs {
        if let Some(count) = items.get_mut(reason) {
            *count = count.saturating_sub(*n);
        }
    }
    items.retain(|_, n| *n > 0);
    (inputs, items)
}

/// The closing line: how the run ended and why, with its exit code.
fn write_outcome(out: &mut dyn Write, report: &Report, view: &View) -> io::Result<()> {
    let (outcome, word, why) = Outcome::described(report, view, "on stderr");
    let color = match outcome {
        Outcome::Errors => AnsiColor::Yellow,
        Outcome::Failed => AnsiColor::Red,
        Outcome::Passed => AnsiColor::Green,
    };
    let style = if view.color {
        Style::new().fg_color(Some(color.into())).bold()
    } else {
        Style::new()
    };
    let mut lines = fit(&format!("Result: {word}, {why}"), view.width).into_iter();
    // Colour the word in the first line only.
    if let Some(first) = lines.next() {
        let rest = first
            .strip_prefix(&format!("Result: {word}"))
            .unwrap_or(&first);
        writeln!(out, "Result: {style}{word}{style:#}{rest}")?;
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Blue,
        Severity::Informational => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// `text` cut to `width` characters, with `…` when it was longer.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut kept: String = text.chars().take(width.saturating_sub(1)).collect();
    kept.push('…');
    kept
}
