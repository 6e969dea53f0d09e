//! Items made from templates carry values that cannot be known before deploy
//! (`template::unknown` placeholders, listed in `ConfigurationItem::unknowns`). A control's
//! verdict on such an item stands only when it is the same whatever those values turn out
//! to be. That cannot be proven in general, so the placeholders are tried as a set of
//! stand-ins: the placeholder text itself, `null`, `true`, `false`, `""`, `0`, `-1`,
//! `65535`, `[]`, `{}`, and every string and number the control could compare them with
//! (the literals of its policy and of the pack's libraries, and its parameters' values).
//! When two stand-ins give different verdicts, the control depends on the unknown values
//! and the result is NOT_APPLICABLE saying which values are unknown; when every stand-in
//! gives the same verdict, an unknown value the control does not read has not hidden it.
//!
//! A placeholder for an identifier (`template::unknown_id`: an ARN or id AWS assigns at
//! deploy) is only ever a non-empty string, so only the string stand-ins replace it.

use crate::model::template::{is_unknown, is_unknown_id, unknown_what};
use crate::policy::Pack;
use regex::Regex;
use serde_json::{Map, Value as Json};
use std::collections::BTreeSet;
use std::sync::{LazyLock, OnceLock};

/// How an annotation of an undecided verdict starts (README "Templates before deploy").
pub const UNDECIDED: &str = "unknown before deploy:";

/// At most this many unknown values are named in an annotation.
const NAMED: usize = 5;

/// The stand-ins of each control of a pack, made when an item with unknown values first
/// needs them (a run of recorded items never does).
pub struct StandIns<'a> {
    pack: &'a Pack,
    parameters: &'a Map<String, Json>,
    per_control: Vec<OnceLock<Vec<regorus::Value>>>,
    libraries: OnceLock<BTreeSet<Literal>>,
}

/// A literal of a policy, ordered so the stand-ins come in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Literal {
    Text(String),
    /// A number as written (`22`, `-1`, `3.5`), parsed when the stand-in is made.
    Number(String),
}

impl<'a> StandIns<'a> {
    /// `parameters` are the controls' effective parameters, by control id.
    pub fn new(pack: &'a Pack, parameters: &'a Map<String, Json>) -> Self {
        Self {
            pack,
            parameters,
            per_control: (0..pack.controls.len()).map(|_| OnceLock::new()).collect(),
            libraries: OnceLock::new(),
        }
    }

    /// The stand-ins of control `index` (the placeholder itself is tried first, apart).
    pub fn of(&self, index: usize) -> &[regorus::Value] {
        self.per_control[index].get_or_init(|| self.make(index))
    }

    fn make(&self, index: usize) -> Vec<regorus::Value> {
        let control = &self.pack.controls[index];
        let libraries = self.libraries.get_or_init(|| {
            let mut literals = BTreeSet::new();
            for library in &self.pack.libraries {
                literals_of(&library.text, &mut literals);
            }
            literals
        });
        let mut literals = libraries.clone();
        literals_of(&control.file.text, &mut literals);
        if let Some(parameters) = self.parameters.get(&control.meta.id) {
            parameter_literals(parameters, &mut literals);
        }
        let neutral = [
            Json::Null,
            Json::Bool(true),
            Json::Bool(false),
            Json::String(String::new()),
            Json::from(0),
            Json::from(-1),
            Json::from(65535),
            Json::Array(Vec::new()),
            Json::Object(Map::new()),
        ];
        let mut stand_ins: Vec<regorus::Value> =
            neutral.into_iter().map(regorus::Value::from).collect();
        stand_ins.extend(literals.into_iter().filter_map(|literal| {
            match literal {
                Literal::Text(text) => Some(regorus::Value::from(text)),
                Literal::Number(text) => serde_json::from_str::<Json>(&text)
                    .ok()
                    .filter(Json::is_number)
                    .map(regorus::Value::from),
            }
        }));
        stand_ins
    }
}

