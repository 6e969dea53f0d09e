//! `regent remediate export` at the library level: the built-in pack handed to AWS Config
//! as PutRemediationConfigurations requests, a CloudFormation template and a conformance
//! pack; what AWS Config cannot run is left out with the reason, and values past AWS's
//! limits are refused.

mod common;

use regent::diagnostics::Code;
use regent::lambda::rule::RuleParameters;
use regent::policy::metadata::template_variables;
use regent::policy::Pack;
use regent::remediation::export::{
    export, Export, ExportOptions, Format, CONFIGURATIONS_PER_REQUEST, RESOURCE_ID_IS_ARN,
    RESOURCE_ID_IS_NAME,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn builtin() -> Pack {
    let pack = Pack::load(true, &[]);
    assert!(pack.problems.is_empty(), "{:?}", pack.problems);
    pack
}

fn only(pack: &Pack, ids: &[&str]) -> Pack {
    let mut selected = pack.clone();
    selected.retain(|c| ids.contains(&c.meta.id.as_str()));
    assert_eq!(
        selected.controls.len(),
        ids.len(),
        "{ids:?} are in the pack"
    );
    selected
}

fn options(format: Format) -> ExportOptions {
    let mut options = ExportOptions::new(format);
    options.settings.insert(
        "remediation_role_arn".into(),
        json!("arn:aws:iam::111122223333:role/regent-remediation"),
    );
    options
}

/// Every setting the pack's runbooks name, each given a value.
fn every_setting(pack: &Pack) -> BTreeMap<String, Value> {
    let mut settings = BTreeMap::new();
    for control in &pack.controls {
        for value in control
            .meta
            .remediation
            .iter()
            .flat_map(|r| r.parameters.values())
        {
            for variable in value.as_str().map(template_variables).unwrap_or_default() {
                if let Some(name) = variable.strip_prefix("settings.") {
                    settings.insert(name.to_string(), json!(format!("value-of-{name}")));
                }
            }
        }
    }
    settings
}

fn exported(pack: &Pack, options: &ExportOptions) -> Export {
    export(pack, options).unwrap_or_else(|problems| {
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        panic!("the export is made: {shown:#?}")
    })
}

fn left_out_text(export: &Export) -> String {
    export
        .left_out
        .iter()
        .map(|l| format!("{}: {}", l.control_id, l.reason))
        .collect::<Vec<_>>()
        .join("\n")
}

/// S3.5 (a managed rule, its bucket's name as the resource id), S3.1 (account-level,
/// periodic) and SQS.1 (no managed rule: regent's own; its runbook needs the queue's name
/// from the item, which AWS Config cannot pass).
const SELECTION: &[&str] = &["S3.5", "S3.1", "SQS.1"];

#[test]
fn a_small_selection_in_each_format() {
    let pack = only(&builtin(), SELECTION);
    let mut config = options(Format::Config);
    config.account = Some("111122223333".into());
    let mut cloudformation = ExportOptions::new(Format::CloudFormation);
    cloudformation.parameters.insert(
        "S3.1".into(),
        serde_json::from_value(json!({"BlockPublicPolicy": false})).unwrap(),
    );
    let conformance_pack = options(Format::ConformancePack);
    for (name, options) in [
        ("config", config),
        ("cloudformation", cloudformation),
        ("conformance_pack", conformance_pack),
    ] {
        let export = exported(&pack, &options);
        let shown = format!("{}--- left out\n{}\n", export.text, left_out_text(&export));
        common::settings().bind(|| insta::assert_snapshot!(name, shown));
    }
}

/// The configurations of every request.
fn configurations(export: &Export) -> Vec<&Value> {
    export
        .document
        .as_array()
        .expect("the config format is a list of requests")
        .iter()
        .flat_map(|r| r["RemediationConfigurations"].as_array().unwrap())
        .collect()
}

#[test]
fn the_whole_builtin_pack_exports_as_requests_of_at_most_25_configurations() {
    let pack = builtin();
    let mut options = ExportOptions::new(Format::Config);
    options.settings = every_setting(&pack);
    options.account = Some("111122223333".into());
    options.region = Some("eu-west-1".into());
    let export = exported(&pack, &options);
    let requests = export.document.as_array().unwrap();
    assert!(
        requests.len() > 1,
        "more than 25 configurations: more than one request"
    );
    for request in requests {
        let n = request["RemediationConfigurations"]
            .as_array()
            .unwrap()
            .len();
        assert!(
            (1..=CONFIGURATIONS_PER_REQUEST).contains(&n),
            "{n} configurations"
        );
    }
    // Every control with a runbook is configured or left out with a reason, once.
    let with_runbook: BTreeSet<&str> = pack
        .controls
        .iter()
        .filter(|c| c.meta.remediation.is_some())
        .map(|c| c.meta.id.as_str())
        .collect();
    let configured: BTreeMap<&str, &Value> = configurations(&export)
        .into_iter()
        .map(|c| (c["ConfigRuleName"].as_str().unwrap(), c))
        .collect();
    let left_out: BTreeSet<&str> = export
        .left_out
        .iter()
        .map(|l| l.control_id.as_str())
        .collect();
    assert_eq!(configured.len() + left_out.len(), with_runbook.len());
    for id in &with_runbook {
        let rule = options.rule_name(id);
        assert_eq!(
            configured.contains_key(rule.as_str()),
            !left_out.contains(id),
            "{id}: configured as {rule} or left out"
        );
    }
    // What is configured runs as the control says, with the resource id where it asks.
    for control in &pack.controls {
        let Some(configuration) = configured.get(options.rule_name(&control.meta.id).as_str())
        else {
            continue;
        };
        let remediation = control.meta.remediation.as_ref().unwrap();
        assert_eq!(configuration["TargetId"], *remediation.runbook);
        assert_eq!(
            configuration["MaximumAutomaticAttempts"],
            remediation.maximum_automatic_attempts
        );
        assert_eq!(
            configuration["ExecutionControls"]["SsmControls"]["ErrorPercentage"],
            remediation.error_percentage
        );
        for (name, template) in &remediation.parameters {
            let given = &configuration["Parameters"][name.as_ref()];
            if ["{{resourceId}}", "{{resourceName}}", "{{ARN}}"]
                .iter()
                .any(|v| template == v)
            {
                assert_eq!(
                    given["ResourceValue"]["Value"], "RESOURCE_ID",
                    "{} {name}",
                    control.meta.id
                );
            } else if let Some(text) = template.as_str() {
                let values = given["StaticValue"]["Values"].as_array().unwrap();
                assert!(
                    values
                        .iter()
                        .all(|v| v.as_str().is_some_and(|v| !v.contains("{{"))),
                    "{} {name}: every template filled in: {values:?}",
                    control.meta.id
                );
                if text.contains("{{awsRegion}}") {
                    assert!(values[0].as_str().unwrap().contains("eu-west-1"));
                }
            }
        }
    }
    // Left out only for what AWS Config cannot pass, said so.
    for left in &export.left_out {
        assert!(
            [
                "{{ARN}}",
                "{{configuration.",
                "{{resourceName}}",
                "{{resourceType}}"
            ]
            .iter()
            .any(|v| left.reason.contains(v)),
            "{}: {}",
            left.control_id,
            left.reason
        );
    }
    assert!(
        left_out.contains("SQS.1") && left_out.contains("RDS.2"),
        "{left_out:?}"
    );
    assert!(
        !left_out.contains("SNS.1") && !left_out.contains("ELB.4"),
        "{left_out:?}"
    );
}

#[test]
fn without_an_account_the_config_format_leaves_out_what_needs_it() {
    let pack = only(&builtin(), &["S3.1", "S3.5", "EC2.19"]);
    let export = exported(&pack, &options(Format::Config));
    let left: Vec<&str> = export
        .left_out
        .iter()
        .map(|l| l.control_id.as_str())
        .collect();
    assert_eq!(left, ["S3.1", "S3.5"]);
    assert!(export.left_out[0].reason.contains("{{awsAccountId}}"));
    assert!(export.left_out[0].reason.contains("--account"));
    let configured: Vec<&Value> = configurations(&export);
    assert_eq!(configured.len(), 1);
    assert_eq!(configured[0]["ConfigRuleName"], "regent-ec2-19");
    // In a template the stack's own account is used instead.
    let export = exported(&pack, &ExportOptions::new(Format::CloudFormation));
    assert!(export.left_out.is_empty(), "{}", left_out_text(&export));
    assert_eq!(
        export.document["Resources"]["RemediationS31"]["Properties"]["Parameters"]["AccountId"],
        json!({"StaticValue": {"Values": [{"Ref": "AWS::AccountId"}]}})
    );
}

#[test]
fn settings_the_requests_need_and_nobody_gave_are_all_named() {
    let pack = builtin();
    let mut options = ExportOptions::new(Format::Config);
    options.account = Some("111122223333".into());
    options.region = Some("eu-west-1".into());
    let problems = export(&pack, &options).expect_err("settings are missing");
    assert!(
        problems.iter().all(|p| p.code == Code::RemediationSetting),
        "{problems:?}"
    );
    let named: BTreeSet<&str> = problems.iter().map(|p| p.source.as_str()).collect();
    assert!(named.contains("settings.remediation_role_arn"), "{named:?}");
    assert!(named.len() > 5, "every missing setting at once: {named:?}");
    let role = problems
        .iter()
        .find(|p| p.source == "settings.remediation_role_arn")
        .unwrap();
    assert!(role
        .help
        .as_deref()
        .unwrap()
        .contains("--set remediation_role_arn=VALUE"));
    // A conformance pack takes the automation role only as text.
    let problems = export(&pack, &ExportOptions::new(Format::ConformancePack))
        .expect_err("the role is missing");
    let named: Vec<&str> = problems.iter().map(|p| p.source.as_str()).collect();
    assert!(
        named.contains(&"settings.remediation_role_arn"),
        "{named:?}"
    );
    assert!(
        !named.contains(&"settings.cmk_remediation_arn"),
        "other settings become template parameters: {named:?}"
    );
}

/// Run cfn-lint on `templates` (name, text); its exit code is a bit mask: 2 errors,
/// 4 warnings, 8 informational.
fn cfn_lint(cfn_lint: &std::path::Path, templates: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = templates
        .iter()
        .map(|(name, text)| common::write(dir.path(), name, text))
        .collect();
    let output = Command::new(cfn_lint)
        .args(&paths)
        .output()
        .expect("cfn-lint runs");
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code >= 0 && code & 2 == 0,
        "cfn-lint (exit {code}): {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn cfn_lint_accepts_the_templates_of_the_whole_builtin_pack() {
    let Some(tool) = common::tools::tool_or_skip(
        "cfn-lint",
        "cfn_lint_accepts_the_templates_of_the_whole_builtin_pack",
    ) else {
        return;
    };
    let pack = builtin();
    let cloudformation = exported(&pack, &ExportOptions::new(Format::CloudFormation));
    let conformance_pack = exported(&pack, &options(Format::ConformancePack));
    let mut custom = ExportOptions::new(Format::CloudFormation);
    custom.custom_rule = true;
    let custom = exported(&pack, &custom);
    for export in [&cloudformation, &conformance_pack, &custom] {
        let resources = export.document["Resources"].as_object().unwrap();
        let rules = resources
            .values()
            .filter(|r| r["Type"] == "AWS::Config::ConfigRule")
            .count();
        assert_eq!(rules, pack.controls.len(), "a rule per control");
        assert!(resources.len() > rules, "and remediations");
    }
    cfn_lint(
        &tool,
        &[
            ("cloudformation.json", &cloudformation.text),
            ("conformance-pack.json", &conformance_pack.text),
            ("custom.json", &custom.text),
        ],
    );
}

#[test]
fn custom_rules_pass_the_handler_exactly_what_it_reads() {
    let pack = builtin();
    let mut options = ExportOptions::new(Format::CloudFormation);
    options.custom_rule = true;
    options.parameters.insert(
        "EC2.19".into(),
        serde_json::from_value(json!({"blockedPorts": [22, 3389]})).unwrap(),
    );
    let export = exported(&pack, &options);
    let resources = export.document["Resources"].as_object().unwrap();
    let mut seen = 0;
    for control in &pack.controls {
        let id = &control.meta.id;
        let logical = format!(
            "Rule{}",
            id.replace(|c: char| !c.is_ascii_alphanumeric(), "")
        );
        let properties = &resources[&logical]["Properties"];
        assert_eq!(properties["Source"]["Owner"], "CUSTOM_LAMBDA");
        let periodic = properties.get("MaximumExecutionFrequency").is_some();
        assert_eq!(
            periodic,
            control.is_account_level() || !control.meta.needs_complete.is_empty(),
            "{id}"
        );
        let input = properties["InputParameters"].to_string();
        let rule = RuleParameters::parse(Some(&input), &pack)
            .unwrap_or_else(|p| panic!("{id}: the handler reads {input}: {p:?}"));
        let selected: Vec<&str> = rule
            .pack
            .controls
            .iter()
            .map(|c| c.meta.id.as_str())
            .collect();
        assert_eq!(selected, [id.as_str()]);
        // Each value reads back as the value regent would use.
        let overrides = options.parameters.get(id);
        for (name, declared) in &control.meta.parameters {
            let expected = overrides
                .and_then(|o| o.get(name))
                .unwrap_or(&declared.default);
            let read = rule.parameters.get(id).and_then(|p| p.get(name));
            match read {
                Some(read) => {
                    seen += 1;
                    let csv = declared.kind.as_deref().is_some_and(|k| k.contains("csv("));
                    assert_eq!(
                        as_read(read, csv),
                        as_read(expected, csv),
                        "{id}.{name} from {input}"
                    );
                }
                None => assert!(expected.is_null(), "{id}.{name} is passed: {input}"),
            }
        }
    }
    assert!(seen > 40, "parameters were compared ({seen})");
}

/// A value as the policies read it: a list, or comma-separated text where the type takes
/// that (the pack's helpers drop empty entries), as its elements' text.
fn as_read(value: &Value, csv: bool) -> Vec<String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    };
    match value {
        Value::Array(items) => items.iter().map(text).filter(|s| !s.is_empty()).collect(),
        Value::String(s) if csv => s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        other => vec![text(other)],
    }
}

