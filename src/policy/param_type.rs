//! The type of a control's parameter, as its metadata declares it (`"type": "list(port)"`),
//! and the check of a value against it: regent.toml's overrides are checked before a run,
//! so `blockedPorts = ["ssh", -1]` is a located error instead of a policy that quietly
//! ignores it.
//!
//! Types: `boolean`, `integer`, `number`, `string`, `port` (an integer 0 to 65535),
//! `port_range` (a port, or text such as `"1024-2048"` or `"443"`), `list(T)` (a list of
//! T), `csv(T)` (text of T separated by commas, as AWS Config's managed rules take lists),
//! and alternatives `A|B`. `minimum` and `maximum` bound numbers (and list elements);
//! `values` lists the strings allowed. A parameter whose default is null also accepts null.

use serde_json::Value;

/// A parsed parameter type.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamType {
    Boolean,
    Integer,
    Number,
    String,
    Port,
    PortRange,
    List(Box<ParamType>),
    Csv(Box<ParamType>),
    Either(Vec<ParamType>),
}

/// The bounds a parameter may add to its type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub values: Option<Vec<String>>,
}

impl ParamType {
    /// Parse a type as metadata writes it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let alternatives = split_top_level(text);
        if alternatives.len() > 1 {
            return alternatives
                .into_iter()
                .map(ParamType::parse)
                .collect::<Result<Vec<_>, _>>()
                .map(ParamType::Either);
        }
        let inner = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(')'))
        };
        Ok(match text {
            "boolean" => ParamType::Boolean,
            "integer" => ParamType::Integer,
            "number" => ParamType::Number,
            "string" => ParamType::String,
            "port" => ParamType::Port,
            "port_range" => ParamType::PortRange,
            _ => {
                if let Some(element) = inner("list(") {
                    ParamType::List(Box::new(ParamType::parse(element)?))
                } else if let Some(element) = inner("csv(") {
                    ParamType::Csv(Box::new(ParamType::parse(element)?))
                } else {
                    return Err(format!(
                        "unknown parameter type `{text}` (types: boolean, integer, number, string, port, port_range, list(T), csv(T), A|B)"
                    ));
                }
            }
        })
    }

    /// The type a default value implies when metadata declares none.
    pub fn of_default(value: &Value) -> Option<Self> {
        Some(match value {
            Value::Bool(_) => ParamType::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => ParamType::Integer,
            Value::Number(_) => ParamType::Number,
            Value::String(_) => ParamType::String,
            Value::Array(items) => {
                ParamType::List(Box::new(ParamType::of_default(items.first()?)?))
            }
            _ => return None,
        })
    }

    /// Check `value`: `None` when it fits, else what is wrong with it.
    pub fn check(&self, value: &Value, bounds: &Bounds) -> Option<String> {
        match self {
            ParamType::Either(types) => {
                let reasons: Vec<(&ParamType, String)> = types
                    .iter()
                    .map(|t| Some((t, t.check(value, bounds)?)))
                    .collect::<Option<_>>()?;
                // Say why the alternative of the value's own shape (a list for a list,
                // text for text) refused it; when none is of that shape, name them all.
                match reasons.iter().find(|(t, _)| t.takes_shape_of(value)) {
                    Some((_, why)) => Some(why.clone()),
                    None => Some(format!("{} is not {}", shown(value), self)),
                }
            }
            ParamType::List(element) => {
                let Value::Array(items) = value else {
                    return Some(format!("{} is not {}", shown(value), self));
                };
                items.iter().enumerate().find_map(|(i, item)| {
                    element
                        .check(item, bounds)
                        .map(|why| format!("element {} ({}): {why}", i + 1, shown(item)))
                })
            }
            ParamType::Csv(element) => {
                let Value::String(text) = value else {
                    return Some(format!("{} is not {}", shown(value), self));
                };
                text.split(',')
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                    .find_map(|part| {
                        let item = part
                            .parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::from(part));
                        element
                            .check(&item, bounds)
                            .map(|why| format!("`{part}`: {why}"))
                    })
            }
            scalar => scalar.check_scalar(value, bounds),
        }
    }

    /// Whether values of `value`'s JSON shape are what this type holds.
    fn takes_shape_of(&self, value: &Value) -> bool {
        match (self, value) {
            (ParamType::List(_), Value::Array(_)) => true,
            (ParamType::Csv(_) | ParamType::String | ParamType::PortRange, Value::String(_)) => {
                true
            }
            (ParamType::Boolean, Value::Bool(_)) => true,
            (
                ParamType::Integer | ParamType::Number | ParamType::Port | ParamType::PortRange,
                Value::Number(_),
            ) => true,
            (ParamType::Either(types), _) => types.iter().any(|t| t.takes_shape_of(value)),
            _ => false,
        }
    }

    fn check_scalar(&self, value: &Value, bounds: &Bounds) -> Option<String> {
        let fits = match (self, value) {
            (ParamType::Boolean, Value::Bool(_)) => true,
            (ParamType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (ParamType::Number, Value::Number(_)) => true,
            (ParamType::String, Value::String(_)) => true,
            (ParamType::Port, Value::Number(n)) => n.as_u64().is_some_and(|p| p <= 65535),
            (ParamType::PortRange, Value::Number(n)) => n.as_u64().is_some_and(|p| p <= 65535),
            (ParamType::PortRange, Value::String(text)) => is_port_range(text),
            _ => false,
        };
        if !fits {
            return Some(format!("{} is not {}", shown(value), self));
        }
        if let Some(n) = value.as_f64() {
            if bounds.minimum.is_some_and(|min| n < min)
                || bounds.maximum.is_some_and(|max| n > max)
            {
                return Some(format!("{n} is outside {}", bounds.range()));
            }
        }
        // As the policies compare them: without regard to case.
        if let (Some(allowed), Value::String(text)) = (&bounds.values, value) {
            if !allowed.iter().any(|a| a.eq_ignore_ascii_case(text)) {
                return Some(format!("`{text}` is not one of {}", allowed.join(", ")));
            }
        }
        None
    }
}

