//! The AWS Config rule a control is exported as: the managed rule it mirrors, or a custom
//! rule backed by regent's Lambda handler (src/lambda/), with the control's effective
//! parameters as the rule's `InputParameters`.

use super::options::ExportOptions;
use crate::policy::metadata::{Parameter, ACCOUNT_TYPE};
use crate::policy::Control;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Where a rule's verdicts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSource {
    /// The AWS managed rule the control mirrors (`config_rule`).
    Managed(String),
    /// regent's Lambda handler, deciding with the control's own Rego.
    Custom,
}

/// One control's Config rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    pub control_id: String,
    /// The control's file, where problems point.
    pub file: String,
    /// `ConfigRuleName` (`ExportOptions::rule_name`).
    pub name: String,
    /// The template's logical id of the rule (`Rule` and the id's letters and digits).
    pub logical_id: String,
    pub description: String,
    pub source: RuleSource,
    /// `Scope.ComplianceResourceTypes`; empty for a periodic rule.
    pub resource_types: Vec<String>,
    /// Run on a schedule (account-level controls, and custom rules whose verdicts rest
    /// on what is absent) rather than on each change.
    pub periodic: bool,
    pub input_parameters: BTreeMap<String, String>,
}

/// Whether `rule` names an AWS managed rule (`S3_BUCKET_SSL_REQUESTS_ONLY`) rather than a
/// rule Security Hub makes of its own (`rds-no-default-ports`), which AWS Config cannot
/// be given as a source: such controls are exported as custom rules.
fn is_managed_identifier(rule: &str) -> bool {
    !rule.is_empty()
        && rule
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Config's limit on a rule's `Description`.
const DESCRIPTION_MAX: usize = 256;

/// The rule of `control`, named with `logical_base` in the template.
pub fn rule_spec(control: &Control, options: &ExportOptions, logical_base: &str) -> RuleSpec {
    let meta = &control.meta;
    let account_level = control.is_account_level();
    let source = match &meta.config_rule {
        Some(rule) if !options.custom_rule && is_managed_identifier(rule) => {
            RuleSource::Managed(rule.clone())
        }
        _ => RuleSource::Custom,
    };
    // One item alone cannot show that something is absent: the handler judges such
    // controls over the account's current items, on a schedule.
    let periodic =
        account_level || (source == RuleSource::Custom && !meta.needs_complete.is_empty());
    let resource_types = if periodic {
        Vec::new()
    } else {
        meta.resource_types
            .iter()
            .filter(|t| *t != ACCOUNT_TYPE)
            .cloned()
            .collect()
    };
    let effective = effective_parameters(control, options);
    let input_parameters = match source {
        RuleSource::Managed(_) => managed_parameters(&effective),
        RuleSource::Custom => custom_parameters(control, &effective),
    };
    RuleSpec {
        control_id: meta.id.clone(),
        file: control.file.path.clone(),
        name: options.rule_name(&meta.id),
        logical_id: format!("Rule{logical_base}"),
        description: truncated(
            &format!("regent {}: {}", meta.id, meta.title),
            DESCRIPTION_MAX,
        ),
        source,
        resource_types,
        periodic,
        input_parameters,
    }
}

/// Each parameter's value: the override given, else the default.
fn effective_parameters<'a>(
    control: &'a Control,
    options: &'a ExportOptions,
) -> Vec<(&'a str, &'a Parameter, &'a Value)> {
    let overrides = options.parameters.get(&control.meta.id);
    control
        .meta
        .parameters
        .iter()
        .map(|(name, declared)| {
            let value = overrides
                .and_then(|o: &Map<String, Value>| o.get(name))
                .unwrap_or(&declared.default);
            (name.as_str(), declared, value)
        })
        .collect()
}

/// A managed rule's parameters as AWS Config takes them: text, lists comma-joined, unset
/// (null or empty) values left out so the rule keeps its own default.
fn managed_parameters(effective: &[(&str, &Parameter, &Value)]) -> BTreeMap<String, String> {
    effective
        .iter()
        .filter_map(|(name, _, value)| Some((name.to_string(), managed_text(value)?)))
        .collect()
}

fn managed_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => scalar_text(other),
    };
    (!text.is_empty()).then_some(text)
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A custom rule's parameters as the handler reads them (src/lambda/rule.rs):
/// `controls` and `<ID>.<parameter>`, each value text that reads back as the same value.
fn custom_parameters(
    control: &Control,
    effective: &[(&str, &Parameter, &Value)],
) -> BTreeMap<String, String> {
    let id = &control.meta.id;
    let mut out = BTreeMap::from([("controls".to_string(), id.clone())]);
    for (name, declared, value) in effective {
        if let Some(text) = handler_text(declared, value) {
            out.insert(format!("{id}.{name}"), text);
        }
    }
    out
}

/// The text the handler reads back as `value`: it keeps a string that fits the
/// parameter's type and reads any other as JSON. A list goes comma-separated where the
/// type takes that (`csv(T)`), else as JSON.
fn handler_text(declared: &Parameter, value: &Value) -> Option<String> {
    let fits = |text: &str| declared.check(&Value::String(text.to_string())).is_none();
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            let joined = items.iter().map(scalar_text).collect::<Vec<_>>().join(",");
            if fits(&joined) {
                Some(joined)
            } else {
                Some(value.to_string())
            }
        }
        other => Some(other.to_string()),
    }
}

fn truncated(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Template logical ids (letters and digits only), unique within one template.
#[derive(Debug, Default)]
pub struct LogicalIds {
    used: BTreeSet<String>,
}

impl LogicalIds {
    /// The letters and digits of `name`, with a number added when another name already
    /// took them (`S3.5` and `S35`).
    pub fn base(&mut self, name: &str) -> String {
        let letters: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        let mut candidate = letters.clone();
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = format!("{letters}N{n}");
            n += 1;
        }
        candidate
    }
}
