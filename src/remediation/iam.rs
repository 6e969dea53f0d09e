//! `regent remediate iam-policy`: the IAM policy an automation role needs to run a set of
//! runbooks (those of a plan, or those the selected controls name), from the pack's runbook
//! data (`remediation/runbooks.json`). One statement per runbook, so a reviewer sees which
//! runbook asks for what; deterministic.

use crate::diagnostics::{Code, Problem};
use crate::policy::runbooks::RUNBOOKS_FILE;
use crate::policy::Pack;
use crate::remediation::plan::Plan;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The policy language version every IAM policy document states.
pub const POLICY_VERSION: &str = "2012-10-17";

/// The runbooks a plan would run.
pub fn runbooks_of_plan(plan: &Plan) -> BTreeSet<String> {
    plan.groups.iter().map(|g| g.runbook.clone()).collect()
}

/// The runbooks the pack's controls name (after any selection applied to the pack).
pub fn runbooks_of_controls(pack: &Pack) -> BTreeSet<String> {
    pack.controls
        .iter()
        .filter_map(|c| c.meta.remediation.as_ref())
        .map(|r| r.runbook.to_string())
        .collect()
}

/// The IAM policy document allowing exactly the actions these runbooks need, one statement
/// per runbook (in name order) with `Resource: "*"`: the role runs them on whichever
/// resources fail. Every runbook the data does not know is a problem, all at once.
pub fn policy(pack: &Pack, runbooks: &BTreeSet<String>) -> Result<Value, Vec<Problem>> {
    let problems: Vec<Problem> = runbooks
        .iter()
        .filter(|name| !pack.runbooks.contains_key(*name))
        .map(|name| unknown_runbook(name))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut sids = StatementIds::default();
    let statements: Vec<Value> = runbooks
        .iter()
        .map(|name| {
            json!({
                "Sid": sids.next(name),
                "Effect": "Allow",
                "Action": pack.runbooks[name].actions,
                "Resource": "*",
            })
        })
        .collect();
    Ok(json!({"Version": POLICY_VERSION, "Statement": statements}))
}

fn unknown_runbook(name: &str) -> Problem {
    Problem::new(
        Code::RemediationUnknownRunbook,
        name,
        format!("runbook `{name}` has no entry in {RUNBOOKS_FILE}: the actions its automation role needs are unknown"),
    )
    .with_help(format!(
        "add \"{name}\": {{\"actions\": [...], \"source\": \"...\"}} to {RUNBOOKS_FILE} in a --policies directory (the runbook's reference page lists its required IAM permissions)"
    ))
}

/// Statement ids: IAM allows only letters and digits, so `ASR-EnableKeyRotation` becomes
/// `ASREnableKeyRotation`; two names that collapse to the same id get `2`, `3`, ... after
/// the later ones, so every id is unique.
#[derive(Default)]
struct StatementIds(BTreeMap<String, usize>);

impl StatementIds {
    fn next(&mut self, runbook: &str) -> String {
        let mut base: String = runbook
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        if base.is_empty() {
            base.push_str("Runbook");
        }
        let seen = self.0.entry(base.clone()).or_default();
        *seen += 1;
        match *seen {
            1 => base,
            n => format!("{base}{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Runbook;

    fn pack_with(entries: &[(&str, &[&str])]) -> Pack {
        let mut pack = Pack::default();
        for (name, actions) in entries {
            pack.runbooks.insert(
                name.to_string(),
                Runbook {
                    actions: actions.iter().map(|a| a.to_string()).collect(),
                    source: "test".into(),
                },
            );
        }
        pack
    }

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_statement_per_runbook_in_name_order() {
        let pack = pack_with(&[
            (
                "ASR-SetSSLBucketPolicy",
                &["s3:GetBucketPolicy", "s3:PutBucketPolicy"],
            ),
            ("AWS-ReleaseElasticIP", &["ec2:ReleaseAddress"]),
            ("Unused", &["kms:DescribeKey"]),
        ]);
        let policy = policy(
            &pack,
            &names(&["AWS-ReleaseElasticIP", "ASR-SetSSLBucketPolicy"]),
        )
        .unwrap();
        assert_eq!(
            policy,
            json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "ASRSetSSLBucketPolicy", "Effect": "Allow", "Action": ["s3:GetBucketPolicy", "s3:PutBucketPolicy"], "Resource": "*"},
                    {"Sid": "AWSReleaseElasticIP", "Effect": "Allow", "Action": ["ec2:ReleaseAddress"], "Resource": "*"},
                ],
            })
        );
    }

    #[test]
    fn every_unknown_runbook_is_named() {
        let pack = pack_with(&[("Known", &["s3:GetObject"])]);
        let problems = policy(&pack, &names(&["Known", "Missing-One", "Missing-Two"])).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(named, ["Missing-One", "Missing-Two"]);
        assert!(problems
            .iter()
            .all(|p| p.code == Code::RemediationUnknownRunbook));
    }

    #[test]
    fn statement_ids_stay_unique_when_names_collapse() {
        let mut ids = StatementIds::default();
        assert_eq!(ids.next("A-B"), "AB");
        assert_eq!(ids.next("AB"), "AB2");
        assert_eq!(ids.next("---"), "Runbook");
    }
}
