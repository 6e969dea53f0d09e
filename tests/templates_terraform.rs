//! Terraform plans before apply: each covered type gets the verdicts the item AWS Config
//! records for the same resource gets (equivalence), companions fold into their resource,
//! unknown and sensitive values are marked and never leak, addresses name the results.
//! The plans are written by hand in the format `terraform show -json` documents
//! (fixtures/templates/terraform/README.md).

mod common;

use regent::model::template::{self, terraform, Resource, TemplateOptions};
use regent::pipeline::{self, Options, Quiet};
use regent::policy::Pack;
use regent::report::Report;
use regent::source::{Document, Entry};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::load(true, &[]))
}

fn plan_path(name: &str) -> String {
    format!("fixtures/templates/terraform/{name}")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(common::root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn options(account: &str, region: Option<&str>) -> Options {
    let mut options = Options::default();
    let parameters = &mut options.template.parameters;
    parameters.insert("AWS::AccountId".into(), account.into());
    if let Some(region) = region {
        parameters.insert("AWS::Region".into(), region.into());
    }
    options
}

fn run(name: &str, bytes: Vec<u8>, options: &Options) -> Report {
    let entry = Entry::Document(Document::from_bytes(name, bytes));
    pipeline::run(pack(), std::iter::once(entry), options, &Quiet).report
}

/// A plan converted directly, with an account.
fn convert(name: &str, account: Option<&str>) -> template::Converted {
    let text = String::from_utf8(read(&plan_path(name))).expect("UTF-8");
    let mut options = TemplateOptions::default();
    if let Some(account) = account {
        options
            .parameters
            .insert("AWS::AccountId".into(), account.into());
    }
    terraform::convert(name, &text, &options)
}

fn resource<'a>(converted: &'a template::Converted, id: &str) -> &'a Resource {
    converted
        .resources
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<&str> = converted.resources.iter().map(|r| r.id.as_str()).collect();
            panic!(
                "no item {id}; items: {ids:?}; problems: {:?}",
                converted.problems
            )
        })
}

// ------------------------------------------------------------------------------------------
// Equivalence: a plan and the item AWS Config records for the same resource

/// (plan under equivalence/, recorded item, AWS Config type, account, region)
const PAIRS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "aws_s3_bucket.json",
        "fixtures/S3.5/non_compliant/no_bucket_policy.json",
        "AWS::S3::Bucket",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_s3_bucket-companions.json",
        "fixtures/S3.5/compliant/deny_insecure_transport.json",
        "AWS::S3::Bucket",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_security_group.json",
        "fixtures/EC2.13/non_compliant/tcp_and_udp_22_from_anywhere.json",
        "AWS::EC2::SecurityGroup",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_instance.json",
        "fixtures/EC2.8/non_compliant/http_tokens_optional.json",
        "AWS::EC2::Instance",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_ebs_volume.json",
        "fixtures/EC2.3/non_compliant/unencrypted_attached.json",
        "AWS::EC2::Volume",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_db_instance.json",
        "fixtures/RDS.2/non_compliant/publicly_accessible.json",
        "AWS::RDS::DBInstance",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_rds_cluster.json",
        "fixtures/RDS.7/non_compliant/deletion_protection_false.json",
        "AWS::RDS::DBCluster",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_kms_key.json",
        "fixtures/KMS.4/non_compliant/rotation_disabled.json",
        "AWS::KMS::Key",
        "111122223333",
        "eu-west-1",
    ),
    (
        "aws_cloudtrail.json",
        "fixtures/CloudTrail.2/non_compliant/kms_key_id_absent.json",
        "AWS::CloudTrail::Trail",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_lambda_function.json",
        "fixtures/Lambda.2/non_compliant/python3_7.json",
        "AWS::Lambda::Function",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_dynamodb_table.json",
        "fixtures/DynamoDB.2/non_compliant/pitr_disabled.json",
        "AWS::DynamoDB::Table",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_sqs_queue.json",
        "fixtures/SQS.1/non_compliant/sse_sqs_false_no_key.json",
        "AWS::SQS::Queue",
        "111122223333",
        "eu-west-1",
    ),
    (
        "aws_sns_topic.json",
        "fixtures/SNS.1/non_compliant/no_kms_key.json",
        "AWS::SNS::Topic",
        "111122223333",
        "eu-west-1",
    ),
    (
        "aws_lb.json",
        "fixtures/ELB.1/non_compliant/http_listener_forwards.json",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "123456789012",
        "us-east-1",
    ),
    (
        "aws_iam_role.json",
        "fixtures/KMS.2/non_compliant/role_decrypt_all_keys.json",
        "AWS::IAM::Role",
        "111122223333",
        "global",
    ),
    (
        "aws_iam_policy.json",
        "fixtures/IAM.1/non_compliant/allow_star_on_star.json",
        "AWS::IAM::Policy",
        "123456789012",
        "global",
    ),
    (
        "aws_iam_user.json",
        "fixtures/IAM.2/non_compliant/api_dialect_managed_and_inline.json",
        "AWS::IAM::User",
        "123456789012",
        "global",
    ),
];

