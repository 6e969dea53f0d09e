//! `aws_s3_bucket` as the `AWS::S3::Bucket` item AWS Config records: `configuration` holds
//! the name and owner, everything the controls read is supplementary. Terraform (AWS
//! provider 4 and later) splits a bucket's settings into companion resources
//! (`aws_s3_bucket_policy`, `_versioning`, ...); each is folded into its bucket's
//! supplementary key. A setting comes from its companion, else from the bucket's own
//! (deprecated) attribute when set, else from what AWS gives a new bucket.
//!
//! The bucket's own attributes for those settings are computed: unknown on create when the
//! configuration leaves them unset, because the provider reads them back. A new bucket then
//! gets AWS's defaults (SSE-S3 encryption since January 2023; Block Public Access on and
//! ACLs disabled since April 2023; versioning off; no policy, logging or notifications). An
//! existing bucket keeps what its state says; a setting no attribute holds (its public
//! access block, its notifications) is unknown unless a companion of the plan sets it.

use super::attrs::{
    self, block, blocks, get, is_placeholder, known_bool, known_str, later, map_known, name_str,
    Block,
};
use super::plan::{Action, Instance};
use super::Ctx;
use crate::model::template::{unknown, Resource};
use serde_json::{json, Map, Value};

/// The bucket and its companions, as one item.
pub(crate) fn bucket(ctx: &Ctx, bucket: &Instance, companions: &[&Instance]) -> Vec<Resource> {
    let v = &bucket.values;
    let mut resource = ctx.resource(bucket, "AWS::S3::Bucket");
    let name = name_str(v, "bucket");
    resource.name = name.map(str::to_string);
    // A bucket's ARN is its name's: known before apply whenever the name is.
    resource.arn = known_str(v, "arn")
        .map(str::to_string)
        .or_else(|| name.map(|n| format!("arn:{}:s3:::{n}", ctx.partition())));
    let owner = owner_id(bucket, companion(companions, "aws_s3_bucket_acl"));
    resource.configuration = json!({
        "name": attrs::or_later(bucket, "bucket"),
        "owner": {"displayName": null, "id": owner},
    });
    let part = |kind: &str| companion(companions, kind);
    let mut supp = Map::new();
    supp.insert(
        "AccessControlList".into(),
        acl(bucket, part("aws_s3_bucket_acl"), &owner),
    );
    supp.insert(
        "BucketAccelerateConfiguration".into(),
        accelerate(bucket, part("aws_s3_bucket_accelerate_configuration")),
    );
    supp.insert(
        "BucketLoggingConfiguration".into(),
        logging(bucket, part("aws_s3_bucket_logging")),
    );
    supp.insert(
        "BucketNotificationConfiguration".into(),
        notification(bucket, part("aws_s3_bucket_notification")),
    );
    supp.insert(
        "BucketPolicy".into(),
        policy(bucket, part("aws_s3_bucket_policy")),
    );
    supp.insert(
        "BucketVersioningConfiguration".into(),
        versioning(bucket, part("aws_s3_bucket_versioning")),
    );
    supp.insert(
        "IsRequesterPaysEnabled".into(),
        requester_pays(bucket, part("aws_s3_bucket_request_payment_configuration")),
    );
    supp.insert(
        "ServerSideEncryptionConfiguration".into(),
        encryption(
            bucket,
            part("aws_s3_bucket_server_side_encryption_configuration"),
        ),
    );
    supp.insert(
        "PublicAccessBlockConfiguration".into(),
        public_access_block(bucket, part("aws_s3_bucket_public_access_block")),
    );
    let optional = [
        (
            "BucketLifecycleConfiguration",
            lifecycle(bucket, part("aws_s3_bucket_lifecycle_configuration")),
        ),
        (
            "BucketReplicationConfiguration",
            replication(bucket, part("aws_s3_bucket_replication_configuration")),
        ),
        (
            "ObjectLockConfiguration",
            object_lock(bucket, part("aws_s3_bucket_object_lock_configuration")),
        ),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            supp.insert(key.into(), value);
        }
    }
    resource.supplementary = supp;
    vec![resource]
}

