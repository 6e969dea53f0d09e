//! `AWS::S3::Bucket`: AWS Config records a bucket's settings in `supplementaryConfiguration`
//! (`configuration` holds only its name). Each setting key is written as AWS Config writes
//! it for a bucket created today: unset settings take the values S3 gives new buckets
//! (default encryption SSE-S3 since January 2023, Block Public Access on since April 2023,
//! versioning `Off`). The bucket policy is folded in from `AWS::S3::BucketPolicy` (`fold`).

use super::context::Cx;
use super::template::Decl;
use super::values::{boolean, boolean_or, integer, known, list, tags, text, Built};
use serde_json::{json, Map, Value};

pub fn bucket(cx: &mut Cx<'_>, decl: &Decl<'_>, props: &Value) -> Built {
    let mut b = Built::new("AWS::S3::Bucket");
    let name = cx.ref_value(decl.id);
    if let Some(known_name) = known(Some(&name)) {
        b.resource.name = Some(known_name.to_string());
        b.resource.arn = Some(format!("arn:{}:s3:::{known_name}", cx.partition()));
        b.set("name", name.clone());
    }
    b.resource.tags = tags(props);
    b.supplementary("BucketVersioningConfiguration", versioning(props));
    b.supplementary("ServerSideEncryptionConfiguration", encryption(props));
    b.supplementary("PublicAccessBlockConfiguration", public_access_block(props));
    b.supplementary("BucketLoggingConfiguration", logging(props, &name));
    b.supplementary("BucketPolicy", json!({"policyText": null}));
    b.supplementary("BucketNotificationConfiguration", notifications(props));
    b.supplementary(
        "BucketAccelerateConfiguration",
        json!({"status": props.pointer("/AccelerateConfiguration/AccelerationStatus").cloned()}),
    );
    b.supplementary("IsRequesterPaysEnabled", Value::Bool(false));
    if let Some(lifecycle) = lifecycle(props) {
        b.supplementary("BucketLifecycleConfiguration", lifecycle);
    }
    if let Some(replication) = replication(props) {
        b.supplementary("BucketReplicationConfiguration", replication);
    }
    if let Some(lock) = object_lock(props) {
        b.supplementary("ObjectLockConfiguration", lock);
    }
    if let Some(canned) = props.get("AccessControl").and_then(Value::as_str) {
        let acl = access_control_list(cx, &mut b, canned);
        b.supplementary("AccessControlList", acl);
    }
    b
}

/// `VersioningConfiguration.Status`; a bucket never versioned is recorded `Off`.
fn versioning(props: &Value) -> Value {
    let status = props
        .pointer("/VersioningConfiguration/Status")
        .cloned()
        .unwrap_or_else(|| json!("Off"));
    json!({"status": status, "isMfaDeleteEnabled": null})
}

/// `BucketEncryption`; unset, the SSE-S3 default every new bucket has.
fn encryption(props: &Value) -> Value {
    let rules = list(props.pointer("/BucketEncryption/ServerSideEncryptionConfiguration"));
    if rules.is_empty() {
        return json!({"rules": [{
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256", "kmsMasterKeyID": null},
            "bucketKeyEnabled": false,
        }]});
    }
    let rules: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let default = rule.get("ServerSideEncryptionByDefault");
            json!({
                "applyServerSideEncryptionByDefault": default.map(|d| json!({
                    "sseAlgorithm": d.get("SSEAlgorithm").cloned().unwrap_or(Value::Null),
                    "kmsMasterKeyID": d.get("KMSMasterKeyID").cloned().unwrap_or(Value::Null),
                })),
                "bucketKeyEnabled": boolean_or(rule.get("BucketKeyEnabled"), false),
            })
        })
        .collect();
    json!({ "rules": rules })
}

/// `PublicAccessBlockConfiguration`: a flag left out of a given block is false; no block
/// at all is S3's default for new buckets, all four on.
fn public_access_block(props: &Value) -> Value {
    let block = props.get("PublicAccessBlockConfiguration");
    let flag = |name: &str| match block {
        Some(b) => boolean_or(b.get(name), false),
        None => Value::Bool(true),
    };
    json!({
        "blockPublicAcls": flag("BlockPublicAcls"),
        "ignorePublicAcls": flag("IgnorePublicAcls"),
        "blockPublicPolicy": flag("BlockPublicPolicy"),
        "restrictPublicBuckets": flag("RestrictPublicBuckets"),
    })
}

/// `LoggingConfiguration`; without a destination the logs go to the bucket itself.
fn logging(props: &Value, own_name: &Value) -> Value {
    match props.get("LoggingConfiguration") {
        Some(config) => json!({
            "destinationBucketName": config.get("DestinationBucketName").cloned().unwrap_or_else(|| own_name.clone()),
            "logFilePrefix": config.get("LogFilePrefix").cloned().unwrap_or_else(|| json!("")),
        }),
        None => json!({"destinationBucketName": null, "logFilePrefix": null}),
    }
}

