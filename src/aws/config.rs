//! AWS Config over the SDK: the listing and batch reads `config://` needs
//! (`source::config_api::ConfigApi`), and sending evaluations with PutEvaluations.
//!
//! The SDK's types have no `Serialize`, and the loader reads documents, so each item is
//! written out explicitly as the `baseConfigurationItems` API shape (`base_item_json`):
//! every field, times RFC 3339.

use super::{call_failed, Aws};
use crate::diagnostics::{Code, Problem};
use crate::model::envelope::ResultToken;
use crate::sink::put_evaluations::{
    self, Evaluations, NotSentKind, PutEvaluationsRequest, RuleScope,
};
use crate::source::config_api::{Batch, ConfigApi, Listing, ResourceKey, Target};
use aws_sdk_config::types::{
    AggregateResourceIdentifier, BaseConfigurationItem, ComplianceType, ConfigurationItem,
    Evaluation, ResourceType,
};
use aws_smithy_types::DateTime;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// The largest page a listing asks for.
const LIST_LIMIT: i32 = 100;

/// AWS Config's client, on the connection's runtime.
pub struct ConfigClient {
    aws: Arc<Aws>,
    client: aws_sdk_config::Client,
}

impl ConfigClient {
    pub fn new(aws: Arc<Aws>) -> Self {
        let client = aws_sdk_config::Client::new(aws.sdk());
        ConfigClient { aws, client }
    }
}

impl ConfigApi for ConfigClient {
    fn region(&self) -> String {
        self.aws
            .sdk()
            .region()
            .map_or_else(String::new, |r| r.to_string())
    }

    fn list(
        &self,
        target: &Target,
        resource_type: &str,
        next_token: Option<String>,
        origin: &str,
    ) -> Result<Listing, Problem> {
        let resource_type = ResourceType::from(resource_type);
        match target {
            Target::Account => self.list_account(resource_type, next_token, origin),
            Target::Aggregator(name) => {
                self.list_aggregate(name, resource_type, next_token, origin)
            }
        }
    }

    fn batch_get(
        &self,
        target: &Target,
        keys: &[ResourceKey],
        origin: &str,
    ) -> Result<Batch, Problem> {
        match target {
            Target::Account => self.batch_get_account(keys, origin),
            Target::Aggregator(name) => self.batch_get_aggregate(name, keys, origin),
        }
    }
}

/// The account's calls and the aggregator's: the same steps over the SDK's two sets of
/// types.
impl ConfigClient {
    fn list_account(
        &self,
        resource_type: ResourceType,
        next_token: Option<String>,
        origin: &str,
    ) -> Result<Listing, Problem> {
        let call = self
            .client
            .list_discovered_resources()
            .resource_type(resource_type.clone())
            .limit(LIST_LIMIT)
            .set_next_token(next_token)
            .send();
        let output = self.aws.call("ListDiscoveredResources", origin, call)?;
        let keys = output
            .resource_identifiers()
            .iter()
            .filter_map(|r| {
                Some(ResourceKey {
                    resource_type: r
                        .resource_type()
                        .unwrap_or(&resource_type)
                        .as_str()
                        .to_string(),
                    resource_id: r.resource_id()?.to_string(),
                    account: None,
                    region: None,
                    name: r.resource_name().map(str::to_string),
                })
            })
            .collect();
        Ok(Listing {
            keys,
            next_token: output.next_token().map(str::to_string),
        })
    }

    fn list_aggregate(
        &self,
        aggregator: &str,
        resource_type: ResourceType,
        next_token: Option<String>,
        origin: &str,
    ) -> Result<Listing, Problem> {
        let call = self
            .client
            .list_aggregate_discovered_resources()
            .configuration_aggregator_name(aggregator)
            .resource_type(resource_type)
            .limit(LIST_LIMIT)
            .set_next_token(next_token)
            .send();
        let output = self
            .aws
            .call("ListAggregateDiscoveredResources", origin, call)?;
        Ok(Listing {
            keys: output
                .resource_identifiers()
                .iter()
                .map(aggregate_key)
                .collect(),
            next_token: output.next_token().map(str::to_string),
        })
    }

