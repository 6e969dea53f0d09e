//! AWS Security Finding Format (ASFF, schema 2018-10-08): one finding per NON_COMPLIANT
//! result (FAILED), and one per COMPLIANT result (PASSED) when asked. A finding's id is
//! stable per control and resource, so importing a later run's findings updates the ones
//! Security Hub holds instead of adding more; its times are the item's capture time,
//! never the clock, so the same report gives the same bytes. `findings` is what
//! `--to-security-hub` sends (src/aws/securityhub.rs).

use super::finding::{documentation, fix_text, partition, resource_uid, types};
use super::put_evaluations::{cut, json, CaptureTimes};
use crate::eval::Compliance;
use crate::policy::{ControlRecord, Severity as ControlSeverity};
use crate::report::{Report, ResultRow};
use crate::sink::View;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SCHEMA_VERSION: &str = "2018-10-08";

/// ASFF's length limits (AwsSecurityFinding in the Security Hub API reference).
const MAX_ID: usize = 512;
const MAX_TITLE: usize = 256;
const MAX_DESCRIPTION: usize = 1024;
const MAX_RECOMMENDATION: usize = 512;

/// When no result of the report has a capture time (Select output without
/// `configurationItemCaptureTime`): the time the evaluation itself then takes.
const NO_CAPTURE_TIME: &str = "1970-01-01T00:00:00.000Z";

/// One finding, as ASFF names its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Finding {
    pub schema_version: String,
    /// `regent/<control id>/<resource ARN>`, or `regent/<control id>/<account>/<region>/
    /// <resource type>/<resource id>` for a resource without an ARN.
    pub id: String,
    /// The account's default product: findings a customer imports for itself.
    pub product_arn: String,
    /// `regent/<control id>`.
    pub generator_id: String,
    pub aws_account_id: String,
    pub types: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    pub remediation: Remediation,
    pub product_fields: BTreeMap<String, String>,
    pub resources: Vec<Resource>,
    pub compliance: FindingCompliance,
    pub workflow: Workflow,
    pub record_state: String,
}

