//! The pack's runbook data (`policies/remediation/runbooks.json`) and the least-privilege
//! IAM policy built from it: every runbook a control names has an entry, no entry grants a
//! wildcard, and a user's broken file is reported without losing the rest of the pack.

mod common;

use regent::diagnostics::Code;
use regent::policy::runbooks::{is_action, RUNBOOKS_FILE};
use regent::policy::Pack;
use regent::remediation::iam;
use std::collections::BTreeSet;
use std::path::Path;

fn builtin() -> Pack {
    let pack = Pack::load(true, &[]);
    assert!(
        pack.problems.is_empty(),
        "the built-in pack loads without problems: {:#?}",
        pack.problems
    );
    pack
}

/// The built-in pack with a user directory holding only `remediation/runbooks.json`.
fn with_user_runbooks(dir: &Path, text: &str) -> Pack {
    common::write(dir, RUNBOOKS_FILE, text);
    Pack::load(true, &[dir.to_path_buf()])
}

fn codes(pack: &Pack) -> Vec<Code> {
    pack.problems.iter().map(|p| p.code).collect()
}

#[test]
fn every_runbook_a_control_names_has_an_entry() {
    let pack = builtin();
    let named = iam::runbooks_of_controls(&pack);
    assert!(named.len() > 80, "the pack names {} runbooks", named.len());
    let missing: Vec<&String> = named
        .iter()
        .filter(|r| !pack.runbooks.contains_key(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "runbooks without IAM actions: {missing:?}"
    );
    // So the policy for all of them can be made.
    let policy = iam::policy(&pack, &named).expect("every named runbook is known");
    assert_eq!(policy["Statement"].as_array().unwrap().len(), named.len());
}

#[test]
fn no_entry_grants_a_wildcard_and_every_action_names_one_action() {
    let pack = builtin();
    let mut offenders = Vec::new();
    for (runbook, entry) in &pack.runbooks {
        assert!(!entry.actions.is_empty(), "{runbook} lists actions");
        assert!(
            entry.source.len() > 10,
            "{runbook} says where its actions come from"
        );
        for action in &entry.actions {
            if action.contains('*') || action.contains('?') || !is_action(action) {
                offenders.push(format!("{runbook}: {action}"));
            }
        }
        let mut sorted = entry.actions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(entry.actions, sorted, "{runbook}: sorted, each once");
    }
    assert!(
        offenders.is_empty(),
        "actions that are wildcards or not service:Action: {offenders:?}"
    );
}

#[test]
fn the_file_on_disk_is_what_the_pack_embeds_and_policies_never_see_it() {
    let pack = builtin();
    let text = std::fs::read_to_string(common::root().join("policies").join(RUNBOOKS_FILE))
        .expect("policies/remediation/runbooks.json exists");
    let on_disk: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        pack.runbooks.keys().collect::<Vec<_>>()
    );
    assert!(
        !pack.reference.contains_key("runbooks"),
        "the runbook data is not data.reference"
    );
}

#[test]
fn the_policy_for_two_runbooks() {
    let pack = builtin();
    let runbooks: BTreeSet<String> = ["ASR-SetSSLBucketPolicy", "AWS-UpdateEKSCluster"]
        .into_iter()
        .map(String::from)
        .collect();
    let policy = iam::policy(&pack, &runbooks).unwrap();
    common::settings().bind(|| insta::assert_json_snapshot!(policy));
}

#[test]
fn a_runbook_the_data_does_not_know_is_named() {
    let pack = builtin();
    let runbooks: BTreeSet<String> = ["ASR-SetSSLBucketPolicy", "Acme-FixEverything"]
        .into_iter()
        .map(String::from)
        .collect();
    let problems = iam::policy(&pack, &runbooks).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, Code::RemediationUnknownRunbook);
    assert!(problems[0].message.contains("Acme-FixEverything"));
}

#[test]
fn a_malformed_user_file_is_reported_and_the_rest_of_the_pack_loads() {
    let builtin = builtin();
    let dir = tempfile::tempdir().unwrap();
    let pack = with_user_runbooks(
        dir.path(),
        "{\"AWS-Fix\": {\"actions\": [\"s3:GetObject\"],",
    );
    assert_eq!(codes(&pack), [Code::PackRunbooks]);
    let problem = &pack.problems[0];
    assert!(
        problem.source.ends_with("runbooks.json"),
        "{}",
        problem.source
    );
    assert!(problem.location().is_some(), "points at the place");
    assert_eq!(pack.controls.len(), builtin.controls.len());
    assert_eq!(
        pack.runbooks, builtin.runbooks,
        "the built-in entries stand"
    );
}

#[test]
fn a_user_entry_with_a_wildcard_is_refused_and_its_sound_neighbours_apply() {
    let builtin = builtin();
    let dir = tempfile::tempdir().unwrap();
    let pack = with_user_runbooks(
        dir.path(),
        r#"{
            "ASR-SetSSLBucketPolicy": {"actions": ["s3:*"], "source": "too broad"},
            "ASR-S3BlockDenylist": {"actions": ["s3:PutBucketPolicy"], "source": "ours"},
            "Acme-Fix": {"actions": ["ec2:DescribeInstances"], "source": "ours"}
        }"#,
    );
    assert_eq!(codes(&pack), [Code::PackRunbooks]);
    assert!(pack.problems[0].message.contains("ASR-SetSSLBucketPolicy"));
    assert!(pack.problems[0].message.contains("s3:*"));
    assert_eq!(
        pack.runbooks["ASR-SetSSLBucketPolicy"], builtin.runbooks["ASR-SetSSLBucketPolicy"],
        "the refused entry replaces nothing"
    );
    assert_eq!(
        pack.runbooks["ASR-S3BlockDenylist"].actions,
        ["s3:PutBucketPolicy"]
    );
    assert_eq!(pack.runbooks["Acme-Fix"].source, "ours");
    assert_eq!(pack.controls.len(), builtin.controls.len());
}

#[test]
fn a_user_file_that_is_not_an_object_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pack = with_user_runbooks(dir.path(), "[\"AWS-Fix\"]");
    assert_eq!(codes(&pack), [Code::PackRunbooks]);
    assert_eq!(pack.runbooks, builtin().runbooks);
}
