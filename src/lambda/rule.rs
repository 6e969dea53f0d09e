//! A Config rule's `ruleParameters` (its `InputParameters`): which controls the rule
//! covers and their parameter values.
//!
//! ```json
//! {"controls": "S3.5,S3.8", "EC2.19.blockedPorts": "[22, 3389]"}
//! {"standard": "cis-3.0", "exclude": "IAM.6"}
//! ```
//!
//! AWS Config passes every value as it was written, usually a string (the console takes
//! nothing else), so a parameter's string is read as JSON when its type is not a string.
//! Without `controls` or `standard` the rule covers every control of the pack.

use crate::diagnostics::{Code, Problem};
use crate::policy::select::Selection;
use crate::policy::Pack;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where problems point.
const SOURCE: &str = "ruleParameters";

/// The keys besides `<ID>.<parameter>`.
const KEYS: &str = "controls, standard, exclude, and <control id>.<parameter>";

/// What a rule's parameters ask for.
#[derive(Debug, Clone)]
pub struct RuleParameters {
    /// The pack with only the rule's controls.
    pub pack: Pack,
    /// Parameter values by control id, checked against the pack.
    pub parameters: BTreeMap<String, Map<String, Value>>,
}

impl RuleParameters {
    /// `text` (the event's `ruleParameters`, JSON text) read against `pack`; every problem
    /// at once.
    pub fn parse(text: Option<&str>, pack: &Pack) -> Result<RuleParameters, Vec<Problem>> {
        let object = match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Map::new(),
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(object)) => object,
                Ok(other) => {
                    return Err(vec![problem(format!(
                        "ruleParameters must be a JSON object, found {}",
                        kind(&other)
                    ))
                    .with_help(format!("the keys are {KEYS}"))])
                }
                Err(err) => {
                    return Err(vec![problem(format!("ruleParameters is not JSON: {err}"))])
                }
            },
        };
        let mut selection = Selection::default();
        let mut parameters = BTreeMap::new();
        let mut problems = Vec::new();
        for (key, value) in &object {
            match key.as_str() {
                "controls" => selection.controls = list(key, value, &mut problems),
                "standard" | "standards" => selection.standards = list(key, value, &mut problems),
                "exclude" => selection.excluded = list(key, value, &mut problems),
                _ => parameter(pack, key, value, &mut parameters, &mut problems),
            }
        }
        let mut selected = pack.clone();
        selected.problems.clear();
        if let Err(more) = selection.apply(&mut selected, &[]) {
            problems.extend(more.into_iter().map(|p| Problem {
                code: Code::LambdaRuleParameters,
                source: SOURCE.into(),
                ..p
            }));
        }
        if problems.is_empty() {
            Ok(RuleParameters {
                pack: selected,
                parameters,
            })
        } else {
            Err(problems)
        }
    }
}

fn problem(message: String) -> Problem {
    Problem::new(Code::LambdaRuleParameters, SOURCE, message)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A list given as `"A,B C"` or `["A", "B"]`.
fn list(key: &str, value: &Value, problems: &mut Vec<Problem>) -> Vec<String> {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    match value {
        Value::String(text) => words(text),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .flat_map(words)
            .collect(),
        other => {
            problems.push(problem(format!(
                "`{key}` must be a list of names (\"A,B\" or [\"A\", \"B\"]), found {}",
                kind(other)
            )));
            Vec::new()
        }
    }
}

/// `<ID>.<parameter>`: the control's parameter, checked against its declaration.
fn parameter(
    pack: &Pack,
    key: &str,
    value: &Value,
    parameters: &mut BTreeMap<String, Map<String, Value>>,
    problems: &mut Vec<Problem>,
) {
    let found = key
        .rsplit_once('.')
        .and_then(|(id, name)| Some((pack.control(id)?, name)));
    let Some((control, name)) = found else {
        let hint = crate::diagnostics::suggest(key, ["controls", "standard", "exclude"]);
        problems.push(
            problem(format!("unknown key `{key}`")).with_help(format!("{hint}the keys are {KEYS}")),
        );
        return;
    };
    let id = &control.meta.id;
    let Some(declared) = control.meta.parameters.get(name) else {
        let known: Vec<&str> = control.meta.parameters.keys().map(String::as_str).collect();
        let help = if known.is_empty() {
            format!("{id} takes no parameters")
        } else {
            format!("{id} takes: {}", known.join(", "))
        };
        problems.push(problem(format!("{id} has no parameter `{name}`")).with_help(help));
        return;
    };
    // A string stands for the JSON it holds unless the parameter takes a string.
    let value = match value {
        Value::String(text) if declared.check(value).is_some() => {
            serde_json::from_str(text).unwrap_or_else(|_| value.clone())
        }
        _ => value.clone(),
    };
    if let Some(why) = declared.check(&value) {
        problems.push(
            problem(format!("parameter `{name}` of {id}: {why}"))
                .with_help(format!("the default is {}", declared.default)),
        );
        return;
    }
    parameters
        .entry(id.clone())
        .or_default()
        .insert(name.to_string(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> Pack {
        Pack::load(true, &[])
    }

    #[test]
    fn controls_standards_and_parameters_are_read_as_aws_config_passes_them() {
        let pack = pack();
        let text = r#"{"controls": "S3.5, EC2.19", "exclude": ["S3.8"], "EC2.19.blockedPorts": "[22, 3389]"}"#;
        let ids = |rule: &RuleParameters| -> Vec<String> {
            rule.pack
                .controls
                .iter()
                .map(|c| c.meta.id.clone())
                .collect()
        };
        let rule = RuleParameters::parse(Some(text), &pack).unwrap();
        assert_eq!(ids(&rule), ["EC2.19", "S3.5"]);
        assert_eq!(
            rule.parameters["EC2.19"]["blockedPorts"],
            serde_json::json!([22, 3389])
        );
        let cis = r#"{"standard": "cis-3.0", "exclude": "EC2.8"}"#;
        let rule = RuleParameters::parse(Some(cis), &pack).unwrap();
        assert!(ids(&rule).len() > 10 && !ids(&rule).contains(&"EC2.8".to_string()));
        assert!(rule.pack.controls.iter().all(|c| c
            .meta
            .standards
            .keys()
            .any(|s| s.starts_with("cis-aws-foundations-benchmark/v3"))));
        let everything = RuleParameters::parse(None, &pack).unwrap();
        assert_eq!(everything.pack.controls.len(), pack.controls.len());
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let pack = pack();
        let text = r#"{"controls": "S3.55", "myParameterKey": "x", "EC2.19.blockedPort": "22", "EC2.19.blockedPorts": "ssh"}"#;
        let problems = RuleParameters::parse(Some(text), &pack).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 4, "{messages:?}");
        assert!(problems
            .iter()
            .all(|p| p.code == Code::LambdaRuleParameters && p.source == SOURCE));
        assert!(
            messages.contains(&"unknown key `myParameterKey`"),
            "{messages:?}"
        );
        assert!(messages.contains(&"EC2.19 has no parameter `blockedPort`"));
        assert!(
            messages.contains(&"unknown control `S3.55`"),
            "{messages:?}"
        );
        assert!(messages
            .iter()
            .any(|m| m.starts_with("parameter `blockedPorts` of EC2.19")));
        let not_object = RuleParameters::parse(Some("[1]"), &pack).unwrap_err();
        assert!(not_object[0].message.contains("a JSON object"));
    }
}
