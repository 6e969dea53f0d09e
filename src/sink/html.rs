//! One self-contained HTML page (`--format html`): inline CSS, inline JavaScript, inline SVG,
//! nothing fetched (no CDN, no web font), so it opens offline from `file://` and can be
//! attached to a ticket or kept as a CI artifact.
//!
//! - **Header**: how the run ended (the words of the table's closing line) and what the run
//!   counted (items, evaluations, verdicts, inputs).
//! - **Charts**: the results shown by severity, control (the 15 with most failures), account
//!   and region, each a stacked bar per group (non-compliant, error, compliant, not
//!   applicable), drawn here as SVG: the page needs no script to show them.
//! - **Results**: a table of the results shown, failures first (then by severity, control
//!   and the report's order), rendered by the page's script from a JSON block: a text filter,
//!   selects for severity, compliance, account and region, a click on a column header sorts
//!   (again: the other way). The filter and sort live in the URL's fragment
//!   (`report.html#severity=critical&q=S3.5&sort=resource&dir=asc`, also read from the query
//!   string), so a link shows what its sender saw. The page holds at most `MAX_ROWS`
//!   results (failures first) and says so; the table renders at most `MAX_RENDERED` rows
//!   of those that match, and says so.
//! - **Controls**: each control that ran: description, severity, standards, Config rule,
//!   runbook and its parameters, with its counts.
//! - **Problems**: the run's errors and the inputs it skipped.
//!
//! Every value from an input or a policy is hostile until escaped: the template escapes
//! for HTML (minijinja's autoescaping, on for the whole page), the JSON the script reads
//! has `<`, `>`, `&` and the line separators written as `\u..` escapes, so no value can end
//! its `<script>` block, and the script puts values into the page as text nodes, never as
//! markup. Control, invisible and bidirectional characters are written as `\u{..}`, as in
//! the table. Nothing comes from the clock: the same report gives the same bytes.

use super::finding::documentation;
use super::view::{plural, Outcome, View};
use crate::diagnostics::printable;
use crate::eval::Compliance;
use crate::policy::{natural_cmp, ControlRecord, Severity};
use crate::report::{Report, ResultRow};
use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// The most results the page holds (failures first): a page of more gets slow to open.
pub const MAX_ROWS: usize = 50_000;

/// The most rows the table renders at once, of those that match the filter.
pub const MAX_RENDERED: usize = 2_000;

/// The most bars a chart by control, account or region draws (most failures first).
const MAX_BARS: usize = 15;

const TEMPLATE: &str = include_str!("html/report.html");
const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let page = page(report, view);
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(io::Error::other)?;
    let template = env.get_template("report.html").map_err(io::Error::other)?;
    // Rendered whole, then written: a write error keeps its kind (a closed pipe exits
    // quietly).
    let text = template
        .render(Value::from_serialize(&page))
        .map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// What the template shows.
#[derive(Serialize)]
struct Page {
    /// PASSED, FAILED or ERRORS.
    word: &'static str,
    why: String,
    /// passed, failed or errors (a CSS class).
    outcome: &'static str,
    version: String,
    /// The view's filter in words, when it hides results.
    filter: Option<String>,
    shown: usize,
    total_results: usize,
    run: Vec<Stat>,
    verdicts: Vec<Stat>,
    inputs: Vec<Stat>,
    charts: Vec<Chart>,
    accounts: Vec<String>,
    regions: Vec<String>,
    embedded: usize,
    capped: bool,
    max_rows: usize,
    controls: Vec<ControlView>,
    errors: Vec<ProblemView>,
    skipped: Vec<SkipView>,
    skipped_reasons: Vec<Stat>,
    style: Value,
    script: Value,
    data: Value,
}

#[derive(Serialize)]
struct Stat {
    label: String,
    value: usize,
    /// A CSS class (a verdict's colour).
    class: &'static str,
}

fn stat(label: &str, value: usize, class: &'static str) -> Stat {
    Stat {
        label: label.to_string(),
        value,
        class,
    }
}

/// The results of one group, by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    non_compliant: usize,
    errors: usize,
    compliant: usize,
    not_applicable: usize,
}