/// The last companion of a type (Terraform applies them in no set order; two for one
/// bucket fight each other, so which one wins is not knowable either way).
fn companion<'a>(companions: &[&'a Instance], kind: &str) -> Option<&'a Instance> {
    companions
        .iter()
        .rev()
        .find(|c| c.resource_type() == kind)
        .copied()
}

/// A bucket attribute for a setting, as far as it decides the setting.
enum Inline<'a> {
    /// Set in the plan (a known, non-empty value).
    Set(&'a Value),
    /// Not set: the setting is AWS's default (a new bucket), or absent.
    Default,
    /// Unknown for an existing bucket: the setting is unknown.
    Unknown(Value),
}

fn inline<'a>(bucket: &'a Instance, key: &str) -> Inline<'a> {
    match get(&bucket.values, key) {
        None => Inline::Default,
        Some(Value::Array(items)) if items.is_empty() => Inline::Default,
        Some(Value::String(s)) if s.is_empty() => Inline::Default,
        Some(v) if is_placeholder(v) => match bucket.action {
            // Computed on create: the provider reads back what AWS gives a new bucket.
            Action::Create => Inline::Default,
            Action::Keep => Inline::Unknown(v.clone()),
        },
        Some(v) => Inline::Set(v),
    }
}

/// A setting the bucket's attributes do not hold: AWS's default for a new bucket, unknown
/// for an existing one.
fn not_in_bucket(bucket: &Instance, what: &str, default: Value) -> Value {
    match bucket.action {
        Action::Create => default,
        Action::Keep => unknown(&format!(
            "not in the plan: the {what} of existing bucket {}",
            bucket.address
        )),
    }
}

fn policy(bucket: &Instance, companion: Option<&Instance>) -> Value {
    if let Some(c) = companion {
        return json!({"policyText": attrs::text_or_null(&c.values, "policy")});
    }
    match inline(bucket, "policy") {
        Inline::Set(p) => json!({"policyText": p}),
        Inline::Default => json!({"policyText": null}),
        Inline::Unknown(p) => json!({"policyText": p}),
    }
}

fn versioning(bucket: &Instance, companion: Option<&Instance>) -> Value {
    if let Some(c) = companion {
        return match block(&c.values, "versioning_configuration") {
            Block::Set(conf) => json!({
                "status": map_known(attrs::copy(conf, "status"), |s| {
                    match s.as_str() {
                        // Terraform's Disabled is a bucket whose versioning was never on.
                        Some("Disabled") => json!("Off"),
                        _ => s.clone(),
                    }
                }),
                "isMfaDeleteEnabled": match get(conf, "mfa_delete") {
                    // Computed when unset: a new configuration without MFA delete, which
                    // AWS Config records as null.
                    Some(m) if is_placeholder(m) && c.action == Action::Create => Value::Null,
                    Some(m) => map_known(m.clone(), |m| json!(m.as_str() == Some("Enabled"))),
                    None => Value::Null,
                },
            }),
            Block::Unknown(p) => json!({"status": p, "isMfaDeleteEnabled": p}),
            Block::Unset => default_versioning(),
        };
    }
    match inline(bucket, "versioning") {
        Inline::Set(list) => match list.get(0) {
            Some(conf) if conf.is_object() => json!({
                // `enabled = false` is Off or Suspended; both fail the same controls.
                "status": map_known(attrs::copy(conf, "enabled"), |e| {
                    json!(if e.as_bool() == Some(true) { "Enabled" } else { "Off" })
                }),
                "isMfaDeleteEnabled": match get(conf, "mfa_delete") {
                    Some(Value::Bool(true)) => json!(true),
                    Some(v) if is_placeholder(v) => v.clone(),
                    _ => Value::Null,
                },
            }),
            Some(p) => json!({"status": p, "isMfaDeleteEnabled": p}),
            None => default_versioning(),
        },
        Inline::Default => default_versioning(),
        Inline::Unknown(p) => json!({"status": p, "isMfaDeleteEnabled": p}),
    }
}

fn default_versioning() -> Value {
    json!({"status": "Off", "isMfaDeleteEnabled": null})
}

