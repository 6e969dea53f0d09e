//! CloudFormation templates (YAML or JSON, short-form intrinsics included) into resources
//! shaped as AWS Config records them (docs/templates/cloudformation.md maps every covered
//! type, property by property, with the defaults applied).
//!
//! The text is read into located nodes (`yaml`), the sections are read (`template`), then
//! each resource's properties are resolved (`intrinsics`, `parameters`, `conditions`) and
//! handed to the mapper of its type; companions (a bucket policy, an ingress rule, an inline
//! IAM policy...) are folded into the resource they belong to (`fold`).

mod cloudtrail;
mod conditions;
mod context;
mod dynamodb;
mod ec2;
mod elbv2;
mod fold;
mod iam;
mod intrinsics;
mod kms;
mod lambda;
mod links;
mod parameters;
mod rds;
mod render;
mod s3;
mod sns;
mod sqs;
mod template;
mod values;
mod yaml;

#[cfg(test)]
mod tests;

use super::{Converted, TemplateOptions, Uncovered};
use crate::diagnostics::{Code, Problem};
use context::Cx;
use std::collections::HashMap;
use template::{Decl, Template};
use values::{placeholders_in, Built};
use yaml::Node;

/// A mapper: a resource's resolved properties into the item AWS Config would record.
type Mapper = fn(&mut Cx<'_>, &Decl<'_>, &serde_json::Value) -> Built;

/// How regent treats a resource type.
enum Role {
    Mapped(Mapper),
    /// Folded into the resource it names (`fold`).
    Companion,
    Uncovered,
}

fn role(resource_type: &str) -> Role {
    match resource_type {
        "AWS::S3::Bucket" => Role::Mapped(s3::bucket),
        "AWS::EC2::SecurityGroup" => Role::Mapped(ec2::security_group),
        "AWS::EC2::Instance" => Role::Mapped(ec2::instance),
        "AWS::EC2::Volume" => Role::Mapped(ec2::volume),
        "AWS::RDS::DBInstance" => Role::Mapped(rds::db_instance),
        "AWS::RDS::DBCluster" => Role::Mapped(rds::db_cluster),
        "AWS::KMS::Key" => Role::Mapped(kms::key),
        "AWS::CloudTrail::Trail" => Role::Mapped(cloudtrail::trail),
        "AWS::Lambda::Function" => Role::Mapped(lambda::function),
        "AWS::DynamoDB::Table" => Role::Mapped(dynamodb::table),
        "AWS::SQS::Queue" => Role::Mapped(sqs::queue),
        "AWS::SNS::Topic" => Role::Mapped(sns::topic),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => Role::Mapped(elbv2::load_balancer),
        "AWS::ElasticLoadBalancingV2::Listener" => Role::Mapped(elbv2::listener),
        "AWS::IAM::Role" => Role::Mapped(iam::role),
        "AWS::IAM::User" => Role::Mapped(iam::user),
        "AWS::IAM::Group" => Role::Mapped(iam::group),
        "AWS::IAM::ManagedPolicy" => Role::Mapped(iam::managed_policy),
        t if fold::is_companion(t) => Role::Companion,
        _ => Role::Uncovered,
    }
}

/// Convert one template.
pub fn convert(source: &str, text: &str, options: &TemplateOptions) -> Converted {
    let (root, remarks) = match yaml::read(text) {
        Ok((Some(root), remarks)) => (root, remarks),
        Ok((None, _)) => return not_a_template("the YAML document is empty"),
        Err(err) => return unreadable(source, text, &err),
    };
    if root.map().is_none() {
        return not_a_template("the YAML document is not a mapping");
    }
    let Some(resources_node) = root.get("Resources") else {
        return not_a_template("no Resources section: not a CloudFormation template");
    };
    let Some(resources) = resources_node.map() else {
        let problem = Problem::new(
            Code::TemplateInvalid,
            source,
            "Resources is not a mapping of logical ids to resources",
        )
        .at(
            text,
            resources_node.line,
            resources_node.column,
            "Resources must be a mapping",
        )
        .with_help(
            "a CloudFormation template's Resources maps each logical id to {Type, Properties}",
        );
        return Converted {
            problems: vec![problem],
            failed: true,
            ..Converted::default()
        };
    };
    if !looks_like_template(&root, resources) {
        return not_a_template("its Resources entries have no Type: not a CloudFormation template");
    }
    let (tpl, flaws) = Template::read(&root, resources);
    let mut cx = Cx::new(&tpl, source, text, options);
    for flaw in flaws {
        cx.invalid(flaw.line, flaw.column, flaw.message);
    }
    // One problem for all aliases: an alias bomb holds thousands.
    if let Some((line, column)) = remarks.aliases.first() {
        let count = remarks.aliases.len();
        let more = if count > 1 {
            format!(" ({count} aliases in the file)")
        } else {
            String::new()
        };
        cx.invalid(*line, *column, format!("YAML aliases are not supported by CloudFormation; none is expanded and each value is unknown{more}"));
    }
    for (message, line, column) in &remarks.bad_keys {
        cx.invalid(*line, *column, message.clone());
    }
    let (resources, uncovered) = convert_resources(&mut cx);
    let mut problems = std::mem::take(&mut cx.problems);
    if cx.problems_dropped > 0 {
        problems.push(Problem::new(
            Code::TemplateInvalid,
            source,
            format!(
                "{} more problems in this template are not shown",
                cx.problems_dropped
            ),
        ));
    }
    Converted {
        resources,
        uncovered,
        problems,
        ..Converted::default()
    }
}

