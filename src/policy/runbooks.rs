//! The pack's runbook data, `remediation/runbooks.json`: for each SSM Automation runbook a
//! control may name, the IAM actions its automation role needs and where that list comes
//! from. `regent remediate iam-policy` builds the least-privilege policy from it. It is not
//! reference data: policies never see it.

use crate::diagnostics::{Code, Problem};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where the file sits in a pack (the embedded one and a user's `--policies` directory).
pub const RUNBOOKS_FILE: &str = "remediation/runbooks.json";

/// What running one runbook needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runbook {
    /// IAM actions (`s3:PutBucketPolicy`), sorted, each once, none with a wildcard.
    pub actions: Vec<String>,
    /// Where the list comes from (the runbook's reference page, ASR's member role).
    pub source: String,
}

/// Runbook name -> what it needs.
pub type Runbooks = BTreeMap<String, Runbook>;

const ENTRY_KEYS: &[&str] = &["actions", "source"];

/// Add the entries of the file at `path` to `runbooks`, replacing those of the same name (a
/// user's file is read after the embedded one, so its entries win). A file that is not a
/// JSON object adds nothing; an entry that is malformed or grants a wildcard action is left
/// out. Each is a problem.
pub fn merge(runbooks: &mut Runbooks, path: &str, text: &str) -> Vec<Problem> {
    let entries = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(entries)) => entries,
        Ok(other) => {
            return vec![problem(
                path,
                format!(
                "must be a JSON object of runbook name -> {{\"actions\", \"source\"}}, found {}",
                kind(&other)
            ),
            )]
        }
        Err(err) => {
            return vec![problem(path, format!("invalid JSON: {err}")).at(
                text,
                err.line().max(1),
                err.column().max(1),
                "here",
            )]
        }
    };
    let mut problems = Vec::new();
    for (name, entry) in &entries {
        match runbook(entry) {
            Ok(found) => {
                runbooks.insert(name.clone(), found);
            }
            Err(reason) => problems.push(problem(path, format!("runbook `{name}`: {reason}"))),
        }
    }
    problems
}

/// One entry, or why it is refused.
fn runbook(entry: &Value) -> Result<Runbook, String> {
    let Value::Object(entry) = entry else {
        return Err(format!(
            "must be an object with `actions` and `source`, found {}",
            kind(entry)
        ));
    };
    if let Some(unknown) = entry.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{unknown}` (keys are `actions` and `source`)"
        ));
    }
    let source = match entry.get("source") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err("`source` must say where the actions come from".into()),
    };
    Ok(Runbook {
        actions: actions(entry)?,
        source,
    })
}

/// The entry's actions, sorted and each once.
fn actions(entry: &Map<String, Value>) -> Result<Vec<String>, String> {
    let Some(Value::Array(list)) = entry.get("actions") else {
        return Err("`actions` must be a list of IAM actions".into());
    };
    let mut actions = Vec::with_capacity(list.len());
    for action in list {
        let Value::String(action) = action else {
            return Err(format!("action {action} is not a string"));
        };
        check_action(action)?;
        actions.push(action.clone());
    }
    if actions.is_empty() {
        return Err("`actions` is empty: a runbook that needs no permission does nothing".into());
    }
    actions.sort();
    actions.dedup();
    Ok(actions)
}

/// An action must name one action of one service: `service:Action`. A wildcard (`*`, `?`)
/// would grant whatever the service adds later, which least privilege rules out.
fn check_action(action: &str) -> Result<(), String> {
    if action.contains(['*', '?']) {
        return Err(format!(
            "action `{action}` is a wildcard; list the actions the runbook calls"
        ));
    }
    if !is_action(action) {
        return Err(format!(
            "action `{action}` is not of the form service:Action (e.g. s3:PutBucketPolicy)"
        ));
    }
    Ok(())
}

/// `service:Action`: a lowercase service prefix and an action name starting with a capital.
pub fn is_action(action: &str) -> bool {
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn problem(path: &str, message: String) -> Problem {
    Problem::new(Code::PackRunbooks, path, message).with_help(
        "each entry is \"<runbook>\": {\"actions\": [\"service:Action\", ...], \"source\": \"...\"}; see policies/README.md",
    )
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge_text(runbooks: &mut Runbooks, text: &str) -> Vec<Problem> {
        merge(runbooks, "mine/remediation/runbooks.json", text)
    }

    #[test]
    fn actions_are_sorted_and_each_kept_once() {
        let mut runbooks = Runbooks::new();
        let problems = merge_text(
            &mut runbooks,
            r#"{"X": {"actions": ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"], "source": "doc"}}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            runbooks["X"].actions,
            ["s3:GetBucketPolicy", "s3:PutBucketPolicy"]
        );
    }

    #[test]
    fn a_bad_entry_is_left_out_and_the_others_kept() {
        let mut runbooks = Runbooks::new();
        let problems = merge_text(
            &mut runbooks,
            r#"{"Wild": {"actions": ["s3:Put?"], "source": "x"},
                    "Shape": {"actions": ["S3 put"], "source": "x"},
                    "Good": {"actions": ["kms:EnableKeyRotation"], "source": "x"}}"#,
        );
        assert_eq!(runbooks.keys().collect::<Vec<_>>(), ["Good"]);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages
            .iter()
            .any(|m| m.contains("`Wild`") && m.contains("wildcard")));
        assert!(messages
            .iter()
            .any(|m| m.contains("`Shape`") && m.contains("service:Action")));
        assert!(problems.iter().all(|p| p.code == Code::PackRunbooks));
    }

    #[test]
    fn what_an_action_looks_like() {
        for good in [
            "s3:PutBucketPolicy",
            "apigateway:GET",
            "application-autoscaling:PutScalingPolicy",
            "ec2:DescribeInstances",
        ] {
            assert!(is_action(good), "{good}");
        }
        for bad in [
            "s3",
            "S3:PutBucketPolicy",
            "s3:putBucketPolicy",
            ":Put",
            "s3:Put Bucket",
            "s3:Put:Bucket",
        ] {
            assert!(!is_action(bad), "{bad}");
        }
    }
}