/// The verdicts of every control that reads `resource_type`: its own controls on items of
/// that type, and account-level controls that require it.
fn verdicts(report: &Report, resource_type: &str) -> BTreeMap<String, Vec<&'static str>> {
    let reads: Vec<(&str, bool)> = pack()
        .controls
        .iter()
        .filter_map(|c| {
            let own = c.meta.resource_types.iter().any(|t| t == resource_type);
            let account =
                c.is_account_level() && c.meta.requires.iter().any(|t| t == resource_type);
            (own || account).then_some((c.meta.id.as_str(), account))
        })
        .collect();
    let mut out: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for row in &report.results {
        let Some((_, account)) = reads.iter().find(|(id, _)| *id == &*row.control_id) else {
            continue;
        };
        if !account && &*row.subject.resource_type != resource_type {
            continue;
        }
        out.entry(row.control_id.to_string())
            .or_default()
            .push(row.compliance_type.as_str());
    }
    for list in out.values_mut() {
        list.sort_unstable();
    }
    out
}

fn assert_equivalent(
    plan: &str,
    recorded: &[u8],
    recorded_name: &str,
    resource_type: &str,
    account: &str,
    region: &str,
) {
    let from_config = run(recorded_name, recorded.to_vec(), &Options::default());
    assert!(
        from_config.errors.is_empty(),
        "{recorded_name}: {:?}",
        from_config.errors
    );
    let path = plan_path(&format!("equivalence/{plan}"));
    let from_plan = run(&path, read(&path), &options(account, Some(region)));
    assert!(
        from_plan.errors.is_empty(),
        "{plan}: {:?}",
        from_plan.errors
    );
    let expected = verdicts(&from_config, resource_type);
    let actual = verdicts(&from_plan, resource_type);
    assert!(
        expected.values().flatten().any(|v| *v == "NON_COMPLIANT"),
        "{recorded_name} should fail some control so the comparison means something: {expected:?}"
    );
    let differences: Vec<String> = expected
        .keys()
        .chain(actual.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|id| expected.get(*id) != actual.get(*id))
        .map(|id| {
            format!(
                "{id}: recorded {:?}, plan {:?}",
                expected.get(id),
                actual.get(id)
            )
        })
        .collect();
    assert!(
        differences.is_empty(),
        "{plan} vs {recorded_name} ({resource_type}):\n{}",
        differences.join("\n")
    );
}

#[test]
fn every_covered_type_gets_the_verdicts_of_its_recorded_item() {
    for (plan, recorded, resource_type, account, region) in PAIRS {
        assert_equivalent(
            plan,
            &read(recorded),
            recorded,
            resource_type,
            account,
            region,
        );
    }
    // Every covered AWS Config type has a pair.
    let paired: Vec<&str> = PAIRS.iter().map(|p| p.2).collect();
    for (kind, _) in covered() {
        let config_type = terraform_config_type(kind);
        assert!(
            config_type.is_none_or(|t| paired.contains(&t)),
            "{kind} ({config_type:?}) has no equivalence pair"
        );
    }
}

