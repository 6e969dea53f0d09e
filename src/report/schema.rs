//! What a report holds: the summary, one row per verdict, the controls that ran, the
//! errors and skipped inputs (JSON schema version 1, README "The JSON report").

use super::remediation::ResolvedRemediation;
use crate::diagnostics::{Problem, Skip};
use crate::eval::Compliance;
use crate::model::envelope::Envelope;
use crate::model::{Origin, Subject};
use crate::policy::{ControlRecord, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// One row of the report: a control's verdict on a subject. Kept small (an organisation
/// gives millions): the subject (the resource's identity, capture time, state id and
/// origin) is shared with every other row about the same resource, the control's strings
/// with every other row of the control.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    pub control_id: Arc<str>,
    pub title: Arc<str>,
    pub severity: Severity,
    pub subject: Arc<Subject>,
    pub compliance_type: Compliance,
    pub annotation: Option<String>,
    pub remediation: Option<ResolvedRemediation>,
}

/// The row as the JSON schema names and orders its fields: the subject's appear flat.
impl Serialize for ResultRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let subject = &self.subject;
        let mut row = serializer.serialize_struct("ResultRow", 15)?;
        row.serialize_field("control_id", &*self.control_id)?;
        row.serialize_field("title", &*self.title)?;
        row.serialize_field("severity", &self.severity)?;
        row.serialize_field("resource_type", &*subject.resource_type)?;
        row.serialize_field("resource_id", &*subject.resource_id)?;
        row.serialize_field("resource_name", &subject.resource_name.as_deref())?;
        row.serialize_field("arn", &subject.arn.as_deref())?;
        row.serialize_field("aws_account_id", &*subject.account)?;
        row.serialize_field("aws_region", &*subject.region)?;
        row.serialize_field("compliance_type", &self.compliance_type)?;
        row.serialize_field("annotation", &self.annotation)?;
        row.serialize_field("remediation", &self.remediation)?;
        // The item's `configurationItemCaptureTime` and `configurationStateId` (AWS
        // Config's `OrderingTimestamp` comes from them), and where it was read.
        row.serialize_field("capture_time", &subject.capture_time.as_deref())?;
        row.serialize_field("state_id", &subject.state_id)?;
        row.serialize_field("source", &subject.origin.as_ref().map(OriginText))?;
        row.end()
    }
}

/// An origin written as text (`file#index`).
pub struct OriginText<'a>(pub &'a Origin);

impl Serialize for OriginText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
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
    /// Set in a shard's report (`regent eval --shard K/N`), for `regent merge`.
    pub shard: Option<ShardRecord>,
}

/// What a shard's report says of its run, for `regent merge`: which shard it is, what the
/// shards of one run must agree on, and what every shard counts alike (each reads every
/// input), which the merge counts once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRecord {
    /// 0-based, below `count`.
    pub index: u32,
    pub count: u32,
    /// The evaluation time: `--as-of`, or the newest capture time of every shard's items.
    pub as_of: Option<String>,
    /// `--complete`.
    pub complete: bool,
    /// A digest of the other options that change results: regent.toml's parameters and
    /// settings, the engine, the budgets, `--max-input-size`.
    pub options: String,
    /// The part of the summary every shard counts alike: the inputs, and the items that
    /// failed or were skipped as they loaded (before an account could place them).
    pub shared_summary: Summary,
    /// How many of the first errors every shard reports alike (the pack's and the
    /// inputs' problems).
    pub shared_errors: usize,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_stays_small() {
        // An organisation gives millions of rows: the subject is shared, not copied.
        assert!(std::mem::size_of::<ResultRow>() <= 120);
    }
}
