//! Renderers: each is a pure function of one `Report` into a writer, one file per format.

pub mod json;
pub mod table;

use crate::report::Report;
use std::io::{self, Write};

/// The output formats of `regent eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Failures grouped by control with severity, then a summary.
    Table,
    /// The report, JSON schema version 1 (one result per line).
    Json,
}

pub fn render(format: Format, report: &Report, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, out),
        Format::Json => json::render(report, out),
    }
}