const USER_CONTROL: &str = r#"package regent.acme_1

metadata := {
	"id": "ACME.1",
	"title": "Queues are encrypted",
	"severity": "low",
	"resource_types": ["AWS::SQS::Queue"],
	"config_rule": "SQS_QUEUE_ENCRYPTED",
	"remediation": {
		"runbook": "ACME-EncryptQueue",
		"parameters": {"QueueUrl": "{{resourceId}}", "AutomationAssumeRole": "arn:aws:iam::111122223333:role/acme"},
		"automatic": true,
		"maximum_automatic_attempts": ATTEMPTS,
		"error_percentage": 10,
	},
}

violation contains "not encrypted" if not input.configuration.KmsMasterKeyId
"#;

const NEEDS_ITEM_VALUE: &str = r#"package regent.acme_2

metadata := {
	"id": "ACME.2",
	"title": "Queues are encrypted, by name",
	"severity": "low",
	"resource_types": ["AWS::SQS::Queue"],
	"config_rule": "SQS_QUEUE_ENCRYPTED",
	"remediation": {
		"runbook": "ACME-EncryptQueueByName",
		"parameters": {"QueueName": "{{configuration.QueueName}}", "AutomationAssumeRole": "arn:aws:iam::111122223333:role/acme"},
	},
}

