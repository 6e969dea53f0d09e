//! CloudFormation templates judged before deploy (docs/templates/cloudformation.md): a
//! template and the item AWS Config records for the same resource get the same verdicts;
//! intrinsics, parameters, conditions and companions resolve as CloudFormation would; the
//! results point at the template's file and line; broken or hostile templates are
//! problems, never panics.

mod common;

use regent::diagnostics::Code;
use regent::model::template::{cloudformation, is_unknown, Converted, TemplateOptions};
use regent::pipeline::{self, Options, Quiet};
use regent::policy::Pack;
use regent::report::Report;
use regent::source::{Document, Entry};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const FIXTURES: &str = "fixtures/templates/cloudformation";

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| Pack::load(true, &[]))
}

fn options(parameters: &[(&str, &str)]) -> TemplateOptions {
    TemplateOptions {
        parameters: parameters
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// Run one document through the pipeline, as a complete record (so verdicts that rest on
/// what is absent are given for both sides alike).
fn run(name: &str, bytes: Vec<u8>, template: TemplateOptions) -> Report {
    let options = Options {
        template,
        assume_complete: true,
        ..Options::default()
    };
    let entry = Entry::Document(Document::from_bytes(name, bytes));
    pipeline::run(pack(), std::iter::once(entry), &options, &Quiet).report
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn template(name: &str) -> String {
    String::from_utf8(read(&common::root().join(FIXTURES).join(name))).expect("UTF-8")
}

/// Convert a template given as text.
fn convert(text: &str, parameters: &[(&str, &str)]) -> Converted {
    cloudformation::convert("template.yaml", text, &options(parameters))
}

/// The converted resource with this logical id.
fn resource<'a>(converted: &'a Converted, id: &str) -> &'a regent::model::template::Resource {
    converted
        .resources
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| {
            panic!(
                "no resource {id} in {:?}",
                converted
                    .resources
                    .iter()
                    .map(|r| &r.id)
                    .collect::<Vec<_>>()
            )
        })
}

/// The verdict of every control on one resource, by control id.
fn verdicts(report: &Report, resource_type: &str, resource_id: &str) -> BTreeMap<String, String> {
    report
        .results
        .iter()
        .filter(|r| {
            &*r.subject.resource_type == resource_type && &*r.subject.resource_id == resource_id
        })
        .map(|r| {
            (
                r.control_id.to_string(),
                r.compliance_type.as_str().to_string(),
            )
        })
        .collect()
}

/// A template under equivalence/ and the recorded item it describes.
struct Case {
    resource_type: &'static str,
    template: &'static str,
    logical_id: &'static str,
    /// Under the repository, or under ../shared when it starts with `shared:`.
    recorded: &'static str,
    recorded_id: &'static str,
    account: &'static str,
    region: &'static str,
}

