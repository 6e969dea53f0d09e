//! Verdicts that rest on a resource being absent stand only on a complete record (README
//! "Partial inputs"). A control's `needs_complete` names the verdicts of it that do (no
//! GuardDuty detector recorded: NON_COMPLIANT; no HTTP listener recorded that fails to
//! redirect: COMPLIANT); when the input is not a complete record of what the control reads,
//! such a verdict becomes NOT_APPLICABLE and says why, and what it would have been.

use super::verdict::Compliance;
use crate::model::inventory::{is_global_type, Inventory, GLOBAL_REGION};
use crate::model::Subject;
use crate::policy::Control;
use std::sync::Arc;

/// How the annotation of a verdict withheld for a partial input starts.
pub const PARTIAL_INPUT: &str = "partial input:";

/// Whether `control` declares that its `compliance` verdict rests on a resource being
/// absent.
pub fn rests_on_absence(control: &Control, compliance: Compliance) -> bool {
    let needs = control.meta.needs_complete;
    match compliance {
        Compliance::Compliant => needs.compliant,
        Compliance::NonCompliant => needs.non_compliant,
        Compliance::NotApplicable | Compliance::Error => false,
    }
}

/// `verdict` of `control` on `subject`, unless it rests on a resource being absent and the
/// input is not a complete record of what the control reads: the subject's account and
/// region and, for a control that reads global types (IAM), the account's global record.
/// Then NOT_APPLICABLE, with an annotation that says so and what the verdict would be.
pub fn unless_partial(
    inventory: &Inventory,
    control: &Control,
    subject: &Subject,
    verdict: (Compliance, Option<String>),
) -> (Compliance, Option<String>) {
    let (compliance, annotation) = verdict;
    if inventory.assume_complete || !rests_on_absence(control, compliance) {
        return (compliance, annotation);
    }
    let (account, region) = (&subject.account, &subject.region);
    let regional = !inventory.is_complete(account, region);
    let global = region.as_ref() != GLOBAL_REGION
        && control.meta.requires.iter().any(|t| is_global_type(t))
        && !inventory.is_complete(account, &Arc::from(GLOBAL_REGION));
    let global_record =
        || format!("global resources (region {GLOBAL_REGION}), which this control reads");
    let of_what = match (regional, global) {
        (false, false) => return (compliance, annotation),
        (true, _) if region.as_ref() == GLOBAL_REGION => {
            format!("of account {account}'s global resources (region {GLOBAL_REGION})")
        }
        (true, false) => format!("of account {account} in {region}"),
        (false, true) => format!("of account {account}'s {}", global_record()),
        (true, true) => format!(
            "of account {account} in {region}, nor of its {}",
            global_record()
        ),
    };
    let judged = match annotation {
        Some(reason) => format!("{}: {reason}", compliance.as_str()),
        None => compliance.as_str().to_string(),
    };
    let why = format!(
        "{PARTIAL_INPUT} the input is not a complete record {of_what} (a snapshot file, or what config:// reads, is), so the absence this verdict rests on proves nothing; evaluate the snapshot files, or pass --complete if the input is complete. Judged as complete: {judged}"
    );
    (Compliance::NotApplicable, Some(why))
}
