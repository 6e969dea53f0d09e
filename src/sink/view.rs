//! How a report is shown: which results (a filter by account, region, resource type and
//! severity), how much of it (the summary only, the top N), for what screen (a width,
//! colour) and against which gate (`--fail-on`, for the closing line). A sink renders the
//! report through one view; the report itself is never changed.

use crate::eval::Compliance;
use crate::policy::Severity;
use crate::report::{Report, ResultRow};
use serde::Serialize;

/// What a report shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filter {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub severities: Vec<Severity>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `row` is shown (each list that is not empty must hold the row's value;
    /// resource types compare without regard to case).
    pub fn keeps(&self, row: &ResultRow) -> bool {
        let subject = &row.subject;
        let among =
            |list: &[String], value: &str| list.is_empty() || list.iter().any(|v| v == value);
        among(&self.accounts, &subject.account)
            && among(&self.regions, &subject.region)
            && (self.resource_types.is_empty()
                || self
                    .resource_types
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(&subject.resource_type)))
            && (self.severities.is_empty() || self.severities.contains(&row.severity))
    }

    /// The filter in words (`account 111122223333, severity high`).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |name: &str, values: Vec<String>| {
            if !values.is_empty() {
                parts.push(format!("{name} {}", values.join(" or ")));
            }
        };
        add("account", self.accounts.clone());
        add("region", self.regions.clone());
        add("resource type", self.resource_types.clone());
        add(
            "severity",
            self.severities.iter().map(|s| s.to_string()).collect(),
        );
        parts.join(", ")
    }
}

/// How a report is shown.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub filter: Filter,
    /// Only the summary (the table).
    pub summary_only: bool,
    /// At most this many failing controls, and resources per control (the table).
    pub top: Option<usize>,
    /// The width to fit (the table); `None`: no wrapping.
    pub width: Option<usize>,
    /// Colour severities and the closing line (the table).
    pub color: bool,
    /// The `--fail-on` threshold the closing line states (`None`: findings never fail).
    pub fail_on: Option<Severity>,
    /// The Config rule every control answers for (put-evaluations; `None`: one rule per
    /// control).
    pub config_rule: Option<String>,
}

impl View {
    /// The results the view shows.
    pub fn results<'r>(&'r self, report: &'r Report) -> impl Iterator<Item = &'r ResultRow> + 'r {
        report.results.iter().filter(|row| self.filter.keeps(row))
    }
}

/// How a run ended, as its exit code says: the closing line of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above the threshold failed (exit 0).
    Passed,
    /// A resource failed a control at or above the threshold (exit 1).
    Failed,
    /// The run had errors (exit 2).
    Errors,
}

impl Outcome {
    /// The outcome of `report` against `fail_on`, as `regent eval` exits.
    pub fn of(report: &Report, fail_on: Option<Severity>) -> Self {
        if report.has_errors() {
            Outcome::Errors
        } else if report.has_findings_at(fail_on) {
            Outcome::Failed
        } else {
            Outcome::Passed
        }
    }

    /// How the run ended, in the words every sink uses: the outcome, its word (`FAILED`)
    /// and why (`3 controls failed at high or above; exit 1`); `details` says where the
    /// problems are told (`on stderr`, `below`).
    pub fn described(report: &Report, view: &View, details: &str) -> (Self, &'static str, String) {
        let outcome = Outcome::of(report, view.fail_on);
        let (word, why) = match outcome {
            Outcome::Errors => {
                let problems = report.errors.len().max(report.summary.errors);
                let problems = plural(problems, "problem", "problems");
                (
                    "ERRORS",
                    format!("the run had {problems} (details {details}); exit 2"),
                )
            }
            Outcome::Failed => {
                let threshold = view.fail_on.unwrap_or(Severity::Informational);
                let failed = failing_controls_at(report, threshold);
                let failed = plural(failed, "control", "controls");
                // Every severity counts at the lowest threshold: no need to name it.
                let why = if threshold == Severity::Informational {
                    format!("{failed} failed; exit 1")
                } else {
                    format!("{failed} failed at {threshold} or above; exit 1")
                };
                ("FAILED", why)
            }
            Outcome::Passed => (
                "PASSED",
                match view.fail_on {
                    Some(Severity::Informational) => "nothing failed; exit 0".into(),
                    Some(threshold) => format!("nothing failed at {threshold} or above; exit 0"),
                    None => "findings do not fail this run (--fail-on never); exit 0".into(),
                },
            ),
        };
        (outcome, word, accepted(report, why))
    }
}

/// `why`, saying which findings did not count: waived, or in the baseline already.
fn accepted(report: &Report, why: String) -> String {
    let mut not_counted = Vec::new();
    if let Some(waived) = report.summary.waived.filter(|n| *n > 0) {
        not_counted.push(format!("{waived} waived"));
    }
    if let Some(persisting) = report
        .summary
        .baseline
        .as_ref()
        .map(|b| b.persisting)
        .filter(|n| *n > 0)
    {
        not_counted.push(format!("{persisting} in the baseline"));
    }
    if not_counted.is_empty() {
        return why;
    }
    match why.rsplit_once("; ") {
        Some((head, exit)) => format!(
            "{head} (findings not counted: {}); {exit}",
            not_counted.join(", ")
        ),
        None => why,
    }
}

/// How many controls have a NON_COMPLIANT result at or above `threshold` (in the whole
/// report, as the exit code counts).
fn failing_controls_at(report: &Report, threshold: Severity) -> usize {
    report
        .results
        .iter()
        .filter(|r| r.fails_the_run() && r.severity >= threshold)
        .map(|r| &*r.control_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// How a finding stands beyond its verdict, for the sinks that print it beside the
/// reason: `waived until 2027-03-31 by owner: reason`, `new since the baseline`.
pub fn standing(row: &ResultRow) -> Option<String> {
    if let Some(waiver) = &row.waiver {
        return Some(format!(
            "waived until {} by {}: {}",
            waiver.expires, waiver.owner, waiver.reason
        ));
    }
    (row.baseline == Some(crate::report::BaselineState::New))
        .then(|| "new since the baseline".to_string())
}

/// `n` and the noun that goes with it: `1 item`, `2 items`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether a row is a failure the table lists (NON_COMPLIANT or ERROR).
pub fn is_listed(row: &ResultRow) -> bool {
    matches!(
        row.compliance_type,
        Compliance::NonCompliant | Compliance::Error
    )
}
