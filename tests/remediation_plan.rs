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

#[test]
fn remediate_plan_writes_only_the_plan_and_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = needed_settings(dir.path());
    let mut args: Vec<String> = ["remediate", "plan", DEMO, "--format", "json"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(with_settings(&names));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(run.code, 0, "a plan made is a success: {}", run.stderr);
    let plan: Value = serde_json::from_str(&run.stdout).expect("the plan, alone, on stdout");
    assert_eq!(plan["plan_version"], 1);
    assert!(plan["actions"].as_u64().unwrap() > 0);
    assert!(plan.get("results").is_none(), "no report");

    // The same plan as `eval --remediation-plan` makes.
    let path = dir.path().join("p.json").display().to_string();
    let mut eval: Vec<String> = [
        "eval",
        DEMO,
        "--remediation-plan",
        &path,
        "--format",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    eval.extend(with_settings(&names));
    let refs: Vec<&str> = eval.iter().map(String::as_str).collect();
    regent(&refs);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), run.stdout);

    // A cap it passes, markdown for review, and a cap it does not pass.
    let mut capped = args.clone();
    capped.extend(["--max-resources".into(), "2".into()]);
    let refs: Vec<&str> = capped.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("remediation::too_many"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "no plan printed");
    let mut markdown = args.clone();
    markdown[4] = "markdown".into();
    let refs: Vec<&str> = markdown.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("## regent remediation plan: "));
}

#[test]
fn export_prints_each_format_and_says_what_it_left_out() {
    let config = regent(&[
        "remediate",
        "export",
        "--format",
        "config",
        "--control",
        "S3.5,SQS.1",
        "--account",
        "111122223333",
        "--set",
        "remediation_role_arn=arn:aws:iam::111122223333:role/Fixer",
    ]);
    assert_eq!(config.code, 0, "{}", config.stderr);
    let requests: Value = serde_json::from_str(&config.stdout).expect("JSON");
    let configurations = requests[0]["RemediationConfigurations"].as_array().unwrap();
    assert_eq!(
        configurations.len(),
        1,
        "SQS.1 needs the queue's name: left out"
    );
    assert_eq!(configurations[0]["ConfigRuleName"], "regent-s3-5");
    assert!(
        config.stderr.contains("SQS.1: remediation not exported"),
        "{}",
        config.stderr
    );

    let missing = regent(&[
        "remediate",
        "export",
        "--format",
        "config",
        "--control",
        "S3.5",
        "--account",
        "111122223333",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("remediation::setting"),
        "{}",
        missing.stderr
    );

    let template = regent(&[
        "remediate",
        "export",
        "--format",
        "cloudformation",
        "--control",
        "S3.5",
    ]);
    assert_eq!(template.code, 0, "{}", template.stderr);
    let template: Value = serde_json::from_str(&template.stdout).expect("JSON");
    let kinds: Vec<&str> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["Type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"AWS::Config::ConfigRule"));
    assert!(kinds.contains(&"AWS::Config::RemediationConfiguration"));
}

#[test]
fn notify_posts_the_plans_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names = needed_settings(dir.path());
    let hook = common::webhook::Webhook::start();
    let url = format!("{}/hooks/secret", hook.url());
    let mut args: Vec<String> = ["remediate", "plan", DEMO, "--notify", &url]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(with_settings(&names));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = regent(&refs);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plan: Value = serde_json::from_str(&run.stdout).expect("JSON in a pipe");
    let posts = hook.posts();
    assert_eq!(posts.len(), 1);
    let counts = &posts[0].body["regent"]["counts"];
    assert_eq!(counts["actions"], plan["actions"]);
    assert_eq!(
        counts["unplanned"].as_u64(),
        Some(plan["unplanned"].as_array().unwrap().len() as u64)
    );
    assert!(posts[0].body["text"]
        .as_str()
        .unwrap()
        .starts_with("*regent remediate plan*: "));
}