impl Counts {
    fn add(&mut self, verdict: Compliance) {
        match verdict {
            Compliance::NonCompliant => self.non_compliant += 1,
            Compliance::Error => self.errors += 1,
            Compliance::Compliant => self.compliant += 1,
            Compliance::NotApplicable => self.not_applicable += 1,
        }
    }

    fn total(&self) -> usize {
        self.non_compliant + self.errors + self.compliant + self.not_applicable
    }

    /// In the order the bars stack them, with their CSS classes and names.
    fn parts(&self) -> [(&'static str, &'static str, usize); 4] {
        [
            ("nc", "non-compliant", self.non_compliant),
            ("err", "error", self.errors),
            ("ok", "compliant", self.compliant),
            ("na", "not applicable", self.not_applicable),
        ]
    }
}

/// A horizontal stacked bar chart, laid out here (SVG user units).
#[derive(Serialize)]
struct Chart {
    id: &'static str,
    title: &'static str,
    height: usize,
    bars: Vec<Bar>,
    /// Groups left out (past `MAX_BARS`).
    more: usize,
    more_what: &'static str,
    empty: bool,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    /// The tooltip: the group's full name and its counts.
    tip: String,
    y: usize,
    text_y: usize,
    segments: Vec<Segment>,
    /// `3 failing / 40`.
    count: String,
    count_x: String,
}

#[derive(Serialize)]
struct Segment {
    class: &'static str,
    x: String,
    width: String,
}

const CHART_LABEL: f64 = 170.0;
const CHART_BAR: f64 = 330.0;
const ROW: usize = 24;
const BAR_HEIGHT: usize = 16;

fn chart(
    id: &'static str,
    title: &'static str,
    groups: Vec<(String, String, Counts)>,
    limit: usize,
    more_what: &'static str,
) -> Chart {
    let more = groups.len().saturating_sub(limit);
    let groups: Vec<_> = groups.into_iter().take(limit).collect();
    let max = groups.iter().map(|(_, _, c)| c.total()).max().unwrap_or(0);
    let bars = groups
        .into_iter()
        .enumerate()
        .map(|(i, (label, name, counts))| {
            let y = 4 + i * ROW;
            let mut x = CHART_LABEL;
            let mut segments = Vec::new();
            for (class, _, n) in counts.parts() {
                if n == 0 {
                    continue;
                }
                let width = CHART_BAR * n as f64 / max as f64;
                segments.push(Segment {
                    class,
                    x: format!("{x:.1}"),
                    width: format!("{width:.1}"),
                });
                x += width;
            }
            let words: Vec<String> = counts
                .parts()
                .iter()
                .filter(|(_, _, n)| *n > 0)
                .map(|(_, word, n)| format!("{n} {word}"))
                .collect();
            let words = match words.is_empty() {
                true => "no results".to_string(),
                false => words.join(", "),
            };
            Bar {
                label: shorten(&label, 24),
                tip: format!("{name}: {words}"),
                y,
                text_y: y + BAR_HEIGHT - 4,
                segments,
                count: format!("{} failing / {}", counts.non_compliant, counts.total()),
                count_x: format!("{:.1}", x + 6.0),
            }
        })
        .collect::<Vec<_>>();
    Chart {
        id,
        title,
        height: (bars.len() * ROW).max(ROW) + 4,
        empty: bars.is_empty(),
        bars,
        more,
        more_what,
    }
}

/// `text` cut to `limit` characters with `…`.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let kept: String = text.chars().take(limit - 1).collect();
    kept + "…"
}

/// Groups most failing first (then most errors, then by name, naturally).
fn by_failures(groups: BTreeMap<String, Counts>) -> Vec<(String, Counts)> {
    let mut groups: Vec<(String, Counts)> = groups.into_iter().collect();
    groups.sort_by(|(a, ca), (b, cb)| {
        cb.non_compliant
            .cmp(&ca.non_compliant)
            .then(cb.errors.cmp(&ca.errors))
            .then_with(|| natural_cmp(a, b))
    });
    groups
}

