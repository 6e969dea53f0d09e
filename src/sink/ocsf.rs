//! OCSF (Open Cybersecurity Schema Framework) 1.3.0 **Compliance Finding** events (class
//! 2003 in category 2, Findings): a JSON array, one event per line, for a security data
//! lake or SIEM that reads OCSF (Amazon Security Lake, among others).
//!
//! Which results become events, in report order, the view's filter applied:
//!
//! | regent verdict | `compliance.status_id` | `severity_id` |
//! | --- | --- | --- |
//! | NON_COMPLIANT | 3 Fail | the control's |
//! | ERROR | 2 Warning ("did not yield a result due to missing information") | the control's |
//! | COMPLIANT | 1 Pass | 1 Informational, as Security Hub rates a passed check |
//! | NOT_APPLICABLE | none: OCSF 1.3.0's compliance status has no "not applicable" (0 Unknown, 1 Pass, 2 Warning, 3 Fail, 99 Other), so these results are left out | |
//!
//! A control's severity maps onto `severity_id` as informational 1, low 2, medium 3,
//! high 4, critical 5; the control's own severity and regent's verdict are also kept under
//! `unmapped`. Every event is `activity_id` 1 (Create), `type_uid` 200301, finding
//! `status_id` 1 (New): a report states findings, it tracks no workflow.
//!
//! - `finding_info.uid` is stable per control and resource (`regent/<control id>/<ARN>`,
//!   or `regent/<control id>/<account>/<region>/<type>/<id>` without an ARN), as ASFF's
//!   `Id`, so a later run's events update the same findings.
//! - `time` (milliseconds since the epoch) is the item's capture time; for a result without
//!   one (an account-level control's) the newest capture time of its account and region,
//!   else of the report, else the `--as-of` of a shard's report; with no time at all, 0.
//!   Never the clock: the same report gives the same bytes.
//! - `cloud` names the account and region (the `cloud` profile, listed in
//!   `metadata.profiles`); `resources[0]` the resource: its ARN (else its id) as `uid`, its
//!   Config type, name, region and partition.
//! - `compliance`: the control id, the standards it belongs to (regent's names, such as
//!   `cis-aws-foundations-benchmark/v1.4.0`), each standard's requirement ids
//!   (`cis-aws-foundations-benchmark/v1.4.0 2.1.2`), the status and the reason.
//! - `remediation`: the runbook to run (with its parameters for this resource when they
//!   are resolved) and the control's page in the Security Hub user guide, when it has one.

use super::finding::{documentation, fix_text, partition, resource_uid, types};
use super::put_evaluations::{json, CaptureTimes};
use crate::eval::Compliance;
use crate::policy::{ControlRecord, Severity};
use crate::report::{Report, ResultRow};
use crate::sink::View;
use serde::Serialize;
use std::io::{self, Write};

/// The OCSF schema version the events follow.
pub const SCHEMA_VERSION: &str = "1.3.0";
pub const CLASS_UID: u32 = 2003;
pub const CATEGORY_UID: u32 = 2;
/// Create: a report states each finding afresh.
pub const ACTIVITY_ID: u32 = 1;
/// `class_uid * 100 + activity_id`.
pub const TYPE_UID: u32 = CLASS_UID * 100 + ACTIVITY_ID;

