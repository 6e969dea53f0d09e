//! The JSON report (schema version 1). Compact, with one result per line, so it is small
//! at organisation scale, diffs well and greps well; `jq .` pretty-prints it.

use crate::diagnostics::Problem;
use crate::eval::Compliance;
use crate::model::Origin;
use crate::policy::Severity;
use crate::report::{BaselineState, Report, ResolvedRemediation, ResultRow, WaiverNote};
use crate::sink::View;
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};
use std::sync::Arc;

pub const SCHEMA_VERSION: u32 = 1;

/// Rows serialised by one worker at a time, rows serialised together, and windows of text
/// serialised ahead of the writer at most. A chunk's text (~200 KB) is small enough for the
/// allocator to hand the same memory back chunk after chunk; chunks of 4,096 rows (3 MB)
/// came fresh from the system each time, and faulting their pages in made a 585 MB report
/// take 0.55 s to a file instead of 0.34 s (sg-heavy 200k, issue 20).
const ROWS_PER_CHUNK: usize = 256;
const ROWS_PER_WINDOW: usize = 64 * ROWS_PER_CHUNK;
const WINDOWS_AHEAD: usize = 2;

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

/// Writes a row exactly as its serialisation would, but renders the control's part (id,
/// title, severity: the same for thousands of rows in a row, and the title long and
/// escaped character by character) once per run of one control's rows, and an input's
/// name once per run of rows from the same input (a control's rows come in resource
/// order, which is mostly input order).
#[derive(Default)]
struct RowWriter<'a> {
    /// The row whose control `head` was rendered for.
    last: Option<&'a ResultRow>,
    /// `{"control_id":...,"title":...,"severity":...,`
    head: Vec<u8>,
    tail: Vec<u8>,
    /// The input `source` was rendered for.
    last_source: Option<&'a Arc<str>>,
    /// That input's name as a JSON string, without its closing quote.
    source: Vec<u8>,
}

#[derive(Serialize)]
struct Head<'a> {
    control_id: &'a str,
    title: &'a str,
    severity: Severity,
}

/// The rest of a row, field for field as `ResultRow` serialises.
#[derive(Serialize)]
struct Tail<'a> {
    resource_type: &'a str,
    resource_id: &'a str,
    resource_name: Option<&'a str>,
    arn: Option<&'a str>,
    aws_account_id: &'a str,
    aws_region: &'a str,
    compliance_type: Compliance,
    annotation: Option<&'a str>,
    remediation: Option<&'a ResolvedRemediation>,
    capture_time: Option<&'a str>,
    state_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a WaiverNote>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineState>,
    // `source` is written by `RowWriter::source`.
}

impl<'a> RowWriter<'a> {
    fn write(&mut self, row: &'a ResultRow, text: &mut Vec<u8>) {
        let same_control = self.last.is_some_and(|last| {
            Arc::ptr_eq(&last.control_id, &row.control_id)
                && Arc::ptr_eq(&last.title, &row.title)
                && last.severity == row.severity
        });
        if !same_control {
            self.head.clear();
            let head = Head {
                control_id: &row.control_id,
                title: &row.title,
                severity: row.severity,
            };
            // Writing to a Vec cannot fail, and the values serialise.
            let _ = serde_json::to_writer(&mut self.head, &head);
            self.head.pop(); // the closing brace
            self.head.push(b',');
            self.last = Some(row);
        }
        self.tail.clear();
        let subject = &*row.subject;
        let tail = Tail {
            resource_type: &subject.resource_type,
            resource_id: &subject.resource_id,
            resource_name: subject.resource_name.as_deref(),
            arn: subject.arn.as_deref(),
            aws_account_id: &subject.account,
            aws_region: &subject.region,
            compliance_type: row.compliance_type,
            annotation: row.annotation.as_deref(),
            remediation: row.remediation.as_ref(),
            capture_time: subject.capture_time.as_deref(),
            state_id: subject.state_id,
            waiver: row.waiver.as_deref(),
            baseline: row.baseline,
        };
        let _ = serde_json::to_writer(&mut self.tail, &tail);
        self.tail.pop(); // the closing brace
        text.extend_from_slice(&self.head);
        text.extend_from_slice(self.tail.get(1..).unwrap_or_default());
        text.extend_from_slice(b",\"source\":");
        match &subject.origin {
            Some(origin) => self.source(origin, text),
            None => text.extend_from_slice(b"null"),
        }
        text.push(b'}');
    }