#[derive(Serialize)]
struct ControlView {
    id: String,
    anchor: String,
    title: String,
    description: String,
    severity: &'static str,
    standards: Vec<String>,
    config_rule: Option<String>,
    /// The control's page in the Security Hub user guide, when it has one (a plain link).
    doc_url: Option<String>,
    runbook: Option<RunbookView>,
    source: String,
    /// `3 failing`, `1 error`, `40 evaluated` (empty: none).
    failing: String,
    errors: String,
    evaluated: String,
}

#[derive(Serialize)]
struct RunbookView {
    name: String,
    parameters: Vec<(String, String)>,
    automatic: bool,
}

#[derive(Serialize)]
struct ProblemView {
    code: &'static str,
    place: String,
    message: String,
    help: Option<String>,
}

#[derive(Serialize)]
struct SkipView {
    source: String,
    reason: String,
}

/// A value as it reads on the page: unprintable characters as `\u{..}` (the template
/// escapes the markup).
fn text(value: &str) -> String {
    printable(value).into_owned()
}

fn page(report: &Report, view: &View) -> Page {
    let (outcome, word, why) = Outcome::described(report, view, "below");
    let rows = ordered(report, view);
    let shown = rows.len();

    let mut total = Counts::default();
    let mut by_severity: BTreeMap<Severity, Counts> = BTreeMap::new();
    let mut by_control: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_account: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_region: BTreeMap<String, Counts> = BTreeMap::new();
    for row in &rows {
        let verdict = row.compliance_type;
        total.add(verdict);
        by_severity.entry(row.severity).or_default().add(verdict);
        by_control
            .entry(row.control_id.to_string())
            .or_default()
            .add(verdict);
        by_account
            .entry(row.subject.account.to_string())
            .or_default()
            .add(verdict);
        by_region
            .entry(row.subject.region.to_string())
            .or_default()
            .add(verdict);
    }

    let severity_groups = Severity::ALL
        .iter()
        .map(|s| {
            let counts = by_severity.get(s).copied().unwrap_or_default();
            (s.to_string(), s.to_string(), counts)
        })
        .collect();
    let titles: HashMap<&str, &str> = report
        .controls
        .iter()
        .map(|c| (c.meta.id.as_str(), c.meta.title.as_str()))
        .collect();
    let control_groups = by_failures(by_control.clone())
        .into_iter()
        .map(|(id, counts)| {
            let name = match titles.get(id.as_str()) {
                Some(title) => format!("{} {}", text(&id), text(title)),
                None => text(&id),
            };
            (text(&id), name, counts)
        })
        .collect();
    let place_groups = |groups: &BTreeMap<String, Counts>| {
        by_failures(groups.clone())
            .into_iter()
            .map(|(name, counts)| {
                let name = if name.is_empty() {
                    "(none)".into()
                } else {
                    text(&name)
                };
                (name.clone(), name, counts)
            })
            .collect::<Vec<_>>()
    };
    let charts = vec![
        chart("severity", "By severity", severity_groups, 5, "severities"),
        chart(
            "control",
            "By control",
            control_groups,
            MAX_BARS,
            "controls",
        ),
        chart(
            "account",
            "By account",
            place_groups(&by_account),
            MAX_BARS,
            "accounts",
        ),
        chart(
            "region",
            "By region",
            place_groups(&by_region),
            MAX_BARS,
            "regions",
        ),
    ];

    let s = &report.summary;
    let run = vec![
        stat("items read", s.items_read, ""),
        stat("items evaluated", s.items_evaluated, ""),
        stat("items skipped", s.items_skipped, ""),
        stat(
            "items failed",
            s.items_failed,
            if s.items_failed > 0 { "err" } else { "" },
        ),
        stat("evaluations", s.evaluations, ""),
        stat("controls", report.controls.len(), ""),
    ];
    let verdicts = vec![
        stat("non-compliant", s.non_compliant, "nc"),
        stat("errors", s.errors, "err"),
        stat("compliant", s.compliant, "ok"),
        stat("not applicable", s.not_applicable, "na"),
    ];
    let inputs = vec![
        stat("inputs read", s.inputs_read, ""),
        stat("inputs skipped", s.inputs_skipped, ""),
        stat(
            "inputs failed",
            s.inputs_failed,
            if s.inputs_failed > 0 { "err" } else { "" },
        ),
    ];
    let skipped_reasons = s
        .skipped_reasons
        .iter()
        .map(|(reason, n)| stat(&text(reason), *n, ""))
        .collect();

    let controls = report
        .controls
        .iter()
        .map(|c| control_view(c, by_control.get(&c.meta.id).copied().unwrap_or_default()))
        .collect();
    let errors = report
        .errors
        .iter()
        .map(|p| ProblemView {
            code: p.code.as_str(),
            place: text(&match p.location() {
                Some(l) => format!("{}:{}:{}", p.source, l.line, l.column),
                None => p.source.clone(),
            }),
            message: text(&p.message),
            help: p.help.as_deref().map(text),
        })
        .collect();
    let skipped = report
        .skipped_inputs
        .iter()
        .map(|s| SkipView {
            source: text(&s.source),
            reason: text(&s.reason),
        })
        .collect();

    let sorted_keys = |groups: &BTreeMap<String, Counts>| {
        let mut keys: Vec<String> = groups.keys().map(|k| text(k)).collect();
        keys.sort_by(|a, b| natural_cmp(a, b));
        keys
    };
    let embedded = shown.min(MAX_ROWS);
    Page {
        word,
        why,
        outcome: match outcome {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Errors => "errors",
        },
        version: text(&report.version),
        filter: (!view.filter.is_empty()).then(|| text(&view.filter.describe())),
        shown,
        total_results: report.results.len(),
        run,
        verdicts,
        inputs,
        charts,
        accounts: sorted_keys(&by_account),
        regions: sorted_keys(&by_region),
        embedded,
        capped: shown > MAX_ROWS,
        max_rows: MAX_ROWS,
        controls,
        errors,
        skipped,
        skipped_reasons,
        style: Value::from_safe_string(STYLE.to_string()),
        script: Value::from_safe_string(SCRIPT.to_string()),
        data: Value::from_safe_string(script_json(&data(report, &rows[..embedded]))),
    }
}

