//! Parameters: each one's value from `--parameter`, else its `Default`, else unknown; a
//! value outside `AllowedValues` and a `--parameter` the template does not declare are
//! `template::parameter` problems.

use super::context::{scalar_text, Cx, Param, PSEUDO_PARAMETERS};
use super::yaml::{Node, Value as Yaml};
use crate::diagnostics::{suggest, Code};
use serde_json::Value;

impl Cx<'_> {
    pub(super) fn read_parameters(&mut self) {
        let declared = self.tpl.parameters.clone();
        for (key, node) in &declared {
            let param = self.parameter(&key.text, node);
            self.params.insert(key.text.clone(), param);
        }
        self.check_given_names();
    }

    fn parameter(&mut self, name: &str, node: &Node) -> Param {
        let kind = node.get("Type").and_then(Node::str).unwrap_or("String");
        let given = self.given(name);
        let default = node.get("Default").and_then(yaml_scalar);
        let text = match (given, &default) {
            (Some(v), _) => v.to_string(),
            (None, Some(d)) if !kind.starts_with("AWS::SSM::Parameter::Value<") => d.clone(),
            (None, Some(_)) => {
                return Param::Unknown {
                    why: format!("!Ref {name}: the value is read from SSM Parameter Store at deploy (give it with --parameter {name}=...)"),
                }
            }
            (None, None) => {
                return Param::Unknown {
                    why: format!(
                        "!Ref {name}: parameter {name} has no default (give it with --parameter {name}=...)"
                    ),
                }
            }
        };
        self.check_allowed(name, node, &text, given.is_some());
        if kind == "CommaDelimitedList" || kind.starts_with("List<") {
            let items = text
                .split(',')
                .map(|s| Value::String(s.trim().to_string()))
                .collect();
            return Param::Known(Value::Array(items));
        }
        Param::Known(Value::String(text))
    }

    fn check_allowed(&mut self, name: &str, node: &Node, value: &str, given: bool) {
        let Some(allowed) = node.get("AllowedValues").and_then(Node::seq) else {
            return;
        };
        let allowed: Vec<String> = allowed.iter().filter_map(yaml_scalar).collect();
        if allowed.is_empty() || allowed.iter().any(|a| a == value) {
            return;
        }
        let list = allowed.join(", ");
        let (line, column) = node
            .get("AllowedValues")
            .map_or((node.line, node.column), |n| (n.line, n.column));
        let message = if given {
            format!("--parameter {name}={value} is not one of the values parameter {name} allows ({list})")
        } else {
            format!("the default of parameter {name} ({value}) is not one of its AllowedValues ({list})")
        };
        self.problem_at(
            Code::TemplateParameter,
            line,
            column,
            message,
            Some(format!(
                "{}give one of: {list}",
                suggest(value, allowed.iter().map(String::as_str))
            )),
        );
    }

    /// Every `--parameter` must name a parameter of the template or a pseudo parameter.
    fn check_given_names(&mut self) {
        let names: Vec<String> = self.options.parameters.keys().cloned().collect();
        for name in names {
            if PSEUDO_PARAMETERS.contains(&name.as_str()) && name != "AWS::NoValue" {
                continue;
            }
            if self.tpl.parameter(&name).is_some() {
                continue;
            }
            let declared: Vec<&str> = self
                .tpl
                .parameters
                .iter()
                .map(|(k, _)| k.text.as_str())
                .collect();
            let hint = suggest(&name, declared.iter().copied());
            let list = if declared.is_empty() {
                "it declares none".to_string()
            } else {
                format!("it declares {}", declared.join(", "))
            };
            self.problem(
                Code::TemplateParameter,
                format!("--parameter {name} names no parameter of this template"),
                format!("{hint}{list}; pseudo parameters are AWS::AccountId, AWS::Region, AWS::Partition, AWS::URLSuffix, AWS::StackName, AWS::StackId and AWS::NotificationARNs"),
            );
        }
    }

    /// `!Ref` to a parameter.
    pub(super) fn parameter_value(&mut self, name: &str) -> Option<Value> {
        match self.params.get(name)?.clone() {
            Param::Known(value) => Some(value),
            Param::Unknown { why } => Some(self.unknown(&format!("!Ref {name}"), why)),
        }
    }
}

/// A scalar of the template as text (`Default: 5` is "5").
fn yaml_scalar(node: &Node) -> Option<String> {
    match &node.value {
        Yaml::Str(s) => Some(s.clone()),
        Yaml::Int(i) => Some(i.to_string()),
        Yaml::Float(f) => scalar_text(&serde_json::json!(f)),
        Yaml::Bool(b) => Some(b.to_string()),
        // A list default of a CommaDelimitedList written as a YAML list.
        Yaml::Seq(items) => Some(
            items
                .iter()
                .filter_map(yaml_scalar)
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    }
}