    fn batch_get_account(&self, keys: &[ResourceKey], origin: &str) -> Result<Batch, Problem> {
        let operation = "BatchGetResourceConfig";
        let resource_keys = keys
            .iter()
            .map(|k| {
                aws_sdk_config::types::ResourceKey::builder()
                    .resource_type(ResourceType::from(k.resource_type.as_str()))
                    .resource_id(&k.resource_id)
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| build_failed(operation, origin, &err))?;
        let call = self
            .client
            .batch_get_resource_config()
            .set_resource_keys(Some(resource_keys))
            .send();
        let output = self.aws.call(operation, origin, call)?;
        let unprocessed = output
            .unprocessed_resource_keys()
            .iter()
            .map(|k| ResourceKey {
                resource_type: k.resource_type().as_str().to_string(),
                resource_id: k.resource_id().to_string(),
                account: None,
                region: None,
                name: None,
            });
        Ok(Batch {
            items: items_json(output.base_configuration_items()),
            unprocessed: unprocessed.collect(),
        })
    }

    fn batch_get_aggregate(
        &self,
        aggregator: &str,
        keys: &[ResourceKey],
        origin: &str,
    ) -> Result<Batch, Problem> {
        let operation = "BatchGetAggregateResourceConfig";
        let identifiers = keys
            .iter()
            .map(|k| {
                AggregateResourceIdentifier::builder()
                    .source_account_id(k.account.clone().unwrap_or_default())
                    .source_region(k.region.clone().unwrap_or_default())
                    .resource_type(ResourceType::from(k.resource_type.as_str()))
                    .resource_id(&k.resource_id)
                    .set_resource_name(k.name.clone())
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| build_failed(operation, origin, &err))?;
        let call = self
            .client
            .batch_get_aggregate_resource_config()
            .configuration_aggregator_name(aggregator)
            .set_resource_identifiers(Some(identifiers))
            .send();
        let output = self.aws.call(operation, origin, call)?;
        let unprocessed = output
            .unprocessed_resource_identifiers()
            .iter()
            .map(aggregate_key);
        Ok(Batch {
            items: items_json(output.base_configuration_items()),
            unprocessed: unprocessed.collect(),
        })
    }
}

fn items_json(items: &[BaseConfigurationItem]) -> Vec<Value> {
    items.iter().map(base_item_json).collect()
}

fn aggregate_key(identifier: &AggregateResourceIdentifier) -> ResourceKey {
    ResourceKey {
        resource_type: identifier.resource_type().as_str().to_string(),
        resource_id: identifier.resource_id().to_string(),
        account: Some(identifier.source_account_id().to_string()),
        region: Some(identifier.source_region().to_string()),
        name: identifier.resource_name().map(str::to_string),
    }
}

impl ConfigClient {
    /// The item of `resource_type` `resource_id` as AWS Config recorded it at
    /// `capture_time` (the newest no later), in the `baseConfigurationItems` shape with its
    /// tags and relationships: what an oversized change notification leaves out. `None`
    /// when nothing was recorded by then.
    pub fn item_at(
        &self,
        resource_type: &str,
        resource_id: &str,
        capture_time: &str,
        origin: &str,
    ) -> Result<Option<Value>, Problem> {
        let later = chrono::DateTime::parse_from_rfc3339(capture_time).map_err(|err| {
            Problem::new(
                Code::AwsCall,
                origin,
                format!("GetResourceConfigHistory needs the capture time, and `{capture_time}` is not RFC 3339: {err}"),
            )
        })?;
        let call = self
            .client
            .get_resource_config_history()
            .resource_type(ResourceType::from(resource_type))
            .resource_id(resource_id)
            .later_time(DateTime::from_secs_and_nanos(
                later.timestamp(),
                later.timestamp_subsec_nanos(),
            ))
            .limit(1)
            .send();
        let output = self.aws.call("GetResourceConfigHistory", origin, call)?;
        Ok(output.configuration_items().first().map(history_item_json))
    }

    /// Every resource `rule` holds a COMPLIANT or NON_COMPLIANT evaluation of, as (type,
    /// id): AWS Config keeps them until told otherwise, also for resources gone since.
    pub fn judged_resources(&self, rule: &str) -> Result<Vec<(String, String)>, Problem> {
        let mut judged = Vec::new();
        let mut next_token = None;
        loop {
            let call = self
                .client
                .get_compliance_details_by_config_rule()
                .config_rule_name(rule)
                .compliance_types(ComplianceType::Compliant)
                .compliance_types(ComplianceType::NonCompliant)
                .limit(LIST_LIMIT)
                .set_next_token(next_token)
                .send();
            let output = self.aws.block_on(call).map_err(|err| {
                call_failed(
                    "GetComplianceDetailsByConfigRule",
                    &format!("rule {rule}"),
                    &err,
                )
            })?;
            judged.extend(output.evaluation_results().iter().filter_map(|result| {
                let qualifier = result
                    .evaluation_result_identifier()?
                    .evaluation_result_qualifier()?;
                Some((
                    qualifier.resource_type()?.to_string(),
                    qualifier.resource_id()?.to_string(),
                ))
            }));
            next_token = output.next_token().map(str::to_string);
            if next_token.is_none() {
                return Ok(judged);
            }
        }
    }
}

/// A request the SDK refused to build (a required member missing): named like a failed
/// call.
fn build_failed(operation: &str, origin: &str, err: &dyn std::fmt::Display) -> Problem {
    Problem::new(
        Code::AwsCall,
        origin,
        format!("{operation} could not be built: {err}"),
    )
}

/// One item as the `baseConfigurationItems` API shape (config-format.md §9, A dialect):
/// every field the SDK gives, under the API's names; times RFC 3339 (UTC, milliseconds);
/// `configuration` and the supplementary values as the JSON text AWS sends. A field AWS
/// did not send is left out.
pub fn base_item_json(item: &BaseConfigurationItem) -> Value {
    let mut out = Map::new();
    let mut text = |key: &str, value: Option<&str>| {
        if let Some(value) = value {
            out.insert(key.to_string(), Value::String(value.to_string()));
        }
    };
    text("version", item.version());
    text("accountId", item.account_id());
    text(
        "configurationItemCaptureTime",
        item.configuration_item_capture_time()
            .map(rfc3339)
            .as_deref(),
    );
    text(
        "configurationItemStatus",
        item.configuration_item_status().map(|s| s.as_str()),
    );
    text("configurationStateId", item.configuration_state_id());
    text("arn", item.arn());
    text("resourceType", item.resource_type().map(|t| t.as_str()));
    text("resourceId", item.resource_id());
    text("resourceName", item.resource_name());
    text("awsRegion", item.aws_region());
    text("availabilityZone", item.availability_zone());
    text(
        "resourceCreationTime",
        item.resource_creation_time().map(rfc3339).as_deref(),
    );
    text("configuration", item.configuration());
    text(
        "recordingFrequency",
        item.recording_frequency().map(|f| f.as_str()),
    );
    text(
        "configurationItemDeliveryTime",
        item.configuration_item_delivery_time()
            .map(rfc3339)
            .as_deref(),
    );
    if let Some(supplementary) = item.supplementary_configuration() {
        let map: Map<String, Value> = supplementary
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        out.insert("supplementaryConfiguration".into(), Value::Object(map));
    }
    Value::Object(out)
}

/// A history item (GetResourceConfigHistory) as `base_item_json` writes an item, with
/// what only history carries: tags, relationships, related events and the MD5 hash.
pub fn history_item_json(item: &ConfigurationItem) -> Value {
    let base = BaseConfigurationItem::builder()
        .set_version(item.version().map(str::to_string))
        .set_account_id(item.account_id().map(str::to_string))
        .set_configuration_item_capture_time(item.configuration_item_capture_time().copied())
        .set_configuration_item_status(item.configuration_item_status().cloned())
        .set_configuration_state_id(item.configuration_state_id().map(str::to_string))
        .set_arn(item.arn().map(str::to_string))
        .set_resource_type(item.resource_type().cloned())
        .set_resource_id(item.resource_id().map(str::to_string))
        .set_resource_name(item.resource_name().map(str::to_string))
        .set_aws_region(item.aws_region().map(str::to_string))
        .set_availability_zone(item.availability_zone().map(str::to_string))
        .set_resource_creation_time(item.resource_creation_time().copied())
        .set_configuration(item.configuration().map(str::to_string))
        .set_supplementary_configuration(item.supplementary_configuration().cloned())
        .set_recording_frequency(item.recording_frequency().cloned())
        .set_configuration_item_delivery_time(item.configuration_item_delivery_time().copied())
        .build();
    let mut out = base_item_json(&base);
    let Value::Object(fields) = &mut out else {
        return out;
    };
    if let Some(hash) = item.configuration_item_md5_hash() {
        fields.insert("configurationItemMD5Hash".into(), Value::from(hash));
    }
    if let Some(tags) = item.tags() {
        let tags: Map<String, Value> = tags
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        fields.insert("tags".into(), Value::Object(tags));
    }
    let events = item
        .related_events()
        .iter()
        .map(|e| Value::from(e.as_str()));
    fields.insert("relatedEvents".into(), Value::Array(events.collect()));
    let relationships = item.relationships().iter().map(|r| {
        let mut relationship = Map::new();
        let mut text = |key: &str, value: Option<&str>| {
            if let Some(value) = value {
                relationship.insert(key.to_string(), Value::from(value));
            }
        };
        text("resourceType", r.resource_type().map(|t| t.as_str()));
        text("resourceId", r.resource_id());
        text("resourceName", r.resource_name());
        text("relationshipName", r.relationship_name());
        Value::Object(relationship)
    });
    fields.insert(
        "relationships".into(),
        Value::Array(relationships.collect()),
    );
    out
}

/// A time as AWS Config's files write it: `2026-11-10T08:15:42.120Z`.
fn rfc3339(time: &DateTime) -> String {
    chrono::DateTime::from_timestamp(time.secs(), time.subsec_nanos())
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| time.to_string())
}

/// What `--put-evaluations` answers with: the result token of one Config rule (its
/// secret: it goes to AWS and nowhere else), and whether AWS is only to check the
/// evaluations (`TestMode`, also when the token is `TESTMODE`).
#[derive(Debug, Clone)]
pub struct Answer {
    pub token: ResultToken,
    pub test_mode: bool,
}

/// How evaluations AWS lists in `FailedEvaluations` of an accepted call are sent again: how
/// many more times, after a wait that doubles from `backoff`.
#[derive(Debug, Clone, Copy)]
pub struct Resend {
    pub retries: u32,
    pub backoff: Duration,
}

impl Default for Resend {
    fn default() -> Self {
        Resend {
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// What sending gave.
#[derive(Debug, Default)]
pub struct Sent {
    /// PutEvaluations calls made.
    pub calls: usize,
    /// Evaluations AWS accepted.
    pub accepted: usize,
    /// A problem for each evaluation AWS did not accept, and for each call that failed.
    pub problems: Vec<Problem>,
}

/// Answer for the rule `answer`'s token belongs to with `made` (the evaluations
/// `put_evaluations::evaluations_of` makes of the results, in their order). ERROR results
/// are not sent (the report's errors already name them); a result with no time to order
/// it by is a problem (`aws::not_sent`). A result token answers for one Config rule in one
/// account and region, so evaluations of several rules, or of several accounts or regions,
/// are refused (`aws::not_sent`) and nothing is sent.
pub fn answer(aws: &Aws, made: &Evaluations, answer: &Answer, resend: Resend) -> Sent {
    let mut sent = Sent::default();
    sent.problems.extend(
        made.errors
            .iter()
            .filter(|n| n.kind != NotSentKind::Error)
            .map(|n| {
                Problem::new(
                    Code::AwsNotSent,
                    n.subject.resource_id.to_string(),
                    n.to_string(),
                )
            }),
    );
    let refused = more_than_one_rule(made.per_rule.keys())
        .or_else(|| more_than_one_place(made.per_rule.keys()));
    if let Some(problem) = refused {
        sent.problems.push(problem);
        return sent;
    }
    let evaluations: Vec<put_evaluations::Evaluation> =
        made.per_rule.values().flatten().cloned().collect();
    let test_mode = answer.test_mode || answer.token.is_test_mode();
    let requests = put_evaluations::bodies(&evaluations, answer.token.expose(), test_mode);
    let more = put(aws, &requests, resend);
    sent.calls = more.calls;
    sent.accepted = more.accepted;
    sent.problems.extend(more.problems);
    sent
}

/// A result token answers for one Config rule: evaluations made for several (one per
/// control, `--format put-evaluations`'s default) cannot all be its.
fn more_than_one_rule<'s>(scopes: impl Iterator<Item = &'s RuleScope>) -> Option<Problem> {
    let rules: std::collections::BTreeSet<&str> = scopes.map(|s| s.rule.as_str()).collect();
    if rules.len() <= 1 {
        return None;
    }
    let names = rules.iter().copied().collect::<Vec<_>>().join(", ");
    Some(
        Problem::new(
            Code::AwsNotSent,
            "--put-evaluations",
            format!("nothing was sent: a result token answers for one Config rule, and these evaluations are for {} rules ({names})", rules.len()),
        )
        .with_help("name the rule with --config-rule NAME to judge each resource once over every selected control, or select one control with --control"),
    )
}

/// A result token answers for one rule in one account and region: results of several
/// cannot all be its. The global record (IAM) belongs with the region that records it.
fn more_than_one_place<'s>(scopes: impl Iterator<Item = &'s RuleScope>) -> Option<Problem> {
    let mut accounts = std::collections::BTreeSet::new();
    let mut regions = std::collections::BTreeSet::new();
    for scope in scopes {
        accounts.insert(scope.account.as_str());
        if scope.region != crate::model::inventory::GLOBAL_REGION {
            regions.insert(scope.region.as_str());
        }
    }
    if accounts.len() <= 1 && regions.len() <= 1 {
        return None;
    }
    let list =
        |set: &std::collections::BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join(", ");
    Some(
        Problem::new(
            Code::AwsNotSent,
            "--put-evaluations",
            format!(
                "nothing was sent: a result token answers for one Config rule in one account and region, and the results span accounts {} in regions {}",
                list(&accounts),
                list(&regions)
            ),
        )
        .with_help("show only the rule's account and region with --account and --region"),
    )
}

/// Send each request as it is (at most 100 evaluations, the token, TestMode), in order.
/// Throttling and 5xx answers are retried by the SDK's policy; evaluations AWS lists in
/// `FailedEvaluations` are sent again, only they (so none accepted is sent twice), and
/// when they still fail each becomes a problem naming its resource. A call that fails
/// outright is a problem naming its resources, and the next requests are still sent.
pub fn put(aws: &Aws, requests: &[PutEvaluationsRequest<'_>], resend: Resend) -> Sent {
    let client = aws_sdk_config::Client::new(aws.sdk());
    let mut sent = Sent::default();
    for request in requests {
        send_request(aws, &client, request, resend, &mut sent);
    }
    sent
}

/// One request, with what AWS did not take sent again.
fn send_request(
    aws: &Aws,
    client: &aws_sdk_config::Client,
    request: &PutEvaluationsRequest<'_>,
    resend: Resend,
    sent: &mut Sent,
) {
    let mut pending: Vec<(&put_evaluations::Evaluation, Evaluation)> = Vec::new();
    for row in request.evaluations {
        match evaluation(row) {
            Ok(evaluation) => pending.push((row, evaluation)),
            Err(problem) => sent.problems.push(problem),
        }
    }
    let mut wait = resend.backoff;
    for attempt in 0..=resend.retries {
        if pending.is_empty() {
            return;
        }
        if attempt > 0 {
            std::thread::sleep(wait);
            wait = wait.saturating_mul(2);
        }
        sent.calls += 1;
        let call = client
            .put_evaluations()
            .result_token(request.result_token)
            .test_mode(request.test_mode)
            .set_evaluations(Some(pending.iter().map(|(_, e)| e.clone()).collect()))
            .send();
        let failed = match aws.block_on(call) {
            Ok(output) => output.failed_evaluations().to_vec(),
            Err(err) => {
                let first = pending
                    .first()
                    .map(|(row, _)| label(row))
                    .unwrap_or_default();
                let more = if pending.len() > 1 { ", ..." } else { "" };
                let resource = format!("{} evaluations ({first}{more})", pending.len());
                sent.problems
                    .push(call_failed("PutEvaluations", &resource, &err));
                return;
            }
        };
        let before = pending.len();
        pending.retain(|(row, _)| {
            failed.iter().any(|f| {
                f.compliance_resource_type() == row.compliance_resource_type
                    && f.compliance_resource_id() == row.compliance_resource_id
            })
        });
        sent.accepted += before - pending.len();
    }
    let calls = resend.retries + 1;
    sent.problems.extend(pending.iter().map(|(row, _)| {
        Problem::new(
            Code::AwsCall,
            label(row),
            format!(
                "PutEvaluations did not accept this {} evaluation in {calls} calls: AWS Config listed it in FailedEvaluations each time",
                row.compliance_type.as_str()
            ),
        )
        .with_help("AWS Config did not record this verdict: run again; the other evaluations were recorded")
    }));
}

fn label(row: &put_evaluations::Evaluation) -> String {
    format!(
        "{} {}",
        row.compliance_resource_type, row.compliance_resource_id
    )
}

/// An evaluation as the SDK's.
fn evaluation(row: &put_evaluations::Evaluation) -> Result<Evaluation, Problem> {
    let invalid = |why: String| {
        Problem::new(
            Code::AwsNotSent,
            label(row),
            format!("this evaluation was not sent: {why}"),
        )
    };
    let time = chrono::DateTime::parse_from_rfc3339(&row.ordering_timestamp).map_err(|err| {
        invalid(format!(
            "ordering timestamp `{}`: {err}",
            row.ordering_timestamp
        ))
    })?;
    let timestamp = DateTime::from_secs_and_nanos(time.timestamp(), time.timestamp_subsec_nanos());
    Evaluation::builder()
        .compliance_resource_type(&row.compliance_resource_type)
        .compliance_resource_id(&row.compliance_resource_id)
        .compliance_type(ComplianceType::from(row.compliance_type.as_str()))
        .set_annotation(row.annotation.clone().filter(|a| !a.is_empty()))
        .ordering_timestamp(timestamp)
        .build()
        .map_err(|err| invalid(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_config::types::{ConfigurationItemStatus, RecordingFrequency};

    fn every_field() -> BaseConfigurationItem {
        BaseConfigurationItem::builder()
            .version("1.3")
            .account_id("111122223333")
            .configuration_item_capture_time(DateTime::from_secs_and_nanos(
                1_794_298_542,
                120_000_000,
            ))
            .configuration_item_status(ConfigurationItemStatus::ResourceDiscovered)
            .configuration_state_id("1794298542120")
            .arn("arn:aws:s3:::logs")
            .resource_type(ResourceType::from("AWS::S3::Bucket"))
            .resource_id("logs")
            .resource_name("logs")
            .aws_region("eu-west-1")
            .availability_zone("Regional")
            .resource_creation_time(DateTime::from_secs(1_700_000_000))
            .configuration(r#"{"name":"logs","owner":{"id":"abc"}}"#)
            .supplementary_configuration("IsRequesterPaysEnabled", "false")
            .supplementary_configuration(
                "PublicAccessBlockConfiguration",
                r#"{"blockPublicAcls":true}"#,
            )
            .recording_frequency(RecordingFrequency::Daily)
            .configuration_item_delivery_time(DateTime::from_secs(1_794_300_000))
            .build()
    }

    #[test]
    fn every_field_of_an_item_is_written_under_the_api_name() {
        let json = base_item_json(&every_field());
        assert_eq!(
            json,
            serde_json::json!({
                "version": "1.3",
                "accountId": "111122223333",
                "configurationItemCaptureTime": "2026-11-10T08:15:42.120Z",
                "configurationItemStatus": "ResourceDiscovered",
                "configurationStateId": "1794298542120",
                "arn": "arn:aws:s3:::logs",
                "resourceType": "AWS::S3::Bucket",
                "resourceId": "logs",
                "resourceName": "logs",
                "awsRegion": "eu-west-1",
                "availabilityZone": "Regional",
                "resourceCreationTime": "2023-11-14T22:13:20.000Z",
                "configuration": "{\"name\":\"logs\",\"owner\":{\"id\":\"abc\"}}",
                "supplementaryConfiguration": {
                    "IsRequesterPaysEnabled": "false",
                    "PublicAccessBlockConfiguration": "{\"blockPublicAcls\":true}"
                },
                "recordingFrequency": "DAILY",
                "configurationItemDeliveryTime": "2026-11-10T08:40:00.000Z"
            })
        );
        // Nothing AWS did not send is made up.
        let bare = base_item_json(&BaseConfigurationItem::builder().resource_id("x").build());
        assert_eq!(bare, serde_json::json!({"resourceId": "x"}));
    }

    #[test]
    fn a_written_item_loads_as_the_same_configuration_item() {
        let page = serde_json::json!({"baseConfigurationItems": [base_item_json(&every_field())]});
        let loaded = crate::model::load::load(
            "config://eu-west-1/AWS::S3::Bucket/1",
            page.to_string().as_bytes(),
            false,
        );
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let [item] = &loaded.items[..] else {
            panic!("one item: {loaded:?}")
        };
        let subject = &item.subject;
        assert_eq!(&*subject.account, "111122223333");
        assert_eq!(&*subject.region, "eu-west-1");
        assert_eq!(&*subject.resource_id, "logs");
        assert_eq!(
            subject.capture_time.as_deref(),
            Some("2026-11-10T08:15:42.120Z")
        );
        assert_eq!(subject.state_id, Some(1_794_298_542_120));
        // The JSON inside strings is decoded, as for any API output.
        let seen: Value = serde_json::from_str(&item.document.json()).unwrap();
        assert_eq!(seen["configuration"]["owner"]["id"], "abc");
        assert_eq!(
            seen["supplementaryConfiguration"]["PublicAccessBlockConfiguration"]["blockPublicAcls"],
            true
        );
        assert_eq!(
            seen["supplementaryConfiguration"]["IsRequesterPaysEnabled"],
            false
        );
    }

    #[test]
    fn an_evaluation_keeps_its_time_and_drops_an_empty_annotation() {
        let row = put_evaluations::Evaluation {
            compliance_resource_type: "AWS::S3::Bucket".into(),
            compliance_resource_id: "logs".into(),
            compliance_type: crate::eval::Compliance::NonCompliant,
            annotation: Some(String::new()),
            ordering_timestamp: "2026-11-10T08:15:42.120Z".into(),
        };
        let sdk = evaluation(&row).unwrap();
        assert_eq!(sdk.ordering_timestamp().secs(), 1_794_298_542);
        assert_eq!(sdk.ordering_timestamp().subsec_nanos(), 120_000_000);
        assert_eq!(sdk.annotation(), None);
        assert_eq!(sdk.compliance_type(), &ComplianceType::NonCompliant);
        let late = put_evaluations::Evaluation {
            ordering_timestamp: "yesterday".into(),
            ..row
        };
        assert_eq!(evaluation(&late).unwrap_err().code, Code::AwsNotSent);
    }

    #[test]
    fn a_token_answers_for_one_account_and_region_with_its_global_record() {
        let scope = |account: &str, region: &str| RuleScope {
            rule: "r".into(),
            account: account.into(),
            region: region.into(),
        };
        let one = [
            scope("111122223333", "eu-west-1"),
            scope("111122223333", "global"),
        ];
        assert!(more_than_one_place(one.iter()).is_none());
        let two = [
            scope("111122223333", "eu-west-1"),
            scope("111122223333", "us-east-1"),
        ];
        let problem = more_than_one_place(two.iter()).unwrap();
        assert!(
            problem.message.contains("eu-west-1, us-east-1"),
            "{}",
            problem.message
        );
    }
}
