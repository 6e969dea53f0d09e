//! Baselines: which findings are new since an earlier report (`--baseline REPORT.json`,
//! `regent diff OLD NEW`). A finding is a NON_COMPLIANT result, known by its control and
//! resource (account, region, type, id); a waived one still counts as a finding. Reports
//! of other regent versions are read too: only the results' identities are needed.

use super::schema::{BaselineCounts, BaselineState, Report, ResolvedFinding};
use crate::diagnostics::{Code, Problem};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The findings of a report, by identity, with what `regent diff` shows of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings(BTreeMap<ResolvedFinding, Detail>);

/// What a finding says besides its identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Detail {
    pub severity: String,
    pub annotation: Option<String>,
    pub waived: bool,
}

/// Two reports compared (`regent diff OLD NEW`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub new: Vec<(ResolvedFinding, Detail)>,
    pub persisting: usize,
    pub resolved: Vec<(ResolvedFinding, Detail)>,
}

impl Diff {
    pub fn of(old: &Findings, new: &Findings) -> Self {
        let only_in = |a: &Findings, b: &Findings| {
            a.0.iter()
                .filter(|(f, _)| !b.0.contains_key(*f))
                .map(|(f, d)| (f.clone(), d.clone()))
                .collect::<Vec<_>>()
        };
        Self {
            new: only_in(new, old),
            persisting: new.0.keys().filter(|f| old.0.contains_key(*f)).count(),
            resolved: only_in(old, new),
        }
    }
}

#[derive(Deserialize)]
struct ReportText {
    schema_version: u64,
    results: Vec<RowText>,
}

#[derive(Deserialize)]
struct RowText {
    control_id: String,
    resource_type: String,
    resource_id: String,
    aws_account_id: String,
    aws_region: String,
    compliance_type: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    annotation: Option<String>,
    #[serde(default)]
    waiver: Option<serde_json::Value>,
}

impl Findings {
    /// Read the findings of a JSON report (`--format json` of any regent version with
    /// schema version 1).
    pub fn read(name: &str, text: &str) -> Result<Self, Problem> {
        let report: ReportText = serde_json::from_str(text).map_err(|err| {
            Problem::new(
                Code::BaselineInvalid,
                name,
                format!("not a regent JSON report: {err}"),
            )
            .at(
                text,
                err.line().max(1),
                err.column().max(1),
                err.to_string(),
            )
            .with_help("a baseline is the output of `regent eval --format json`")
        })?;
        if report.schema_version != 1 {
            return Err(Problem::new(
                Code::BaselineInvalid,
                name,
                format!(
                    "the report is of schema version {}; this regent reads version 1",
                    report.schema_version
                ),
            ));
        }
        Ok(Self(
            report
                .results
                .into_iter()
                .filter(|r| r.compliance_type == "NON_COMPLIANT")
                .map(|r| {
                    let detail = Detail {
                        severity: r.severity,
                        annotation: r.annotation,
                        waived: r.waiver.is_some(),
                    };
                    let finding = ResolvedFinding {
                        control_id: r.control_id,
                        resource_type: r.resource_type,
                        resource_id: r.resource_id,
                        aws_account_id: r.aws_account_id,
                        aws_region: r.aws_region,
                    };
                    (finding, detail)
                })
                .collect(),
        ))
    }

    pub fn contains(&self, finding: &ResolvedFinding) -> bool {
        self.0.contains_key(finding)
    }
}

fn identity(row: &super::ResultRow) -> ResolvedFinding {
    ResolvedFinding {
        control_id: row.control_id.to_string(),
        resource_type: row.subject.resource_type.to_string(),
        resource_id: row.subject.resource_id.to_string(),
        aws_account_id: row.subject.account.to_string(),
        aws_region: row.subject.region.to_string(),
    }
}

/// Mark each finding of `report` new or persisting against `baseline`, list the
/// baseline's findings that are gone, and count all three in the summary.
pub fn compare(report: &mut Report, baseline: &Findings) {
    let now: BTreeSet<ResolvedFinding> = report
        .results
        .iter()
        .filter(|r| r.compliance_type == crate::eval::Compliance::NonCompliant)
        .map(identity)
        .collect();
    let mut counts = BaselineCounts::default();
    for row in &mut report.results {
        if row.compliance_type != crate::eval::Compliance::NonCompliant {
            continue;
        }
        let state = if baseline.contains(&identity(row)) {
            counts.persisting += 1;
            BaselineState::Persisting
        } else {
            counts.new += 1;
            BaselineState::New
        };
        row.baseline = Some(state);
    }
    report.resolved = baseline
        .0
        .keys()
        .filter(|f| !now.contains(f))
        .cloned()
        .collect();
    counts.resolved = report.resolved.len();
    report.summary.baseline = Some(counts);
}
