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
    /// NON_COMPLIANT results a waiver covers (counted in `non_compliant` too), when the
    /// run had waivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived: Option<usize>,
    /// With `--baseline`: the findings new since the baseline, still there, and gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCounts>,
}

/// What a run found against its baseline (README "Baselines").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineCounts {
    pub new: usize,
    pub persisting: usize,
    pub resolved: usize,
}

/// A finding against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline: a new finding.
    New,
    /// In the baseline too.
    Persisting,
}

/// The waiver that covers a result, as the result carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverNote {
    /// Where it is written (`regent.toml waiver 2`).
    pub source: String,
    pub reason: String,
    pub owner: String,
    pub expires: String,
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
    /// The waiver covering a NON_COMPLIANT result: still a finding, but accepted until
    /// the waiver expires, so it does not fail the run.
    pub waiver: Option<Arc<WaiverNote>>,
    /// With `--baseline`, whether a NON_COMPLIANT result is new.
    pub baseline: Option<BaselineState>,
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
        // Only in reports of runs with waivers or a baseline.
        if let Some(waiver) = &self.waiver {
            row.serialize_field("waiver", &**waiver)?;
        }
        if let Some(baseline) = &self.baseline {
            row.serialize_field("baseline", baseline)?;
        }
        row.serialize_field("source", &subject.origin.as_ref().map(OriginText))?;
        row.end()
    }
}

impl ResultRow {
    /// A NON_COMPLIANT result no waiver covers and, with a baseline, a new one: what
    /// `--fail-on` counts.
    pub fn fails_the_run(&self) -> bool {
        self.compliance_type == Compliance::NonCompliant
            && self.waiver.is_none()
            && self.baseline != Some(BaselineState::Persisting)
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
    /// Every waiver of the run and what became of it (README "Waivers").
    pub waivers: Vec<WaiverRecord>,
    /// With `--baseline`: the baseline's findings this run no longer has.
    pub resolved: Vec<ResolvedFinding>,
}

/// A waiver and what became of it in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverRecord {
    pub source: String,
    pub control: String,
    pub reason: String,
    pub owner: String,
    pub expires: String,
    pub status: WaiverStatus,
    /// The results it covers (for an expired waiver: would have covered).
    pub results: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverStatus {
    /// It covers at least one result.
    Applied,
    /// It expired before the run's time (`--as-of`) and covers nothing.
    Expired,
    /// It is in force but matched no NON_COMPLIANT result.
    Unmatched,
}

/// A finding of the baseline that is gone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResolvedFinding {
    pub control_id: String,
    pub resource_type: String,
    pub resource_id: String,
    pub aws_account_id: String,
    pub aws_region: String,
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
            .any(|r| r.fails_the_run() && r.severity >= threshold)
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
