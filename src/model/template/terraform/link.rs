//! Which resource a companion (`aws_s3_bucket_policy`, `aws_security_group_rule`, ...)
//! belongs to: by the value of its linking attribute when the plan knows it (`bucket` =
//! the bucket's name), else through the references of that attribute's expression in the
//! configuration (`aws_s3_bucket.logs.id`), resolved in the companion's module instance.

use super::address;
use super::attrs::is_placeholder;
use super::plan::Instance;
use serde_json::Value;

/// A companion type: the attribute naming its target, the target types, and which of the
/// target's attributes that value is.
pub(crate) struct Companion {
    pub resource_type: &'static str,
    pub attribute: &'static str,
    pub targets: &'static [&'static str],
    pub target_keys: &'static [&'static str],
}

const BUCKET: &[&str] = &["aws_s3_bucket"];
const BUCKET_KEYS: &[&str] = &["bucket", "id"];
const GROUP: &[&str] = &["aws_security_group"];
const ROLE: &[&str] = &["aws_iam_role"];
const USER: &[&str] = &["aws_iam_user"];
const NAME_KEYS: &[&str] = &["name", "id"];

const fn bucket(resource_type: &'static str) -> Companion {
    Companion {
        resource_type,
        attribute: "bucket",
        targets: BUCKET,
        target_keys: BUCKET_KEYS,
    }
}

const fn group(resource_type: &'static str) -> Companion {
    Companion {
        resource_type,
        attribute: "security_group_id",
        targets: GROUP,
        target_keys: &["id"],
    }
}

/// Every companion type: folded into its target, never an item of its own.
pub(crate) const COMPANIONS: &[Companion] = &[
    bucket("aws_s3_bucket_policy"),
    bucket("aws_s3_bucket_versioning"),
    bucket("aws_s3_bucket_server_side_encryption_configuration"),
    bucket("aws_s3_bucket_public_access_block"),
    bucket("aws_s3_bucket_logging"),
    bucket("aws_s3_bucket_acl"),
    bucket("aws_s3_bucket_ownership_controls"),
    bucket("aws_s3_bucket_lifecycle_configuration"),
    bucket("aws_s3_bucket_notification"),
    bucket("aws_s3_bucket_replication_configuration"),
    bucket("aws_s3_bucket_object_lock_configuration"),
    bucket("aws_s3_bucket_cors_configuration"),
    bucket("aws_s3_bucket_website_configuration"),
    bucket("aws_s3_bucket_accelerate_configuration"),
    bucket("aws_s3_bucket_request_payment_configuration"),
    group("aws_security_group_rule"),
    group("aws_vpc_security_group_ingress_rule"),
    group("aws_vpc_security_group_egress_rule"),
    Companion {
        resource_type: "aws_iam_role_policy",
        attribute: "role",
        targets: ROLE,
        target_keys: NAME_KEYS,
    },
    Companion {
        resource_type: "aws_iam_role_policy_attachment",
        attribute: "role",
        targets: ROLE,
        target_keys: NAME_KEYS,
    },
    Companion {
        resource_type: "aws_iam_user_policy",
        attribute: "user",
        targets: USER,
        target_keys: NAME_KEYS,
    },
    Companion {
        resource_type: "aws_iam_user_policy_attachment",
        attribute: "user",
        targets: USER,
        target_keys: NAME_KEYS,
    },
    Companion {
        resource_type: "aws_iam_policy_attachment",
        attribute: "roles",
        targets: ROLE,
        target_keys: NAME_KEYS,
    },
    Companion {
        resource_type: "aws_iam_policy_attachment",
        attribute: "users",
        targets: USER,
        target_keys: NAME_KEYS,
    },
    Companion {
        resource_type: "aws_volume_attachment",
        attribute: "volume_id",
        targets: &["aws_ebs_volume"],
        target_keys: &["id"],
    },
    Companion {
        resource_type: "aws_lambda_permission",
        attribute: "function_name",
        targets: &["aws_lambda_function"],
        target_keys: &["function_name", "arn", "qualified_arn", "id"],
    },
    Companion {
        resource_type: "aws_sqs_queue_policy",
        attribute: "queue_url",
        targets: &["aws_sqs_queue"],
        target_keys: &["id", "url"],
    },
    Companion {
        resource_type: "aws_sns_topic_policy",
        attribute: "arn",
        targets: &["aws_sns_topic"],
        target_keys: &["arn", "id"],
    },
    Companion {
        resource_type: "aws_kms_key_policy",
        attribute: "key_id",
        targets: &["aws_kms_key"],
        target_keys: &["key_id", "id", "arn"],
    },
];

/// Whether a type is a companion.
pub(crate) fn is_companion(resource_type: &str) -> bool {
    COMPANIONS.iter().any(|c| c.resource_type == resource_type)
}

