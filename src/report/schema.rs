//! What a report holds: the summary, one row per verdict, the controls that ran, the
//! errors and skipped inputs (JSON schema version 1, README "The JSON report").

use super::remediation::ResolvedRemediation;
use crate::diagnostics::{Problem, Skip};
use crate::eval::Compliance;
use crate::model::envelope::Envelope;
use crate::model::Origin;
use crate::policy::{ControlRecord, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

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
    /// The item's `configurationItemCaptureTime` (none for an account-level result).
    pub capture_time: Option<Arc<str>>,
    /// The item's `configurationStateId`, when numeric. With the capture time it gives
    /// AWS Config's `OrderingTimestamp`.
    pub state_id: Option<i64>,
    /// The input the item came from and its place there (`file#index`).
    #[serde(serialize_with = "origin_text")]
    pub source: Option<Origin>,
}

fn origin_text<S: serde::Serializer>(origin: &Option<Origin>, s: S) -> Result<S::Ok, S::Error> {
    match origin {
        Some(origin) => s.collect_str(origin),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub version: String,
    pub summary: Summary,
    /// The controls that ran, in natural id order.
    pub controls: Vec<ControlRecord>,
    pub results: Vec<ResultRow>,
    pub errors: Vec<Problem>,
    /// Inputs that held no configuration item, and why.
    pub skipped_inputs: Vec<Skip>,
    /// What the inputs' envelopes carried (custom-rule events, notifications), for a
    /// handler that answers AWS Config. Never rendered: it may hold a result token.
    pub envelopes: Vec<Envelope>,
}

/// Skip reasons are grouped by kind: the part before any resource-specific detail.
pub fn reason_kind(reason: &str) -> String {
    let kind = reason.split(" (").next().unwrap_or(reason);
    let kind = kind.split(": ").next().unwrap_or(kind);
    kind.to_string()
}

impl Report {
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

    /// The record of a control that ran.
    pub fn control(&self, id: &str) -> Option<&ControlRecord> {
        self.controls.iter().find(|c| c.meta.id == id)
    }
}