/// The string and number literals of a Rego text (comments left out). A string longer
/// than 200 characters is a message, not something a value is compared with.
fn literals_of(text: &str, into: &mut BTreeSet<Literal>) {
    static STRING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""((?:[^"\\\n]|\\.)*)"|`([^`]*)`"#).expect("a regex"));
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[^\w.])(-?\d+(?:\.\d+)?)(?:$|[^\w.])").expect("a regex")
    });
    for line in text.lines() {
        let code = without_comment(line);
        for found in STRING.captures_iter(code) {
            let text = match (found.get(1), found.get(2)) {
                (Some(quoted), _) => {
                    serde_json::from_str::<String>(&format!("\"{}\"", quoted.as_str()))
                        .unwrap_or_else(|_| quoted.as_str().to_string())
                }
                (None, Some(raw)) => raw.as_str().to_string(),
                (None, None) => continue,
            };
            if text.chars().count() <= 200 {
                into.insert(Literal::Text(text));
            }
        }
        let outside_strings = STRING.replace_all(code, " ");
        for found in NUMBER.captures_iter(&outside_strings) {
            into.insert(Literal::Number(found[1].to_string()));
        }
    }
}

/// A line of Rego up to its comment (a `#` outside a string).
fn without_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..at],
            _ => {}
        }
    }
    line
}

/// The scalar values of a control's parameters (a list of allowed ports, a days limit).
fn parameter_literals(value: &Json, into: &mut BTreeSet<Literal>) {
    match value {
        Json::String(text) => {
            into.insert(Literal::Text(text.clone()));
        }
        Json::Number(number) => {
            into.insert(Literal::Number(number.to_string()));
        }
        Json::Array(items) => items.iter().for_each(|v| parameter_literals(v, into)),
        Json::Object(map) => map.values().for_each(|v| parameter_literals(v, into)),
        Json::Null | Json::Bool(_) => {}
    }
}

/// Which placeholders are tried as stand-ins. A control that looks up other resources
/// (its `requires`) finds them by identifiers, and those resources in the inventory keep
/// their placeholders; the same identifier is the same placeholder text everywhere, so
/// for such a control an identifier's placeholder stays as it is: a non-empty string that
/// matches exactly the references to the same resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// Identifiers are replaced too (by non-empty strings only).
    Replace,
    /// Identifiers keep their placeholders.
    Keep,
}

/// `value` with every placeholder replaced by `stand_in` (an identifier's placeholder only
/// by a non-empty string, and only with `Ids::Replace`). Placeholders of the same text are
/// one value and get the same stand-in.
pub fn with_stand_in(
    value: &regorus::Value,
    stand_in: &regorus::Value,
    ids: Ids,
) -> regorus::Value {
    replaced(value, stand_in, None, ids)
}

/// `value` with only the placeholder `only` replaced by `stand_in`.
pub fn with_stand_in_for(
    value: &regorus::Value,
    stand_in: &regorus::Value,
    only: &str,
    ids: Ids,
) -> regorus::Value {
    replaced(value, stand_in, Some(only), ids)
}