impl Finding {
    /// The region the finding belongs to (and is imported into).
    pub fn region(&self) -> &str {
        self.resources.first().map_or("", |r| r.region.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Severity {
    /// CRITICAL, HIGH, MEDIUM, LOW or INFORMATIONAL (a PASSED finding's, as Security Hub
    /// sets for its own control findings).
    pub label: String,
    /// The control's severity, as its metadata writes it.
    pub original: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Remediation {
    pub recommendation: Recommendation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Recommendation {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    /// Security Hub's name for the type (`AwsS3Bucket`), or `Other`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The ARN when there is one; `AWS::::Account:<id>` for an account.
    pub id: String,
    /// aws, aws-cn or aws-us-gov.
    pub partition: String,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FindingCompliance {
    /// PASSED or FAILED.
    pub status: String,
    pub security_control_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub associated_standards: Vec<AssociatedStandard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociatedStandard {
    pub standards_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Workflow {
    pub status: String,
}

/// The findings of the results the view shows, in report order: FAILED for NON_COMPLIANT,
/// and PASSED for COMPLIANT when `passed`.
pub fn findings(report: &Report, view: &View, passed: bool) -> Vec<Finding> {
    let times = CaptureTimes::of(report);
    view.results(report)
        .filter(|row| match row.compliance_type {
            Compliance::NonCompliant => true,
            Compliance::Compliant => passed,
            Compliance::NotApplicable | Compliance::Error => false,
        })
        .map(|row| {
            let time = times
                .of_row(row)
                .unwrap_or_else(|| NO_CAPTURE_TIME.to_string());
            finding(row, report.control(&row.control_id), time)
        })
        .collect()
}

/// `--format asff`: a JSON array of findings, one per line (BatchImportFindings takes the
/// array, 100 at a time).
pub fn render(report: &Report, view: &View, passed: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    write!(out, "[")?;
    for (i, finding) in findings(report, view, passed).iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        out.write_all(&json(finding))?;
    }
    writeln!(out, "\n]")?;
    out.flush()
}

fn finding(row: &ResultRow, control: Option<&ControlRecord>, time: String) -> Finding {
    let subject = &*row.subject;
    let failed = row.compliance_type == Compliance::NonCompliant;
    let partition = partition(subject.arn.as_deref(), &subject.region);
    let region = home_region(&subject.region, partition).to_string();
    let account = subject.account.to_string();
    let control_id = row.control_id.to_string();
    Finding {
        schema_version: SCHEMA_VERSION.to_string(),
        id: finding_id(row),
        product_arn: format!(
            "arn:{partition}:securityhub:{region}:{account}:product/{account}/default"
        ),
        generator_id: format!("regent/{control_id}"),
        types: types(control),
        created_at: time.clone(),
        updated_at: time,
        severity: Severity {
            label: if failed {
                severity_label(row.severity)
            } else {
                "INFORMATIONAL"
            }
            .to_string(),
            original: row.severity.to_string(),
        },
        title: cut(&row.title, MAX_TITLE),
        description: description(row, control),
        remediation: Remediation {
            recommendation: recommendation(row, control),
        },
        product_fields: product_fields(&control_id, control),
        resources: vec![Resource {
            kind: resource_type(&subject.resource_type).to_string(),
            id: resource_uid(row),
            partition: partition.to_string(),
            region,
        }],
        compliance: FindingCompliance {
            status: if failed { "FAILED" } else { "PASSED" }.to_string(),
            security_control_id: control_id,
            associated_standards: control.map(associated_standards).unwrap_or_default(),
        },
        // A waived finding is accepted: Security Hub shows it suppressed.
        workflow: Workflow {
            status: if row.waiver.is_some() {
                "SUPPRESSED"
            } else {
                "NEW"
            }
            .to_string(),
        },
        record_state: "ACTIVE".to_string(),
        aws_account_id: account,
    }
}

/// Stable per control and resource (and per region for an account-level result), so a
/// re-import updates the finding. An id past ASFF's 512 characters keeps its start and a
/// hash of the whole, still stable.
fn finding_id(row: &ResultRow) -> String {
    let s = &*row.subject;
    let id = match &s.arn {
        Some(arn) => format!("regent/{}/{arn}", row.control_id),
        None => format!(
            "regent/{}/{}/{}/{}/{}",
            row.control_id, s.account, s.region, s.resource_type, s.resource_id
        ),
    };
    if id.len() <= MAX_ID {
        return id;
    }
    let hash = format!("#{:016x}", fnv1a(id.as_bytes()));
    let mut keep = MAX_ID - hash.len();
    while !id.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{hash}", &id[..keep])
}

/// FNV-1a, 64 bits: a stable hash needing no dependency.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The region a finding goes to: its own, or for a global resource (IAM: region `global`)
/// the partition's home region, where IAM itself lives.
fn home_region<'a>(region: &'a str, partition: &str) -> &'a str {
    if region != "global" && !region.is_empty() {
        return region;
    }
    match partition {
        "aws-cn" => "cn-north-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    }
}

fn severity_label(severity: ControlSeverity) -> &'static str {
    match severity {
        ControlSeverity::Critical => "CRITICAL",
        ControlSeverity::High => "HIGH",
        ControlSeverity::Medium => "MEDIUM",
        ControlSeverity::Low => "LOW",
        ControlSeverity::Informational => "INFORMATIONAL",
    }
}

/// Security Hub's ids of the control's standards (the resource part of each standard's
/// ARN); standards of one's own (`custom/...`) have none.
fn associated_standards(control: &ControlRecord) -> Vec<AssociatedStandard> {
    control
        .meta
        .standards
        .keys()
        .filter_map(|standard| {
            Some(match standard.as_str() {
                "aws-foundational-security-best-practices/v1.0.0" => {
                    "standards/aws-foundational-security-best-practices/v/1.0.0"
                }
                "cis-aws-foundations-benchmark/v1.2.0" => {
                    "ruleset/cis-aws-foundations-benchmark/v/1.2.0"
                }
                "cis-aws-foundations-benchmark/v1.4.0" => {
                    "standards/cis-aws-foundations-benchmark/v/1.4.0"
                }
                "cis-aws-foundations-benchmark/v3.0.0" => {
                    "standards/cis-aws-foundations-benchmark/v/3.0.0"
                }
                _ => return None,
            })
        })
        .map(|id| AssociatedStandard {
            standards_id: id.to_string(),
        })
        .collect()
}

/// Why it failed (the annotation), then what the control checks.
fn description(row: &ResultRow, control: Option<&ControlRecord>) -> String {
    let checks = control
        .map(|c| c.meta.description.trim())
        .filter(|d| !d.is_empty())
        .unwrap_or(&row.title);
    let text = match row
        .annotation
        .as_deref()
        .filter(|_| row.compliance_type == Compliance::NonCompliant)
    {
        Some(why) if !why.is_empty() => format!("{why}\n\n{checks}"),
        _ => checks.to_string(),
    };
    cut(&text, MAX_DESCRIPTION)
}

/// The runbook that fixes it (with its parameters for this resource when they are
/// resolved), and the control's page in the Security Hub documentation when it has one.
fn recommendation(row: &ResultRow, control: Option<&ControlRecord>) -> Recommendation {
    let text = fix_text(row, control);
    Recommendation {
        text: cut(&text, MAX_RECOMMENDATION),
        url: documentation(&row.control_id),
    }
}

/// What names the control in Security Hub's console and in rules on findings.
fn product_fields(control_id: &str, control: Option<&ControlRecord>) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::from([("regent/ControlId".to_string(), control_id.to_string())]);
    let meta = control.map(|c| &c.meta);
    if let Some(runbook) = meta.and_then(|m| m.remediation.as_ref()) {
        fields.insert("regent/Runbook".to_string(), runbook.runbook.to_string());
    }
    if let Some(rule) = meta.and_then(|m| m.config_rule.as_ref()) {
        fields.insert("regent/ConfigRule".to_string(), rule.clone());
    }
    fields
}

/// Security Hub's resource type for a Config type: the names its `Resources[].Type` takes
/// (the API's `ResourceDetails` members, and the AwsAccount, AwsEfsFileSystem and
/// AwsElastiCacheCacheCluster it lists beside them); `Other` for the rest.
pub fn resource_type(config_type: &str) -> &'static str {
    match config_type {
        "AWS::::Account" => "AwsAccount",
        "AWS::ACM::Certificate" => "AwsCertificateManagerCertificate",
        "AWS::ApiGateway::RestApi" => "AwsApiGatewayRestApi",
        "AWS::ApiGateway::Stage" => "AwsApiGatewayStage",
        "AWS::ApiGatewayV2::Api" => "AwsApiGatewayV2Api",
        "AWS::ApiGatewayV2::Stage" => "AwsApiGatewayV2Stage",
        "AWS::AutoScaling::AutoScalingGroup" => "AwsAutoScalingAutoScalingGroup",
        "AWS::AutoScaling::LaunchConfiguration" => "AwsAutoScalingLaunchConfiguration",
        "AWS::CloudFormation::Stack" => "AwsCloudFormationStack",
        "AWS::CloudFront::Distribution" => "AwsCloudFrontDistribution",
        "AWS::CloudTrail::Trail" => "AwsCloudTrailTrail",
        "AWS::CloudWatch::Alarm" => "AwsCloudWatchAlarm",
        "AWS::CodeBuild::Project" => "AwsCodeBuildProject",
        "AWS::DynamoDB::Table" => "AwsDynamoDbTable",
        "AWS::EC2::EIP" => "AwsEc2Eip",
        "AWS::EC2::Instance" => "AwsEc2Instance",
        "AWS::EC2::LaunchTemplate" => "AwsEc2LaunchTemplate",
        "AWS::EC2::NetworkAcl" => "AwsEc2NetworkAcl",
        "AWS::EC2::NetworkInterface" => "AwsEc2NetworkInterface",
        "AWS::EC2::RouteTable" => "AwsEc2RouteTable",
        "AWS::EC2::SecurityGroup" => "AwsEc2SecurityGroup",
        "AWS::EC2::Subnet" => "AwsEc2Subnet",
        "AWS::EC2::TransitGateway" => "AwsEc2TransitGateway",
        "AWS::EC2::VPC" => "AwsEc2Vpc",
        "AWS::EC2::VPCPeeringConnection" => "AwsEc2VpcPeeringConnection",
        "AWS::EC2::VPNConnection" => "AwsEc2VpnConnection",
        "AWS::EC2::Volume" => "AwsEc2Volume",
        "AWS::ECR::Repository" => "AwsEcrRepository",
        "AWS::ECS::Cluster" => "AwsEcsCluster",
        "AWS::ECS::Service" => "AwsEcsService",
        "AWS::ECS::TaskDefinition" => "AwsEcsTaskDefinition",
        "AWS::EFS::FileSystem" => "AwsEfsFileSystem",
        "AWS::EKS::Cluster" => "AwsEksCluster",
        "AWS::ElastiCache::CacheCluster" => "AwsElastiCacheCacheCluster",
        "AWS::ElasticBeanstalk::Environment" => "AwsElasticBeanstalkEnvironment",
        "AWS::ElasticLoadBalancing::LoadBalancer" => "AwsElbLoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => "AwsElbv2LoadBalancer",
        "AWS::Elasticsearch::Domain" => "AwsElasticsearchDomain",
        "AWS::GuardDuty::Detector" => "AwsGuardDutyDetector",
        "AWS::IAM::Group" => "AwsIamGroup",
        "AWS::IAM::Policy" => "AwsIamPolicy",
        "AWS::IAM::Role" => "AwsIamRole",
        "AWS::IAM::User" => "AwsIamUser",
        "AWS::KMS::Key" => "AwsKmsKey",
        "AWS::Kinesis::Stream" => "AwsKinesisStream",
        "AWS::Lambda::Function" => "AwsLambdaFunction",
        "AWS::NetworkFirewall::Firewall" => "AwsNetworkFirewallFirewall",
        "AWS::OpenSearch::Domain" => "AwsOpenSearchServiceDomain",
        "AWS::RDS::DBCluster" => "AwsRdsDbCluster",
        "AWS::RDS::DBClusterSnapshot" => "AwsRdsDbClusterSnapshot",
        "AWS::RDS::DBInstance" => "AwsRdsDbInstance",
        "AWS::RDS::DBSnapshot" => "AwsRdsDbSnapshot",
        "AWS::RDS::EventSubscription" => "AwsRdsEventSubscription",
        "AWS::Redshift::Cluster" => "AwsRedshiftCluster",
        "AWS::S3::AccessPoint" => "AwsS3AccessPoint",
        "AWS::S3::Bucket" => "AwsS3Bucket",
        "AWS::SNS::Topic" => "AwsSnsTopic",
        "AWS::SQS::Queue" => "AwsSqsQueue",
        "AWS::SecretsManager::Secret" => "AwsSecretsManagerSecret",
        "AWS::SageMaker::NotebookInstance" => "AwsSageMakerNotebookInstance",
        "AWS::StepFunctions::StateMachine" => "AwsStepFunctionStateMachine",
        "AWS::WAFv2::WebACL" => "AwsWafv2WebAcl",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_pages_are_those_of_security_hub_controls() {
        assert_eq!(
            documentation("S3.5").as_deref(),
            Some("https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5")
        );
        assert_eq!(
            documentation("Autoscaling.5").as_deref(),
            Some("https://docs.aws.amazon.com/securityhub/latest/userguide/autoscaling-controls.html#autoscaling-5")
        );
        assert_eq!(documentation("ACME.1"), None);
        assert_eq!(documentation("S3.x"), None);
    }

    #[test]
    fn partitions_come_from_the_arn_then_the_region() {
        assert_eq!(partition(Some("arn:aws-cn:s3:::b"), "global"), "aws-cn");
        assert_eq!(
            partition(Some("arn:aws-us-gov:iam::1:role/r"), "global"),
            "aws-us-gov"
        );
        assert_eq!(partition(None, "cn-northwest-1"), "aws-cn");
        assert_eq!(partition(None, "eu-west-1"), "aws");
        assert_eq!(home_region("global", "aws-cn"), "cn-north-1");
        assert_eq!(home_region("eu-west-1", "aws"), "eu-west-1");
    }

    #[test]
    fn every_type_the_pack_evaluates_maps_to_a_security_hub_type() {
        let pack = crate::policy::Pack::load(true, &[]);
        let mut unmapped: Vec<&str> = pack
            .controls
            .iter()
            .flat_map(|c| c.meta.resource_types.iter())
            .map(String::as_str)
            .filter(|t| resource_type(t) == "Other")
            .collect();
        unmapped.sort_unstable();
        unmapped.dedup();
        // Security Hub names no type for a replication group: its findings are on `Other`.
        assert_eq!(unmapped, ["AWS::ElastiCache::ReplicationGroup"]);
    }

    #[test]
    fn long_ids_keep_their_start_and_stay_stable() {
        let long = "x".repeat(600);
        let row = |id: &str| ResultRow {
            control_id: "S3.5".into(),
            title: "t".into(),
            severity: ControlSeverity::Low,
            subject: std::sync::Arc::new(crate::model::Subject {
                resource_type: "AWS::S3::Bucket".into(),
                resource_id: id.into(),
                resource_name: None,
                arn: None,
                account: "111122223333".into(),
                region: "eu-west-1".into(),
                capture_time: None,
                state_id: None,
                origin: None,
            }),
            compliance_type: Compliance::NonCompliant,
            annotation: None,
            remediation: None,
            waiver: None,
            baseline: None,
        };
        let a = finding_id(&row(&format!("{long}a")));
        let b = finding_id(&row(&format!("{long}b")));
        assert_eq!(a.len(), MAX_ID);
        assert!(a.starts_with("regent/S3.5/111122223333/eu-west-1/AWS::S3::Bucket/xxx"));
        assert_ne!(a, b);
        assert_eq!(a, finding_id(&row(&format!("{long}a"))));
    }
}