/// The results the view shows, failures first: NON_COMPLIANT, ERROR, COMPLIANT,
/// NOT_APPLICABLE, then most severe first, then by control (naturally), then in the
/// report's order.
fn ordered<'r>(report: &'r Report, view: &'r View) -> Vec<&'r ResultRow> {
    let mut rows: Vec<&ResultRow> = view.results(report).collect();
    rows.sort_by(|a, b| {
        verdict_rank(a.compliance_type)
            .cmp(&verdict_rank(b.compliance_type))
            .then(b.severity.cmp(&a.severity))
            .then_with(|| natural_cmp(&a.control_id, &b.control_id))
    });
    rows
}

fn verdict_rank(verdict: Compliance) -> u8 {
    match verdict {
        Compliance::NonCompliant => 0,
        Compliance::Error => 1,
        Compliance::Compliant => 2,
        Compliance::NotApplicable => 3,
    }
}

fn control_view(control: &ControlRecord, counts: Counts) -> ControlView {
    let meta = &control.meta;
    ControlView {
        id: text(&meta.id),
        anchor: format!("control-{}", anchor(&meta.id)),
        title: text(&meta.title),
        description: text(meta.description.trim()),
        severity: meta.severity.as_str(),
        standards: meta
            .standards
            .iter()
            .map(|(standard, ids)| text(&format!("{standard}: {}", ids.join(", "))))
            .collect(),
        config_rule: meta.config_rule.as_deref().map(text),
        doc_url: documentation(&meta.id),
        runbook: meta.remediation.as_ref().map(|r| RunbookView {
            name: text(&r.runbook),
            parameters: r
                .parameters
                .iter()
                .map(|(name, value)| {
                    let value = match value.as_str() {
                        Some(s) => s.to_string(),
                        None => value.to_string(),
                    };
                    (text(name), text(&value))
                })
                .collect(),
            automatic: r.automatic,
        }),
        source: text(&control.source),
        failing: match counts.non_compliant {
            0 => String::new(),
            n => format!("{n} failing"),
        },
        errors: match counts.errors {
            0 => String::new(),
            n => plural(n, "error", "errors"),
        },
        evaluated: format!("{} evaluated", counts.total()),
    }
}

