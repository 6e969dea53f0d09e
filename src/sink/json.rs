//! The JSON report (schema version 1). Compact, with one result per line, so it is small
//! at organisation scale, diffs well and greps well; `jq .` pretty-prints it.

use crate::diagnostics::Problem;
use crate::report::Report;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};

pub const SCHEMA_VERSION: u32 = 1;

/// Rows serialised by one worker at a time, and rows held as text at once.
const ROWS_PER_CHUNK: usize = 4096;
const ROWS_PER_WINDOW: usize = 16 * ROWS_PER_CHUNK;

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct ErrorRow<'a> {
    code: &'a str,
    source: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

impl<'a> From<&'a Problem> for ErrorRow<'a> {
    fn from(p: &'a Problem) -> Self {
        Self {
            code: p.code.as_str(),
            source: &p.source,
            message: &p.message,
            line: p.location().map(|l| l.line),
            column: p.location().map(|l| l.column),
        }
    }
}

fn line<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| match e.io_error_kind() {
        // Keep the kind so a closed pipe is still recognised as one.
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    })
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    write!(out, "{{\"schema_version\":{SCHEMA_VERSION},\"tool\":")?;
    line(
        &mut out,
        &Tool {
            name: "regent",
            version: &report.version,
        },
    )?;
    write!(out, ",\n\"summary\":")?;
    line(&mut out, &report.summary)?;
    write!(out, ",\n\"results\":[")?;
    // Rows are serialised in parallel, a window at a time, and written in order: the same
    // bytes as one by one, in a fraction of the time at organisation scale, with only one
    // window of text held at once.
    for (window_index, window) in report.results.chunks(ROWS_PER_WINDOW).enumerate() {
        let chunks: Vec<Vec<u8>> = window
            .par_chunks(ROWS_PER_CHUNK)
            .enumerate()
            .map(|(chunk_index, rows)| {
                let mut text = Vec::with_capacity(rows.len() * 512);
                for (i, row) in rows.iter().enumerate() {
                    let first = window_index == 0 && chunk_index == 0 && i == 0;
                    text.extend_from_slice(if first { b"\n" } else { b",\n" });
                    // Writing to a Vec cannot fail, and the rows serialise.
                    let _ = serde_json::to_writer(&mut text, row);
                }
                text
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk)?;
        }
    }
    write!(out, "\n],\n\"errors\":[")?;
    for (i, problem) in report.errors.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        line(&mut out, &ErrorRow::from(problem))?;
    }
    write!(out, "\n],\n\"skipped_inputs\":")?;
    line(
        &mut out,
        &report
            .skipped_inputs
            .iter()
            .map(|s| serde_json::json!({"source": s.source, "reason": s.reason}))
            .collect::<Vec<_>>(),
    )?;
    write!(out, ",\n\"controls\":[")?;
    for (i, control) in report.controls.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        line(&mut out, control)?;
    }
    writeln!(out, "\n]}}")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Compliance;
    use crate::policy::Severity;
    use crate::report::{ResultRow, Summary};
    use std::sync::Arc;

    /// More rows than one window, so chunk and window boundaries are both crossed.
    #[test]
    fn rows_rendered_in_parallel_are_the_rows_one_by_one() {
        let text = |s: String| Arc::<str>::from(s);
        let results: Vec<ResultRow> = (0..ROWS_PER_WINDOW + ROWS_PER_CHUNK + 7)
            .map(|i| ResultRow {
                control_id: text(format!("C.{}", i % 7)),
                title: text("a \"quoted\" title".into()),
                severity: Severity::High,
                resource_type: text("AWS::S3::Bucket".into()),
                resource_id: text(format!("bucket-{i}")),
                resource_name: (i % 2 == 0).then(|| text(format!("name-{i}"))),
                arn: None,
                aws_account_id: text("111122223333".into()),
                aws_region: text("us-east-1".into()),
                compliance_type: if i % 3 == 0 {
                    Compliance::NonCompliant
                } else {
                    Compliance::Compliant
                },
                annotation: (i % 3 == 0).then(|| format!("reason {i}")),
                remediation: None,
                capture_time: None,
                state_id: Some(i as i64),
                source: None,
            })
            .collect();
        let report = Report {
            version: "0.0.0".into(),
            summary: Summary::default(),
            results,
            errors: Vec::new(),
            skipped_inputs: Vec::new(),
            controls: Vec::new(),
            envelopes: Vec::new(),
        };
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();

        let rows: Vec<String> = report
            .results
            .iter()
            .map(|row| serde_json::to_string(row).unwrap())
            .collect();
        let expected = format!("\"results\":[\n{}\n],", rows.join(",\n"));
        assert!(
            out.contains(&expected),
            "rows differ from one-by-one rendering"
        );
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            parsed["results"].as_array().unwrap().len(),
            report.results.len()
        );
    }
}