/// One Compliance Finding event, attributes in the order the OCSF documentation lists
/// them (classification, occurrence, context, primary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub activity_id: u32,
    pub activity_name: &'static str,
    pub category_uid: u32,
    pub category_name: &'static str,
    pub class_uid: u32,
    pub class_name: &'static str,
    pub type_uid: u32,
    pub type_name: &'static str,
    pub severity_id: u8,
    pub severity: &'static str,
    pub status_id: u8,
    pub status: &'static str,
    /// Milliseconds since the epoch (`timestamp_t`).
    pub time: i64,
    pub message: String,
    pub metadata: Metadata,
    pub cloud: Cloud,
    pub finding_info: FindingInfo,
    pub compliance: FindingCompliance,
    pub resources: Vec<Resource>,
    pub remediation: Remediation,
    pub unmapped: Unmapped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub version: &'static str,
    pub product: Product,
    pub profiles: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub name: &'static str,
    pub vendor_name: &'static str,
    /// The regent version that wrote the report.
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cloud {
    pub provider: &'static str,
    pub account: Account,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub uid: String,
    /// `AWS Account`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub type_id: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingInfo {
    pub uid: String,
    pub title: String,
    pub desc: String,
    pub types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingCompliance {
    pub control: String,
    pub standards: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    pub status_id: u8,
    pub status: &'static str,
    /// regent's verdict (`NON_COMPLIANT`).
    pub status_code: &'static str,
    /// Why: the failure's reasons, or the evaluation error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// The ARN when there is one; `AWS::::Account:<id>` for an account; else the id.
    pub uid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The AWS Config resource type (`AWS::S3::Bucket`).
    #[serde(rename = "type")]
    pub kind: String,
    pub region: String,
    /// aws, aws-cn or aws-us-gov.
    pub cloud_partition: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remediation {
    pub desc: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

/// What regent knows that no OCSF attribute holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// NON_COMPLIANT, ERROR or COMPLIANT.
    pub compliance_type: &'static str,
    /// The control's severity, as its metadata writes it (`severity_id` of a COMPLIANT
    /// result is Informational).
    pub control_severity: &'static str,
    /// The input the item came from (`file#index`, `file:line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The events of the results the view shows, in report order (NOT_APPLICABLE results
/// left out).
pub fn findings(report: &Report, view: &View) -> Vec<Finding> {
    let times = CaptureTimes::of(report);
    let as_of = report
        .shard
        .as_ref()
        .and_then(|s| s.as_of.as_deref())
        .and_then(millis);
    view.results(report)
        .filter(|row| row.compliance_type != Compliance::NotApplicable)
        .map(|row| {
            let time = times
                .of_row(row)
                .as_deref()
                .and_then(millis)
                .or(as_of)
                // No time anywhere in the report: the epoch, never the clock.
                .unwrap_or(0);
            finding(row, report.control(&row.control_id), &report.version, time)
        })
        .collect()
}

/// `--format ocsf`: a JSON array of events, one per line.
pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    write!(out, "[")?;
    for (i, finding) in findings(report, view).iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        out.write_all(&json(finding))?;
    }
    writeln!(out, "\n]")?;
    out.flush()
}

fn millis(time: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(time)
        .ok()
        .map(|t| t.timestamp_millis())
}

fn finding(row: &ResultRow, control: Option<&ControlRecord>, version: &str, time: i64) -> Finding {
    let subject = &*row.subject;
    let (status_id, status) = compliance_status(row.compliance_type);
    let severity = match row.compliance_type {
        Compliance::Compliant => Severity::Informational,
        _ => row.severity,
    };
    let (severity_id, severity_name) = severity_id(severity);
    let partition = partition(subject.arn.as_deref(), &subject.region);
    let detail = row
        .annotation
        .as_deref()
        .filter(|a| !a.is_empty() && row.compliance_type != Compliance::Compliant)
        .map(str::to_string);
    let (standards, requirements) = standards(control);
    let mut message = format!(
        "{} {}: {} {}",
        row.control_id,
        row.compliance_type.as_str(),
        subject.resource_type,
        subject.resource_id
    );
    if let Some(detail) = &detail {
        message.push_str(": ");
        message.push_str(detail);
    }
    Finding {
        activity_id: ACTIVITY_ID,
        activity_name: "Create",
        category_uid: CATEGORY_UID,
        category_name: "Findings",
        class_uid: CLASS_UID,
        class_name: "Compliance Finding",
        type_uid: TYPE_UID,
        type_name: "Compliance Finding: Create",
        severity_id,
        severity: severity_name,
        // A waived finding is accepted: OCSF's Suppressed.
        status_id: if row.waiver.is_some() { 3 } else { 1 },
        status: if row.waiver.is_some() {
            "Suppressed"
        } else {
            "New"
        },
        time,
        message,
        metadata: Metadata {
            version: SCHEMA_VERSION,
            product: Product {
                name: "regent",
                vendor_name: "regent",
                version: version.to_string(),
            },
            profiles: vec!["cloud"],
        },
        cloud: Cloud {
            provider: "AWS",
            account: Account {
                uid: subject.account.to_string(),
                kind: "AWS Account",
                type_id: 10,
            },
            region: subject.region.to_string(),
        },
        finding_info: FindingInfo {
            uid: finding_uid(row),
            title: row.title.to_string(),
            desc: description(row, control),
            types: types(control),
            src_url: documentation(&row.control_id),
        },
        compliance: FindingCompliance {
            control: row.control_id.to_string(),
            standards,
            requirements,
            status_id,
            status,
            status_code: row.compliance_type.as_str(),
            status_detail: detail,
        },
        resources: vec![Resource {
            uid: resource_uid(row),
            name: subject
                .resource_name
                .as_deref()
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            kind: subject.resource_type.to_string(),
            region: subject.region.to_string(),
            cloud_partition: partition,
        }],
        remediation: remediation(row, control),
        unmapped: Unmapped {
            compliance_type: row.compliance_type.as_str(),
            control_severity: row.severity.as_str(),
            source: subject.origin.as_ref().map(ToString::to_string),
        },
    }
}

/// The OCSF 1.3.0 compliance status of a verdict (NOT_APPLICABLE has none: its results
/// are no events).
fn compliance_status(verdict: Compliance) -> (u8, &'static str) {
    match verdict {
        Compliance::Compliant => (1, "Pass"),
        Compliance::Error => (2, "Warning"),
        Compliance::NonCompliant => (3, "Fail"),
        Compliance::NotApplicable => (0, "Unknown"),
    }
}

/// OCSF's `severity_id` and its caption.
pub fn severity_id(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Informational => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// Stable per control and resource (and per account and region for a resource without an
/// ARN), so a later run's event updates the same finding.
fn finding_uid(row: &ResultRow) -> String {
    let s = &*row.subject;
    match &s.arn {
        Some(arn) => format!("regent/{}/{arn}", row.control_id),
        None => format!(
            "regent/{}/{}/{}/{}/{}",
            row.control_id, s.account, s.region, s.resource_type, s.resource_id
        ),
    }
}

/// The control's standards (sorted, as its metadata holds them), and each standard's
/// requirement ids prefixed by the standard.
fn standards(control: Option<&ControlRecord>) -> (Vec<String>, Vec<String>) {
    let Some(control) = control else {
        return (Vec::new(), Vec::new());
    };
    let standards = control.meta.standards.keys().cloned().collect();
    let requirements = control
        .meta
        .standards
        .iter()
        .flat_map(|(standard, ids)| ids.iter().map(move |id| format!("{standard} {id}")))
        .collect();
    (standards, requirements)
}

/// Why it failed (the reasons) or could not be judged (the error), then what the control
/// checks.
fn description(row: &ResultRow, control: Option<&ControlRecord>) -> String {
    let checks = control
        .map(|c| c.meta.description.trim())
        .filter(|d| !d.is_empty())
        .unwrap_or(&row.title);
    match row
        .annotation
        .as_deref()
        .filter(|a| !a.is_empty() && row.compliance_type != Compliance::Compliant)
    {
        Some(why) => format!("{why}\n\n{checks}"),
        None => checks.to_string(),
    }
}

/// The runbook that fixes it (with its parameters for this resource when resolved), and
/// the control's page in the Security Hub user guide when it has one.
fn remediation(row: &ResultRow, control: Option<&ControlRecord>) -> Remediation {
    let desc = fix_text(row, control);
    Remediation {
        desc,
        references: documentation(&row.control_id).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_uid_is_class_times_100_plus_activity() {
        assert_eq!(TYPE_UID, 200_301);
    }

    #[test]
    fn severities_map_one_to_five() {
        let ids: Vec<u8> = Severity::ALL.iter().map(|s| severity_id(*s).0).collect();
        assert_eq!(ids, [5, 4, 3, 2, 1]);
    }
}