fn replaced(
    value: &regorus::Value,
    stand_in: &regorus::Value,
    only: Option<&str>,
    ids: Ids,
) -> regorus::Value {
    let chosen = |text: &str| only.is_none_or(|only| only == text);
    match value {
        regorus::Value::String(text) if is_unknown_id(text) => match stand_in {
            regorus::Value::String(s) if !s.is_empty() && ids == Ids::Replace && chosen(text) => {
                stand_in.clone()
            }
            _ => value.clone(),
        },
        regorus::Value::String(text) if is_unknown(text) && chosen(text) => stand_in.clone(),
        regorus::Value::Array(items) => regorus::Value::from(
            items
                .iter()
                .map(|v| replaced(v, stand_in, only, ids))
                .collect::<Vec<_>>(),
        ),
        regorus::Value::Object(fields) => regorus::Value::from(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), replaced(v, stand_in, only, ids)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// The distinct placeholders in a value that `ids` lets vary, in order.
pub fn placeholders(value: &regorus::Value, ids: Ids) -> BTreeSet<String> {
    fn walk(value: &regorus::Value, ids: Ids, into: &mut BTreeSet<String>) {
        match value {
            regorus::Value::String(text) if is_unknown_id(text) && ids == Ids::Keep => {}
            regorus::Value::String(text) if is_unknown(text) => {
                into.insert(text.to_string());
            }
            regorus::Value::Array(items) => items.iter().for_each(|v| walk(v, ids, into)),
            regorus::Value::Object(fields) => fields.values().for_each(|v| walk(v, ids, into)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    walk(value, ids, &mut found);
    found
}

/// Whether an item's description of an unknown value (`path: what`) is of this
/// placeholder (`{unknown: what}`).
pub fn describes(description: &str, placeholder: &str) -> bool {
    unknown_what(placeholder).is_some_and(|what| description.contains(what))
}

/// The annotation of a verdict the unknown values decide.
pub fn undecided(unknowns: &[String]) -> String {
    let mut named = unknowns
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if unknowns.len() > NAMED {
        named.push_str(&format!("; and {} more", unknowns.len() - NAMED));
    }
    format!("{UNDECIDED} the verdict depends on {named}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(text: &str) -> Vec<Literal> {
        let mut found = BTreeSet::new();
        literals_of(text, &mut found);
        found.into_iter().collect()
    }

    #[test]
    fn the_literals_of_a_policy_are_its_strings_and_numbers_outside_comments() {
        let found = literals(
            "violation contains msg if { # compare with \"ignored\" 7\n  input.configuration.status != \"Enabled\"\n  port := 22\n  x := `raw` ; y := -1; z := \"a\\\"b\" \n}",
        );
        assert!(
            found.contains(&Literal::Text("Enabled".into())),
            "{found:?}"
        );
        assert!(found.contains(&Literal::Text("raw".into())));
        assert!(found.contains(&Literal::Text("a\"b".into())));
        assert!(found.contains(&Literal::Number("22".into())));
        assert!(found.contains(&Literal::Number("-1".into())));
        assert!(!found.contains(&Literal::Text("ignored".into())));
        assert!(!found.contains(&Literal::Number("7".into())));
    }

    #[test]
    fn placeholders_are_replaced_wherever_they_are_and_identifiers_only_by_strings() {
        let value = regorus::Value::from(serde_json::json!({
            "a": "{unknown: parameter P has no default}",
            "b": ["{unknown id: !GetAtt Key.Arn}", "kept"],
        }));
        let with_true = with_stand_in(&value, &regorus::Value::from(true), Ids::Replace);
        assert_eq!(
            with_true,
            regorus::Value::from(serde_json::json!({
                "a": true, "b": ["{unknown id: !GetAtt Key.Arn}", "kept"],
            }))
        );
        let with_text = with_stand_in(&value, &regorus::Value::from("x"), Ids::Replace);
        assert_eq!(
            with_text,
            regorus::Value::from(serde_json::json!({"a": "x", "b": ["x", "kept"]}))
        );
        let kept = with_stand_in(&value, &regorus::Value::from("x"), Ids::Keep);
        assert_eq!(
            kept,
            regorus::Value::from(serde_json::json!({
                "a": "x", "b": ["{unknown id: !GetAtt Key.Arn}", "kept"],
            }))
        );
        assert_eq!(placeholders(&value, Ids::Keep).len(), 1);
        assert_eq!(placeholders(&value, Ids::Replace).len(), 2);
    }

    #[test]
    fn an_undecided_annotation_names_at_most_five_values() {
        let unknowns: Vec<String> = (1..=7).map(|i| format!("P{i}")).collect();
        let text = undecided(&unknowns);
        assert!(text.starts_with(UNDECIDED));
        assert!(text.contains("P5") && !text.contains("P6") && text.ends_with("and 2 more"));
    }
}