/// A control id as an element id: letters, digits, `.`, `-` and `_` kept, the rest `_`.
fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' => c,
            _ => '_',
        })
        .collect()
}

/// One result as the page's script reads it: `[control, severity rank, verdict code, type,
/// id, name, arn, account, region, annotation, input]`.
type RowData = (
    String,
    u8,
    u8,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// What the page's script reads: the columns of each result as an array (smaller than
/// objects), the controls' titles, and how many rows the table renders at most.
#[derive(Serialize)]
struct Data<'a> {
    /// Severity ranks (0 informational … 4 critical) to names.
    severities: [&'static str; 5],
    /// Verdict codes (0 … 3) to names.
    verdicts: [&'static str; 4],
    titles: BTreeMap<&'a str, String>,
    rows: Vec<RowData>,
    max_rendered: usize,
}

fn data<'a>(report: &'a Report, rows: &[&ResultRow]) -> Data<'a> {
    let severity_rank = |s: Severity| match s {
        Severity::Informational => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    };
    let rows = rows
        .iter()
        .map(|row| {
            let s = &*row.subject;
            let name = s
                .resource_name
                .as_deref()
                .filter(|n| *n != &*s.resource_id)
                .unwrap_or_default();
            (
                text(&row.control_id),
                severity_rank(row.severity),
                verdict_rank(row.compliance_type),
                text(&s.resource_type),
                text(&s.resource_id),
                text(name),
                text(s.arn.as_deref().unwrap_or_default()),
                text(&s.account),
                text(&s.region),
                text(&match super::view::standing(row) {
                    Some(standing) => format!(
                        "[{standing}] {}",
                        row.annotation.as_deref().unwrap_or_default()
                    ),
                    None => row.annotation.clone().unwrap_or_default(),
                }),
                s.origin
                    .as_ref()
                    .map(|o| text(&o.to_string()))
                    .unwrap_or_default(),
            )
        })
        .collect();
    Data {
        severities: ["informational", "low", "medium", "high", "critical"],
        verdicts: ["NON_COMPLIANT", "ERROR", "COMPLIANT", "NOT_APPLICABLE"],
        titles: report
            .controls
            .iter()
            .map(|c| (c.meta.id.as_str(), text(&c.meta.title)))
            .collect(),
        rows,
        max_rendered: MAX_RENDERED,
    }
}

/// `value` as JSON that is safe inside a `<script>` element: `<`, `>` and `&` (so no
/// `</script>` or `<!--` can appear) and U+2028/U+2029 written as `\u` escapes, which
/// JSON reads back as the same characters.
pub fn script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_script_element() {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028}";
        let json = script_json(&hostile);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), hostile);
    }

    #[test]
    fn the_inline_style_and_script_cannot_end_their_elements() {
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
        assert!(!SCRIPT.contains("<!--") && !SCRIPT.to_ascii_lowercase().contains("<script"));
        // Nothing fetched: no URL in the page's own code.
        for text in [STYLE, SCRIPT, TEMPLATE] {
            let text = text.to_ascii_lowercase();
            assert!(!text.contains("http://") && !text.contains("https://"));
            assert!(!text.contains("@import") && !text.contains("url("));
        }
    }

    #[test]
    fn anchors_keep_ids_readable() {
        assert_eq!(anchor("S3.5"), "S3.5");
        assert_eq!(anchor("ACME 1\"<"), "ACME_1__");
    }

    #[test]
    fn charts_scale_to_the_largest_group() {
        let counts = |nc, ok| Counts {
            non_compliant: nc,
            compliant: ok,
            ..Counts::default()
        };
        let chart = chart(
            "t",
            "T",
            vec![
                ("a".into(), "a".into(), counts(1, 3)),
                ("b".into(), "b".into(), counts(2, 0)),
            ],
            1,
            "groups",
        );
        assert_eq!(chart.more, 1);
        assert_eq!(chart.bars.len(), 1);
        let widths: Vec<&str> = chart.bars[0]
            .segments
            .iter()
            .map(|s| s.width.as_str())
            .collect();
        assert_eq!(widths, ["82.5", "247.5"]);
        assert_eq!(chart.bars[0].count, "1 failing / 4");
    }
}