/// The instances (indexes into `instances`) a companion belongs to; empty when none of them
/// is in the plan.
pub(crate) fn targets_of(instances: &[Instance], companion: &Instance) -> Vec<usize> {
    let mut found = Vec::new();
    for spec in COMPANIONS
        .iter()
        .filter(|c| c.resource_type == companion.resource_type())
    {
        for target in link(instances, companion, spec) {
            if !found.contains(&target) {
                found.push(target);
            }
        }
    }
    found
}

fn link(instances: &[Instance], companion: &Instance, spec: &Companion) -> Vec<usize> {
    let value = companion.values.get(spec.attribute).unwrap_or(&Value::Null);
    let names: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    let mut found = Vec::new();
    let mut unresolved = names.is_empty();
    for name in names {
        let by_value = name
            .as_str()
            .filter(|_| !is_placeholder(name))
            .and_then(|text| by_value(instances, spec, text));
        match by_value {
            Some(i) => found.push(i),
            None => unresolved = true,
        }
    }
    if unresolved {
        for i in referenced(instances, companion, &[spec.attribute], spec.targets) {
            if !found.contains(&i) {
                found.push(i);
            }
        }
    }
    found
}

/// The target whose key attribute holds `text` (a name, an id or an ARN).
fn by_value(instances: &[Instance], spec: &Companion, text: &str) -> Option<usize> {
    instances.iter().position(|target| {
        spec.targets.contains(&target.resource_type())
            && spec
                .target_keys
                .iter()
                .any(|key| target.values.get(*key).and_then(Value::as_str) == Some(text))
    })
}

/// The instances of `types` that the expression at `path` of `from`'s configuration
/// references (all references anywhere inside it), resolved in `from`'s module instance. A
/// reference without an instance key to a resource with several instances resolves to the
/// instance with `from`'s own key (`for_each = aws_s3_bucket.logs`), else to none.
pub(crate) fn referenced(
    instances: &[Instance],
    from: &Instance,
    path: &[&str],
    types: &[&str],
) -> Vec<usize> {
    let mut expression = &from.expressions;
    for step in path {
        expression = match expression {
            Value::Object(map) => map.get(*step).unwrap_or(&Value::Null),
            // Nested blocks are arrays of block expressions.
            Value::Array(items) => items
                .first()
                .and_then(|b| b.get(*step))
                .unwrap_or(&Value::Null),
            _ => &Value::Null,
        };
    }
    let mut texts = Vec::new();
    collect_references(expression, &mut texts);
    // `each.value.id` with `for_each = aws_s3_bucket.logs`: the resource is the for_each's,
    // the instance the one with the same key.
    if texts.iter().any(|t| t.starts_with("each.value")) {
        collect_references(&from.for_each, &mut texts);
    }
    let mut found = Vec::new();
    for text in texts {
        let Some(reference) = address::reference(text) else {
            continue;
        };
        if !types.contains(&reference.resource_type.as_str()) {
            continue;
        }
        for i in resolve(instances, from, &reference) {
            if !found.contains(&i) {
                found.push(i);
            }
        }
    }
    found
}

fn collect_references<'a>(expression: &'a Value, out: &mut Vec<&'a str>) {
    match expression {
        Value::Object(map) => {
            if let Some(Value::Array(refs)) = map.get("references") {
                out.extend(refs.iter().filter_map(Value::as_str));
            }
            for (key, value) in map {
                if key != "references" && key != "constant_value" {
                    collect_references(value, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, out)),
        _ => {}
    }
}

fn resolve(instances: &[Instance], from: &Instance, reference: &address::Reference) -> Vec<usize> {
    let candidates: Vec<usize> = instances
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.parts.module == from.parts.module
                && i.resource_type() == reference.resource_type
                && i.parts.name == reference.name
                && !i.parts.data
        })
        .map(|(n, _)| n)
        .collect();
    match &reference.key {
        Some(key) => candidates
            .into_iter()
            .filter(|&n| instances[n].parts.key.as_deref() == Some(key.as_str()))
            .collect(),
        None if candidates.len() <= 1 => candidates,
        None => candidates
            .into_iter()
            .filter(|&n| from.parts.key.is_some() && instances[n].parts.key == from.parts.key)
            .collect(),
    }
}

/// The placeholder of the attribute a single reference reads (`aws_lb.web.arn`) when that
/// resource is in the plan: the same unknown value carries the same placeholder wherever
/// it appears, so a listener still names its load balancer.
pub(crate) fn referenced_attribute(
    instances: &[Instance],
    from: &Instance,
    attribute: &str,
) -> Option<serde_json::Value> {
    let refs = from
        .expressions
        .get(attribute)?
        .get("references")?
        .as_array()?;
    let first = address::reference(refs.first()?.as_str()?)?;
    let target_attribute = first.attribute.clone()?;
    let [target] = resolve(instances, from, &first)[..] else {
        return None;
    };
    Some(super::unknowns::after_apply(&format!(
        "{}.{target_attribute}",
        instances[target].address
    )))
}