fn encryption(bucket: &Instance, companion: Option<&Instance>) -> Value {
    if let Some(c) = companion {
        return match blocks(&c.values, "rule") {
            Ok(rules) => json!({"rules": rules.into_iter().map(sse_rule).collect::<Vec<_>>()}),
            Err(p) => json!({"rules": p}),
        };
    }
    match inline(bucket, "server_side_encryption_configuration") {
        Inline::Set(list) => match list.get(0) {
            Some(conf) if conf.is_object() => match blocks(conf, "rule") {
                Ok(rules) => json!({"rules": rules.into_iter().map(sse_rule).collect::<Vec<_>>()}),
                Err(p) => json!({"rules": p}),
            },
            Some(p) => json!({"rules": p}),
            None => default_encryption(),
        },
        Inline::Default => default_encryption(),
        Inline::Unknown(p) => json!({"rules": p}),
    }
}

/// One rule: `apply_server_side_encryption_by_default` is a block in both the companion and
/// the bucket's own attribute.
fn sse_rule(rule: &Value) -> Value {
    if is_placeholder(rule) {
        return rule.clone();
    }
    let by_default = match block(rule, "apply_server_side_encryption_by_default") {
        Block::Set(d) => json!({
            "sseAlgorithm": attrs::copy(d, "sse_algorithm"),
            "kmsMasterKeyID": attrs::text_or_null(d, "kms_master_key_id"),
        }),
        Block::Unknown(p) => p.clone(),
        Block::Unset => Value::Null,
    };
    json!({
        "applyServerSideEncryptionByDefault": by_default,
        "bucketKeyEnabled": attrs::or(rule, "bucket_key_enabled", json!(false)),
    })
}

fn default_encryption() -> Value {
    json!({"rules": [{
        "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256", "kmsMasterKeyID": null},
        "bucketKeyEnabled": false,
    }]})
}

const BLOCK_FLAGS: [(&str, &str); 4] = [
    ("blockPublicAcls", "block_public_acls"),
    ("ignorePublicAcls", "ignore_public_acls"),
    ("blockPublicPolicy", "block_public_policy"),
    ("restrictPublicBuckets", "restrict_public_buckets"),
];

fn public_access_block(bucket: &Instance, companion: Option<&Instance>) -> Value {
    match companion {
        Some(c) => Value::Object(
            BLOCK_FLAGS
                .iter()
                // The companion's flags default to false.
                .map(|(item, plan)| (item.to_string(), attrs::or(&c.values, plan, json!(false))))
                .collect(),
        ),
        None => not_in_bucket(
            bucket,
            "public access block",
            Value::Object(
                BLOCK_FLAGS
                    .iter()
                    .map(|(item, _)| (item.to_string(), json!(true)))
                    .collect(),
            ),
        ),
    }
}

fn logging(bucket: &Instance, companion: Option<&Instance>) -> Value {
    let from = |conf: &Value| {
        json!({
            "destinationBucketName": attrs::text_or_null(conf, "target_bucket"),
            "logFilePrefix": attrs::text_or_null(conf, "target_prefix"),
        })
    };
    if let Some(c) = companion {
        return from(&c.values);
    }
    match inline(bucket, "logging") {
        Inline::Set(list) => match list.get(0) {
            Some(conf) if conf.is_object() => from(conf),
            Some(p) => json!({"destinationBucketName": p, "logFilePrefix": p}),
            None => default_logging(),
        },
        Inline::Default => default_logging(),
        Inline::Unknown(p) => json!({"destinationBucketName": p, "logFilePrefix": p}),
    }
}

fn default_logging() -> Value {
    json!({"destinationBucketName": null, "logFilePrefix": null})
}

fn accelerate(bucket: &Instance, companion: Option<&Instance>) -> Value {
    if let Some(c) = companion {
        return json!({"status": attrs::copy(&c.values, "status")});
    }
    match inline(bucket, "acceleration_status") {
        Inline::Set(s) => json!({"status": s}),
        Inline::Default => json!({"status": null}),
        Inline::Unknown(p) => json!({"status": p}),
    }
}

fn requester_pays(bucket: &Instance, companion: Option<&Instance>) -> Value {
    let payer = |v: Value| map_known(v, |p| json!(p.as_str() == Some("Requester")));
    if let Some(c) = companion {
        return payer(attrs::copy(&c.values, "payer"));
    }
    match inline(bucket, "request_payer") {
        Inline::Set(p) => payer(p.clone()),
        Inline::Default => json!(false),
        Inline::Unknown(p) => p,
    }
}

