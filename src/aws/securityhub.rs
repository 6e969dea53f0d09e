//! Security Hub: findings (ASFF, from `sink::asff`) imported with BatchImportFindings,
//! into the region each belongs to, at most 100 per call. A finding the answer lists in
//! `FailedFindings` is sent again a few times, with backoff, then reported with its id,
//! error code and message. Security Hub keeps one finding per id, so a second import of
//! the same findings updates them.

use super::{call_failed, Aws, Retry};
use crate::diagnostics::{Code, Problem};
use crate::sink::asff::Finding;
use aws_sdk_securityhub::config::Region;
use aws_sdk_securityhub::operation::RequestId;
use aws_sdk_securityhub::types as sdk;
use aws_sdk_securityhub::Client;
use std::collections::{BTreeMap, HashSet};

/// BatchImportFindings takes at most this many findings per call.
pub const MAX_PER_CALL: usize = 100;
/// Rounds of sending in all: the first, then three for findings Security Hub refused
/// (`--aws-max-attempts` is about calls that fail, not findings a call refuses).
const ROUNDS: u32 = 4;

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// Findings there were to import.
    pub attempted: usize,
    /// Findings imported, per region.
    pub per_region: BTreeMap<String, usize>,
    /// Failed calls (`aws::call`, with the operation, region, error code and request id),
    /// and findings still refused after the last round (with their id, error code and
    /// message).
    pub problems: Vec<Problem>,
}

impl Imported {
    /// Nothing imported of `attempted` findings, because of `problem` (no connection).
    pub fn none(attempted: usize, problem: Problem) -> Self {
        Imported {
            attempted,
            problems: vec![problem],
            ..Imported::default()
        }
    }

    pub fn total(&self) -> usize {
        self.per_region.values().sum()
    }

    /// One line: how many were imported where (`237 findings imported into Security Hub:
    /// eu-west-1 120, us-east-1 117`).
    pub fn summary(&self) -> String {
        let regions: Vec<String> = self
            .per_region
            .iter()
            .map(|(region, n)| format!("{region} {n}"))
            .collect();
        let places = if regions.is_empty() {
            String::new()
        } else {
            format!(": {}", regions.join(", "))
        };
        let total = self.total();
        match self.attempted {
            0 => "no finding to import into Security Hub".to_string(),
            all if all == total => format!("{total} findings imported into Security Hub{places}"),
            all => format!("{total} of {all} findings imported into Security Hub{places}"),
        }
    }
}

/// Imports `findings`, each into its own region (`Finding::region`), region by region in
/// name order and in order within one. `retry`'s backoff paces the rounds for refused
/// findings (the first waits `initial_backoff`, each next twice as long).
pub fn import(aws: &Aws, findings: &[Finding], retry: Retry) -> Imported {
    let mut by_region: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        by_region.entry(finding.region()).or_default().push(finding);
    }
    let mut imported = Imported {
        attempted: findings.len(),
        ..Imported::default()
    };
    for (region, findings) in by_region {
        let config = aws_sdk_securityhub::config::Builder::from(aws.sdk())
            .region(Region::new(region.to_string()))
            .build();
        let client = Client::from_conf(config);
        let (count, problems) = aws.block_on(import_region(&client, region, &findings, retry));
        imported.per_region.insert(region.to_string(), count);
        imported.problems.extend(problems);
    }
    imported
}

/// One region's findings: rounds of calls, each round sending what the last one had
/// refused. Returns how many were imported, and the problems.
async fn import_region(
    client: &Client,
    region: &str,
    findings: &[&Finding],
    retry: Retry,
) -> (usize, Vec<Problem>) {
    let mut pending: Vec<&Finding> = findings.to_vec();
    let mut imported = 0;
    let mut delay = retry.initial_backoff;
    let mut round = 1;
    loop {
        let answer = send_round(client, region, &pending).await;
        imported += answer.imported;
        if let Some(problem) = answer.failed {
            return (imported, vec![problem]);
        }
        if answer.refused.is_empty() || round == ROUNDS {
            let problems = answer.refused.iter().map(Refused::problem).collect();
            return (imported, problems);
        }
        let again: HashSet<&str> = answer.refused.iter().map(|r| r.id.as_str()).collect();
        pending.retain(|f| again.contains(f.id.as_str()));
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(retry.max_backoff);
        round += 1;
    }
}

/// A finding Security Hub did not import, as its answer says.
struct Refused {
    id: String,
    code: String,
    message: String,
    request_id: Option<String>,
}

impl Refused {
    /// Still refused after the last round.
    fn problem(&self) -> Problem {
        let request = self
            .request_id
            .as_ref()
            .map_or(String::new(), |id| format!(" (request id {id})"));
        Problem::new(
            Code::AwsCall,
            &self.id,
            format!(
                "BatchImportFindings refused the finding, sent {ROUNDS} times: {}: {}{request}",
                self.code, self.message
            ),
        )
    }
}