const CASES: &[Case] = &[
    Case {
        resource_type: "AWS::S3::Bucket",
        template: "AWS_S3_Bucket.yaml",
        logical_id: "ScratchBucket",
        recorded: "fixtures/S3.3/non_compliant/policy_principal_aws_star_s3_wildcard.json",
        recorded_id: "acme-scratch",
        account: "111122223333",
        region: "eu-west-1",
    },
    Case {
        resource_type: "AWS::EC2::SecurityGroup",
        template: "AWS_EC2_SecurityGroup.yaml",
        logical_id: "AllTraffic",
        recorded: "fixtures/EC2.19/non_compliant/all_traffic_protocol_minus_1.json",
        recorded_id: "sg-0a19b0c1d2e3f4a55",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::EC2::Instance",
        template: "AWS_EC2_Instance.yaml",
        logical_id: "AppServer",
        recorded: "fixtures/EC2.9/non_compliant/auto_assigned_public_ip.json",
        recorded_id: "i-0c2d3e4f5a6b7c8d0",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::EC2::Volume",
        template: "AWS_EC2_Volume.yaml",
        logical_id: "DataVolume",
        recorded: "fixtures/EC2.3/non_compliant/unencrypted_attached.json",
        recorded_id: "vol-0d4e5f60718293a41",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::RDS::DBInstance",
        template: "AWS_RDS_DBInstance.yaml",
        logical_id: "LegacyDb",
        recorded: "fixtures/RDS.2/non_compliant/string_boolean_true.json",
        recorded_id: "db-LEGACYDBABCDEFGHIJKLMNOPQR",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::RDS::DBCluster",
        template: "AWS_RDS_DBCluster.yaml",
        logical_id: "TestCluster",
        recorded: "shared:fixtures-external/AWS_RDS_DBCluster/rdk-example-ci.json",
        recorded_id: "cluster-test",
        account: "123456789012",
        region: "us-east-2",
    },
    Case {
        resource_type: "AWS::KMS::Key",
        template: "AWS_KMS_Key.yaml",
        logical_id: "AppDataKey",
        recorded: "fixtures/KMS.5/non_compliant/principal_aws_star_no_condition.json",
        recorded_id: "3f9c1a52-7d1e-4f4b-9a55-0c6a2b1e9d01",
        account: "111122223333",
        region: "eu-west-1",
    },
    Case {
        resource_type: "AWS::CloudTrail::Trail",
        template: "AWS_CloudTrail_Trail.yaml",
        logical_id: "ManagementEvents",
        recorded: "fixtures/CloudTrail.6/non_compliant/policy_allows_public_get_object.json",
        recorded_id: "management-events",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::Lambda::Function",
        template: "AWS_Lambda_Function.yaml",
        logical_id: "OrdersProcessor",
        recorded: "fixtures/Lambda.2/non_compliant/python3_7.json",
        recorded_id: "orders-processor",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::DynamoDB::Table",
        template: "AWS_DynamoDB_Table.yaml",
        logical_id: "LockTable",
        recorded: "shared:fixtures-external/AWS_DynamoDB_Table/rdk-example-ci.json",
        recorded_id: "test",
        account: "123456789012",
        region: "us-east-2",
    },
    Case {
        resource_type: "AWS::SQS::Queue",
        template: "AWS_SQS_Queue.yaml",
        logical_id: "WebhookIntake",
        recorded: "fixtures/SQS.3/non_compliant/principal_star_send_message.json",
        recorded_id: "https://sqs.eu-west-1.amazonaws.com/111122223333/webhook-intake",
        account: "111122223333",
        region: "eu-west-1",
    },
    Case {
        resource_type: "AWS::SNS::Topic",
        template: "AWS_SNS_Topic.yaml",
        logical_id: "OpenTopic",
        recorded: "fixtures/SNS.4/non_compliant/console_public_publish_and_subscribe.json",
        recorded_id: "arn:aws:sns:eu-west-1:111122223333:open-topic",
        account: "111122223333",
        region: "eu-west-1",
    },
    Case {
        resource_type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        template: "AWS_ElasticLoadBalancingV2_LoadBalancer.yaml",
        logical_id: "WebAlb",
        recorded: "fixtures/ELB.1/non_compliant/http_listener_forwards.json",
        recorded_id: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        template: "AWS_ElasticLoadBalancingV2_LoadBalancer-defaults.yaml",
        logical_id: "MyAlb",
        recorded: "shared:fixtures-external/AWS_ElasticLoadBalancingV2_LoadBalancer/rdk-example-ci.json",
        recorded_id: "arn:aws:elasticloadbalancing:us-east-1:264683526309:loadbalancer/app/MyALB/268aa84731d32825",
        account: "264683526309",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::IAM::Role",
        template: "AWS_IAM_Role.yaml",
        logical_id: "EtlRunner",
        recorded: "fixtures/KMS.2/non_compliant/role_decrypt_all_keys.json",
        recorded_id: "AROAQXYZEXAMPLE000002",
        account: "111122223333",
        region: "eu-west-1",
    },
    Case {
        resource_type: "AWS::IAM::Policy",
        template: "AWS_IAM_Policy.yaml",
        logical_id: "BreakGlassAdmin",
        recorded: "fixtures/IAM.1/non_compliant/allow_star_on_star.json",
        recorded_id: "ANPA4EXAMPLE0000000005",
        account: "123456789012",
        region: "us-east-1",
    },
    Case {
        resource_type: "AWS::IAM::User",
        template: "AWS_IAM_User.yaml",
        logical_id: "OpsAdmin",
        recorded: "fixtures/KMS.2/non_compliant/user_not_action_on_all_resources.json",
        recorded_id: "AIDAQXYZEXAMPLE000002",
        account: "111122223333",
        region: "eu-west-1",
    },
];

