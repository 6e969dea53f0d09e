//! CSV (RFC 4180: quoted where needed, CRLF line ends): a header row, then one row per
//! result the view shows, every verdict, in the report's order.
//!
//! Auditors open these in spreadsheets, which run a cell that starts with `=`, `+`, `-`
//! or `@` (or with a tab or carriage return before one) as a formula: any text cell that
//! starts with one of those gets a leading `'`, which spreadsheets take as "text" (OWASP's
//! advice against CSV injection). Control, invisible and bidirectional characters are
//! written as `\u{..}`, as in the table; `--format json` has every value as read.

use super::view::View;
use crate::diagnostics::printable;
use crate::report::{Report, ResultRow};
use std::borrow::Cow;
use std::io::{self, Write};

/// The columns, in order.
pub const HEADER: [&str; 14] = [
    "control_id",
    "severity",
    "compliance_type",
    "resource_type",
    "resource_id",
    "resource_name",
    "account",
    "region",
    "arn",
    "annotation",
    "file",
    "line",
    "waiver",
    "baseline",
];

pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(io::BufWriter::new(out));
    writer.write_record(HEADER).map_err(io_error)?;
    for row in view.results(report) {
        writer.write_record(cells(row)).map_err(io_error)?;
    }
    writer.flush()
}

fn cells(row: &ResultRow) -> [String; 14] {
    let s = &*row.subject;
    let text = |value: &str| neutralise(&printable(value)).into_owned();
    let optional = |value: Option<&str>| value.map(text).unwrap_or_default();
    let (file, line) = match &s.origin {
        Some(origin) => origin.file_and_line(),
        None => ("", None),
    };
    [
        text(&row.control_id),
        text(row.severity.as_str()),
        text(row.compliance_type.as_str()),
        text(&s.resource_type),
        text(&s.resource_id),
        optional(s.resource_name.as_deref()),
        text(&s.account),
        text(&s.region),
        optional(s.arn.as_deref()),
        optional(row.annotation.as_deref()),
        text(file),
        line.map(|l| l.to_string()).unwrap_or_default(),
        optional(
            row.waiver
                .as_ref()
                .map(|w| format!("{} (owner {}, expires {})", w.reason, w.owner, w.expires))
                .as_deref(),
        ),
        optional(row.baseline.map(|b| match b {
            crate::report::BaselineState::New => "new",
            crate::report::BaselineState::Persisting => "persisting",
        })),
    ]
}

/// `cell` as a spreadsheet shows it as text: a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV error as an I/O error, keeping the kind (a closed pipe is still one).
fn io_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Compliance;
    use crate::model::{Origin, Subject};
    use crate::policy::Severity;
    use crate::report::Summary;
    use std::sync::Arc;

    #[test]
    fn formula_cells_are_neutralised() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        for plain in ["S3.5", "no policy", "a=b", "", "'quoted", "1-2"] {
            assert_eq!(neutralise(plain), plain, "{plain:?}");
        }
    }

    fn report(annotation: &str, resource_name: &str) -> Report {
        let text = |s: &str| Arc::<str>::from(s);
        let row = ResultRow {
            control_id: text("S3.5"),
            title: text("Buckets should require SSL"),
            severity: Severity::Medium,
            subject: Arc::new(Subject {
                resource_type: text("AWS::S3::Bucket"),
                resource_id: text("logs"),
                resource_name: Some(text(resource_name)),
                arn: None,
                account: text("111122223333"),
                region: text("eu-west-1"),
                capture_time: None,
                state_id: None,
                origin: Some(Origin {
                    source: text("export/items.ndjson:7"),
                    index: None,
                }),
            }),
            compliance_type: Compliance::NonCompliant,
            annotation: Some(annotation.to_string()),
            remediation: None,
            waiver: None,
            baseline: None,
        };
        Report {
            version: "0.0.0".into(),
            summary: Summary::default(),
            controls: Vec::new(),
            results: vec![row],
            errors: Vec::new(),
            skipped_inputs: Vec::new(),
            envelopes: Vec::new(),
            shard: None,
            waivers: Vec::new(),
            resolved: Vec::new(),
        }
    }

    fn parsed(report: &Report) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        render(report, &View::default(), &mut out).unwrap();
        csv::Reader::from_reader(out.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn a_hostile_row_reads_back_neutralised() {
        let report = report("=cmd|' /C calc'!A0, \"quoted\"", "@evil\u{1b}[2J");
        let rows = parsed(&report);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row[9], "'=cmd|' /C calc'!A0, \"quoted\"");
        assert_eq!(
            row[5], "'@evil\\u{1b}[2J",
            "no raw escape reaches a terminal"
        );
        assert_eq!(
            (row[10].as_str(), row[11].as_str()),
            ("export/items.ndjson", "7")
        );
        assert_eq!(row[8], "", "no ARN: an empty cell");
    }

    #[test]
    fn lines_end_in_crlf() {
        let mut out = Vec::new();
        render(&report("a\nb", "n"), &View::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("control_id,severity,"), "{text}");
        assert_eq!(text.matches("\r\n").count(), 2, "{text:?}");
        assert!(
            text.contains(",a\\u{a}b,"),
            "a newline is escaped: {text:?}"
        );
    }
}
