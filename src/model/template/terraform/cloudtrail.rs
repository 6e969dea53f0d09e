//! `aws_cloudtrail` as `AWS::CloudTrail::Trail`: the trail's settings in
//! `configuration`, whether it logs (`TrailStatus.isLogging`) and its event selectors in
//! `supplementaryConfiguration`.

use super::attrs::{self, blocks, is_placeholder, known_str, name_str, tag_list};
use super::plan::Instance;
use super::Ctx;
use crate::model::template::Resource;
use serde_json::{json, Value};

/// A trail. Unset: global service events included, single-region, no log file validation,
/// logging on (the provider's defaults, which are AWS's).
pub(crate) fn trail(ctx: &Ctx, trail: &Instance, _: &[&Instance]) -> Vec<Resource> {
    let v = &trail.values;
    let mut resource = ctx.resource(trail, "AWS::CloudTrail::Trail");
    resource.name = name_str(v, "name").map(str::to_string);
    resource.arn = known_str(v, "arn").map(str::to_string);
    let basic = selectors(v, "event_selector", basic_selector);
    let advanced = selectors(v, "advanced_event_selector", advanced_selector);
    let custom = match (&basic, &advanced) {
        (Some(b), _) if is_placeholder(b) => b.clone(),
        (_, Some(a)) if is_placeholder(a) => a.clone(),
        _ => json!(basic.is_some() || advanced.is_some()),
    };
    resource.configuration = json!({
        "name": attrs::or_later(trail, "name"),
        "s3BucketName": attrs::copy(v, "s3_bucket_name"),
        "s3KeyPrefix": attrs::text_or_null(v, "s3_key_prefix"),
        "snsTopicName": attrs::text_or_null(v, "sns_topic_name"),
        "includeGlobalServiceEvents": attrs::or(v, "include_global_service_events", json!(true)),
        "isMultiRegionTrail": attrs::or(v, "is_multi_region_trail", json!(false)),
        // Unknown region: no homeRegion, so the trail's own awsRegion stands for it.
        "homeRegion": ctx.region(trail).map_or(Value::Null, |r| json!(r)),
        "trailARN": attrs::or_later(trail, "arn"),
        "logFileValidationEnabled": attrs::or(v, "enable_log_file_validation", json!(false)),
        "cloudWatchLogsLogGroupArn": attrs::text_or_null(v, "cloud_watch_logs_group_arn"),
        "cloudWatchLogsRoleArn": attrs::text_or_null(v, "cloud_watch_logs_role_arn"),
        "kmsKeyId": attrs::text_or_null(v, "kms_key_id"),
        "hasCustomEventSelectors": custom,
        "hasInsightSelectors": json!(blocks(v, "insight_selector").is_ok_and(|b| !b.is_empty())),
        "isOrganizationTrail": attrs::or(v, "is_organization_trail", json!(false)),
    });
    let supp = &mut resource.supplementary;
    supp.insert(
        "TrailStatus".into(),
        json!({"isLogging": attrs::or(v, "enable_logging", json!(true))}),
    );
    if let Some(basic) = basic {
        supp.insert("EventSelectors".into(), basic);
    }
    if let Some(advanced) = advanced {
        supp.insert("AdvancedEventSelectors".into(), advanced);
    }
    supp.insert("Tags".into(), tag_list(&attrs::tags(v)));
    vec![resource]
}

/// The selector blocks at `key`, mapped; `None` when there are none.
fn selectors(v: &Value, key: &str, map: fn(&Value) -> Value) -> Option<Value> {
    match blocks(v, key) {
        Ok(list) if list.is_empty() => None,
        Ok(list) => Some(Value::Array(list.into_iter().map(map).collect())),
        Err(p) => Some(p.clone()),
    }
}

fn basic_selector(s: &Value) -> Value {
    if is_placeholder(s) {
        return s.clone();
    }
    let data = match blocks(s, "data_resource") {
        Ok(list) => Value::Array(
            list.into_iter()
                .map(
                    |d| json!({"type": attrs::copy(d, "type"), "values": attrs::list(d, "values")}),
                )
                .collect(),
        ),
        Err(p) => p.clone(),
    };
    json!({
        "readWriteType": attrs::or(s, "read_write_type", json!("All")),
        "includeManagementEvents": attrs::or(s, "include_management_events", json!(true)),
        "excludeManagementEventSources": attrs::list(s, "exclude_management_event_sources"),
        "dataResources": data,
    })
}

fn advanced_selector(s: &Value) -> Value {
    if is_placeholder(s) {
        return s.clone();
    }
    let fields = match blocks(s, "field_selector") {
        Ok(list) => Value::Array(
            list.into_iter()
                .map(|f| {
                    json!({
                        "field": attrs::copy(f, "field"),
                        "equals": attrs::list(f, "equals"),
                        "notEquals": attrs::list(f, "not_equals"),
                        "startsWith": attrs::list(f, "starts_with"),
                        "notStartsWith": attrs::list(f, "not_starts_with"),
                        "endsWith": attrs::list(f, "ends_with"),
                        "notEndsWith": attrs::list(f, "not_ends_with"),
                    })
                })
                .collect(),
        ),
        Err(p) => p.clone(),
    };
    json!({"name": attrs::copy(s, "name"), "fieldSelectors": fields})
}
