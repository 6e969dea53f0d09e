//! JUnit XML, for the test reports of CI systems (GitLab, Jenkins, Azure Pipelines, GitHub
//! test-report actions): one `<testsuite>` per control that ran, one `<testcase>` per
//! resource it judged that the view shows. NON_COMPLIANT is a `<failure>` (the annotation as
//! its message, the resource's details in its body), ERROR an `<error>`, NOT_APPLICABLE
//! `<skipped>` with the reason, COMPLIANT a passed case. The run's other problems (an
//! unreadable input, a policy that does not compile) are a last suite, `regent`, of
//! `<error>` cases, so a report read without the exit code still shows them; the problem
//! that only counts a control's ERROR results is not repeated there.
//!
//! No time is read from the clock and none is written (`time` and `timestamp` are
//! optional in the schema): the same report gives the same bytes. The cases are built with
//! quick-junit; the `<testsuites>` element is written here, because quick-junit gives it a
//! `skipped` attribute that the Jenkins/Ant schema does not allow there (the schema allows
//! it on `<testsuite>`, where it stays). `tests/data/junit.xsd` is that schema's structure;
//! tests/junit.rs validates the output against it.

use super::view::View;
use crate::diagnostics::{printable, Code, Problem};
use crate::eval::Compliance;
use crate::policy::ControlRecord;
use crate::report::{Report, ResultRow};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

/// The name of the `<testsuites>` element, and of the suite of the run's problems.
const TOOL: &str = "regent";

pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    // The totals first, from the rows; then each suite built and written in turn, so only
    // one control's cases are held as XML at a time.
    let problems: Vec<&Problem> = report
        .errors
        .iter()
        .filter(|p| !counts_results(p, report))
        .collect();
    let (mut tests, mut failures, mut errors) = (problems.len(), 0, problems.len());
    for row in view.results(report) {
        tests += 1;
        match row.compliance_type {
            Compliance::NonCompliant if row.waiver.is_some() => {}
            Compliance::NonCompliant => failures += 1,
            Compliance::Error => errors += 1,
            Compliance::Compliant | Compliance::NotApplicable => {}
        }
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{TOOL}" tests="{tests}" failures="{failures}" errors="{errors}">"#
    )?;
    for (id, control, rows) in by_control(report, view) {
        out.write_all(suite_xml(control_suite(id, control, &rows))?.as_bytes())?;
    }
    if !problems.is_empty() {
        out.write_all(suite_xml(problem_suite(&problems))?.as_bytes())?;
    }
    writeln!(out, "</testsuites>")?;
    out.flush()
}

/// A suite's worth of rows.
type Suite<'r> = (&'r str, Option<&'r ControlRecord>, Vec<&'r ResultRow>);

/// The rows the view shows by control, for every control that ran (in the report's order:
/// natural id order); a control whose severity the view filters out is left out. A result
/// of a control the report has no record of (a hand-made report) still gets its suite.
fn by_control<'r>(report: &'r Report, view: &'r View) -> Vec<Suite<'r>> {
    let recorded: HashSet<&str> = report.controls.iter().map(|c| &*c.meta.id).collect();
    let mut rows: HashMap<&str, Vec<&ResultRow>> = HashMap::new();
    let mut unrecorded: Vec<&str> = Vec::new();
    for row in view.results(report) {
        let id = &*row.control_id;
        if !recorded.contains(id) && !rows.contains_key(id) {
            unrecorded.push(id);
        }
        rows.entry(id).or_default().push(row);
    }
    let severities = &view.filter.severities;
    let recorded = report
        .controls
        .iter()
        .filter(|c| severities.is_empty() || severities.contains(&c.meta.severity))
        .map(|c| (&*c.meta.id, Some(c)));
    let others = unrecorded.into_iter().map(|id| (id, None));
    recorded
        .chain(others)
        .map(|(id, control)| (id, control, rows.remove(id).unwrap_or_default()))
        .collect()
}