/// The recorded item of a case, or `None` (with a notice) when it is under ../shared and
/// that is absent.
fn recorded(case: &Case) -> Option<PathBuf> {
    match case.recorded.strip_prefix("shared:") {
        Some(relative) => {
            common::shared_or_skip(relative, &format!("equivalence of {}", case.template))
        }
        None => Some(common::root().join(case.recorded)),
    }
}

/// The requirement: for every covered type, a template and the item AWS Config
/// records for the same resource get the same verdict from every control that reads the
/// type (each case has NON_COMPLIANT verdicts, so agreeing means something).
#[test]
fn templates_get_the_verdicts_of_the_items_aws_config_records() {
    let mut failures = Vec::new();
    for case in CASES {
        let Some(recorded_path) = recorded(case) else {
            continue;
        };
        let from_item = run(
            case.recorded,
            read(&recorded_path),
            TemplateOptions::default(),
        );
        let expected = verdicts(&from_item, case.resource_type, case.recorded_id);
        assert!(
            expected.values().any(|v| v == "NON_COMPLIANT"),
            "{}: the recorded item should fail some control: {expected:?}",
            case.recorded
        );
        let text = template(&format!("equivalence/{}", case.template));
        let parameters = [
            ("AWS::AccountId", case.account),
            ("AWS::Region", case.region),
            ("MasterPassword", "secret"),
        ];
        let parameters: Vec<(&str, &str)> = parameters
            .into_iter()
            .filter(|(k, _)| k.starts_with("AWS::") || text.contains(&format!("{k}:")))
            .collect();
        let from_template = run(case.template, text.into_bytes(), options(&parameters));
        assert!(
            from_template.errors.is_empty(),
            "{}: {:?}",
            case.template,
            from_template
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        );
        let got = verdicts(&from_template, case.resource_type, case.logical_id);
        if got != expected {
            failures.push(format!(
                "{} ({}):\n  recorded {expected:?}\n  template {got:?}",
                case.template, case.recorded
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The configuration of each converted resource, by id (without lines, which differ
/// between the YAML and the JSON form).
fn shapes(converted: &Converted) -> BTreeMap<String, Value> {
    converted
        .resources
        .iter()
        .map(|r| {
            let shape = json!({
                "type": r.resource_type,
                "name": r.name,
                "configuration": r.configuration,
                "supplementary": r.supplementary,
                "tags": r.tags,
                "unknowns": r.unknowns,
            });
            (r.id.clone(), shape)
        })
        .collect()
}

#[test]
fn short_form_intrinsics_resolve_as_their_long_form_in_json() {
    let yaml = cloudformation::convert(
        "intrinsics.yaml",
        &template("intrinsics.yaml"),
        &options(&[]),
    );
    let json = cloudformation::convert(
        "intrinsics.json",
        &template("intrinsics.json"),
        &options(&[]),
    );
    assert!(yaml.problems.is_empty(), "{:?}", yaml.problems);
    assert!(json.problems.is_empty(), "{:?}", json.problems);
    assert_eq!(shapes(&yaml), shapes(&json));

    // Defaults: Env is dev. !Join, !Ref and !FindInMap are known.
    let bucket = resource(&yaml, "DataBucket");
    assert_eq!(bucket.name.as_deref(), Some("shop-dev-data"));
    assert_eq!(bucket.arn.as_deref(), Some("arn:aws:s3:::shop-dev-data"));
    assert_eq!(
        bucket.supplementary["BucketVersioningConfiguration"]["status"],
        "Suspended"
    );
    // !If [IsProd, ..., !Ref AWS::NoValue]: the property is removed.
    assert_eq!(
        bucket.supplementary["BucketLoggingConfiguration"],
        json!({"destinationBucketName": null, "logFilePrefix": null})
    );
    // !Select over !Split; !Sub of a pseudo parameter not given is unknown.
    assert_eq!(bucket.tags["team"], "payments");
    assert!(is_unknown(&bucket.tags["region"]), "{:?}", bucket.tags);
    assert!(
        bucket
            .unknowns
            .iter()
            .any(|u| u.starts_with("Properties.Tags[1].Value: ") && u.contains("AWS::Region")),
        "{:?}",
        bucket.unknowns
    );

    // Conditions false: no item at all.
    assert!(yaml
        .resources
        .iter()
        .all(|r| r.id != "LogBucket" && r.id != "Never"));

    let web = resource(&yaml, "Web");
    assert_eq!(web.configuration["description"], "shop web tier");
    assert!(is_unknown(web.configuration["vpcId"].as_str().unwrap()));
    let ingress = &web.configuration["ipPermissions"];
    // !Select over a CommaDelimitedList parameter; numbers as AWS Config records them.
    assert_eq!(ingress[0]["fromPort"], 22);
    assert_eq!(ingress[1]["fromPort"], 443);
    // !Cidr is computed.
    assert_eq!(ingress[1]["ipv4Ranges"][0]["cidrIp"], "10.0.1.0/24");
    // !If on an undecided condition (AdminCidr has no default) is unknown, and said why.
    let cidr = ingress[0]["ipv4Ranges"][0]["cidrIp"].as_str().unwrap();
    assert_eq!(
        cidr,
        "{unknown: !If [HasAdminCidr, !Ref AdminCidr, 10.0.0.0/8]}"
    );
    assert!(
        web.unknowns.iter().any(
            |u| u.starts_with("Properties.SecurityGroupIngress[0].CidrIp: ")
                && u.contains("HasAdminCidr")
        ),
        "{:?}",
        web.unknowns
    );
    // A decided !Or picks its branch.
    let server = resource(&yaml, "Server");
    assert_eq!(
        server.configuration["metadataOptions"]["httpTokens"],
        "required"
    );
    assert_eq!(
        server.configuration["securityGroups"][0]["groupId"],
        "{unknown id: !GetAtt Web.GroupId}"
    );
}

#[test]
fn parameters_come_from_defaults_then_from_the_command_line() {
    let text = template("intrinsics.yaml");
    let prod = convert(
        &text,
        &[
            ("Env", "prod"),
            ("AdminCidr", "192.0.2.0/24"),
            ("AWS::Region", "eu-west-1"),
        ],
    );
    assert!(prod.problems.is_empty(), "{:?}", prod.problems);
    let bucket = resource(&prod, "DataBucket");
    assert_eq!(bucket.name.as_deref(), Some("shop-prod-data"));
    assert_eq!(
        bucket.supplementary["BucketVersioningConfiguration"]["status"],
        "Enabled"
    );
    // The log bucket is created now; its name is generated, so the destination is unknown.
    assert_eq!(
        bucket.supplementary["BucketLoggingConfiguration"]["destinationBucketName"],
        "{unknown id: !Ref LogBucket}"
    );
    assert_eq!(bucket.tags["region"], "eu-west-1");
    assert!(prod.resources.iter().any(|r| r.id == "LogBucket"));
    // ProdWithAdmin holds now.
    assert!(prod.resources.iter().any(|r| r.id == "Never"));
    let web = resource(&prod, "Web");
    assert_eq!(
        web.configuration["ipPermissions"][0]["ipv4Ranges"][0]["cidrIp"],
        "192.0.2.0/24"
    );

    // A parameter the template does not declare, and a value it does not allow.
    let wrong = convert(&text, &[("Evn", "prod"), ("Env", "staging")]);
    let messages: Vec<String> = wrong
        .problems
        .iter()
        .filter(|p| p.code == Code::TemplateParameter)
        .map(|p| format!("{}: {}", p.message, p.help.clone().unwrap_or_default()))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("--parameter Evn names no parameter")
                && m.contains("did you mean `Env`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("--parameter Env=staging is not one of")),
        "{messages:?}"
    );
    // Pseudo parameters are always accepted.
    assert!(convert(&text, &[("AWS::AccountId", "111122223333")])
        .problems
        .is_empty());
}

#[test]
fn a_parameter_without_value_is_unknown_and_described() {
    let text = "
Parameters:
  KeyArn:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !Ref KeyArn
";
    let converted = convert(text, &[]);
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    let queue = resource(&converted, "Queue");
    assert_eq!(
        queue.configuration["KmsMasterKeyId"],
        "{unknown: !Ref KeyArn}"
    );
    assert_eq!(
        queue.unknowns,
        ["Properties.KmsMasterKeyId: !Ref KeyArn: parameter KeyArn has no default (give it with --parameter KeyArn=...)"]
    );
    let given = convert(
        text,
        &[("KeyArn", "arn:aws:kms:eu-west-1:111122223333:key/k")],
    );
    let queue = resource(&given, "Queue");
    assert_eq!(
        queue.configuration["KmsMasterKeyId"],
        "arn:aws:kms:eu-west-1:111122223333:key/k"
    );
    assert!(queue.unknowns.is_empty());
    // On the item, the placeholder is listed for the evaluator.
    let options = options(&[]);
    let loaded = regent::model::load::load_with("t.yaml", text.as_bytes(), false, &options);
    assert_eq!(loaded.items.len(), 1);
    assert_eq!(loaded.items[0].unknowns.len(), 1);
}

#[test]
fn a_getatt_is_unknown_but_a_reference_between_resources_links_them() {
    let text = "
Resources:
  Key:
    Type: AWS::KMS::Key
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !GetAtt Key.Arn
  Bucket:
    Type: AWS::S3::Bucket
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: !Sub '${Bucket.Arn}/*'
            Condition:
              Bool:
                aws:SecureTransport: false
";
    let converted = convert(text, &[]);
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    let topic = resource(&converted, "Topic");
    assert_eq!(
        topic.configuration["KmsMasterKeyId"],
        "{unknown id: !GetAtt Key.Arn}"
    );
    assert_eq!(
        topic.unknowns,
        ["Properties.KmsMasterKeyId: !GetAtt Key.Arn: known after deploy"]
    );
    // The policy is folded into its bucket (not an item of its own), and the ARN of a
    // generated name inside it is unknown, wholly.
    assert_eq!(converted.resources.len(), 3);
    let bucket = resource(&converted, "Bucket");
    let policy: Value = serde_json::from_str(
        bucket.supplementary["BucketPolicy"]["policyText"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        policy["Statement"][0]["Resource"],
        "{unknown: !Sub '${Bucket.Arn}/*'}"
    );
    assert!(
        bucket.unknowns.iter().any(
            |u| u.starts_with("BucketPolicy.Properties.PolicyDocument.Statement[0].Resource: ")
        ),
        "{:?}",
        bucket.unknowns
    );
}

#[test]
fn companions_fold_into_their_resource_or_are_skipped_with_the_reason() {
    let text = template("web-stack.yaml");
    let converted = convert(&text, &[]);
    assert!(converted.problems.is_empty(), "{:?}", converted.problems);
    let ids: Vec<&str> = converted.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["WebSecurityGroup", "AssetsBucket"]);
    let group = resource(&converted, "WebSecurityGroup");
    let ports: Vec<&Value> = group.configuration["ipPermissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["fromPort"])
        .collect();
    assert_eq!(ports, [&json!(443), &json!(22)]);
    // No egress rule in the template: the one EC2 adds.
    assert_eq!(
        group.configuration["ipPermissionsEgress"][0]["ipProtocol"],
        "-1"
    );

    let orphan = convert(
        "
Resources:
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !ImportValue shared-sg
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
",
        &[],
    );
    assert!(orphan.resources.is_empty() && orphan.problems.is_empty());
    let [skipped] = orphan.uncovered.as_slice() else {
        panic!("{:?}", orphan.uncovered)
    };
    assert_eq!(skipped.id, "Ssh");
    assert!(
        skipped
            .reason
            .as_deref()
            .unwrap()
            .contains("not in this template"),
        "{skipped:?}"
    );
}

#[test]
fn an_undecided_condition_converts_the_resource_and_says_so() {
    let text = "
Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
";
    let converted = convert(text, &[]);
    let table = resource(&converted, "Table");
    assert!(
        table.unknowns[0].starts_with("Condition: IsProd is not decided"),
        "{:?}",
        table.unknowns
    );
    assert!(convert(text, &[("Env", "dev")]).resources.is_empty());
}

#[test]
fn results_name_the_template_file_and_the_resource_line() {
    let path = format!("{FIXTURES}/web-stack.yaml");
    let report = run(
        &path,
        template("web-stack.yaml").into_bytes(),
        TemplateOptions::default(),
    );
    let ssh = report
        .results
        .iter()
        .find(|r| &*r.control_id == "EC2.13")
        .expect("EC2.13 judged the group");
    assert_eq!(ssh.compliance_type.as_str(), "NON_COMPLIANT");
    assert_eq!(&*ssh.subject.resource_id, "WebSecurityGroup");
    let origin = ssh.subject.origin.as_ref().unwrap().to_string();
    assert_eq!(origin, format!("{path}:8"));
    let bucket = report
        .results
        .iter()
        .find(|r| &*r.subject.resource_id == "AssetsBucket")
        .unwrap();
    assert_eq!(
        bucket.subject.origin.as_ref().unwrap().to_string(),
        format!("{path}:26")
    );
}

#[test]
fn broken_templates_are_problems_at_their_place() {
    // Unparsable YAML: the whole template fails, at the line of the error.
    let broken = cloudformation::convert(
        "bad.yaml",
        &template("malformed/bad-yaml.yaml"),
        &options(&[]),
    );
    assert!(broken.failed);
    let [problem] = broken.problems.as_slice() else {
        panic!("{:?}", broken.problems)
    };
    assert_eq!(problem.code, Code::TemplateInvalid);
    assert_eq!(problem.location().map(|l| l.line), Some(8));

    // Bad resources and intrinsics: each a problem at its place; the rest is converted.
    let partly = cloudformation::convert(
        "resources.yaml",
        &template("malformed/resources.yaml"),
        &options(&[]),
    );
    assert!(!partly.failed);
    let places: Vec<(usize, &str)> = partly
        .problems
        .iter()
        .map(|p| (p.location().map_or(0, |l| l.line), p.message.as_str()))
        .collect();
    assert_eq!(places.len(), 4, "{places:?}");
    assert!(
        places[0].0 == 3 && places[0].1.contains("NoType has no Type"),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|(line, m)| *line == 9 && m.contains("Join takes")),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|(line, m)| *line == 13 && m.contains("NoSuchKey")),
        "{places:?}"
    );
    assert!(
        places
            .iter()
            .any(|(line, m)| *line == 17 && m.contains("!Reff")),
        "{places:?}"
    );
    assert_eq!(
        resource(&partly, "Fine").name.as_deref(),
        Some("still-judged")
    );
    assert_eq!(partly.resources.len(), 4);
}

#[test]
fn hostile_templates_are_refused_without_exhausting_anything() {
    // Nesting far beyond 128 levels, in flow and in block style.
    let flow = format!(
        "Resources: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let block: String = (0..5_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    for text in [flow, format!("Resources:\n{block}")] {
        let converted = convert(&text, &[]);
        assert!(converted.failed);
        assert_eq!(converted.problems.len(), 1);
        assert!(
            converted.problems[0].message.contains("deeper than 128"),
            "{}",
            converted.problems[0]
        );
    }
    // An alias bomb (9^8 strings if expanded): refused in one problem, never expanded.
    let bomb = cloudformation::convert(
        "bomb.yaml",
        &template("malformed/alias-bomb.yaml"),
        &options(&[]),
    );
    let [problem] = bomb.problems.as_slice() else {
        panic!("{:?}", bomb.problems)
    };
    assert!(
        problem.message.contains("aliases are not supported")
            && problem.message.contains("73 aliases"),
        "{problem}"
    );
    assert_eq!(problem.location().map(|l| l.line), Some(4));
    let bucket = resource(&bomb, "Bucket");
    assert!(is_unknown(&bucket.tags["lol"]));
    // Intrinsics and values nested to the limit resolve without exhausting the stack (on a
    // thread of the default size, as the loader runs).
    let joins = (0..60).fold("x".to_string(), |inner, _| format!("!Join ['', [{inner}]]"));
    let lists = format!("{}1{}", "[".repeat(120), "]".repeat(120));
    let conditions: String = (0..500)
        .map(|i| format!("  C{i}: !Condition C{}\n", i + 1))
        .collect();
    let deep = format!(
        "Conditions:\n{conditions}  C500: !Equals [a, a]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C0\n    Properties:\n      KmsMasterKeyId: {joins}\n      RedrivePolicy: {{a: {lists}}}\n"
    );
    let converted = std::thread::spawn(move || convert(&deep, &[]))
        .join()
        .expect("no overflow");
    assert!(
        converted
            .problems
            .iter()
            .any(|p| p.message.contains("more than 64 deep")),
        "{:?}",
        converted.problems
    );
    assert_eq!(
        resource(&converted, "Q").configuration["KmsMasterKeyId"],
        "x"
    );
    // Arbitrary bytes never panic.
    for text in [
        "",
        "-",
        "Resources",
        "Resources: [",
        "Resources: {A: {Type: !Sub [x]}}",
        "\u{feff}Resources: {A: 1}",
        ": : :",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: !If [C, {}, {}]\n",
    ] {
        let _ = convert(text, &[]);
    }
}

#[test]
fn other_yaml_files_are_skipped_not_failed() {
    let report = run(
        "fixtures/templates/cloudformation/not-templates/github-workflow.yaml",
        template("not-templates/github-workflow.yaml").into_bytes(),
        TemplateOptions::default(),
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.skipped_inputs.len(), 1);
    assert!(
        report.skipped_inputs[0].reason.contains("no Resources"),
        "{:?}",
        report.skipped_inputs
    );
}

/// The real command line: `regent eval template.yaml --format sarif` points a failing
/// result at the template's file and the line of the resource.
#[test]
fn sarif_points_at_the_template_line() {
    let path = format!("{FIXTURES}/web-stack.yaml");
    let run = common::regent(&["eval", &path, "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let ssh: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "EC2.13").collect();
    assert_eq!(ssh.len(), 1, "{results:?}");
    let physical = &ssh[0]["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], path.as_str());
    assert_eq!(physical["region"]["startLine"], 8);
}

/// Every template of the fixtures (the malformed ones and other YAML files aside) is valid
/// CloudFormation.
#[test]
fn cfn_lint_accepts_the_fixture_templates() {
    let Some(cfn_lint) =
        common::tools::tool_or_skip("cfn-lint", "cfn_lint_accepts_the_fixture_templates")
    else {
        return;
    };
    let mut templates = Vec::new();
    for entry in walk(&common::root().join(FIXTURES)) {
        let skipped = entry
            .components()
            .any(|c| c.as_os_str() == "malformed" || c.as_os_str() == "not-templates");
        if !skipped
            && entry
                .extension()
                .is_some_and(|e| e == "yaml" || e == "json")
        {
            templates.push(entry);
        }
    }
    assert!(templates.len() > 10, "{templates:?}");
    let output = Command::new(cfn_lint)
        .args(&templates)
        .current_dir(common::root())
        .output()
        .expect("cfn-lint runs");
    // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational.
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code >= 0 && code & 2 == 0,
        "cfn-lint (exit {code}): {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("fixtures are readable")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of templates, so random texts often parse and reach the intrinsics.
    const PIECES: &[&str] = &[
        "Resources:\n",
        "  A:\n",
        "    Type: AWS::S3::Bucket\n",
        "    Type: AWS::EC2::SecurityGroup\n",
        "    Properties:\n",
        "      BucketName: ",
        "      SecurityGroupIngress:\n",
        "        - ",
        "!Ref ",
        "!Sub ",
        "!GetAtt ",
        "!If ",
        "!Join ",
        "!Select ",
        "!Split ",
        "!FindInMap ",
        "!Equals ",
        "!Cidr ",
        "!Base64 ",
        "!GetAZs ",
        "!ImportValue ",
        "!Condition ",
        "!Not ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ": ",
        "A",
        "A.Arn",
        "AWS::NoValue",
        "AWS::Region",
        "'${A}'",
        "\"${AWS::AccountId}-x\"",
        "-1",
        "0",
        "\n",
        "  ",
        "&a ",
        "*a",
        "Conditions:\n  C: ",
        "Parameters:\n  P:\n    Type: String\n",
        "Mappings:\n  M: {k: {v: 1}}\n",
        "CidrIp: ",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn random_templates_never_panic(pieces in prop::collection::vec(0..PIECES.len(), 0..40)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let converted = cloudformation::convert("fuzz.yaml", &text, &options(&[("P", "x")]));
            // Every problem points into the text.
            for problem in &converted.problems {
                if let Some(location) = problem.location() {
                    prop_assert!(location.line <= text.lines().count().max(1) + 1, "{problem}");
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
            let _ = cloudformation::convert("fuzz.yaml", &text, &options(&[]));
        }
    }
}
