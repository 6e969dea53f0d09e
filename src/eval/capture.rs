//! The values of a failing item that its control's runbook templates name: the evaluator
//! holds the item as an engine value, so it captures them; the report fills the templates
//! with them later (`report::remediation`), with no engine value in sight.

use super::verdict::Captured;
use crate::policy::metadata::template_variables;
use crate::policy::{Control, Pack};
use regorus::Value;
use std::sync::Arc;

/// Per control of the pack, the `{{configuration.<path>}}` paths its runbook templates
/// name, each once, in order.
pub fn paths_per_control(pack: &Pack) -> Vec<Vec<Arc<str>>> {
    pack.controls.iter().map(paths).collect()
}

fn paths(control: &Control) -> Vec<Arc<str>> {
    let Some(remediation) = &control.meta.remediation else {
        return Vec::new();
    };
    let mut paths: Vec<Arc<str>> = Vec::new();
    for template in remediation.parameters.values() {
        let Some(text) = template.as_str() else {
            continue;
        };
        for variable in template_variables(text) {
            if let Some(path) = variable.strip_prefix("configuration.") {
                if !paths.iter().any(|p| p.as_ref() == path) {
                    paths.push(Arc::from(path));
                }
            }
        }
    }
    paths
}

/// The values at `paths` under the item's `configuration` (a path the item does not have
/// is left out); `None` when there is nothing to capture.
pub fn capture(input: &Value, paths: &[Arc<str>]) -> Option<Box<Captured>> {
    if paths.is_empty() {
        return None;
    }
    let configuration = field(input, "configuration")?;
    let captured: Captured = paths
        .iter()
        .filter_map(|path| {
            let node = path
                .split('.')
                .try_fold(configuration, |node, part| field(node, part))?;
            let value = serde_json::to_value(node).ok()?;
            Some((path.clone(), value))
        })
        .collect();
    Some(Box::new(captured))
}

/// An object's key, or an array's element by its index.
fn field<'a>(node: &'a Value, part: &str) -> Option<&'a Value> {
    match node {
        Value::Object(map) => map.get(&Value::from(part)),
        Value::Array(items) => items.get(part.parse::<usize>().ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_the_named_paths_through_objects_and_arrays() {
        let input = Value::from(serde_json::json!({
            "configuration": {"name": "logs", "rules": [{"port": 22}, {"port": 443}], "n": null},
            "resourceId": "r",
        }));
        let paths: Vec<Arc<str>> = ["name", "rules.1.port", "rules.x", "missing", "n"]
            .map(Arc::from)
            .to_vec();
        let captured = capture(&input, &paths).expect("something captured");
        let expected: Captured = vec![
            (Arc::from("name"), serde_json::json!("logs")),
            (Arc::from("rules.1.port"), serde_json::json!(443)),
            (Arc::from("n"), serde_json::Value::Null),
        ];
        assert_eq!(*captured, expected);
        assert!(capture(&input, &[]).is_none());
    }
}