impl Bounds {
    /// The bounds in words, for a help line (empty when there are none).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.minimum.is_some() || self.maximum.is_some() {
            parts.push(self.range());
        }
        if let Some(values) = &self.values {
            parts.push(format!("one of {}", values.join(", ")));
        }
        parts.join("; ")
    }

    fn range(&self) -> String {
        match (self.minimum, self.maximum) {
            (Some(min), Some(max)) => format!("{min} to {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => "any number".into(),
        }
    }
}

impl std::fmt::Display for ParamType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamType::Boolean => f.write_str("a boolean"),
            ParamType::Integer => f.write_str("an integer"),
            ParamType::Number => f.write_str("a number"),
            ParamType::String => f.write_str("text"),
            ParamType::Port => f.write_str("a port (0 to 65535)"),
            ParamType::PortRange => f.write_str("a port or a port range such as \"1024-2048\""),
            ParamType::List(element) => write!(f, "a list of {}", plural(element)),
            ParamType::Csv(element) => write!(f, "text of {} separated by commas", plural(element)),
            ParamType::Either(types) => {
                let names: Vec<String> = types.iter().map(ToString::to_string).collect();
                f.write_str(&names.join(" or "))
            }
        }
    }
}

/// A type's name for the elements of a list.
fn plural(element: &ParamType) -> String {
    match element {
        ParamType::Boolean => "booleans".into(),
        ParamType::Integer => "integers".into(),
        ParamType::Number => "numbers".into(),
        ParamType::String => "strings".into(),
        ParamType::Port => "ports (0 to 65535)".into(),
        ParamType::PortRange => "ports or port ranges".into(),
        other => format!("values that are {other}"),
    }
}

/// `"443"` or `"1024-2048"`, each end a port, the first not after the second.
fn is_port_range(text: &str) -> bool {
    let port = |t: &str| t.trim().parse::<u32>().ok().filter(|p| *p <= 65535);
    match text.split_once('-') {
        Some((from, to)) => port(from).zip(port(to)).is_some_and(|(a, b)| a <= b),
        None => port(text).is_some(),
    }
}

/// A value as a message shows it (short).
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// `a|list(b|c)` splits into `a` and `list(b|c)`: only the bars outside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(kind: &str, value: Value) -> Option<String> {
        ParamType::parse(kind)
            .unwrap()
            .check(&value, &Bounds::default())
    }

    #[test]
    fn ports_and_lists_are_checked_element_by_element() {
        assert_eq!(check("list(port)", json!([22, 3389])), None);
        assert_eq!(
            check("list(port)", json!(["ssh", -1, 1.5, true])),
            Some("element 1 (\"ssh\"): \"ssh\" is not a port (0 to 65535)".into())
        );
        assert!(check("list(port)", json!([22, -1]))
            .unwrap()
            .contains("element 2 (-1)"));
        assert!(check("list(port)", json!([70000])).is_some());
        assert_eq!(
            check("port_range|list(port_range)", json!("1024-2048")),
            None
        );
        assert_eq!(
            check("port_range|list(port_range)", json!([80, "8000-8080"])),
            None
        );
        assert!(check("port_range", json!("2048-1024")).is_some());
        // Of two alternatives, the one of the value's shape says what is wrong.
        assert_eq!(
            check("list(port)|csv(port)", json!([22, "ssh"])),
            Some("element 2 (\"ssh\"): \"ssh\" is not a port (0 to 65535)".into())
        );
        assert!(check("list(port)|csv(port)", json!("22,70000"))
            .unwrap()
            .contains("`70000`"));
        assert_eq!(check("csv(port)", json!("22, 3389")), None);
        assert!(check("csv(port)", json!("22,ssh"))
            .unwrap()
            .contains("`ssh`"));
        assert_eq!(check("boolean", json!(true)), None);
        assert!(check("integer", json!(1.5)).is_some());
        assert!(check("string", json!(7)).is_some());
    }

    #[test]
    fn bounds_and_allowed_values_apply() {
        let days = Bounds {
            minimum: Some(1.0),
            maximum: Some(365.0),
            values: None,
        };
        assert_eq!(ParamType::Integer.check(&json!(90), &days), None);
        assert_eq!(
            ParamType::Integer.check(&json!(0), &days),
            Some("0 is outside 1 to 365".into())
        );
        let modes = Bounds {
            values: Some(vec!["Enabled".into(), "Disabled".into()]),
            ..Bounds::default()
        };
        assert!(ParamType::String.check(&json!("On"), &modes).is_some());
        assert_eq!(ParamType::String.check(&json!("Enabled"), &modes), None);
    }

    #[test]
    fn types_parse_or_say_what_is_wrong() {
        assert_eq!(
            ParamType::parse("list(port)|csv(port)").unwrap(),
            ParamType::Either(vec![
                ParamType::List(Box::new(ParamType::Port)),
                ParamType::Csv(Box::new(ParamType::Port)),
            ])
        );
        assert!(ParamType::parse("lst(port)")
            .unwrap_err()
            .contains("unknown parameter type"));
        assert_eq!(
            ParamType::of_default(&json!([20, 21])),
            Some(ParamType::List(Box::new(ParamType::Integer)))
        );
        assert_eq!(ParamType::of_default(&json!(null)), None);
    }
}
