//! The report: every result sorted, the summary that accounts for every item read, the
//! errors. Pure data; the sinks render it.

use crate::diagnostics::Problem;
use crate::eval::{Compliance, Evaluation, ResolvedRemediation};
use crate::model::load::Skip;
use crate::policy::{Pack, Severity};
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Natural order for control ids: EC2.2 before EC2.13.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natord::compare(a, b).then_with(|| a.cmp(b))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub items_read: usize,
    pub items_evaluated: usize,
    pub items_skipped: usize,
    pub items_failed: usize,
    pub evaluations: usize,
    pub compliant: usize,
    pub non_compliant: usize,
    pub not_applicable: usize,
    pub errors: usize,
    pub inputs_read: usize,
    pub inputs_skipped: usize,
    pub inputs_failed: usize,
    /// Why items and inputs were skipped, with how many of each.
    pub skipped_reasons: BTreeMap<String, usize>,
}

/// One row of the report, in the order and with the names of the JSON schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    // Shared strings: a run has several rows per resource and thousands per control.
    pub control_id: Arc<str>,
    pub title: Arc<str>,
    pub severity: Severity,
    pub resource_type: Arc<str>,
    pub resource_id: Arc<str>,
    pub resource_name: Option<Arc<str>>,
    pub arn: Option<Arc<str>>,
    pub aws_account_id: Arc<str>,
    pub aws_region: Arc<str>,
    pub compliance_type: Compliance,
    pub annotation: Option<String>,
    pub remediation: Option<ResolvedRemediation>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub version: String,
    pub summary: Summary,
    pub results: Vec<ResultRow>,
    pub errors: Vec<Problem>,
    /// Inputs that held no configuration item, and why.
    pub skipped_inputs: Vec<Skip>,
    /// How many controls ran.
    pub controls: usize,
}

/// Skip reasons are grouped by kind: the part before any resource-specific detail.
pub fn reason_kind(reason: &str) -> String {
    let kind = reason.split(" (").next().unwrap_or(reason);
    let kind = kind.split(": ").next().unwrap_or(kind);
    kind.to_string()
}

impl Report {
    pub fn new(pack: &Pack, evaluations: Vec<Evaluation>) -> Self {
        let mut summary = Summary::default();
        let names: Vec<(Arc<str>, Arc<str>)> = pack
            .controls
            .iter()
            .map(|c| {
                (
                    Arc::from(c.meta.id.as_str()),
                    Arc::from(c.meta.title.as_str()),
                )
            })
            .collect();
        for e in &evaluations {
            match e.compliance {
                Compliance::Compliant => summary.compliant += 1,
                Compliance::NonCompliant => summary.non_compliant += 1,
                Compliance::NotApplicable => summary.not_applicable += 1,
                Compliance::Error => summary.errors += 1,
            }
        }
        // Millions of rows at organisation scale: convert them in parallel (order kept).
        let results: Vec<ResultRow> = evaluations
            .into_par_iter()
            .map(|e| {
                let control = &pack.controls[e.control];
                let (id, title) = &names[e.control];
                let subject = &e.subject;
                ResultRow {
                    control_id: id.clone(),
                    title: title.clone(),
                    severity: control.meta.severity,
                    resource_type: subject.resource_type.clone(),
                    resource_id: subject.resource_id.clone(),
                    resource_name: subject.resource_name.clone(),
                    arn: subject.arn.clone(),
                    aws_account_id: subject.account.clone(),
                    aws_region: subject.region.clone(),
                    compliance_type: e.compliance,
                    annotation: e.annotation,
                    remediation: e.remediation.map(|r| *r),
                }
            })
            .collect();
        summary.evaluations = results.len();
        Self {
            version: env!("CARGO_PKG_VERSION").to_string(),
            summary,
            results,
            errors: Vec::new(),
            skipped_inputs: Vec::new(),
            controls: pack.controls.len(),
        }
    }

    /// Whether any failure is at or above `threshold` (`None`: never fail on findings).
    pub fn has_findings_at(&self, threshold: Option<Severity>) -> bool {
        let Some(threshold) = threshold else {
            return false;
        };
        self.results
            .iter()
            .any(|r| r.compliance_type == Compliance::NonCompliant && r.severity >= threshold)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.summary.errors > 0
    }
}