violation contains "not encrypted" if not input.configuration.KmsMasterKeyId
"#;

fn user_pack(files: &[(&str, &str)]) -> Pack {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        common::write(dir.path(), name, text);
    }
    Pack::load(false, &[dir.path().to_path_buf()])
}

#[test]
fn values_past_aws_limits_are_refused_naming_the_control_and_the_field() {
    // Loading already refuses them in metadata...
    let pack = user_pack(&[("acme/acme_1.rego", &USER_CONTROL.replace("ATTEMPTS", "40"))]);
    assert!(pack.controls.is_empty());
    assert!(
        pack.problems
            .iter()
            .any(|p| p.code == Code::PolicyMetadata
                && p.message.contains("maximum_automatic_attempts")),
        "{:?}",
        pack.problems
    );
    // ...and the export checks again what it is given, whatever made the pack.
    let mut pack = user_pack(&[("acme/acme_1.rego", &USER_CONTROL.replace("ATTEMPTS", "5"))]);
    assert!(pack.problems.is_empty(), "{:?}", pack.problems);
    let remediation = pack.controls[0].meta.remediation.as_mut().unwrap();
    remediation.maximum_automatic_attempts = 40;
    remediation.error_percentage = 0;
    for format in Format::ALL {
        let problems = export(&pack, &ExportOptions::new(format)).expect_err("refused");
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 2, "both at once: {messages:?}");
        assert!(
            problems
                .iter()
                .all(|p| p.code == Code::RemediationExportInvalid
                    && p.source.ends_with("acme_1.rego"))
        );
        assert!(
            messages.iter().all(|m| m.starts_with("ACME.1: ")),
            "{messages:?}"
        );
        assert!(messages[0].contains(
            "maximum_automatic_attempts (MaximumAutomaticAttempts) is 40; AWS Config takes 1 to 25"
        ));
        assert!(messages[1]
            .contains("error_percentage (ErrorPercentage) is 0; AWS Config takes 1 to 100"));
    }
    // An automatic remediation needs its automation role; a rule name has at most 128
    // characters; a rule's InputParameters at most 1024.
    let remediation = pack.controls[0].meta.remediation.as_mut().unwrap();
    remediation.maximum_automatic_attempts = 5;
    remediation.error_percentage = 10;
    remediation.parameters.remove("AutomationAssumeRole");
    let mut options = ExportOptions::new(Format::CloudFormation);
    options.rule_prefix = "x".repeat(130);
    let problems = export(&pack, &options).expect_err("refused");
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no AutomationAssumeRole")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("AWS Config takes 1 to 128")),
        "{messages:?}"
    );
}