fn control_suite(id: &str, control: Option<&ControlRecord>, rows: &[&ResultRow]) -> TestSuite {
    let title = control
        .map(|c| c.meta.title.as_str())
        .or_else(|| rows.first().map(|r| &*r.title))
        .unwrap_or_default();
    let mut suite = TestSuite::new(clean(&format!("{id}: {title}")));
    if let Some(control) = control {
        let meta = &control.meta;
        suite.add_property(("severity", meta.severity.as_str()));
        for (standard, ids) in &meta.standards {
            suite.add_property((
                "standard",
                clean(&format!("{standard} {}", ids.join(", "))).as_str(),
            ));
        }
        if let Some(rule) = &meta.config_rule {
            suite.add_property(("config_rule", clean(rule).as_str()));
        }
        if let Some(remediation) = &meta.remediation {
            suite.add_property(("runbook", clean(&remediation.runbook).as_str()));
        }
    }
    suite.add_test_cases(rows.iter().map(|row| case(row)));
    suite
}

/// `AWS::S3::Bucket logs (111122223333, eu-west-1)`: unique within its control (an
/// account-level control judges each account once per region).
fn case_name(row: &ResultRow) -> String {
    let s = &row.subject;
    clean(&format!(
        "{} {} ({}, {})",
        s.resource_type, s.resource_id, s.account, s.region
    ))
}

fn case(row: &ResultRow) -> TestCase {
    let status = match (row.compliance_type, &row.waiver) {
        (Compliance::NonCompliant, Some(waiver)) => {
            // A waived finding is accepted for now: skipped, saying by whom and until when.
            let mut status = TestCaseStatus::skipped();
            status.set_message(clean(&format!(
                "waived until {} by {}: {} ({})",
                waiver.expires, waiver.owner, waiver.reason, waiver.source
            )));
            status
        }
        (Compliance::Compliant, _) => TestCaseStatus::success(),
        (Compliance::NonCompliant, None) => {
            failing(NonSuccessKind::Failure, row, "the resource does not comply")
        }
        (Compliance::Error, _) => failing(NonSuccessKind::Error, row, "the evaluation failed"),
        (Compliance::NotApplicable, _) => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(clean(row.annotation.as_deref().unwrap_or("not applicable")));
            status
        }
    };
    let mut case = TestCase::new(case_name(row), status);
    case.set_classname(clean(&row.control_id));
    if let Some(origin) = &row.subject.origin {
        let (file, line) = origin.file_and_line();
        case.extra.insert("file".into(), clean(file).into());
        if let Some(line) = line {
            case.extra.insert("line".into(), line.to_string().into());
        }
    }
    case
}

/// A failure or an error: the annotation as the message, the verdict as the type, the
/// resource's details in the body.
fn failing(kind: NonSuccessKind, row: &ResultRow, otherwise: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status
        .set_message(clean(row.annotation.as_deref().unwrap_or(otherwise)))
        .set_type(row.compliance_type.as_str())
        .set_description(details(row));
    status
}

/// `key: value` lines: what the control is, which resource, where it was read, why, and
/// the runbook that fixes it.
fn details(row: &ResultRow) -> String {
    let s = &*row.subject;
    let mut lines = vec![
        format!(
            "control: {} {} ({})",
            row.control_id, row.title, row.severity
        ),
        format!("resource: {} {}", s.resource_type, s.resource_id),
    ];
    if let Some(name) = &s.resource_name {
        lines.push(format!("name: {name}"));
    }
    lines.push(format!("account: {}", s.account));
    lines.push(format!("region: {}", s.region));
    if let Some(arn) = &s.arn {
        lines.push(format!("arn: {arn}"));
    }
    if let Some(origin) = &s.origin {
        let (file, line) = origin.file_and_line();
        lines.push(format!("file: {file}"));
        if let Some(line) = line {
            lines.push(format!("line: {line}"));
        }
        if let Some(index) = origin.index {
            lines.push(format!("item: {index}"));
        }
    }
    if let Some(annotation) = &row.annotation {
        lines.push(format!("reason: {annotation}"));
    }
    if let Some(remediation) = &row.remediation {
        lines.push(format!("fix: {}", remediation.runbook));
    }
    // Each line made safe on its own: the newlines between them stay.
    lines.iter().map(|l| clean(l) + "\n").collect()
}

/// Whether `problem` only counts a control's ERROR results (`eval::runtime` or
/// `eval::timeout` about a control that ran), which are cases of their own already.
fn counts_results(problem: &Problem, report: &Report) -> bool {
    matches!(problem.code, Code::EvalRuntime | Code::EvalTimeout)
        && report.control(&problem.source).is_some()
}