/// Every resource: mapped, folded into another, or counted as uncovered.
fn convert_resources(cx: &mut Cx<'_>) -> (Vec<super::Resource>, Vec<Uncovered>) {
    let tpl = cx.tpl;
    let mut built: Vec<(usize, Built)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut companions = Vec::new();
    let mut uncovered = Vec::new();
    for (index, decl) in tpl.resources.iter().enumerate() {
        if decl.resource_type.is_empty() {
            continue;
        }
        let created = cx.created(decl);
        if created == Some(false) {
            // Not created: nothing to judge, and not an item.
            continue;
        }
        match role(decl.resource_type) {
            Role::Mapped(mapper) => {
                let props = cx.props(decl.id);
                let mut b = mapper(cx, decl, &props);
                b.note_all(cx, &props, "Properties");
                if created.is_none() {
                    let condition = decl.condition.and_then(Node::str).unwrap_or_default();
                    b.resource.unknowns.push(format!(
                        "Condition: {condition} is not decided before deploy; {} is judged as if it is created",
                        decl.id
                    ));
                }
                by_id.insert(decl.id.to_string(), built.len());
                built.push((index, b));
            }
            Role::Companion => companions.push(decl),
            Role::Uncovered => {
                // Resolved only for its problems (a malformed intrinsic, an undefined name).
                cx.props(decl.id);
                uncovered.push(Uncovered {
                    id: decl.id.to_string(),
                    resource_type: decl.resource_type.to_string(),
                    line: decl.line,
                    reason: None,
                });
            }
        }
    }
    let mut targets = fold::Targets {
        built: &mut built,
        by_id: &by_id,
    };
    fold::implied(cx, &mut targets);
    for decl in companions {
        if let Some(skip) = fold::fold(cx, decl, &mut targets) {
            uncovered.push(Uncovered {
                id: decl.id.to_string(),
                resource_type: decl.resource_type.to_string(),
                line: decl.line,
                reason: Some(skip),
            });
        }
    }
    let resources = built
        .into_iter()
        .map(|(index, b)| finish(cx, &tpl.resources[index], b))
        .collect();
    (resources, uncovered)
}

/// The resource as the loader takes it: its id and line, and the descriptions of the
/// placeholders that made it into the item.
fn finish(cx: &Cx<'_>, decl: &Decl<'_>, built: Built) -> super::Resource {
    let mut resource = built.resource;
    resource.id = decl.id.to_string();
    resource.line = decl.line;
    let present = placeholders_in(&resource);
    let mut unknowns: Vec<String> = std::mem::take(&mut resource.unknowns);
    let mut explained = std::collections::HashSet::new();
    for note in built.notes {
        if present.contains(&note.placeholder) {
            explained.insert(note.placeholder);
            if !unknowns.contains(&note.description) {
                unknowns.push(note.description);
            }
        }
    }
    // A placeholder no note explains (one a mapper took from another resource).
    let mut rest: Vec<&String> = present.difference(&explained).collect();
    rest.sort();
    for placeholder in rest {
        let why = cx.why(placeholder);
        if !unknowns.contains(&why) {
            unknowns.push(why);
        }
    }
    resource.unknowns = unknowns;
    resource
}

/// Whether a YAML mapping with `Resources` is a CloudFormation template (and not some other
/// tool's file that happens to have that key).
fn looks_like_template(root: &Node, resources: &[(yaml::Key, Node)]) -> bool {
    root.get("AWSTemplateFormatVersion").is_some()
        || root.get("Transform").is_some()
        || resources
            .iter()
            .any(|(_, r)| r.get("Type").is_some() || r.get("Properties").is_some())
}

fn not_a_template(reason: &str) -> Converted {
    Converted {
        not_a_template: Some(reason.to_string()),
        ..Converted::default()
    }
}

/// Text that does not read as YAML (or nests too deep): the whole template fails.
fn unreadable(source: &str, text: &str, err: &yaml::ReadError) -> Converted {
    let (what, help) = if err.too_deep {
        (
            format!("the template nests deeper than {} levels", yaml::MAX_DEPTH),
            "no CloudFormation template nests this deep; the file is damaged or hostile",
        )
    } else {
        (
            format!("the template is not valid YAML or JSON: {}", err.message),
            "fix the template at this place; the other inputs are still evaluated",
        )
    };
    let problem = Problem::new(Code::TemplateInvalid, source, what)
        .at(
            text,
            err.line.max(1),
            err.column.max(1),
            err.message.clone(),
        )
        .with_help(help);
    Converted {
        problems: vec![problem],
        failed: true,
        ..Converted::default()
    }
}
