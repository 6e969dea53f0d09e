//! `Conditions`: each decided true or false when the values it compares are known, else
//! undecided (`None`), three-valued through `And`, `Or` and `Not`.

use super::context::{has_unknown, scalar_text, Cx};
use super::intrinsics::intrinsic;
use super::template::Decl;
use super::yaml::{Node, Value as Yaml};
use serde_json::Value;

/// How deep conditions may refer to conditions.
const MAX_CONDITION_DEPTH: usize = 64;

impl Cx<'_> {
    /// The named condition (`None`: undecided, or not defined, which is a problem at `at`).
    pub fn condition(&mut self, name: &str, at: &Node) -> Option<bool> {
        if let Some(known) = self.conditions.get(name) {
            return *known;
        }
        let Some(node) = self.tpl.conditions.get(name).copied() else {
            self.invalid(
                at.line,
                at.column,
                format!("condition {name} is not defined in Conditions"),
            );
            return None;
        };
        if self.condition_stack.iter().any(|c| c == name) {
            self.invalid(
                node.line,
                node.column,
                format!("condition {name} depends on itself"),
            );
            return None;
        }
        // Far beyond real templates; a hostile chain must not exhaust the stack.
        if self.condition_stack.len() >= MAX_CONDITION_DEPTH {
            let message = format!("condition {name}: conditions refer to each other more than {MAX_CONDITION_DEPTH} deep");
            self.invalid(node.line, node.column, message);
            return None;
        }
        self.condition_stack.push(name.to_string());
        let value = self.condition_expression(node);
        self.condition_stack.pop();
        self.conditions.insert(name.to_string(), value);
        value
    }

    /// Whether a resource is created: its `Condition`, or true.
    pub fn created(&mut self, decl: &Decl<'_>) -> Option<bool> {
        let Some(node) = decl.condition else {
            return Some(true);
        };
        match node.str() {
            Some(name) => self.condition(name, node),
            None => {
                self.invalid(
                    node.line,
                    node.column,
                    format!("resource {}: Condition must be a condition name", decl.id),
                );
                None
            }
        }
    }

    /// `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`, or a literal boolean.
    pub fn condition_expression(&mut self, node: &Node) -> Option<bool> {
        if let Yaml::Bool(b) = node.value {
            if node.tag.is_none() {
                return Some(b);
            }
        }
        // `{Condition: Name}` inside a condition.
        if let (None, Some([(key, name)])) = (&node.tag, node.map()) {
            if key.text == "Condition" {
                let name = name.str().unwrap_or_default().to_string();
                return self.condition(&name, node);
            }
        }
        let Some((function, arg)) = intrinsic(node) else {
            self.invalid(
                node.line,
                node.column,
                "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition",
            );
            return None;
        };
        match function {
            "Equals" => {
                let Some([a, b]) = arg.items() else {
                    self.invalid(node.line, node.column, "Equals takes two values");
                    return None;
                };
                let a = self.resolve(a).unwrap_or(Value::Null);
                let b = self.resolve(b).unwrap_or(Value::Null);
                if has_unknown(&a) || has_unknown(&b) {
                    return None;
                }
                Some(same(&a, &b))
            }
            "And" | "Or" => {
                let Some(items) = arg.items().filter(|i| !i.is_empty()) else {
                    self.invalid(
                        node.line,
                        node.column,
                        format!("{function} takes a list of conditions"),
                    );
                    return None;
                };
                let values: Vec<Option<bool>> =
                    items.iter().map(|i| self.condition_expression(i)).collect();
                let decisive = function == "Or";
                if values.contains(&Some(decisive)) {
                    Some(decisive)
                } else if values.iter().all(Option::is_some) {
                    Some(!decisive)
                } else {
                    None
                }
            }
            "Not" => {
                let Some([inner]) = arg.items() else {
                    self.invalid(node.line, node.column, "Not takes a list of one condition");
                    return None;
                };
                self.condition_expression(inner).map(|b| !b)
            }
            "Condition" => {
                let Some(name) = arg.text() else {
                    self.invalid(node.line, node.column, "Condition takes a condition name");
                    return None;
                };
                self.condition(name, node)
            }
            other => {
                self.invalid(
                    node.line,
                    node.column,
                    format!("{other} is not a condition function"),
                );
                None
            }
        }
    }
}

/// Equality as `Fn::Equals` sees it: scalars compared as text (`"3"` equals `3`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(_), _) | (_, Value::Object(_)) => a == b,
        _ => match (scalar_text(a), scalar_text(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}
