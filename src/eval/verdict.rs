//! A verdict: one control on one subject.

use crate::model::Subject;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Compliance {
    Compliant,
    NonCompliant,
    NotApplicable,
    Error,
}

impl Compliance {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Compliant => "COMPLIANT",
            Self::NonCompliant => "NON_COMPLIANT",
            Self::NotApplicable => "NOT_APPLICABLE",
            Self::Error => "ERROR",
        }
    }
}

/// How an ERROR's annotation starts when the evaluation ran out of its budget (or was not
/// run because the control had already done so too often): the report counts these as
/// `eval::timeout`, not `eval::runtime`.
pub const OVER_BUDGET: &str = "over budget:";

/// The values of a failing item that its control's runbook templates name
/// (`{{configuration.<path>}}`), by path; the report fills the templates with them.
pub type Captured = Vec<(Arc<str>, serde_json::Value)>;

/// The verdict of one control on one subject. Kept small: an organisation gives millions,
/// so the subject is shared and the captured values (on some failures only) are boxed.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Index into `Pack::controls`.
    pub control: usize,
    pub subject: Arc<Subject>,
    /// The subject's place in the run: the item's in the inventory (sorted by account,
    /// region, type, id), or for account-level controls the (account, region) pair's. A
    /// control's rows sort by it, so sorting compares two numbers instead of four strings.
    pub order: u32,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    /// On a NON_COMPLIANT verdict whose runbook templates read the item's configuration.
    pub captured: Option<Box<Captured>>,
}
