//! `regent eval --remediation-plan`: what would run for every unwaived finding, grouped by
//! runbook, through the real CLI on the demo export. Nothing runs.

mod common;

use common::{regent, write};
use serde_json::Value;

const DEMO: &str = "fixtures/demo";

/// The settings the demo's runbooks need, from the problems of a run without them.
fn needed_settings(dir: &std::path::Path) -> Vec<String> {
    let plan = dir.join("plan.json").display().to_string();
    let run = regent(&[
        "eval",
        DEMO,
        "--remediation-plan",
        &plan,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "a plan without its settings is refused");
    assert!(!dir.join("plan.json").exists(), "and not written");
    let report: Value = serde_json::from_str(&run.stdout).expect("the report is still written");
    let _ = report;
    let mut names: Vec<String> = run
        .stderr
        .match_indices("settings.")
        .map(|(at, _)| {
            run.stderr[at + "settings.".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .filter(|n: &String| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    assert!(
        run.stderr.contains("remediation::setting"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--set"), "says how to give it");
    names
}

fn with_settings(names: &[String]) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| ["--set".to_string(), format!("{n}=value-of-{n}")])
        .collect()
}

#[test]
fn a_plan_lists_every_unwaived_finding_with_a_runbook_grouped_by_runbook() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = needed_settings(dir.path());
    assert!(
        names.iter().any(|n| n == "remediation_role_arn"),
        "{names:?}"
    );
    let waivers = write(
        dir.path(),
        "w.toml",
        "[[waivers]]\ncontrol = \"S3.5\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2099-01-01\n",
    );
    let plan_path = dir.path().join("plan.json").display().to_string();
    let report_path = dir.path().join("report.json").display().to_string();
    let mut args: Vec<String> = [
        "eval",
        DEMO,
        "--remediation-plan",
        &plan_path,
        "--format",
        "json",
        "-o",
        &report_path,
        "--waivers",
        &waivers.display().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(with_settings(&names));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(
        run.code, 1,
        "findings fail the run as before:\n{}",
        run.stderr
    );
    let plan_text = std::fs::read_to_string(&plan_path).expect("the plan is written");
    let plan: Value = serde_json::from_str(&plan_text).expect("JSON");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).expect("JSON");
    let expected = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["compliance_type"] == "NON_COMPLIANT"
                && r.get("waiver").is_none()
                && !r["remediation"].is_null()
        })
        .count();
    assert!(expected > 0);
    let unplanned = plan["unplanned"].as_array().expect("unplanned");
    for u in unplanned {
        assert!(
            u["reason"]
                .as_str()
                .unwrap()
                .contains("which the item does not have"),
            "{u}"
        );
    }
    assert_eq!(
        plan["actions"].as_u64().unwrap() as usize + unplanned.len(),
        expected
    );
    let groups = plan["groups"].as_array().expect("groups");
    let mut runbooks: Vec<&str> = groups
        .iter()
        .map(|g| g["runbook"].as_str().unwrap())
        .collect();
    let sorted = {
        let mut s = runbooks.clone();
        s.sort();
        s
    };
    assert_eq!(runbooks, sorted, "groups in runbook order");
    runbooks.dedup();
    assert_eq!(runbooks.len(), groups.len(), "one group per runbook");
    for group in groups {
        for action in group["actions"].as_array().unwrap() {
            assert_ne!(
                action["control_id"], "S3.5",
                "a waived finding is not planned"
            );
            for value in action["parameters"].as_object().unwrap().values() {
                assert!(
                    !value.to_string().contains("{{"),
                    "every parameter resolved: {action}"
                );
            }
            let control = group["controls"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["control_id"] == action["control_id"])
                .expect("the action's control is listed with its execution controls");
            assert!(control["error_percentage"].as_u64().is_some());
        }
    }
    // The same inputs give the same plan.
    let again = regent(&refs);
    assert_eq!(again.code, 1);
    assert_eq!(std::fs::read_to_string(&plan_path).unwrap(), plan_text);
}

#[test]
fn a_plan_larger_than_max_resources_is_refused_and_markdown_is_for_review() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = needed_settings(dir.path());
    let md = dir.path().join("plan.md").display().to_string();
    let mut args: Vec<String> = [
        "eval",
        DEMO,
        "--remediation-plan",
        &md,
        "--plan-format",
        "markdown",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(with_settings(&names));
    let mut capped = args.clone();
    capped.extend(["--max-resources".to_string(), "3".to_string()]);
    let refs: Vec<&str> = capped.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("remediation::too_many"),
        "{}",
        run.stderr
    );
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = std::fs::read_to_string(&md).expect("written");
    assert!(text.starts_with("## regent remediation plan: "), "{text}");
    assert!(text.contains("(dry run: nothing has run)"));
    assert!(text.contains("| Control | Resource | Account / region | Parameters |"));
}