#[test]
fn a_static_value_longer_than_aws_takes_is_refused() {
    let pack = only(&builtin(), &["EC2.19"]);
    let mut options = options(Format::Config);
    options
        .settings
        .insert("remediation_role_arn".into(), json!("r".repeat(300)));
    let problems = export(&pack, &options).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, Code::RemediationExportInvalid);
    assert!(problems[0]
        .message
        .contains("EC2.19: runbook parameter AutomationAssumeRole"));
    assert!(problems[0]
        .message
        .contains("has 300 characters; AWS Config takes 1 to 256"));
}

#[test]
fn a_control_needing_a_value_of_the_item_is_left_out_of_remediation_with_the_reason() {
    let pack = user_pack(&[
        ("acme/acme_1.rego", &USER_CONTROL.replace("ATTEMPTS", "5")),
        ("acme/acme_2.rego", NEEDS_ITEM_VALUE),
    ]);
    assert!(pack.problems.is_empty(), "{:?}", pack.problems);
    for format in Format::ALL {
        let export = exported(&pack, &ExportOptions::new(format));
        assert_eq!(export.left_out.len(), 1, "{}", format.as_str());
        assert_eq!(export.left_out[0].control_id, "ACME.2");
        assert_eq!(
            export.left_out[0].reason,
            "runbook parameter QueueName needs {{configuration.QueueName}}; AWS Config passes a runbook only the resource id (regent remediate apply can run it)"
        );
        if format.is_template() {
            let resources = export.document["Resources"].as_object().unwrap();
            let names: Vec<&str> = resources.keys().map(String::as_str).collect();
            assert_eq!(
                names,
                ["RemediationACME1", "RuleACME1", "RuleACME2"],
                "the rule stays"
            );
        } else {
            let configured = configurations(&export);
            assert_eq!(configured.len(), 1);
            assert_eq!(configured[0]["ConfigRuleName"], "regent-acme-1");
        }
    }
}

