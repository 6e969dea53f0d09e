//! `AWS::CloudTrail::Trail`.

use super::context::Cx;
use super::links::target;
use super::template::Decl;
use super::values::{boolean_or, known, list, tags, Built};
use serde_json::{json, Map, Value};

pub fn trail(cx: &mut Cx<'_>, _decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::CloudTrail::Trail");
    b.resource.tags = tags(props);
    if let Some(name) = known(props.get("TrailName")) {
        b.resource.name = Some(name.to_string());
        b.resource.arn = cx.regional_arn("cloudtrail", &format!("trail/{name}"));
        b.set("name", json!(name));
        if let Some(arn) = &b.resource.arn {
            b.set("trailARN", json!(arn));
        }
    }
    b.set("s3BucketName", log_bucket(cx, props));
    b.set_some("s3KeyPrefix", props.get("S3KeyPrefix").cloned());
    b.set(
        "includeGlobalServiceEvents",
        boolean_or(props.get("IncludeGlobalServiceEvents"), true),
    );
    b.set(
        "isMultiRegionTrail",
        boolean_or(props.get("IsMultiRegionTrail"), false),
    );
    b.set(
        "isOrganizationTrail",
        boolean_or(props.get("IsOrganizationTrail"), false),
    );
    b.set(
        "logFileValidationEnabled",
        boolean_or(props.get("EnableLogFileValidation"), false),
    );
    b.set_some("kmsKeyId", props.get("KMSKeyId").cloned());
    b.set_some(
        "cloudWatchLogsLogGroupArn",
        props.get("CloudWatchLogsLogGroupArn").cloned(),
    );
    b.set_some(
        "cloudWatchLogsRoleArn",
        props.get("CloudWatchLogsRoleArn").cloned(),
    );
    b.set_some("snsTopicName", props.get("SnsTopicName").cloned());
    if let Some(region) = cx.region() {
        b.set("homeRegion", json!(region));
    }
    let selectors: Vec<Value> = list(props.get("EventSelectors"))
        .iter()
        .map(camel_keys)
        .collect();
    let advanced: Vec<Value> = list(props.get("AdvancedEventSelectors"))
        .iter()
        .map(camel_keys)
        .collect();
    b.set(
        "hasCustomEventSelectors",
        json!(!selectors.is_empty() || !advanced.is_empty()),
    );
    if !selectors.is_empty() {
        b.set("eventSelectors", Value::Array(selectors));
    }
    if !advanced.is_empty() {
        b.set("advancedEventSelectors", Value::Array(advanced));
    }
    b.supplementary(
        "TrailStatus",
        json!({"isLogging": boolean_or(props.get("IsLogging"), true)}),
    );
    b
}

/// `S3BucketName`; a bucket of the template whose name is generated is named by its logical
/// id, the id its item has, so the controls that look the log bucket up find it.
fn log_bucket(cx: &mut Cx<'_>, props: &Value) -> Value {
    let Some(value) = props.get("S3BucketName") else {
        return Value::Null;
    };
    if known(Some(value)).is_none() {
        if let Some(bucket) = target(cx, value, &["AWS::S3::Bucket"]) {
            return json!(bucket.id);
        }
    }
    value.clone()
}

/// Template property names as AWS Config writes them: the first letter lower-cased, at
/// every level (`ReadWriteType` → `readWriteType`).
pub fn camel_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, item) in map {
                let mut chars = key.chars();
                let camel = match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => String::new(),
                };
                out.insert(camel, camel_keys(item));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(camel_keys).collect()),
        other => other.clone(),
    }
}
