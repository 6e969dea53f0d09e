//! Before deploy: CloudFormation templates (JSON or YAML, short-form intrinsics included)
//! and Terraform plans (`terraform show -json`) become configuration items shaped as AWS
//! Config would record each resource, so the same controls judge them (README
//! "Templates before deploy", docs/templates.md for the mapping of every covered type).
//!
//! Each converter turns a document into `Resource`s; this module makes them items through
//! the same normaliser as recorded ones, named by logical id (or Terraform address) and by
//! their file and line. A value that cannot be known before deploy is an `unknown`
//! placeholder, listed on the item; the evaluator keeps a verdict only when it holds
//! whatever the value turns out to be.

pub mod cloudformation;
mod resource;
pub mod terraform;

pub use resource::{
    is_unknown, is_unknown_id, unknown, unknown_id, unknown_what, Resource, TemplateOptions,
    UNKNOWN_ID_PREFIX, UNKNOWN_PREFIX,
};

use super::json::{field, JsonContainerTrait, JsonValueTrait, Object};
use crate::diagnostics::Problem;
pub use crate::source::is_yaml_name;

/// The kinds of document converted here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CloudFormation,
    TerraformPlan,
}

/// What a converter makes of one document.
#[derive(Debug, Default)]
pub struct Converted {
    /// The resources of covered types, companions folded in.
    pub resources: Vec<Resource>,
    /// Resources of types regent does not map (not companions): each counts as an item
    /// read and skipped, with its reason.
    pub uncovered: Vec<Uncovered>,
    /// What was wrong with the document or a resource (`template::invalid`,
    /// `template::parameter`), each at its place; the rest is still converted.
    pub problems: Vec<Problem>,
    /// The document could not be read at all (it does not parse, `Resources` is not a
    /// mapping, ...): its problem is in `problems`.
    pub failed: bool,
    /// The document is not a template at all (a YAML file of another kind met in a
    /// directory): why. It is skipped, not failed.
    pub not_a_template: Option<String>,
}

/// A resource of a type regent does not map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncovered {
    /// Logical id or address.
    pub id: String,
    pub resource_type: String,
    pub line: usize,
    /// Why it is skipped, when not because its type is unmapped (a companion whose target
    /// is not in the template).
    pub reason: Option<String>,
}

/// Whether a JSON document is a template or a plan (and which), from its top-level keys.
pub fn kind_of(object: &Object) -> Option<Kind> {
    let has = |key: &str| field(object, key).is_some();
    if has("format_version")
        && has("terraform_version")
        && (has("planned_values") || has("resource_changes"))
    {
        return Some(Kind::TerraformPlan);
    }
    let resources = field(object, "Resources").and_then(|r| r.as_object())?;
    let typed = resources.iter().any(|(_, resource)| {
        resource
            .as_object()
            .and_then(|r| field(r, "Type"))
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.contains("::"))
    });
    (typed || has("AWSTemplateFormatVersion")).then_some(Kind::CloudFormation)
}

/// Convert one template or plan into resources.
pub fn convert(kind: Kind, source: &str, text: &str, options: &TemplateOptions) -> Converted {
    match kind {
        Kind::CloudFormation => cloudformation::convert(source, text, options),
        Kind::TerraformPlan => terraform::convert(source, text, options),
    }
}