    /// `origin` as `OriginText` serialises it: the input's name escaped once per run.
    fn source(&mut self, origin: &'a Origin, text: &mut Vec<u8>) {
        if !self
            .last_source
            .is_some_and(|last| Arc::ptr_eq(last, &origin.source))
        {
            self.source.clear();
            let _ = serde_json::to_writer(&mut self.source, &*origin.source);
            self.source.pop(); // the closing quote
            self.last_source = Some(&origin.source);
        }
        text.extend_from_slice(&self.source);
        if let Some(index) = origin.index {
            // Digits need no escaping.
            let _ = write!(text, "#{index}");
        }
        text.push(b'"');
    }
}

fn line<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| match e.io_error_kind() {
        // Keep the kind so a closed pipe is still recognised as one.
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    })
}

/// The rows, serialised in parallel a window at a time while the caller's thread writes the
/// windows before (so serialising and writing overlap), in order: the same bytes as one by
/// one, with only a few windows of text held at once. A row the view's filter leaves out is
/// not written. How many rows were written.
fn write_rows(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<usize> {
    let mut joined = Joined::default();
    // On a worker of rayon's pool (a caller's own parallel code) waiting for the serialiser
    // could wait for itself: serialise, then write, one window at a time.
    if rayon::current_thread_index().is_some() {
        for window in report.results.chunks(ROWS_PER_WINDOW) {
            joined.write(serialise_window(window, view), out)?;
        }
        return Ok(joined.shown);
    }
    let (send, receive) = std::sync::mpsc::sync_channel(WINDOWS_AHEAD);
    let mut written: io::Result<()> = Ok(());
    rayon::in_place_scope(|scope| {
        scope.spawn(move |_| {
            for window in report.results.chunks(ROWS_PER_WINDOW) {
                // The writer stopped (a closed pipe): nothing more to serialise.
                if send.send(serialise_window(window, view)).is_err() {
                    return;
                }
            }
        });
        for chunks in receive {
            // After a failed write the rest is drained unwritten, so the serialiser is
            // never left blocked on a full channel.
            if written.is_ok() {
                written = joined.write(chunks, out);
            }
        }
    });
    written.map(|()| joined.shown)
}

/// The rows' chunks written one after another, with the separators between them.
#[derive(Default)]
struct Joined {
    started: bool,
    shown: usize,
}

impl Joined {
    fn write(&mut self, chunks: Vec<(Vec<u8>, usize)>, out: &mut dyn Write) -> io::Result<()> {
        for (chunk, count) in chunks.into_iter().filter(|(_, count)| *count > 0) {
            // Every row starts with `,\n`; the very first of the report with `\n` only.
            out.write_all(if self.started {
                &chunk[..]
            } else {
                &chunk[1..]
            })?;
            self.started = true;
            self.shown += count;
        }
        Ok(())
    }
}

fn serialise_window(window: &[ResultRow], view: &View) -> Vec<(Vec<u8>, usize)> {
    window
        .par_chunks(ROWS_PER_CHUNK)
        .map(|rows| serialise_chunk(rows, view))
        .collect()
}

/// One chunk of rows as text, each but the very first row of the report led by `,\n` (that
/// one is known only when the chunks are joined), and how many rows it holds.
fn serialise_chunk(rows: &[ResultRow], view: &View) -> (Vec<u8>, usize) {
    let mut text = Vec::with_capacity(rows.len() * 512);
    let mut writer = RowWriter::default();
    let mut written = 0;
    for row in rows.iter().filter(|row| view.filter.keeps(row)) {
        text.extend_from_slice(b",\n");
        writer.write(row, &mut text);
        written += 1;
    }
    (text, written)
}

pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
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
    let shown = write_rows(report, view, &mut out)?;
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
    if !view.filter.is_empty() {
        write!(out, ",\n\"shown\":")?;
        line(
            &mut out,
            &serde_json::json!({"results": shown, "filter": view.filter}),
        )?;
    }
    // A shard's report says which shard it is, for `regent merge`.
    if let Some(shard) = &report.shard {
        write!(out, ",\n\"shard\":")?;
        line(&mut out, shard)?;
    }
    write!(out, ",\n\"controls\":[")?;
    for (i, control) in report.controls.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        line(&mut out, control)?;
    }
    write!(out, "\n]")?;
    // Only in reports of runs with waivers or a baseline.
    if !report.waivers.is_empty() {
        write!(out, ",\n\"waivers\":[")?;
        for (i, waiver) in report.waivers.iter().enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            line(&mut out, waiver)?;
        }
        write!(out, "\n]")?;
    }
    if report.summary.baseline.is_some() {
        write!(out, ",\n\"resolved\":")?;
        line(&mut out, &report.resolved)?;
    }
    writeln!(out, "}}")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Subject;
    use crate::report::Summary;

    /// More rows than one window, so chunk and window boundaries are both crossed.
    #[test]
    fn rows_rendered_in_parallel_are_the_rows_one_by_one() {
        let text = |s: String| Arc::<str>::from(s);
        // Controls shared as the report shares them, in runs of rows (as sorted rows are).
        let ids: Vec<Arc<str>> = (0..7).map(|c| text(format!("C.{c}"))).collect();
        let titles: Vec<Arc<str>> = (0..7)
            .map(|c| text(format!("a \"quoted\" title\u{7} é {c}")))
            .collect();
        // Inputs shared by their items, with names that need escaping.
        let sources: Vec<Arc<str>> = (0..3)
            .map(|n| text(format!("dir/fi\"le\\{n}\u{1}.json")))
            .collect();
        let results: Vec<ResultRow> = (0..ROWS_PER_WINDOW + ROWS_PER_CHUNK + 7)
            .map(|i| ResultRow {
                control_id: ids[(i / 1000) % 7].clone(),
                title: titles[(i / 1000) % 7].clone(),
                severity: Severity::High,
                subject: Arc::new(Subject {
                    resource_type: text("AWS::S3::Bucket".into()),
                    resource_id: text(format!("bucket-{i}")),
                    resource_name: (i % 2 == 0).then(|| text(format!("name-{i}"))),
                    arn: None,
                    account: text("111122223333".into()),
                    region: text("us-east-1".into()),
                    capture_time: (i % 5 == 0)
                        .then(|| text(format!("2026-11-0{}T00:00:00Z", i % 9))),
                    state_id: (i % 4 != 0).then_some(i as i64),
                    origin: (i % 6 != 0).then(|| Origin {
                        source: sources[(i / 500) % 3].clone(),
                        index: (i % 2 == 0).then_some(i),
                    }),
                }),
                compliance_type: if i % 3 == 0 {
                    Compliance::NonCompliant
                } else {
                    Compliance::Compliant
                },
                annotation: (i % 3 == 0).then(|| format!("reason {i}")),
                remediation: (i % 3 == 0).then(|| ResolvedRemediation {
                    runbook: text("AWS-Fix".into()),
                    parameters: crate::report::Parameters::from_sorted(vec![(
                        text("Name".into()),
                        serde_json::json!(format!("r{i}")),
                    )]),
                }),
                waiver: None,
                baseline: None,
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
            shard: None,
            waivers: Vec::new(),
            resolved: Vec::new(),
        };
        let mut out = Vec::new();
        render(&report, &View::default(), &mut out).unwrap();
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
