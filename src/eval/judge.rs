//! From what a control's rules returned (or an item's status) to a verdict.

use super::options::is_budget_error;
use super::verdict::{Compliance, OVER_BUDGET};
use crate::diagnostics::Code;
use crate::model::{ConfigurationItem, ItemStatus};
use crate::policy::{regorus_problem, Control};
use std::collections::BTreeSet;

/// Why an item is NOT_APPLICABLE whatever its controls say (deleted, not recorded, out of
/// the rule's scope), as AWS Config decides.
pub fn status_reason(item: &ConfigurationItem) -> Option<String> {
    if item.left_scope {
        return Some("the resource left the rule's scope (eventLeftScope)".into());
    }
    match item.status {
        ItemStatus::Ok | ItemStatus::ResourceDiscovered => None,
        ItemStatus::ResourceDeleted => Some("the resource was deleted (ResourceDeleted)".into()),
        ItemStatus::ResourceDeletedNotRecorded => {
            Some("the resource was deleted (ResourceDeletedNotRecorded)".into())
        }
        ItemStatus::ResourceNotRecorded => {
            Some("the resource type is not recorded (ResourceNotRecorded)".into())
        }
        ItemStatus::Other => Some(format!(
            "configurationItemStatus `{}` is not evaluated",
            item.status_text
        )),
    }
}

/// The verdict from a control's `applicable` (`None` when it has none) and, unless that is
/// false, its `violation`.
pub fn judge(
    control: &Control,
    applicable: Option<Result<regorus::Value, String>>,
    violation: impl FnOnce() -> Result<regorus::Value, String>,
) -> (Compliance, Option<String>) {
    let error = |err: &str| {
        let problem = regorus_problem(Code::EvalRuntime, &[&control.file], &err);
        let annotation = if is_budget_error(err) {
            format!(
                "{OVER_BUDGET} stopped after the evaluation budget (--eval-timeout) at {}",
                problem.place()
            )
        } else {
            format!("{}: {}", problem.place(), problem.message)
        };
        (Compliance::Error, Some(annotation))
    };
    match applicable {
        Some(Ok(regorus::Value::Bool(false))) => {
            return (
                Compliance::NotApplicable,
                Some("out of the control's scope".into()),
            )
        }
        Some(Err(err)) => return error(&err),
        Some(Ok(_)) | None => {}
    }
    match violation() {
        Ok(value) => {
            let reasons = reasons(&value);
            if reasons.is_empty() {
                (Compliance::Compliant, None)
            } else {
                (
                    Compliance::NonCompliant,
                    Some(reasons.into_iter().collect::<Vec<_>>().join("; ")),
                )
            }
        }
        Err(err) => error(&err),
    }
}

fn reasons(value: &regorus::Value) -> BTreeSet<String> {
    let text = |v: &regorus::Value| match v {
        regorus::Value::String(s) => s.to_string(),
        other => other.to_json_str().unwrap_or_else(|_| format!("{other:?}")),
    };
    match value {
        regorus::Value::Set(set) => set.iter().map(text).collect(),
        regorus::Value::Array(items) => items.iter().map(text).collect(),
        regorus::Value::Undefined | regorus::Value::Null => BTreeSet::new(),
        regorus::Value::Bool(false) => BTreeSet::new(),
        other => std::iter::once(text(other)).collect(),
    }
}