/// `NotificationConfiguration`: AWS Config keys each configuration by the id S3 gives it
/// (generated for templates); regent names them by kind and position.
fn notifications(props: &Value) -> Value {
    let mut configurations = Map::new();
    let kinds = [
        (
            "TopicConfigurations",
            "Topic",
            "topicARN",
            "TopicConfiguration",
        ),
        (
            "QueueConfigurations",
            "Queue",
            "queueARN",
            "QueueConfiguration",
        ),
        (
            "LambdaConfigurations",
            "Function",
            "functionARN",
            "LambdaConfiguration",
        ),
    ];
    for (property, target, key, kind) in kinds {
        let path = format!("/NotificationConfiguration/{property}");
        for (i, config) in list(props.pointer(&path)).iter().enumerate() {
            let mut entry = Map::new();
            entry.insert("events".into(), Value::Array(list(config.get("Event"))));
            entry.insert("filter".into(), Value::Null);
            entry.insert("objectPrefixes".into(), json!([]));
            entry.insert(
                key.into(),
                config.get(target).cloned().unwrap_or(Value::Null),
            );
            entry.insert("type".into(), json!(kind));
            configurations.insert(format!("{kind}-{}", i + 1), Value::Object(entry));
        }
    }
    json!({ "configurations": configurations })
}

/// `LifecycleConfiguration.Rules`.
fn lifecycle(props: &Value) -> Option<Value> {
    let config = props.get("LifecycleConfiguration")?;
    let rules: Vec<Value> = list(config.get("Rules"))
        .iter()
        .map(|rule| {
            let mut transitions = list(rule.get("Transitions"));
            transitions.extend(list(rule.get("Transition")));
            let transitions: Vec<Value> = transitions
                .iter()
                .map(|t| {
                    json!({
                        "days": integer(t.get("TransitionInDays")),
                        "storageClass": t.get("StorageClass"),
                    })
                })
                .collect();
            json!({
                "id": text(rule.get("Id")),
                "prefix": rule.get("Prefix"),
                "status": rule.get("Status"),
                "expirationInDays": integer(rule.get("ExpirationInDays")),
                "expiredObjectDeleteMarker": boolean(rule.get("ExpiredObjectDeleteMarker")),
                "noncurrentVersionExpirationInDays": integer(rule.get("NoncurrentVersionExpirationInDays")).unwrap_or(json!(-1)),
                "expirationDate": rule.get("ExpirationDate"),
                "transitions": if transitions.is_empty() { Value::Null } else { Value::Array(transitions) },
                "noncurrentVersionTransitions": null,
                "abortIncompleteMultipartUpload": rule.pointer("/AbortIncompleteMultipartUpload/DaysAfterInitiation")
                    .map(|d| json!({"daysAfterInitiation": integer(Some(d))})),
            })
        })
        .collect();
    Some(json!({ "rules": rules }))
}

/// `ReplicationConfiguration`: rules keyed by id, as AWS Config records them.
fn replication(props: &Value) -> Option<Value> {
    let config = props.get("ReplicationConfiguration")?;
    let mut rules = Map::new();
    for (i, rule) in list(config.get("Rules")).iter().enumerate() {
        let id = rule
            .get("Id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("Rule-{}", i + 1), str::to_string);
        rules.insert(
            id,
            json!({
                "prefix": rule.get("Prefix").cloned().unwrap_or_else(|| json!("")),
                "status": rule.get("Status"),
                "destinationConfig": {
                    "bucketARN": rule.pointer("/Destination/Bucket"),
                    "storageClass": rule.pointer("/Destination/StorageClass"),
                },
            }),
        );
    }
    Some(json!({"roleARN": config.get("Role"), "rules": rules}))
}

/// `ObjectLockEnabled` and `ObjectLockConfiguration.Rule.DefaultRetention`.
fn object_lock(props: &Value) -> Option<Value> {
    let enabled = boolean(props.get("ObjectLockEnabled")) == Some(Value::Bool(true))
        || props
            .pointer("/ObjectLockConfiguration/ObjectLockEnabled")
            .and_then(Value::as_str)
            == Some("Enabled");
    if !enabled {
        return None;
    }
    let mut lock = json!({"objectLockEnabled": "Enabled"});
    if let Some(retention) = props.pointer("/ObjectLockConfiguration/Rule/DefaultRetention") {
        lock["rule"] = json!({"defaultRetention": {
            "mode": retention.get("Mode"),
            "days": integer(retention.get("Days")),
            "years": integer(retention.get("Years")),
        }});
    }
    Some(lock)
}

/// `AccessControl` (a canned ACL) as the grants S3 records: the owner's full control and
/// the groups the canned ACL adds. The owner's canonical id is not known before deploy.
fn access_control_list(cx: &mut Cx<'_>, b: &mut Built, canned: &str) -> Value {
    let owner = b.unknown(
        cx,
        "Properties.AccessControl",
        "canonical user id of the bucket owner",
        "the deploying account's canonical user id is not known before deploy",
    );
    let mut grants =
        vec![json!({"grantee": {"id": owner, "displayName": null}, "permission": "FullControl"})];
    let group =
        |grantee: &str, permission: &str| json!({"grantee": grantee, "permission": permission});
    match canned {
        "PublicRead" => grants.push(group("AllUsers", "Read")),
        "PublicReadWrite" => {
            grants.push(group("AllUsers", "Read"));
            grants.push(group("AllUsers", "Write"));
        }
        "AuthenticatedRead" => grants.push(group("AuthenticatedUsers", "Read")),
        "LogDeliveryWrite" => {
            grants.push(group("LogDelivery", "Write"));
            grants.push(group("LogDelivery", "ReadAcp"));
        }
        _ => {}
    }
    let acl = json!({
        "grantSet": null,
        "grantList": grants,
        "owner": {"displayName": null, "id": owner},
        "isRequesterCharged": false,
    });
    // Recorded as JSON text.
    Value::String(acl.to_string())
}
