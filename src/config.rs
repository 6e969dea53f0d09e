//! `regent.toml`: per-control parameters and enablement, and settings for runbook
//! templates. Validated against the loaded pack; every problem points into the file.
//!
//! ```toml
//! [settings]
//! remediation_role_arn = "arn:aws:iam::111122223333:role/regent-remediation"
//!
//! [controls."EC2.19"]
//! parameters = { blockedPorts = [22, 3389] }
//!
//! [controls."S3.8"]
//! enabled = false
//! ```

pub mod waivers;

use crate::diagnostics::{mask, redact_secrets, suggest, Code, Problem};
use crate::policy::Pack;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The validated configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub settings: BTreeMap<String, Value>,
    pub parameters: BTreeMap<String, Map<String, Value>>,
    pub disabled: BTreeSet<String>,
    /// `[[waivers]]` (README "Waivers").
    pub waivers: Vec<waivers::Waiver>,
}

pub const FILE_NAME: &str = "regent.toml";

struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    /// `text` as problems may show it (`shown`).
    shown: &'a str,
    problems: Vec<Problem>,
}

/// The file as diagnostics may show it, byte for byte as long: every value of `[settings]`
/// masked (settings hold role ARNs, webhook URLs, sometimes secrets; a problem shows the
/// key and what is wrong, never the value), and anything that looks like a credential.
fn shown(text: &str) -> String {
    let mut spans = Vec::new();
    let mut in_settings = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let content_end = offset + line.trim_end().len();
        if trimmed.starts_with('[') && !in_settings_value(trimmed) {
            in_settings = trimmed.starts_with("[settings]") || trimmed.starts_with("[settings.");
        } else if let Some(rest) = trimmed.strip_prefix("settings") {
            // `settings = { ... }` written inline.
            if rest.trim_start().starts_with('=') {
                let at = offset + line.find('=').unwrap_or(0) + 1;
                spans.push(at..content_end);
            }
        } else if in_settings && !trimmed.is_empty() && !trimmed.starts_with('#') {
            // `name = value`, or a line that continues a value.
            let at = line.find('=').map_or(offset, |eq| offset + eq + 1);
            spans.push(at..content_end);
        }
        offset += line.len();
    }
    redact_secrets(&mask(text, &spans))
}

/// Whether a line starting with `[` is a value (an array continuing a setting), not a
/// table header such as `[settings]` or `[controls."EC2.19"]`.
fn in_settings_value(trimmed: &str) -> bool {
    static HEADER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"^\[\[?[A-Za-z0-9_."' -]+\]\]?\s*(#.*)?$"#).expect("a valid pattern")
    });
    !HEADER.is_match(trimmed.trim_end())
}

impl Checker<'_> {
    /// Point at the last of `keys` found in order in the text (a close-enough span for
    /// a hand-written file), or at the start.
    fn problem(&mut self, keys: &[&str], message: String, help: &str) {
        let mut offset = 0;
        let mut span = (0, 0);
        for key in keys {
            let quoted = format!("\"{key}\"");
            let found = self.text[offset..]
                .find(&quoted)
                .map(|at| (at, quoted.len()))
                .or_else(|| find_bare_key(&self.text[offset..], key).map(|at| (at, key.len())));
            if let Some((at, len)) = found {
                span = (offset + at, len);
                offset += at + len;
            }
        }
        self.problems.push(
            Problem::new(Code::ConfigInvalid, self.path, message.clone())
                .at_span(self.shown, span.0, span.1.max(1), message)
                .with_help(help),
        );
    }
}

fn find_bare_key(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(key) {
        let start = from + at;
        let end = start + key.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let boundary =
            |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if boundary(before) && boundary(after) {
            return Some(start);
        }
        from = end;
    }
    None
}

fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Parse and validate `text` (from `path`) against the controls of `pack`.
pub fn parse(path: &str, text: &str, pack: &Pack) -> Result<Config, Vec<Problem>> {
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            let message = err.message().to_string();
            return Err(vec![Problem::new(
                Code::ConfigInvalid,
                path,
                format!("invalid TOML: {message}"),
            )
            .at_span(&shown(text), span.start, span.len().max(1), message)]);
        }
    };
    let shown = shown(text);
    let mut c = Checker {
        path,
        text,
        shown: &shown,
        problems: Vec::new(),
    };
    let mut config = Config::default();
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("settings", toml::Value::Table(settings)) => {
                for (name, value) in settings {
                    if matches!(value, toml::Value::Table(_)) {
                        c.problem(&["settings", name], format!("setting `{name}` must be a value, not a table"), "settings are strings, numbers, booleans or lists used by runbook templates ({{settings.<name>}})");
                        continue;
                    }
                    config.settings.insert(name.clone(), to_json(value));
                }
            }
            ("controls", toml::Value::Table(controls)) => {
                for (id, entry) in controls {
                    validate_control(&mut c, &mut config, pack, id, entry);
                }
            }
            ("waivers", value) => match waivers::read(path, value, pack) {
                Ok(read) => config.waivers = read,
                Err(mut problems) => c.problems.append(&mut problems),
            },
            ("settings" | "controls", other) => c.problem(
                &[key],
                format!("`{key}` must be a table, found {}", other.type_str()),
                "write it as [settings] or [controls.\"ID\"]",
            ),
            (other, _) => c.problem(
                &[other],
                format!("unknown key `{other}`"),
                "regent.toml has [settings], [controls.\"<ID>\"] and [[waivers]] tables",
            ),
        }
    }
    if c.problems.is_empty() {
        Ok(config)
    } else {
        Err(c.problems)
    }
}

