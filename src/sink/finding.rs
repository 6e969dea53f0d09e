//! What the findings for AWS (ASFF, OCSF) and code scanning (SARIF, HTML) say alike of a
//! result: its resource's uid and partition, its finding types, how to fix it, and the
//! control's page in the Security Hub user guide.

use crate::policy::metadata::ACCOUNT_TYPE;
use crate::policy::ControlRecord;
use crate::report::ResultRow;

/// The resource's ARN; an account as Security Hub names it; else the resource id.
pub(crate) fn resource_uid(row: &ResultRow) -> String {
    let s = &*row.subject;
    match &s.arn {
        Some(arn) => arn.to_string(),
        None if &*s.resource_type == ACCOUNT_TYPE => format!("AWS::::Account:{}", s.account),
        None => s.resource_id.to_string(),
    }
}

/// The partition of the ARN, else of the region.
pub(crate) fn partition(arn: Option<&str>, region: &str) -> &'static str {
    let named = arn.and_then(|arn| arn.split(':').nth(1));
    match named {
        Some("aws-cn") => "aws-cn",
        Some("aws-us-gov") => "aws-us-gov",
        Some(_) => "aws",
        None if region.starts_with("cn-") => "aws-cn",
        None if region.starts_with("us-gov-") => "aws-us-gov",
        None => "aws",
    }
}

/// The finding types of the control's standards (namespace/category/classifier, as
/// Security Hub types its own control findings).
pub(crate) fn types(control: Option<&ControlRecord>) -> Vec<String> {
    const STANDARDS: &str = "Software and Configuration Checks/Industry and Regulatory Standards";
    let mut types: Vec<String> = control
        .into_iter()
        .flat_map(|c| c.meta.standards.keys())
        .filter_map(|standard| {
            if standard.starts_with("aws-foundational-security-best-practices/") {
                Some(format!(
                    "{STANDARDS}/AWS-Foundational-Security-Best-Practices"
                ))
            } else if standard.starts_with("cis-aws-foundations-benchmark/") {
                Some(format!("{STANDARDS}/CIS AWS Foundations Benchmark"))
            } else {
                None
            }
        })
        .collect();
    types.sort();
    types.dedup();
    if types.is_empty() {
        types.push("Software and Configuration Checks".to_string());
    }
    types
}

/// How to fix a failing result: the runbook with its parameters for this resource when
/// they are resolved, else the runbook, else where to read what the control checks.
pub(crate) fn fix_text(row: &ResultRow, control: Option<&ControlRecord>) -> String {
    let runbook = control
        .and_then(|c| c.meta.remediation.as_ref())
        .map(|r| &r.runbook);
    match (&row.remediation, runbook) {
        (Some(resolved), _) => {
            let parameters: Vec<String> = resolved
                .parameters
                .iter()
                .map(|(name, value)| match value.as_str() {
                    Some(text) => format!("{name}={text}"),
                    None => format!("{name}={value}"),
                })
                .collect();
            format!(
                "Run the SSM Automation runbook {} with {}.",
                resolved.runbook,
                parameters.join(", ")
            )
        }
        (None, Some(runbook)) => format!("Run the SSM Automation runbook {runbook}."),
        (None, None) => format!(
            "Change the resource so the control passes; `regent explain {}` shows what it checks.",
            row.control_id
        ),
    }
}

/// The services whose controls the Security Hub user guide documents on a page each
/// (`s3-controls.html#s3-5`); a control of one's own (`ACME.1`) has no page.
const DOCUMENTED_SERVICES: &[&str] = &[
    "ACM",
    "APIGateway",
    "AutoScaling",
    "Autoscaling",
    "CloudFormation",
    "CloudFront",
    "CloudTrail",
    "CodeBuild",
    "Config",
    "DynamoDB",
    "EC2",
    "ECR",
    "ECS",
    "EFS",
    "EKS",
    "ELB",
    "ES",
    "ElastiCache",
    "GuardDuty",
    "IAM",
    "KMS",
    "Kinesis",
    "Lambda",
    "Opensearch",
    "RDS",
    "Redshift",
    "S3",
    "SNS",
    "SQS",
    "SSM",
    "SecretsManager",
];

/// The control's page in the Security Hub user guide, if it has one (also SARIF's `helpUri`).
pub(crate) fn documentation(control_id: &str) -> Option<String> {
    let (service, number) = control_id.split_once('.')?;
    if !DOCUMENTED_SERVICES.contains(&service) || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let page = service.to_ascii_lowercase();
    Some(format!(
        "https://docs.aws.amazon.com/securityhub/latest/userguide/{page}-controls.html#{page}-{number}"
    ))
}