/// The bucket owner's canonical user id: the ACL companion's owner when it names one;
/// for an existing bucket, the one canonical user with full control in its grants (S3
/// gives the owner that grant); else unknown until AWS creates the bucket. The same
/// placeholder stands for the owner wherever it appears (the ACL's owner and its grant).
fn owner_id(bucket: &Instance, acl_companion: Option<&Instance>) -> Value {
    if let Some(c) = acl_companion {
        if let Block::Set(policy) = block(&c.values, "access_control_policy") {
            if let Block::Set(owner) = block(policy, "owner") {
                if let Some(id) = get(owner, "id") {
                    return id.clone();
                }
            }
        }
    }
    if let Inline::Set(Value::Array(grants)) = inline(bucket, "grant") {
        let owners: Vec<&Value> = grants
            .iter()
            .filter(|g| g.get("type").and_then(Value::as_str) == Some("CanonicalUser"))
            .filter(|g| {
                g.get("permissions")
                    .and_then(Value::as_array)
                    .is_some_and(|p| p.iter().any(|p| p == "FULL_CONTROL"))
            })
            .filter_map(|g| get(g, "id"))
            .collect();
        if let [id] = owners[..] {
            return id.clone();
        }
    }
    later(bucket, "owner.id")
}

/// The bucket ACL as AWS Config records it (after decoding its JSON text): `grantList`
/// with canonical users as `{id, displayName}` and groups by name (`AllUsers`).
fn acl(bucket: &Instance, companion: Option<&Instance>, owner: &Value) -> Value {
    let grants = match companion {
        Some(c) => match block(&c.values, "access_control_policy") {
            Block::Set(policy) => match blocks(policy, "grant") {
                Ok(list) => Ok(list.into_iter().map(companion_grant).collect()),
                Err(p) => Err(p.clone()),
            },
            Block::Unknown(p) => Err(p.clone()),
            Block::Unset => canned(attrs::copy(&c.values, "acl"), owner),
        },
        None => match inline(bucket, "grant") {
            Inline::Set(Value::Array(list)) => Ok(list.iter().flat_map(bucket_grants).collect()),
            Inline::Unknown(p) => Err(p),
            _ => match inline(bucket, "acl") {
                Inline::Set(canned_acl) => canned(canned_acl.clone(), owner),
                Inline::Unknown(p) => Err(p),
                // A new bucket: ACLs disabled, the owner has full control.
                Inline::Default => canned(json!("private"), owner),
            },
        },
    };
    let grant_list = match grants {
        Ok(list) => Value::Array(list),
        Err(p) => p,
    };
    json!({
        "grantSet": null,
        "grantList": grant_list,
        "owner": {"displayName": null, "id": owner},
        "isRequesterCharged": false,
    })
}

/// The grants of a canned ACL (S3 User Guide, "Canned ACL").
fn canned(name: Value, owner: &Value) -> Result<Vec<Value>, Value> {
    let Some(text) = name
        .as_str()
        .filter(|s| !is_placeholder(&name) && !s.is_empty())
    else {
        return if is_placeholder(&name) {
            Err(name)
        } else {
            canned(json!("private"), owner)
        };
    };
    let owner_grant =
        json!({"grantee": {"id": owner, "displayName": null}, "permission": "FullControl"});
    let group = |g: &str, p: &str| json!({"grantee": g, "permission": p});
    let mut grants = vec![owner_grant];
    match text {
        "public-read" => grants.push(group("AllUsers", "Read")),
        "public-read-write" => {
            grants.push(group("AllUsers", "Read"));
            grants.push(group("AllUsers", "Write"));
        }
        "authenticated-read" => grants.push(group("AuthenticatedUsers", "Read")),
        "log-delivery-write" => {
            grants.push(group("LogDelivery", "Write"));
            grants.push(group("LogDelivery", "ReadAcp"));
        }
        // private, bucket-owner-read, bucket-owner-full-control, aws-exec-read: the owner
        // (and AWS services for aws-exec-read) only, no public grant.
        _ => {}
    }
    Ok(grants)
}

