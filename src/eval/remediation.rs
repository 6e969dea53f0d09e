//! Fill a control's runbook parameter templates from the failing item.

use super::{Parameters, ResolvedRemediation, Subject};
use crate::policy::metadata::template_variables;
use crate::policy::Control;
use serde_json::Value;
use std::collections::BTreeMap;

/// The value of one template variable, if the item (or the settings) has it.
fn lookup(
    variable: &str,
    subject: &Subject,
    document: Option<&Value>,
    settings: &BTreeMap<String, Value>,
) -> Option<Value> {
    let text = |s: &str| Some(Value::String(s.to_string()));
    match variable {
        "resourceId" => text(&subject.resource_id),
        "resourceName" => text(
            subject
                .resource_name
                .as_deref()
                .unwrap_or(&subject.resource_id),
        ),
        "resourceType" => text(&subject.resource_type),
        "ARN" => subject.arn.as_deref().and_then(text),
        "awsAccountId" => text(&subject.account),
        "awsRegion" => text(&subject.region),
        other => {
            if let Some(name) = other.strip_prefix("settings.") {
                return settings.get(name).cloned();
            }
            let path = other.strip_prefix("configuration.")?;
            let mut node = document?.get("configuration")?;
            for part in path.split('.') {
                node = match node {
                    Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
                    _ => node.get(part)?,
                };
            }
            Some(node.clone())
        }
    }
}

/// Resolve every parameter; a template that cannot be filled (a setting not given) is
/// kept as written so the plan shows what still has to be supplied.
pub fn resolve(
    control: &Control,
    subject: &Subject,
    input: Option<&regorus::Value>,
    settings: &BTreeMap<String, Value>,
) -> Option<ResolvedRemediation> {
    let remediation = control.meta.remediation.as_ref()?;
    // Convert the item only when a template reads its configuration.
    let needs_document = remediation
        .parameters
        .values()
        .any(|v| v.as_str().is_some_and(|t| t.contains("{{configuration.")));
    let parsed = if needs_document {
        input.and_then(|input| serde_json::to_value(input).ok())
    } else {
        None
    };
    let document = parsed.as_ref();
    let parameters = remediation
        .parameters
        .iter()
        .map(|(name, template)| {
            let value = match template {
                Value::String(text) => fill(text, subject, document, settings),
                other => other.clone(),
            };
            (name.clone(), value)
        })
        .collect();
    Some(ResolvedRemediation {
        runbook: remediation.runbook.clone(),
        // The metadata's map iterates in name order.
        parameters: Parameters::from_sorted(parameters),
    })
}

fn fill(
    text: &str,
    subject: &Subject,
    document: Option<&Value>,
    settings: &BTreeMap<String, Value>,
) -> Value {
    let variables = template_variables(text);
    // A template that is exactly one variable keeps the variable's type (a number, a list).
    if variables.len() == 1 && text.trim() == format!("{{{{{}}}}}", variables[0]) {
        return lookup(variables[0], subject, document, settings)
            .unwrap_or_else(|| Value::String(text.to_string()));
    }
    let mut out = text.to_string();
    for variable in variables {
        if let Some(value) = lookup(variable, subject, document, settings) {
            let replacement = match value {
                Value::String(s) => s,
                other => other.to_string(),
            };
            out = out.replace(&format!("{{{{{variable}}}}}"), &replacement);
        }
    }
    Value::String(out)
}