/// The AWS Config type each covered Terraform type maps to (listeners and cluster
/// instances are judged through their load balancer and instance pairs).
fn terraform_config_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "aws_s3_bucket" => "AWS::S3::Bucket",
        "aws_security_group" => "AWS::EC2::SecurityGroup",
        "aws_instance" => "AWS::EC2::Instance",
        "aws_ebs_volume" => "AWS::EC2::Volume",
        "aws_db_instance" => "AWS::RDS::DBInstance",
        "aws_rds_cluster" => "AWS::RDS::DBCluster",
        "aws_kms_key" => "AWS::KMS::Key",
        "aws_cloudtrail" => "AWS::CloudTrail::Trail",
        "aws_lambda_function" => "AWS::Lambda::Function",
        "aws_dynamodb_table" => "AWS::DynamoDB::Table",
        "aws_sqs_queue" => "AWS::SQS::Queue",
        "aws_sns_topic" => "AWS::SNS::Topic",
        "aws_lb" | "aws_alb" => "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "aws_iam_role" => "AWS::IAM::Role",
        "aws_iam_policy" => "AWS::IAM::Policy",
        "aws_iam_user" => "AWS::IAM::User",
        _ => return None,
    })
}

fn covered() -> Vec<(&'static str, ())> {
    terraform::covered_types().map(|t| (t, ())).collect()
}

#[test]
fn a_table_planned_with_defaults_matches_the_rdk_example_item() {
    let Some(dir) = common::shared_or_skip(
        "fixtures-external/AWS_DynamoDB_Table/rdk-example-ci.json",
        "a_table_planned_with_defaults_matches_the_rdk_example_item",
    ) else {
        return;
    };
    let recorded = std::fs::read(&dir).expect("readable");
    assert_equivalent(
        "aws_dynamodb_table-defaults.json",
        &recorded,
        "rdk-example-ci.json",
        "AWS::DynamoDB::Table",
        "123456789012",
        "us-east-2",
    );
}

// ------------------------------------------------------------------------------------------
// Folding, unknowns, sensitivity, addresses

#[test]
fn split_s3_resources_fold_into_their_bucket() {
    let converted = convert("s3_split.json", Some("123456789012"));
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    let data = resource(
        &converted,
        r#"module.storage.aws_s3_bucket.data["reports"]"#,
    );
    let supp = &data.supplementary;
    assert_eq!(data.name.as_deref(), Some("acme-reports-data"));
    assert_eq!(data.arn.as_deref(), Some("arn:aws:s3:::acme-reports-data"));
    assert_eq!(supp["BucketVersioningConfiguration"]["status"], "Enabled");
    assert_eq!(
        supp["ServerSideEncryptionConfiguration"]["rules"][0]["applyServerSideEncryptionByDefault"]
            ["sseAlgorithm"],
        "aws:kms"
    );
    // The key is created by the same plan: its ARN is known only after apply.
    assert_eq!(
        supp["ServerSideEncryptionConfiguration"]["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyID"],
        json!("{unknown id: known after apply: module.storage.aws_s3_bucket_server_side_encryption_configuration.data.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id}")
    );
    assert!(data.unknowns.iter().any(|u| u.starts_with(
        "supplementaryConfiguration.ServerSideEncryptionConfiguration.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyID: known after apply: "
    )));
    assert_eq!(
        supp["PublicAccessBlockConfiguration"],
        json!({"blockPublicAcls": true, "ignorePublicAcls": true, "blockPublicPolicy": true, "restrictPublicBuckets": false})
    );
    assert_eq!(
        supp["BucketLoggingConfiguration"],
        json!({"destinationBucketName": "acme-reports-logs", "logFilePrefix": "reports/"})
    );
    let policy: Value = serde_json::from_str(
        supp["BucketPolicy"]["policyText"]
            .as_str()
            .expect("policy text"),
    )
    .expect("JSON");
    assert_eq!(policy["Statement"][0]["Effect"], "Deny");
    assert_eq!(
        supp["BucketLifecycleConfiguration"]["rules"][0]["status"],
        "Enabled"
    );
    assert_eq!(
        supp["BucketLifecycleConfiguration"]["rules"][0]["expirationInDays"],
        365
    );
    // The bucket whose name is generated (bucket_prefix) is linked through references.
    let scratch = resource(&converted, "module.storage.aws_s3_bucket.scratch");
    assert_eq!(scratch.name, None);
    assert_eq!(
        scratch.supplementary["BucketVersioningConfiguration"]["status"],
        "Suspended"
    );
    assert!(scratch.unknowns.contains(
        &"configuration.name: known after apply: module.storage.aws_s3_bucket.scratch.bucket"
            .to_string()
    ));
    // Companions are not items; the one whose bucket is not in the plan is skipped.
    assert!(converted
        .resources
        .iter()
        .all(|r| r.resource_type == "AWS::S3::Bucket" || r.resource_type == "AWS::KMS::Key"));
    let skipped: Vec<&str> = converted.uncovered.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(skipped, ["module.storage.aws_s3_bucket_policy.elsewhere"]);
}