fn validate_control(
    c: &mut Checker<'_>,
    config: &mut Config,
    pack: &Pack,
    id: &str,
    entry: &toml::Value,
) {
    let Some(control) = pack.control(id) else {
        let ids = pack.controls.iter().map(|c| c.meta.id.as_str());
        let hint = suggest(id, ids);
        c.problem(
            &["controls", id],
            format!("unknown control `{id}`"),
            &format!("{hint}`regent controls` lists the ids"),
        );
        return;
    };
    let id = control.meta.id.clone();
    let toml::Value::Table(entry) = entry else {
        c.problem(
            &["controls", &id],
            format!("controls.\"{id}\" must be a table"),
            "write [controls.\"ID\"] with `enabled` and `parameters`",
        );
        return;
    };
    for (key, value) in entry {
        match (key.as_str(), value) {
            ("enabled", toml::Value::Boolean(enabled)) => {
                if !enabled {
                    config.disabled.insert(id.clone());
                }
            }
            ("enabled", other) => c.problem(
                &["controls", &id, "enabled"],
                format!(
                    "`enabled` must be true or false, found {}",
                    other.type_str()
                ),
                "enabled = false turns the control off",
            ),
            ("parameters", toml::Value::Table(params)) => {
                let mut overrides = Map::new();
                for (name, value) in params {
                    let value = to_json(value);
                    match control.meta.parameters.get(name) {
                        None => {
                            let known: Vec<&str> =
                                control.meta.parameters.keys().map(String::as_str).collect();
                            let help = if known.is_empty() {
                                format!("{id} takes no parameters")
                            } else {
                                format!("{id} takes: {}", known.join(", "))
                            };
                            c.problem(
                                &["controls", &id, name],
                                format!("{id} has no parameter `{name}`"),
                                &help,
                            );
                        }
                        Some(p) if p.check(&value).is_some() => {
                            let why = p.check(&value).unwrap_or_default();
                            let expected = p
                                .param_type()
                                .map_or_else(|| kind(&p.default).to_string(), |t| t.to_string());
                            let bounds = p.bounds().describe();
                            let bounds = if bounds.is_empty() {
                                String::new()
                            } else {
                                format!(" ({bounds})")
                            };
                            c.problem(
                                &["controls", &id, name],
                                format!("parameter `{name}` of {id}: {why}"),
                                &format!(
                                    "it takes {expected}{bounds}; the default is {}",
                                    p.default
                                ),
                            );
                        }
                        Some(_) => {
                            overrides.insert(name.clone(), value);
                        }
                    }
                }
                config.parameters.insert(id.clone(), overrides);
            }
            ("parameters", other) => c.problem(
                &["controls", &id, "parameters"],
                format!("`parameters` must be a table, found {}", other.type_str()),
                "parameters = { name = value }",
            ),
            (other, _) => c.problem(
                &["controls", &id, other],
                format!("unknown key `{other}` for control {id}"),
                "a control entry has `enabled` and `parameters`",
            ),
        }
    }
}

/// Read the file at `path`.
pub fn load(path: &Path, pack: &Pack) -> Result<Config, Vec<Problem>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Problem::new(Code::ConfigInvalid, &name, e.to_string())])?;
    parse(&name, &text, pack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_values_are_never_shown() {
        let text = "[settings]\nremediation_role_arn = \"arn:aws:iam::1:role/x\"\nwebhook = [\n  \"https://hooks.example/T0/B0/s3cr3t\",\n]\n\n[controls.\"EC2.19\"]\nparameters = { blockedPorts = [22] }\n";
        let shown = shown(text);
        assert_eq!(shown.len(), text.len());
        assert!(!shown.contains("arn:aws:iam"), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("remediation_role_arn ="), "{shown}");
        assert!(shown.contains("blockedPorts = [22]"), "{shown}");
        let inline = "settings = { token = \"abc\" }\n";
        assert!(!super::shown(inline).contains("abc"));
    }
}
