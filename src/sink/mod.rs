//! Renderers: each is a pure function of one `Report`, shown through one `View`, into a
//! writer; one file per format.

pub mod asff;
pub mod csv;
pub mod diff;
mod finding;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod put_evaluations;
pub mod sarif;
pub mod table;
pub mod view;

pub use view::{Filter, Outcome, View};

use crate::report::Report;
use std::io::{self, Write};

/// The output formats of `regent eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Failures grouped by control with severity, then a summary.
    Table,
    /// The report, JSON schema version 1 (one result per line).
    Json,
    /// AWS Security Finding Format: a FAILED finding per NON_COMPLIANT result, and a
    /// PASSED one per COMPLIANT result when `passed`.
    Asff { passed: bool },
    /// The PutEvaluations requests the run would send: one Config rule per control, or the
    /// view's `config_rule` over all of them.
    PutEvaluations,
    /// SARIF 2.1.0 for code scanning: a rule per control that ran, a result per
    /// NON_COMPLIANT result, the run's errors as tool notifications.
    Sarif,
    /// JUnit XML: a test suite per control, a test case per resource it judged.
    Junit,
    /// CSV: a header row, then a row per result (formula cells neutralised).
    Csv,
    /// Markdown for a pull-request comment or a job summary: the outcome, counts by
    /// severity, the failures and the errors.
    Markdown,
    /// OCSF 1.3.0 Compliance Finding events (class 2003): one per NON_COMPLIANT, ERROR and
    /// COMPLIANT result.
    Ocsf,
    /// One self-contained HTML page: the outcome, totals with charts, a filterable and
    /// sortable results table, the controls that ran and the run's problems.
    Html,
}

pub fn render(format: Format, report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, view, out),
        Format::Json => json::render(report, view, out),
        Format::Asff { passed } => asff::render(report, view, passed, out),
        Format::PutEvaluations => put_evaluations::render(report, view, out),
        Format::Sarif => sarif::render(report, view, out),
        Format::Junit => junit::render(report, view, out),
        Format::Csv => csv::render(report, view, out),
        Format::Markdown => markdown::render(report, view, out),
        Format::Ocsf => ocsf::render(report, view, out),
        Format::Html => html::render(report, view, out),
    }
}