#[test]
fn security_group_rules_fold_into_their_group() {
    let converted = convert("sg_rules.json", Some("123456789012"));
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    let web = resource(&converted, "aws_security_group.web");
    let c = &web.configuration;
    let ingress = c["ipPermissions"].as_array().expect("ingress list");
    let https = ingress
        .iter()
        .find(|p| p["fromPort"] == 443)
        .expect("443 rule");
    // The inline rule and the rule resource for the same ports are one permission.
    assert_eq!(https["ipProtocol"], "tcp");
    assert_eq!(https["ipRanges"], json!(["0.0.0.0/0", "10.0.0.0/8"]));
    assert_eq!(
        https["ipv6Ranges"],
        json!([{"cidrIpv6": "::/0", "description": "https"}])
    );
    let ssh = ingress
        .iter()
        .find(|p| p["fromPort"] == 22)
        .expect("22 rule");
    assert_eq!(
        ssh["userIdGroupPairs"][0]["groupId"],
        json!("{unknown id: known after apply: aws_security_group_rule.web_ssh_from_bastion.source_security_group_id}")
    );
    // `self = true`: the group itself, by its own placeholder.
    let own = ingress
        .iter()
        .find(|p| p["fromPort"] == 8080)
        .expect("8080 rule");
    assert_eq!(own["userIdGroupPairs"][0]["groupId"], c["groupId"]);
    assert_eq!(
        c["ipPermissionsEgress"],
        json!([{
            "ipProtocol": "-1",
            "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}],
            "ipRanges": ["0.0.0.0/0"],
            "ipv6Ranges": [],
            "prefixListIds": [],
            "userIdGroupPairs": [],
        }])
    );
    assert_eq!(c["ownerId"], "123456789012");
    // The instance of the plan that uses the group is related to it.
    assert_eq!(web.relationships[0]["resourceId"], "aws_instance.web");
    let bastion = resource(&converted, "aws_security_group.bastion");
    assert_eq!(
        bastion.configuration["ipPermissions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert!(converted.uncovered.is_empty(), "{:?}", converted.uncovered);
}

#[test]
fn values_known_after_apply_are_marked_unknown() {
    let converted = convert("s3_split.json", None);
    let key = resource(&converted, "module.storage.aws_kms_key.data");
    assert_eq!(
        key.configuration["arn"],
        json!("{unknown id: known after apply: module.storage.aws_kms_key.data.arn}")
    );
    assert!(key.unknowns.contains(
        &"configuration.arn: known after apply: module.storage.aws_kms_key.data.arn".to_string()
    ));
    // Without the account, the default key policy (it names the account) is unknown too.
    assert!(template::is_unknown(
        key.supplementary["Policy"].as_str().expect("text")
    ));
    assert_eq!(key.arn, None);
    // Every placeholder is listed, and nothing listed is missing from the item.
    for resource in &converted.resources {
        let text =
            serde_json::to_string(&resource.item(&TemplateOptions::default())).expect("JSON");
        let count = text.matches(template::UNKNOWN_PREFIX).count()
            + text.matches(template::UNKNOWN_ID_PREFIX).count();
        assert!(
            count >= resource.unknowns.len(),
            "{}: {count} < {:?}",
            resource.id,
            resource.unknowns
        );
        assert!(
            count == 0 || !resource.unknowns.is_empty(),
            "{}: unlisted placeholders",
            resource.id
        );
    }
}

const SECRETS: &[&str] = &[
    "Reporting-Db-Pw-4711",
    "tok-orders-9f8e7d",
    "Ledger-Cluster-Pw-0815",
    "cost-centre-secret-7",
];

#[test]
fn sensitive_values_never_reach_the_report() {
    for plan in [
        "equivalence/aws_db_instance.json",
        "equivalence/aws_lambda_function.json",
        "equivalence/aws_rds_cluster.json",
        "sensitive.json",
    ] {
        let path = plan_path(plan);
        let report = run(&path, read(&path), &options("123456789012", None));
        let mut json = Vec::new();
        regent::sink::render(
            regent::sink::Format::Json,
            &report,
            &regent::sink::View::default(),
            &mut json,
        )
        .expect("renders");
        let text = String::from_utf8_lossy(&json);
        assert!(report.summary.evaluations > 0, "{plan}");
        for secret in SECRETS {
            assert!(!text.contains(secret), "{plan}: {secret} in the report");
            assert!(
                !format!("{report:?}").contains(secret),
                "{plan}: {secret} in the report's Debug"
            );
        }
    }
    let converted = convert("sensitive.json", None);
    let db = resource(&converted, "aws_db_instance.main");
    assert!(
        db.unknowns
            .iter()
            .any(|u| u.contains("sensitive: aws_db_instance.main.tags_all.CostCentre")),
        "{:?}",
        db.unknowns
    );
    for resource in &converted.resources {
        let text = format!("{resource:?}");
        for secret in SECRETS {
            assert!(!text.contains(secret), "{}: {secret}", resource.id);
        }
    }
}

#[test]
fn modules_count_and_for_each_name_items_by_address() {
    let converted = convert("modules.json", Some("123456789012"));
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    let ids: Vec<&str> = converted.resources.iter().map(|r| r.id.as_str()).collect();
    for id in [
        r#"module.net["blue"].aws_security_group.web"#,
        r#"module.net["green"].aws_security_group.web"#,
        "aws_sqs_queue.jobs[0]",
        "aws_sqs_queue.jobs[1]",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    // Each rule folds into the group of its own module instance.
    let blue = resource(&converted, r#"module.net["blue"].aws_security_group.web"#);
    let green = resource(&converted, r#"module.net["green"].aws_security_group.web"#);
    assert_eq!(blue.configuration["ipPermissions"][0]["fromPort"], 80);
    assert_eq!(green.configuration["ipPermissions"][0]["fromPort"], 8080);
    // Deleted, deposed and data resources are not items; a kept one is.
    assert!(!ids.iter().any(|id| id.contains("old")), "{ids:?}");
    assert!(!ids.iter().any(|id| id.starts_with("data.")), "{ids:?}");
    assert!(ids.contains(&"aws_sqs_queue.kept"));
    // Uncovered types are counted, not items.
    let uncovered: Vec<&str> = converted
        .uncovered
        .iter()
        .map(|u| u.resource_type.as_str())
        .collect();
    assert_eq!(uncovered, ["aws_cloudwatch_log_group"]);
}

#[test]
fn pretty_printed_plans_give_each_item_its_line() {
    let converted = convert("s3_split.json", None);
    let text = String::from_utf8(read(&plan_path("s3_split.json"))).expect("UTF-8");
    for resource in &converted.resources {
        let line = text
            .lines()
            .nth(resource.line - 1)
            .expect("the line exists");
        assert!(
            line.contains(&format!(
                "\"address\": {}",
                serde_json::to_string(&resource.id).expect("JSON")
            )),
            "{}: line {} is {line:?}",
            resource.id,
            resource.line
        );
    }
    let one_line = convert("modules.json", None);
    assert!(one_line.resources.iter().all(|r| r.line == 1));
}

#[test]
fn a_malformed_plan_is_reported_at_each_place_and_the_rest_converted() {
    let converted = convert("malformed.json", None);
    assert!(!converted.failed);
    let messages: Vec<String> = converted
        .problems
        .iter()
        .map(|p| format!("{} {}: {}", p.code.as_str(), p.place(), p.message))
        .collect();
    assert!(
        converted
            .problems
            .iter()
            .all(|p| p.code == regent::diagnostics::Code::TemplateInvalid),
        "{messages:?}"
    );
    let expect = [
        ("planned_values.root_module.resources", 6),
        ("resource_changes[1]", 13),
        ("resource_changes[2]", 14),
        ("resource_changes[3].change.actions", 20),
    ];
    for (what, line) in expect {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(what) && m.contains(&format!("malformed.json:{line}:"))),
            "{what} at line {line}: {messages:#?}"
        );
    }
    // The excerpts quote the plan's skeleton, never its values (they may be sensitive).
    for problem in &converted.problems {
        let shown = format!("{problem:?}");
        assert!(
            shown.contains("aws_sqs_queue.odd")
                || shown.contains("resource_changes")
                || shown.contains("resources"),
            "{shown}"
        );
        assert!(
            !shown.contains("fine-queue"),
            "a value in an excerpt: {shown}"
        );
    }
    assert_eq!(converted.resources.len(), 1, "{messages:#?}");
    assert_eq!(converted.resources[0].id, "aws_sqs_queue.fine");
    // Not JSON at all: one problem, and nothing else.
    let broken = terraform::convert(
        "broken.json",
        "{\"format_version\": \"1.2\",\n  \"resource_changes\": [",
        &TemplateOptions::default(),
    );
    assert!(broken.failed);
    assert_eq!(broken.problems.len(), 1);
    // Whatever the bytes, no panic.
    for text in [
        "[]",
        "1",
        "null",
        "{\"resource_changes\": {}}",
        "{\"resource_changes\": [1, null, {\"address\": 5}]}",
        "{\"configuration\": {\"root_module\": {\"module_calls\": {\"a\": {\"module\": []}}}}}",
    ] {
        let _ = terraform::convert("odd.json", text, &TemplateOptions::default());
    }
}

#[test]
fn the_cli_names_the_address_in_results() {
    let run = common::regent(&["eval", &plan_path("s3_split.json"), "--format", "json"]);
    let report = common::json(&run);
    let results = report["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r["resource_id"].as_str())
        .collect();
    assert!(
        ids.contains(&r#"module.storage.aws_s3_bucket.data["reports"]"#),
        "{ids:?}\n{}",
        run.stderr
    );
    let s3_9 = results
        .iter()
        .find(|r| {
            r["control_id"] == "S3.9" && r["resource_id"] == "module.storage.aws_s3_bucket.logs"
        })
        .expect("S3.9 judges the log bucket");
    assert_eq!(s3_9["compliance_type"], "NON_COMPLIANT");
    assert_eq!(s3_9["aws_region"], "eu-west-1");
    assert_eq!(s3_9["resource_name"], "acme-reports-logs");
}