/// What recorded items say of each type: (type, resourceId, resourceName, ARN).
type Recorded = (String, String, Option<String>, Option<String>);

#[test]
fn the_resource_id_stands_for_the_name_or_arn_only_where_recorded_items_say_so() {
    let Some(dir) = common::shared_or_skip(
        "fixtures-external",
        "the_resource_id_stands_for_the_name_or_arn_only_where_recorded_items_say_so",
    ) else {
        return;
    };
    let mut items: Vec<Recorded> = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                collect_items(&value, &mut items);
            }
        }
    }
    let name = |item: &Recorded| item.2.clone();
    let arn = |item: &Recorded| item.3.clone();
    for (table, what) in [
        (RESOURCE_ID_IS_NAME, name as fn(&Recorded) -> Option<String>),
        (RESOURCE_ID_IS_ARN, arn),
    ] {
        for kind in table {
            let recorded: Vec<&Recorded> = items.iter().filter(|i| i.0 == *kind).collect();
            assert!(!recorded.is_empty(), "{kind} is seen in a recorded item");
            for item in recorded {
                assert_eq!(Some(&item.1), what(item).as_ref(), "{kind}");
            }
        }
    }
    // And the tables are not everything: types whose id is neither.
    for kind in [
        "AWS::IAM::User",
        "AWS::RDS::DBInstance",
        "AWS::EC2::SecurityGroup",
    ] {
        assert!(!RESOURCE_ID_IS_NAME.contains(&kind) && !RESOURCE_ID_IS_ARN.contains(&kind));
        assert!(
            items
                .iter()
                .any(|i| i.0 == kind && Some(&i.1) != i.2.as_ref() && Some(&i.1) != i.3.as_ref()),
            "{kind}"
        );
    }
    // RDS.1's snapshots include cluster snapshots, whose id is not known to be the name;
    // SNS.1's topic id is its ARN; RDS.2's instance id is not.
    let pack = only(&builtin(), &["RDS.1", "RDS.2", "S3.5", "SNS.1"]);
    let export = exported(&pack, &options(Format::CloudFormation));
    let left: Vec<String> = export
        .left_out
        .iter()
        .map(|l| format!("{}: {}", l.control_id, l.reason))
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left[0].starts_with("RDS.1: ")
            && left[0].contains("AWS::RDS::DBClusterSnapshot is not its name"),
        "{left:?}"
    );
    assert!(
        left[1].starts_with("RDS.2: ") && left[1].contains("AWS::RDS::DBInstance is not its ARN"),
        "{left:?}"
    );
    assert_eq!(
        export.document["Resources"]["RemediationSNS1"]["Properties"]["Parameters"]["TopicArn"],
        json!({"ResourceValue": {"Value": "RESOURCE_ID"}})
    );
}

/// Items (objects with `resourceType`, `resourceId` and `configuration`) anywhere in a
/// document, JSON held in strings included.
fn collect_items(value: &Value, out: &mut Vec<Recorded>) {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    match value {
        Value::Object(map) => {
            if let (Some(kind), Some(id), true) = (
                text(map.get("resourceType")),
                text(map.get("resourceId")),
                map.contains_key("configuration"),
            ) {
                let arn = text(map.get("ARN").or(map.get("arn")));
                out.push((kind, id, text(map.get("resourceName")), arn));
            }
            map.values().for_each(|v| collect_items(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_items(v, out)),
        Value::String(text) if text.starts_with('{') => {
            if let Ok(inner) = serde_json::from_str::<Value>(text) {
                collect_items(&inner, out);
            }
        }
        _ => {}
    }
}

#[test]
fn exports_are_deterministic() {
    let pack = builtin();
    for format in [Format::CloudFormation, Format::ConformancePack] {
        let first = exported(&pack, &options(format));
        let second = exported(&pack, &options(format));
        assert_eq!(first, second);
    }
}