/// What one pass over a region's findings did.
struct Round {
    imported: usize,
    refused: Vec<Refused>,
    /// A call that failed: it ends the region (the calls after it would fail alike).
    failed: Option<Problem>,
}

/// One pass over `findings`, 100 per call, until a call fails.
async fn send_round(client: &Client, region: &str, findings: &[&Finding]) -> Round {
    let mut round = Round {
        imported: 0,
        refused: Vec::new(),
        failed: None,
    };
    for (done, batch) in findings.chunks(MAX_PER_CALL).enumerate() {
        let request = client
            .batch_import_findings()
            .set_findings(Some(batch.iter().map(|f| to_sdk(f)).collect()));
        let output = match request.send().await {
            Ok(output) => output,
            Err(err) => {
                let left = findings.len() - done * MAX_PER_CALL;
                round.failed = Some(call_failed_in(region, left, &err));
                return round;
            }
        };
        let request_id = output.request_id().map(str::to_string);
        for failed in output.failed_findings() {
            round.refused.push(Refused {
                id: failed.id().unwrap_or("(no id)").to_string(),
                code: failed.error_code().unwrap_or("(no code)").to_string(),
                message: failed.error_message().unwrap_or("(no message)").to_string(),
                request_id: request_id.clone(),
            });
        }
        round.imported += batch.len().saturating_sub(output.failed_findings().len());
    }
    round
}

/// A failed call, with how many findings of the region it left out, and what to do when
/// Security Hub is not enabled there.
fn call_failed_in<E, R>(
    region: &str,
    left: usize,
    err: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> Problem
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let mut problem = call_failed(
        "BatchImportFindings",
        &format!("Security Hub in {region}"),
        err,
    );
    problem
        .message
        .push_str(&format!("; {left} findings for {region} were not imported"));
    let not_enabled = matches!(
        err.as_service_error().and_then(|e| e.code()),
        Some("InvalidAccessException")
    );
    if not_enabled {
        problem = problem.with_help(format!(
            "Security Hub is not enabled in {region} for this account: enable it (aws securityhub enable-security-hub --region {region}), or leave out --to-security-hub"
        ));
    }
    problem
}

/// The SDK's finding, field by field from ours (the SDK's types cannot be read from
/// JSON); tests/aws_securityhub.rs checks that what goes on the wire is `--format asff`.
pub fn to_sdk(finding: &Finding) -> sdk::AwsSecurityFinding {
    let recommendation = &finding.remediation.recommendation;
    sdk::AwsSecurityFinding::builder()
        .schema_version(&finding.schema_version)
        .id(&finding.id)
        .product_arn(&finding.product_arn)
        .generator_id(&finding.generator_id)
        .aws_account_id(&finding.aws_account_id)
        .set_types(Some(finding.types.clone()))
        .created_at(&finding.created_at)
        .updated_at(&finding.updated_at)
        .severity(
            sdk::Severity::builder()
                .label(sdk::SeverityLabel::from(finding.severity.label.as_str()))
                .original(&finding.severity.original)
                .build(),
        )
        .title(&finding.title)
        .description(&finding.description)
        .remediation(
            sdk::Remediation::builder()
                .recommendation(
                    sdk::Recommendation::builder()
                        .text(&recommendation.text)
                        .set_url(recommendation.url.clone())
                        .build(),
                )
                .build(),
        )
        .set_product_fields(Some(finding.product_fields.clone().into_iter().collect()))
        .set_resources(Some(
            finding
                .resources
                .iter()
                .map(|r| {
                    sdk::Resource::builder()
                        .r#type(&r.kind)
                        .id(&r.id)
                        .partition(sdk::Partition::from(r.partition.as_str()))
                        .region(&r.region)
                        .build()
                })
                .collect(),
        ))
        .compliance(
            sdk::Compliance::builder()
                .status(sdk::ComplianceStatus::from(
                    finding.compliance.status.as_str(),
                ))
                .security_control_id(&finding.compliance.security_control_id)
                .set_associated_standards(
                    (!finding.compliance.associated_standards.is_empty()).then(|| {
                        finding
                            .compliance
                            .associated_standards
                            .iter()
                            .map(|s| {
                                sdk::AssociatedStandard::builder()
                                    .standards_id(&s.standards_id)
                                    .build()
                            })
                            .collect()
                    }),
                )
                .build(),
        )
        .workflow(
            sdk::Workflow::builder()
                .status(sdk::WorkflowStatus::from(finding.workflow.status.as_str()))
                .build(),
        )
        .record_state(sdk::RecordState::from(finding.record_state.as_str()))
        .build()
}
