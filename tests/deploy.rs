//! The deployment template (deploy/config-rules.yaml): cfn-lint accepts it, and every Config
//! rule in it names controls of the pack that can decide on what that rule is given.

mod common;

use serde_json::Value;
use std::process::Command;

const TEMPLATE: &str = "deploy/config-rules.yaml";

/// The template as JSON, read by cfn-lint's own decoder (it knows the short-form tags).
fn template(python: &std::path::Path) -> Value {
    let output = Command::new(python)
        .args([
            "-c",
            "import json, sys\nfrom cfnlint.decode import decode\ntemplate, matches = decode(sys.argv[1])\nassert not matches, matches\nprint(json.dumps(template, default=str))",
            TEMPLATE,
        ])
        .current_dir(common::root())
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn cfn_lint_accepts_the_template() {
    let Some(cfn_lint) = common::tools::tool_or_skip("cfn-lint", "cfn_lint_accepts_the_template")
    else {
        return;
    };
    let output = Command::new(cfn_lint)
        .arg(TEMPLATE)
        .current_dir(common::root())
        .output()
        .expect("cfn-lint runs");
    assert!(
        output.status.success(),
        "cfn-lint: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A change-triggered rule sees one item, a partial input: a control whose verdict rests on
/// what is absent would only ever say NOT_APPLICABLE there, so it belongs to the periodic
/// rule. Every id exists, and a change-triggered rule's scope covers its controls' types.
#[test]
fn every_rule_names_controls_that_can_decide_there() {
    let Some(python) =
        common::tools::tool_or_skip("python", "every_rule_names_controls_that_can_decide_there")
    else {
        return;
    };
    let template = template(&python);
    let pack = common::json(&common::regent(&["controls", "--format", "json"]));
    let control = |id: &str| {
        pack.as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} is a control of the pack"))
            .clone()
    };
    let mut rules = 0;
    for (name, resource) in template["Resources"].as_object().unwrap() {
        if resource["Type"] != "AWS::Config::ConfigRule" {
            continue;
        }
        rules += 1;
        let properties = &resource["Properties"];
        let ids = properties["InputParameters"]["controls"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} names its controls"));
        let periodic = properties["Source"]["SourceDetails"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["MessageType"] == "ScheduledNotification");
        let scope: Vec<&str> = properties["Scope"]["ComplianceResourceTypes"]
            .as_array()
            .map(|types| types.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for id in ids.split(',') {
            let control = control(id);
            if periodic {
                continue;
            }
            let needs_complete = control["needs_complete"]
                .as_array()
                .is_some_and(|verdicts| !verdicts.is_empty());
            assert!(
                !needs_complete,
                "{name}: {id} needs a complete record; it belongs to the periodic rule"
            );
            for kind in control["resource_types"].as_array().unwrap() {
                assert!(
                    scope.contains(&kind.as_str().unwrap()),
                    "{name}: {id} reads {kind}, outside the rule's scope {scope:?}"
                );
            }
        }
    }
    assert_eq!(rules, 3, "the template's Config rules");
}