/// `READ_ACP` as `ReadAcp`.
fn permission(p: &Value) -> Value {
    map_known(p.clone(), |p| {
        let text = p.as_str().unwrap_or_default();
        json!(text
            .split('_')
            .map(|w| {
                let lower = w.to_ascii_lowercase();
                let mut c = lower.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect::<String>())
    })
}

/// A group grantee by its name, as AWS Config records it (`AllUsers`).
fn grantee(kind: Option<&str>, id: &Value, uri: &Value, email: &Value) -> Value {
    match kind {
        Some("Group") => map_known(uri.clone(), |u| {
            json!(u
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default())
        }),
        Some("AmazonCustomerByEmail") => json!({"emailAddress": email}),
        _ => json!({"id": id, "displayName": null}),
    }
}

fn companion_grant(grant: &Value) -> Value {
    if is_placeholder(grant) {
        return grant.clone();
    }
    let who = match block(grant, "grantee") {
        Block::Set(g) => grantee(
            known_str(g, "type"),
            &attrs::copy(g, "id"),
            &attrs::copy(g, "uri"),
            &attrs::copy(g, "email_address"),
        ),
        Block::Unknown(p) => p.clone(),
        Block::Unset => Value::Null,
    };
    json!({"grantee": who, "permission": permission(&attrs::copy(grant, "permission"))})
}

/// The bucket's own `grant` set: one entry per grantee, with all its permissions.
fn bucket_grants(grant: &Value) -> Vec<Value> {
    if is_placeholder(grant) {
        return vec![grant.clone()];
    }
    let who = grantee(
        known_str(grant, "type"),
        &attrs::copy(grant, "id"),
        &attrs::copy(grant, "uri"),
        &Value::Null,
    );
    match get(grant, "permissions") {
        Some(Value::Array(ps)) => ps
            .iter()
            .map(|p| json!({"grantee": who, "permission": permission(p)}))
            .collect(),
        Some(p) => vec![json!({"grantee": who, "permission": p})],
        None => Vec::new(),
    }
}

fn notification(bucket: &Instance, companion: Option<&Instance>) -> Value {
    let Some(c) = companion else {
        return not_in_bucket(bucket, "event notifications", json!({"configurations": {}}));
    };
    let mut configurations = Map::new();
    let kinds = [
        ("topic", "topic_arn", "topicARN", "TopicConfiguration"),
        ("queue", "queue_arn", "queueARN", "QueueConfiguration"),
        (
            "lambda_function",
            "lambda_function_arn",
            "functionARN",
            "LambdaConfiguration",
        ),
    ];
    for (key, arn_key, item_key, kind) in kinds {
        let list = match blocks(&c.values, key) {
            Ok(list) => list,
            Err(p) => return json!({"configurations": p}),
        };
        for (n, entry) in list.into_iter().enumerate() {
            // The provider names an entry it is not given an id for when it applies.
            let id = name_str(entry, "id")
                .map(str::to_string)
                .unwrap_or_else(|| format!("{key}-{n}"));
            let mut config = json!({
                "events": attrs::list(entry, "events"),
                "filter": key_filter(entry),
                "objectPrefixes": [],
                "type": kind,
            });
            config[item_key] = attrs::copy(entry, arn_key);
            configurations.insert(id, config);
        }
    }
    json!({"configurations": configurations})
}

fn key_filter(entry: &Value) -> Value {
    let rules: Vec<Value> = [("prefix", "filter_prefix"), ("suffix", "filter_suffix")]
        .iter()
        .filter_map(|(name, key)| {
            get(entry, key)
                .filter(|v| v.as_str() != Some(""))
                .map(|v| json!({"name": name, "value": v}))
        })
        .collect();
    if rules.is_empty() {
        Value::Null
    } else {
        json!({"s3KeyFilter": {"filterRules": rules}})
    }
}

/// `BucketLifecycleConfiguration`, absent when the bucket has no lifecycle rules.
fn lifecycle(bucket: &Instance, companion: Option<&Instance>) -> Option<Value> {
    if let Some(c) = companion {
        return Some(match blocks(&c.values, "rule") {
            Ok(rules) => {
                json!({"rules": rules.into_iter().map(lifecycle_rule).collect::<Vec<_>>()})
            }
            Err(p) => json!({"rules": p}),
        });
    }
    match inline(bucket, "lifecycle_rule") {
        Inline::Set(Value::Array(rules)) => Some(json!({
            "rules": rules.iter().map(inline_lifecycle_rule).collect::<Vec<_>>()
        })),
        Inline::Unknown(p) => Some(json!({"rules": p})),
        _ => None,
    }
}

fn lifecycle_rule(rule: &Value) -> Value {
    if is_placeholder(rule) {
        return rule.clone();
    }
    let expiration = block(rule, "expiration");
    let prefix = match block(rule, "filter") {
        Block::Set(f) => attrs::or(f, "prefix", json!("")),
        Block::Unknown(p) => p.clone(),
        Block::Unset => attrs::or(rule, "prefix", json!("")),
    };
    json!({
        "id": attrs::copy(rule, "id"),
        "prefix": null,
        "status": attrs::copy(rule, "status"),
        "expirationInDays": expiration_field(expiration, "days"),
        "expiredObjectDeleteMarker": expiration_field(expiration, "expired_object_delete_marker"),
        "expirationDate": expiration_field(expiration, "date"),
        "noncurrentVersionExpirationInDays": match block(rule, "noncurrent_version_expiration") {
            Block::Set(n) => attrs::or(n, "noncurrent_days", json!(-1)),
            Block::Unknown(p) => p.clone(),
            Block::Unset => json!(-1),
        },
        "transitions": transitions(rule, "transition", "storage_class"),
        "noncurrentVersionTransitions": transitions(rule, "noncurrent_version_transition", "storage_class"),
        "abortIncompleteMultipartUpload": match block(rule, "abort_incomplete_multipart_upload") {
            Block::Set(a) => json!({"daysAfterInitiation": attrs::copy(a, "days_after_initiation")}),
            Block::Unknown(p) => p.clone(),
            Block::Unset => Value::Null,
        },
        "filter": {"predicate": {"type": "LifecyclePrefixPredicate", "prefix": prefix}},
    })
}

fn expiration_field(expiration: Block, key: &str) -> Value {
    match expiration {
        Block::Set(e) => match get(e, key) {
            // The plan holds 0 and "" for the unset fields of a set block.
            Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Value::Null,
            Some(Value::String(s)) if s.is_empty() => Value::Null,
            Some(Value::Bool(false)) => Value::Null,
            Some(v) => v.clone(),
            None => Value::Null,
        },
        Block::Unknown(p) => p.clone(),
        Block::Unset => Value::Null,
    }
}

fn transitions(rule: &Value, key: &str, class_key: &str) -> Value {
    match blocks(rule, key) {
        Ok(list) if list.is_empty() => Value::Null,
        Ok(list) => Value::Array(
            list.into_iter()
                .map(|t| {
                    if is_placeholder(t) {
                        return t.clone();
                    }
                    json!({
                        "days": attrs::copy(t, if get(t, "days").is_some() { "days" } else { "noncurrent_days" }),
                        "date": attrs::text_or_null(t, "date"),
                        "storageClass": attrs::copy(t, class_key),
                    })
                })
                .collect(),
        ),
        Err(p) => p.clone(),
    }
}

fn inline_lifecycle_rule(rule: &Value) -> Value {
    if is_placeholder(rule) {
        return rule.clone();
    }
    let expiration = block(rule, "expiration");
    json!({
        "id": attrs::copy(rule, "id"),
        "prefix": attrs::text_or_null(rule, "prefix"),
        "status": map_known(attrs::copy(rule, "enabled"), |e| {
            json!(if e.as_bool() == Some(true) { "Enabled" } else { "Disabled" })
        }),
        "expirationInDays": expiration_field(expiration, "days"),
        "expiredObjectDeleteMarker": expiration_field(expiration, "expired_object_delete_marker"),
        "expirationDate": expiration_field(expiration, "date"),
        "noncurrentVersionExpirationInDays": match block(rule, "noncurrent_version_expiration") {
            Block::Set(n) => attrs::or(n, "days", json!(-1)),
            Block::Unknown(p) => p.clone(),
            Block::Unset => json!(-1),
        },
        "transitions": transitions(rule, "transition", "storage_class"),
        "noncurrentVersionTransitions": transitions(rule, "noncurrent_version_transition", "storage_class"),
        "abortIncompleteMultipartUpload": match get(rule, "abort_incomplete_multipart_upload_days") {
            Some(Value::Number(n)) if n.as_f64() != Some(0.0) => json!({"daysAfterInitiation": n}),
            Some(p) if is_placeholder(p) => p.clone(),
            _ => Value::Null,
        },
    })
}

/// `BucketReplicationConfiguration`, absent when the bucket replicates nothing. Rules are
/// keyed by their id, as AWS Config records them.
fn replication(bucket: &Instance, companion: Option<&Instance>) -> Option<Value> {
    let conf = match companion {
        Some(c) => &c.values,
        None => match inline(bucket, "replication_configuration") {
            Inline::Set(list) => match list.get(0) {
                Some(conf) if conf.is_object() => conf,
                Some(p) => return Some(p.clone()),
                None => return None,
            },
            Inline::Unknown(p) => return Some(p),
            Inline::Default => return None,
        },
    };
    let list = match blocks(conf, if companion.is_some() { "rule" } else { "rules" }) {
        Ok(list) => list,
        Err(p) => return Some(json!({"roleARN": attrs::copy(conf, "role"), "rules": p})),
    };
    let mut rules = Map::new();
    for (n, rule) in list.into_iter().enumerate() {
        let id = name_str(rule, "id")
            .map(str::to_string)
            .unwrap_or_else(|| format!("rule-{n}"));
        let destination = match block(rule, "destination") {
            Block::Set(d) => json!({
                "bucketARN": attrs::copy(d, "bucket"),
                "storageClass": attrs::text_or_null(d, "storage_class"),
            }),
            Block::Unknown(p) => p.clone(),
            Block::Unset => Value::Null,
        };
        rules.insert(
            id,
            json!({
                "prefix": attrs::or(rule, "prefix", json!("")),
                "status": attrs::copy(rule, "status"),
                "destinationConfig": destination,
            }),
        );
    }
    Some(json!({"roleARN": attrs::copy(conf, "role"), "rules": rules}))
}

/// `ObjectLockConfiguration`, absent when Object Lock was never enabled.
fn object_lock(bucket: &Instance, companion: Option<&Instance>) -> Option<Value> {
    let retention = |conf: &Value| match block(conf, "rule") {
        Block::Set(rule) => match block(rule, "default_retention") {
            Block::Set(d) => json!({"defaultRetention": {
                "mode": attrs::copy(d, "mode"),
                "days": attrs::copy(d, "days"),
                "years": attrs::copy(d, "years"),
            }}),
            Block::Unknown(p) => p.clone(),
            Block::Unset => Value::Null,
        },
        Block::Unknown(p) => p.clone(),
        Block::Unset => Value::Null,
    };
    if let Some(c) = companion {
        return Some(json!({
            "objectLockEnabled": attrs::or(&c.values, "object_lock_enabled", json!("Enabled")),
            "rule": retention(&c.values),
        }));
    }
    if let Inline::Set(list) = inline(bucket, "object_lock_configuration") {
        if let Some(conf) = list.get(0).filter(|c| c.is_object()) {
            return Some(json!({
                "objectLockEnabled": attrs::copy(conf, "object_lock_enabled"),
                "rule": retention(conf),
            }));
        }
    }
    match (
        known_bool(&bucket.values, "object_lock_enabled"),
        inline(bucket, "object_lock_enabled"),
    ) {
        (Some(true), _) => Some(json!({"objectLockEnabled": "Enabled", "rule": null})),
        (_, Inline::Unknown(p)) => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_acls_grant_what_the_user_guide_says() {
        let owner = json!("o");
        let grants = canned(json!("public-read-write"), &owner).unwrap();
        assert_eq!(grants.len(), 3);
        assert_eq!(
            grants[1],
            json!({"grantee": "AllUsers", "permission": "Read"})
        );
        assert_eq!(canned(json!("private"), &owner).unwrap().len(), 1);
        assert_eq!(permission(&json!("READ_ACP")), json!("ReadAcp"));
        assert_eq!(permission(&json!("FULL_CONTROL")), json!("FullControl"));
    }
}