/// The run's problems, one `<error>` case each (type: the diagnostic's code).
fn problem_suite(problems: &[&Problem]) -> TestSuite {
    let mut suite = TestSuite::new(TOOL);
    suite.add_test_cases(problems.iter().map(|problem| {
        let code = problem.code.as_str();
        let place = match problem.location() {
            Some(l) => format!("{}:{}:{}", problem.source, l.line, l.column),
            None => problem.source.clone(),
        };
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(clean(&problem.message)).set_type(code);
        if let Some(help) = &problem.help {
            status.set_description(clean(&format!("help: {help}")) + "\n");
        }
        let mut case = TestCase::new(clean(&format!("{code} {place}")), status);
        case.set_classname(TOOL);
        // The source is a file only where the problem points into it.
        if let Some(location) = problem.location() {
            case.extra
                .insert("file".into(), clean(&problem.source).into());
            case.extra
                .insert("line".into(), location.line.to_string().into());
        }
        case
    }));
    suite
}

/// One `<testsuite>` element as quick-junit writes it inside `<testsuites>` (indented one
/// level, each line ending in a newline): the report around it is quick-junit's, cut away.
fn suite_xml(suite: TestSuite) -> io::Result<String> {
    let mut wrapper = quick_junit::Report::unnamed();
    wrapper.add_test_suite(suite);
    let text = wrapper.to_string().map_err(io::Error::other)?;
    let start = text
        .find("<testsuites")
        .and_then(|at| text[at..].find('\n').map(|n| at + n + 1));
    let end = text.rfind("</testsuites>");
    match (start, end) {
        (Some(start), Some(end)) if start <= end => Ok(text[start..end].to_string()),
        _ => Err(io::Error::other(
            "quick-junit wrote a report of an unexpected shape",
        )),
    }
}

/// Text fit for XML 1.0 and a terminal: control, invisible and bidirectional characters
/// written as `\u{..}` (as the table writes them), and the two characters XML forbids
/// that are not controls (U+FFFE, U+FFFF) likewise.
fn clean(text: &str) -> String {
    let text = printable(text);
    if !text.contains(['\u{FFFE}', '\u{FFFF}']) {
        return text.into_owned();
    }
    text.chars()
        .map(|c| match c {
            '\u{FFFE}' | '\u{FFFF}' => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use std::sync::Arc;

    fn origin(source: &str, index: Option<usize>) -> Origin {
        Origin {
            source: Arc::from(source),
            index,
        }
    }

    #[test]
    fn an_ndjson_origin_gives_its_line() {
        assert_eq!(
            origin("export/items.ndjson:12", None).file_and_line(),
            ("export/items.ndjson", Some(12))
        );
        assert_eq!(
            origin("s3://bucket/a.ndjson.gz:3", None).file_and_line(),
            ("s3://bucket/a.ndjson.gz", Some(3))
        );
        for plain in [
            "export/snapshot.json",
            "s3://bucket/key",
            "a:b",
            "x:",
            ":5",
            "f:05",
        ] {
            assert_eq!(origin(plain, Some(1)).file_and_line(), (plain, None));
        }
    }

    #[test]
    fn text_is_fit_for_xml() {
        assert_eq!(clean("a\u{1b}[31mb\u{0}c"), "a\\u{1b}[31mb\\u{0}c");
        assert_eq!(clean("x\u{FFFF}y\u{FFFE}"), "x\\u{ffff}y\\u{fffe}");
        assert_eq!(
            clean("<&\"'>"),
            "<&\"'>",
            "quick-junit escapes markup itself"
        );
    }

    #[test]
    fn a_suite_is_cut_from_quick_junits_report() {
        let mut suite = TestSuite::new("S3.5: title");
        suite.add_test_case(TestCase::new("a <b>", TestCaseStatus::success()));
        let xml = suite_xml(suite).unwrap();
        assert!(
            xml.starts_with("    <testsuite name=\"S3.5: title\""),
            "{xml}"
        );
        assert!(xml.ends_with("    </testsuite>\n"), "{xml}");
        assert!(xml.contains("name=\"a &lt;b&gt;\""), "{xml}");
        assert!(!xml.contains("testsuites"), "{xml}");
    }
}
