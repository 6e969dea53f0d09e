//! Terraform plans (`terraform show -json PLANFILE`) into the configuration items AWS
//! Config would record once the plan is applied (docs/templates/terraform.md maps every
//! covered type).
//!
//! Every managed resource instance that exists after apply (created, updated, replaced or
//! left as it is; not one only deleted, not a data source) of a covered type becomes one
//! item named by its address; companion resources (`aws_s3_bucket_policy`,
//! `aws_security_group_rule`, ...) are folded into the resource they configure. A value
//! known only after apply, or sensitive, is an `unknown` placeholder and is listed on the
//! item: sensitive values never reach an item. What AWS gives a new resource for an
//! unset setting a control reads is applied, each default documented beside its mapper.

mod address;
mod attrs;
mod link;
mod locate;
mod plan;
mod unknowns;

mod cloudtrail;
mod dynamodb;
mod ec2;
mod elb;
mod iam;
mod kms;
mod lambda;
mod rds;
mod s3;
mod sns;
mod sqs;

use super::{is_unknown, unknown_what, Converted, Resource, TemplateOptions, Uncovered};
use plan::Instance;
use serde_json::Value;
use std::collections::BTreeMap;

/// Turns one instance (and the companions folded into it) into items.
type Mapper = fn(&Ctx, &Instance, &[&Instance]) -> Vec<Resource>;

/// Every covered type and its mapper.
const MAPPERS: &[(&str, Mapper)] = &[
    ("aws_s3_bucket", s3::bucket),
    ("aws_security_group", ec2::security_group),
    ("aws_instance", ec2::instance),
    ("aws_ebs_volume", ec2::volume),
    ("aws_db_instance", rds::db_instance),
    ("aws_rds_cluster_instance", rds::cluster_instance),
    ("aws_rds_cluster", rds::cluster),
    ("aws_kms_key", kms::key),
    ("aws_cloudtrail", cloudtrail::trail),
    ("aws_lambda_function", lambda::function),
    ("aws_dynamodb_table", dynamodb::table),
    ("aws_sqs_queue", sqs::queue),
    ("aws_sns_topic", sns::topic),
    ("aws_lb", elb::load_balancer),
    ("aws_alb", elb::load_balancer),
    ("aws_lb_listener", elb::listener),
    ("aws_alb_listener", elb::listener),
    ("aws_iam_role", iam::role),
    ("aws_iam_user", iam::user),
    ("aws_iam_policy", iam::policy),
];

/// The Terraform types regent maps to items (companions not included).
pub fn covered_types() -> impl Iterator<Item = &'static str> {
    MAPPERS.iter().map(|(t, _)| *t)
}

/// The Terraform types folded into another resource's item.
pub fn companion_types() -> Vec<&'static str> {
    let mut types: Vec<&'static str> = link::COMPANIONS.iter().map(|c| c.resource_type).collect();
    // One type may link through two attributes (roles, users): listed next to each other.
    types.dedup();
    types
}

/// What every mapper reads besides its instance: the whole plan (for what other resources
/// say about it) and the run's `--parameter`s.
pub(crate) struct Ctx<'a> {
    pub instances: &'a [Instance],
    pub options: &'a TemplateOptions,
}

impl Ctx<'_> {
    /// `--parameter AWS::AccountId=`: the only source of the account.
    pub(crate) fn account(&self) -> Option<&str> {
        self.options
            .parameters
            .get("AWS::AccountId")
            .map(String::as_str)
    }

    pub(crate) fn partition(&self) -> &str {
        self.options
            .parameters
            .get("AWS::Partition")
            .map_or("aws", String::as_str)
    }

    /// The instance's region: its own or its provider's, else `--parameter AWS::Region=`.
    pub(crate) fn region(&self, instance: &Instance) -> Option<String> {
        instance
            .region
            .clone()
            .or_else(|| self.options.parameters.get("AWS::Region").cloned())
    }

    /// An item for the instance, named by its address, at its line, with its tags.
    pub(crate) fn resource(&self, instance: &Instance, resource_type: &str) -> Resource {
        let tags = attrs::tags(&instance.values)
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect();
        Resource {
            resource_type: resource_type.to_string(),
            id: instance.address.clone(),
            line: instance.line,
            region: instance.region.clone(),
            tags,
            ..Resource::default()
        }
    }

    /// The instances of `types` the configuration expression at `path` references.
    pub(crate) fn referenced(
        &self,
        from: &Instance,
        path: &[&str],
        types: &[&str],
    ) -> Vec<&Instance> {
        link::referenced(self.instances, from, path, types)
            .into_iter()
            .map(|i| &self.instances[i])
            .collect()
    }
}

/// Convert one plan's text.
pub fn convert(source: &str, text: &str, options: &TemplateOptions) -> Converted {
    let plan = plan::read(source, text);
    let mut converted = Converted {
        problems: plan.problems,
        failed: plan.failed,
        ..Converted::default()
    };
    let instances = plan.instances;
    let ctx = Ctx {
        instances: &instances,
        options,
    };
    let mut folded: BTreeMap<usize, Vec<&Instance>> = BTreeMap::new();
    for instance in &instances {
        if !link::is_companion(instance.resource_type()) {
            continue;
        }
        let targets = link::targets_of(&instances, instance);
        if targets.is_empty() {
            // Its target is not in this plan (managed elsewhere): nothing to fold it into.
            converted.uncovered.push(uncovered(instance));
        }
        for target in targets {
            folded.entry(target).or_default().push(instance);
        }
    }
    for (i, instance) in instances.iter().enumerate() {
        let mapper = MAPPERS
            .iter()
            .find(|(t, _)| *t == instance.resource_type())
            .map(|(_, m)| m);
        match mapper {
            Some(map) => {
                let companions = folded.get(&i).map_or(&[][..], Vec::as_slice);
                for resource in map(&ctx, instance, companions) {
                    converted.resources.push(finish(resource));
                }
            }
            None if link::is_companion(instance.resource_type()) => {}
            None => converted.uncovered.push(uncovered(instance)),
        }
    }
    converted
}

fn uncovered(instance: &Instance) -> Uncovered {
    Uncovered {
        id: instance.address.clone(),
        resource_type: instance.resource_type().to_string(),
        line: instance.line,
        reason: None,
    }
}

/// List every placeholder of the item with where it is: `configuration.kmsKeyId: known
/// after apply: aws_kms_key.k.arn`.
fn finish(mut resource: Resource) -> Resource {
    let mut unknowns = Vec::new();
    collect(&resource.configuration, "configuration", &mut unknowns);
    for (key, value) in &resource.supplementary {
        collect(
            value,
            &format!("supplementaryConfiguration.{key}"),
            &mut unknowns,
        );
    }
    collect(
        &Value::Array(resource.relationships.clone()),
        "relationships",
        &mut unknowns,
    );
    for (key, value) in &resource.tags {
        collect(
            &Value::String(value.clone()),
            &format!("tags.{key}"),
            &mut unknowns,
        );
    }
    for u in unknowns {
        if !resource.unknowns.contains(&u) {
            resource.unknowns.push(u);
        }
    }
    resource
}

fn collect(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::String(text) if is_unknown(text) => {
            let what = unknown_what(text).unwrap_or_default();
            out.push(format!("{path}: {what}"));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                collect(item, &format!("{path}.{key}"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
