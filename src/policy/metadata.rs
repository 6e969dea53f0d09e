//! A control's `metadata` object, validated into a typed form. Every problem is collected
//! (unknown keys, wrong types, bad values) and each points at its key in the `.rego` file.

use super::param_type::{Bounds, ParamType};
use super::standards::STANDARDS;
use crate::diagnostics::{Code, Problem};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "critical" => Self::Critical,
            "high" => Self::High,
            "medium" => Self::Medium,
            "low" => Self::Low,
            "informational" => Self::Informational,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Informational => "informational",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub default: Value,
    pub description: String,
    /// The declared type (`param_type`), as written.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// The strings allowed, when only some are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

impl Parameter {
    /// The type a value must have: the declared one, else the default's (none when the
    /// default is null and no type is declared: then anything goes).
    pub fn param_type(&self) -> Option<ParamType> {
        match &self.kind {
            Some(kind) => ParamType::parse(kind).ok(),
            None => ParamType::of_default(&self.default),
        }
    }

    pub fn bounds(&self) -> Bounds {
        Bounds {
            minimum: self.minimum,
            maximum: self.maximum,
            values: self.values.clone(),
        }
    }

    /// What is wrong with `value` as this parameter's value, if anything (null stands for
    /// "not set" when the default is null).
    pub fn check(&self, value: &Value) -> Option<String> {
        if value.is_null() && self.default.is_null() {
            return None;
        }
        self.param_type()?.check(value, &self.bounds())
    }
}

/// Maps one-to-one onto an AWS Config `RemediationConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Remediation {
    // Shared with every finding's resolved remediation.
    pub runbook: Arc<str>,
    pub parameters: BTreeMap<Arc<str>, Value>,
    pub automatic: bool,
    pub maximum_automatic_attempts: u32,
    pub retry_attempt_seconds: u32,
    pub concurrent_execution_rate_percentage: u32,
    pub error_percentage: u32,
}

/// The verdicts of a control that rest on a resource being absent (`needs_complete`):
/// they stand only when the input is a complete record of the subject's account and region
/// (a snapshot file, or `--complete`), and are NOT_APPLICABLE otherwise (README "Partial
/// inputs"). Written in metadata as `true` (both), `false` (neither) or a list of
/// `"COMPLIANT"` and `"NON_COMPLIANT"`; shown as the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NeedsComplete {
    /// COMPLIANT rests on absence: nothing of the kind that would fail it is recorded
    /// (ELB.1: no HTTP listener that does not redirect).
    pub compliant: bool,
    /// NON_COMPLIANT rests on absence: what would satisfy it is not recorded (GuardDuty.1:
    /// no detector).
    pub non_compliant: bool,
}

impl NeedsComplete {
    pub const VERDICTS: [&'static str; 2] = ["COMPLIANT", "NON_COMPLIANT"];

    pub fn is_empty(&self) -> bool {
        !self.compliant && !self.non_compliant
    }

    /// The verdicts, as written in metadata and reports.
    pub fn verdicts(&self) -> Vec<&'static str> {
        let [compliant, non_compliant] = Self::VERDICTS;
        let mut out = Vec::new();
        if self.compliant {
            out.push(compliant);
        }
        if self.non_compliant {
            out.push(non_compliant);
        }
        out
    }
}

impl Serialize for NeedsComplete {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.verdicts().serialize(serializer)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metadata {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub resource_types: Vec<String>,
    pub requires: Vec<String>,
    /// For required types declared with `fields`, the only parts of their items the control
    /// reads (dotted paths); `data.inventory` may hold just those (and the identity keys).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub requires_fields: BTreeMap<String, Vec<String>>,
    pub standards: BTreeMap<String, Vec<String>>,
    pub config_rule: Option<String>,
    pub parameters: BTreeMap<String, Parameter>,
    pub remediation: Option<Remediation>,
    /// The verdicts that rest on a resource being absent (left out of records when none).
    #[serde(skip_serializing_if = "NeedsComplete::is_empty")]
    pub needs_complete: NeedsComplete,
}

pub const ACCOUNT_TYPE: &str = "AWS::::Account";

const KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "severity",
    "resource_types",
    "requires",
    "standards",
    "config_rule",
    "parameters",
    "remediation",
    "needs_complete",
];
const REMEDIATION_KEYS: &[&str] = &[
    "runbook",
    "parameters",
    "automatic",
    "maximum_automatic_attempts",
    "retry_attempt_seconds",
    "concurrent_execution_rate_percentage",
    "error_percentage",
];

/// The variables a remediation parameter template may use.
pub const TEMPLATE_VARIABLES: &[&str] = &[
    "resourceId",
    "resourceName",
    "resourceType",
    "ARN",
    "awsAccountId",
    "awsRegion",
];

/// Check one `{{...}}` template variable name.
pub fn is_known_template_variable(name: &str) -> bool {
    TEMPLATE_VARIABLES.contains(&name)
        || name
            .strip_prefix("configuration.")
            .is_some_and(|p| !p.is_empty())
        || name.strip_prefix("settings.").is_some_and(|p| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A piece of a template string: text as it is, or a `{{...}}` variable (trimmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatePart<'t> {
    Text(&'t str),
    Variable(&'t str),
}

/// A template string's text and `{{...}}` variables, in order (an unclosed `{{` is text).
pub fn template_parts(text: &str) -> Vec<TemplatePart<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        if start > 0 {
            out.push(TemplatePart::Text(&rest[..start]));
        }
        out.push(TemplatePart::Variable(after[..end].trim()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(TemplatePart::Text(rest));
    }
    out
}

/// The `{{...}}` variables in a template string.
pub fn template_variables(text: &str) -> Vec<&str> {
    template_parts(text)
        .into_iter()
        .filter_map(|part| match part {
            TemplatePart::Variable(variable) => Some(variable),
            TemplatePart::Text(_) => None,
        })
        .collect()
}

/// A standard the pack knows, or one of the user's own (`custom/<name>`).
fn is_known_standard(name: &str) -> bool {
    STANDARDS.iter().any(|(key, _)| *key == name)
        || name
            .strip_prefix("custom/")
            .is_some_and(|rest| !rest.is_empty())
}

fn is_resource_type(text: &str) -> bool {
    if text == ACCOUNT_TYPE {
        return true;
    }
    let parts: Vec<&str> = text.split("::").collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Collects problems, each pointed at the key it is about.
struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    /// Where `metadata` starts in the text, so keys are looked up inside it.
    anchor: usize,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, key_path: &[&str], message: String, help: Option<&str>) {
        let mut offset = self.anchor;
        let mut found = None;
        for key in key_path {
            let needle = format!("\"{key}\"");
            match self.text[offset..].find(&needle) {
                Some(at) => {
                    offset += at;
                    found = Some((offset, needle.len()));
                    offset += needle.len();
                }
                None => break,
            }
        }
        let (start, len) = found.unwrap_or((self.anchor, "metadata".len()));
        let mut problem = Problem::new(Code::PolicyMetadata, self.path, message.clone())
            .at_span(self.text, start, len, message);
        if let Some(help) = help {
            problem = problem.with_help(help);
        }
        self.problems.push(problem);
    }

    /// A control names its own id where it reads its parameters
    /// (`data.parameters["S3.8"]`, `object.get(data.parameters, "S3.8", ...)`): written as
    /// `metadata.id`, the VM would rebuild the whole metadata object on every evaluation.
    /// Another control's id there is a copy-paste slip that reads the wrong parameters.
    fn parameter_reads(&mut self, id: &str) {
        for prefix in ["data.parameters[\"", "object.get(data.parameters, \""] {
            for (at, _) in self.text.match_indices(prefix) {
                let start = at + prefix.len();
                let named = self.text[start..].split('"').next().unwrap_or_default();
                if named != id {
                    let message =
                        format!("this control (`{id}`) reads the parameters of `{named}`");
                    self.problems.push(
                        Problem::new(Code::PolicyMetadata, self.path, message.clone())
                            .at_span(self.text, start, named.len(), message)
                            .with_help(format!(
                                "read your own parameters: data.parameters[\"{id}\"]"
                            )),
                    );
                }
            }
        }
    }

    fn string(&mut self, map: &Map<String, Value>, key: &str, required: bool) -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_)) => {
                self.problem(&[key], format!("`{key}` is empty"), None);
                None
            }
            Some(other) => {
                self.problem(
                    &[key],
                    format!("`{key}` must be a string, found {other}"),
                    None,
                );
                None
            }
            None if required => {
                self.problem(&[], format!("metadata has no `{key}`"), None);
                None
            }
            None => None,
        }
    }

    fn string_list(&mut self, map: &Map<String, Value>, key: &str) -> Vec<String> {
        match map.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => self.problem(
                            &[key],
                            format!("`{key}` must hold strings, found {item}"),
                            None,
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.problem(
                    &[key],
                    format!("`{key}` must be a list of strings, found {other}"),
                    None,
                );
                Vec::new()
            }
        }
    }

    /// `requires`: resource types, each a string (the control reads whole items) or
    /// `{"type": ..., "fields": ["configuration.groups", ...]}` (it reads only those paths).
    fn requirements(
        &mut self,
        map: &Map<String, Value>,
    ) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
        let mut types = Vec::new();
        let mut whole = Vec::new();
        let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let items = match map.get("requires") {
            None => return (types, fields),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.problem(
                    &["requires"],
                    format!("`requires` must be a list of resource types, found {other}"),
                    None,
                );
                return (types, fields);
            }
        };
        for item in items {
            match item {
                Value::String(t) => {
                    types.push(t.clone());
                    whole.push(t.clone());
                }
                Value::Object(object) => {
                    self.unknown_keys(object, &["type", "fields"], &["requires"]);
                    let Some(t) = object.get("type").and_then(Value::as_str) else {
                        self.problem(
                            &["requires"],
                            format!("a `requires` entry needs a `type` string, found {item}"),
                            None,
                        );
                        continue;
                    };
                    let paths = match object.get("fields") {
                        Some(Value::Array(paths)) => paths,
                        _ => {
                            self.problem(
                                &["requires", "fields"],
                                format!("`fields` of `{t}` must be a list of dotted paths"),
                                Some("for example \"fields\": [\"configuration.groups\"]; [] reads only the identity keys"),
                            );
                            continue;
                        }
                    };
                    let entry = fields.entry(t.to_string()).or_default();
                    for path in paths {
                        match path.as_str() {
                            Some(p) if !p.is_empty() && p.split('.').all(|k| !k.is_empty()) => {
                                entry.push(p.to_string());
                            }
                            _ => self.problem(
                                &["requires", "fields"],
                                format!("`{path}` in the `fields` of `{t}` is not a dotted path"),
                                Some("write a path of keys such as configuration.groups"),
                            ),
                        }
                    }
                    types.push(t.to_string());
                }
                other => self.problem(
                    &["requires"],
                    format!("`requires` holds resource types or {{\"type\", \"fields\"}} objects, found {other}"),
                    None,
                ),
            }
        }
        // A type also required whole is read whole.
        for t in &whole {
            fields.remove(t);
        }
        (types, fields)
    }

    fn unknown_keys(&mut self, map: &Map<String, Value>, allowed: &[&str], parent: &[&str]) {
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                let mut at = parent.to_vec();
                at.push(key);
                self.problem(
                    &at,
                    format!("unknown metadata key `{key}`"),
                    Some(&format!("allowed keys: {}", allowed.join(", "))),
                );
            }
        }
    }
}

/// Validate the evaluated `metadata` value of the control at `path` (source `text`): each
/// key is checked by its own step, and every problem is reported.
pub fn validate(value: &Value, path: &str, text: &str) -> Result<Metadata, Vec<Problem>> {
    let anchor = text.find("metadata").unwrap_or(0);
    let mut c = Checker {
        path,
        text,
        anchor,
        problems: Vec::new(),
    };
    let Value::Object(map) = value else {
        c.problem(
            &[],
            format!("`metadata` must be an object, found {value}"),
            None,
        );
        return Err(c.problems);
    };
    c.unknown_keys(map, KEYS, &[]);
    let id = validate_id(&mut c, map);
    let title = c.string(map, "title", true);
    let description = c.string(map, "description", false).unwrap_or_default();
    let severity = validate_severity(&mut c, map);
    let resource_types = validate_resource_types(&mut c, map);
    let (requires, requires_fields) = c.requirements(map);
    check_type_names(&mut c, resource_types.iter().chain(&requires));
    let standards = validate_standards(&mut c, map);
    let config_rule = c.string(map, "config_rule", false);
    let parameters = validate_parameters(&mut c, map);
    let needs_complete = validate_needs_complete(&mut c, map);
    let remediation = match map.get("remediation") {
        None | Some(Value::Null) => None,
        Some(Value::Object(r)) => validate_remediation(&mut c, r),
        Some(other) => {
            c.problem(
                &["remediation"],
                format!("`remediation` must be an object, found {other}"),
                None,
            );
            None
        }
    };
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Metadata {
        id: id.unwrap_or_default(),
        title: title.unwrap_or_default(),
        description,
        severity: severity.unwrap_or(Severity::Medium),
        resource_types,
        requires,
        requires_fields,
        standards,
        config_rule,
        parameters,
        remediation,
        needs_complete,
    })
}

/// `needs_complete`: `true` (both verdicts rest on absence), `false`, or a list of the
/// verdicts that do.
fn validate_needs_complete(c: &mut Checker<'_>, map: &Map<String, Value>) -> NeedsComplete {
    let help = "true when every verdict of the control rests on what the input does not hold, or the verdicts that do: [\"NON_COMPLIANT\"] (no detector recorded), [\"COMPLIANT\"] (no failing listener recorded)";
    let mut needs = NeedsComplete::default();
    match map.get("needs_complete") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            needs.compliant = true;
            needs.non_compliant = true;
        }
        Some(Value::Array(verdicts)) => {
            for verdict in verdicts {
                match verdict.as_str() {
                    Some("COMPLIANT") => needs.compliant = true,
                    Some("NON_COMPLIANT") => needs.non_compliant = true,
                    _ => c.problem(
                        &["needs_complete"],
                        format!(
                            "`needs_complete` lists COMPLIANT or NON_COMPLIANT, found {verdict}"
                        ),
                        Some(help),
                    ),
                }
            }
        }
        Some(other) => c.problem(
            &["needs_complete"],
            format!("`needs_complete` must be true, false or a list of verdicts, found {other}"),
            Some(help),
        ),
    }
    needs
}

/// `id`: letters, digits, '.', '_' and '-'; and the control reads its own parameters.
fn validate_id(c: &mut Checker<'_>, map: &Map<String, Value>) -> Option<String> {
    let id = c.string(map, "id", true)?;
    if !id
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "._-".contains(ch))
    {
        c.problem(
            &["id"],
            format!("id `{id}` may only hold letters, digits, '.', '_' and '-'"),
            None,
        );
    }
    c.parameter_reads(&id);
    Some(id)
}

/// `severity`: one of the five, lower case.
fn validate_severity(c: &mut Checker<'_>, map: &Map<String, Value>) -> Option<Severity> {
    match map.get("severity") {
        Some(Value::String(s)) => {
            let severity = Severity::parse(s);
            if severity.is_none() {
                c.problem(
                    &["severity"],
                    format!("unknown severity `{s}`"),
                    Some("one of critical, high, medium, low, informational (lower case)"),
                );
            }
            severity
        }
        Some(other) => {
            c.problem(
                &["severity"],
                format!("`severity` must be a string, found {other}"),
                None,
            );
            None
        }
        None => {
            c.problem(&[], "metadata has no `severity`".into(), None);
            None
        }
    }
}

/// `resource_types`: present, not empty, and `AWS::::Account` alone when it is there.
fn validate_resource_types(c: &mut Checker<'_>, map: &Map<String, Value>) -> Vec<String> {
    let resource_types = c.string_list(map, "resource_types");
    if resource_types.is_empty() && map.contains_key("resource_types") {
        c.problem(
            &["resource_types"],
            "`resource_types` is empty".into(),
            None,
        );
    } else if !map.contains_key("resource_types") {
        c.problem(&[], "metadata has no `resource_types`".into(), None);
    }
    if resource_types.iter().any(|t| t == ACCOUNT_TYPE) && resource_types.len() > 1 {
        c.problem(
            &["resource_types"],
            "an account-level control lists only AWS::::Account".into(),
            None,
        );
    }
    resource_types
}

/// Every type named (evaluated or required) is spelt as AWS Config spells types.
fn check_type_names<'a>(c: &mut Checker<'_>, types: impl Iterator<Item = &'a String>) {
    for t in types {
        if !is_resource_type(t) {
            c.problem(
                &[t.as_str()],
                format!("`{t}` is not an AWS Config resource type"),
                Some("write types as AWS::Service::Resource, or AWS::::Account for account-level controls"),
            );
        }
    }
}

/// `standards`: standard name -> list of requirement ids.
fn validate_standards(
    c: &mut Checker<'_>,
    map: &Map<String, Value>,
) -> BTreeMap<String, Vec<String>> {
    let mut standards = BTreeMap::new();
    match map.get("standards") {
        None => {}
        Some(Value::Object(entries)) => {
            for (name, ids) in entries {
                if !is_known_standard(name) {
                    let known: Vec<&str> = STANDARDS.iter().map(|(key, _)| *key).collect();
                    c.problem(
                        &["standards", name],
                        format!("unknown standard `{name}`"),
                        Some(&format!(
                            "the standards are {}; a standard of your own goes under `custom/<name>`",
                            known.join(", ")
                        )),
                    );
                }
                match ids
                    .as_array()
                    .map(|a| a.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
                {
                    Some(Some(ids)) => {
                        standards
                            .insert(name.clone(), ids.into_iter().map(str::to_string).collect());
                    }
                    _ => c.problem(
                        &["standards", name],
                        format!("standard `{name}` must map to a list of requirement ids"),
                        None,
                    ),
                }
            }
        }
        Some(other) => c.problem(
            &["standards"],
            format!("`standards` must be an object, found {other}"),
            None,
        ),
    }
    standards
}

/// `parameters`: name -> {default, description}.
fn validate_parameters(
    c: &mut Checker<'_>,
    map: &Map<String, Value>,
) -> BTreeMap<String, Parameter> {
    let mut parameters = BTreeMap::new();
    let entries = match map.get("parameters") {
        None => return parameters,
        Some(Value::Object(entries)) => entries,
        Some(other) => {
            c.problem(
                &["parameters"],
                format!("`parameters` must be an object, found {other}"),
                None,
            );
            return parameters;
        }
    };
    for (name, spec) in entries {
        if let Some(parameter) = validate_parameter(c, name, spec) {
            parameters.insert(name.clone(), parameter);
        }
    }
    parameters
}

/// The keys a parameter may have.
const PARAMETER_KEYS: &[&str] = &[
    "default",
    "description",
    "type",
    "minimum",
    "maximum",
    "values",
];

/// One parameter: an object with a `default`, a `description`, and optionally its `type`
/// (`param_type`), `minimum`, `maximum` and allowed `values`; the default must fit them.
fn validate_parameter(c: &mut Checker<'_>, name: &str, spec: &Value) -> Option<Parameter> {
    let Value::Object(spec) = spec else {
        c.problem(
            &["parameters", name],
            format!("parameter `{name}` must be an object with `default` and `description`"),
            None,
        );
        return None;
    };
    for key in spec.keys() {
        if !PARAMETER_KEYS.contains(&key.as_str()) {
            c.problem(
                &["parameters", name, key],
                format!("unknown key `{key}` in parameter `{name}`"),
                Some("a parameter has `default`, `description`, and optionally `type`, `minimum`, `maximum`, `values`"),
            );
        }
    }
    let Some(default) = spec.get("default") else {
        c.problem(
            &["parameters", name],
            format!("parameter `{name}` has no `default`"),
            None,
        );
        return None;
    };
    let text = |c: &mut Checker<'_>, key: &str| match spec.get(key) {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            c.problem(
                &["parameters", name, key],
                format!("`{key}` of parameter `{name}` must be a string, found {other}"),
                None,
            );
            None
        }
    };
    let number = |c: &mut Checker<'_>, key: &str| match spec.get(key) {
        None => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(other) => {
            c.problem(
                &["parameters", name, key],
                format!("`{key}` of parameter `{name}` must be a number, found {other}"),
                None,
            );
            None
        }
    };
    let description = text(c, "description").unwrap_or_default();
    let kind = text(c, "type");
    if let Some(Err(why)) = kind.as_deref().map(ParamType::parse) {
        c.problem(&["parameters", name, "type"], why, None);
    }
    let values = match spec.get("values") {
        None => None,
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
        Some(other) => {
            c.problem(
                &["parameters", name, "values"],
                format!("`values` of parameter `{name}` must be a list of strings, found {other}"),
                None,
            );
            None
        }
    };
    let parameter = Parameter {
        default: default.clone(),
        description,
        kind,
        minimum: number(c, "minimum"),
        maximum: number(c, "maximum"),
        values,
    };
    if let Some(why) = parameter.check(default) {
        c.problem(
            &["parameters", name, "default"],
            format!("the default of parameter `{name}` does not fit its type: {why}"),
            None,
        );
    }
    Some(parameter)
}

fn validate_remediation(c: &mut Checker<'_>, r: &Map<String, Value>) -> Option<Remediation> {
    c.unknown_keys(r, REMEDIATION_KEYS, &["remediation"]);
    let runbook = match r.get("runbook") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => {
            c.problem(
                &["remediation", "runbook"],
                "remediation needs a `runbook` (an SSM Automation document name)".into(),
                None,
            );
            None
        }
    };
    let mut parameters = BTreeMap::new();
    match r.get("parameters") {
        None => {}
        Some(Value::Object(params)) => {
            for (name, value) in params {
                if let Value::String(text) = value {
                    for variable in template_variables(text) {
                        if !is_known_template_variable(variable) {
                            c.problem(
                                &["remediation", "parameters", name],
                                format!("unknown template variable `{{{{{variable}}}}}` in runbook parameter `{name}`"),
                                Some("use resourceId, resourceName, resourceType, ARN, awsAccountId, awsRegion, configuration.<path> or settings.<name>"),
                            );
                        }
                    }
                }
                parameters.insert(Arc::from(name.as_str()), value.clone());
            }
        }
        Some(other) => c.problem(
            &["remediation", "parameters"],
            format!("remediation `parameters` must be an object, found {other}"),
            None,
        ),
    }
    let automatic = match r.get("automatic") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            c.problem(
                &["remediation", "automatic"],
                format!("`automatic` must be true or false, found {other}"),
                None,
            );
            false
        }
    };
    let mut number = |key: &str, default: u32, min: u32, max: u32| -> u32 {
        match r.get(key) {
            None => default,
            Some(v) => match v.as_u64() {
                Some(n) if (min as u64..=max as u64).contains(&n) => n as u32,
                _ => {
                    c.problem(
                        &["remediation", key],
                        format!("`{key}` must be a whole number from {min} to {max}, found {v}"),
                        None,
                    );
                    default
                }
            },
        }
    };
    // Limits and defaults of RemediationConfiguration and its SsmControls.
    let maximum_automatic_attempts = number("maximum_automatic_attempts", 5, 1, 25);
    let retry_attempt_seconds = number("retry_attempt_seconds", 60, 1, 2_678_000);
    let concurrent_execution_rate_percentage =
        number("concurrent_execution_rate_percentage", 10, 1, 100);
    let error_percentage = number("error_percentage", 50, 1, 100);
    Some(Remediation {
        runbook: Arc::from(runbook?),
        parameters,
        automatic,
        maximum_automatic_attempts,
        retry_attempt_seconds,
        concurrent_execution_rate_percentage,
        error_percentage,
    })
}

/// The package a control with this id must declare, and the file stem it lives in.
pub fn file_stem_for_id(id: &str) -> String {
    let mut out = String::new();
    let mut pending = false;
    for ch in id.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push('_');
            }
            pending = false;
            out.push(ch.to_ascii_lowercase());
        } else {
            pending = true;
        }
    }
    out
}

pub fn package_for_id(id: &str) -> String {
    format!("regent.{}", file_stem_for_id(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with_requires(requires: Value) -> Result<Metadata, Vec<Problem>> {
        let value = json!({
            "id": "ACME.1", "title": "A control", "severity": "low",
            "resource_types": ["AWS::S3::Bucket"], "requires": requires,
            "standards": {"aws-foundational-security-best-practices/v1.0.0": ["S3.1"]},
        });
        validate(&value, "acme/acme_1.rego", &value.to_string())
    }

    #[test]
    fn requires_takes_types_whole_or_with_the_fields_read() {
        let meta = with_requires(json!([
            "AWS::EC2::Subnet",
            {"type": "AWS::EC2::NetworkInterface", "fields": ["configuration.groups"]},
            {"type": "AWS::S3::Bucket", "fields": []},
        ]))
        .expect("valid metadata");
        assert_eq!(
            meta.requires,
            [
                "AWS::EC2::Subnet",
                "AWS::EC2::NetworkInterface",
                "AWS::S3::Bucket"
            ]
        );
        let fields: Vec<(&str, Vec<&str>)> = meta
            .requires_fields
            .iter()
            .map(|(t, f)| (t.as_str(), f.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            fields,
            [
                ("AWS::EC2::NetworkInterface", vec!["configuration.groups"]),
                ("AWS::S3::Bucket", vec![]),
            ]
        );
        // Required whole as well: read whole.
        let meta = with_requires(json!([
            "AWS::S3::Bucket",
            {"type": "AWS::S3::Bucket", "fields": ["configuration.name"]},
        ]))
        .expect("valid metadata");
        assert!(meta.requires_fields.is_empty());
    }

    #[test]
    fn a_control_reads_its_own_parameters_only() {
        let value = json!({
            "id": "ACME.1", "title": "A control", "severity": "low",
            "resource_types": ["AWS::S3::Bucket"],
        });
        let text = |body: &str| format!("metadata := {value}\n{body}");
        for own in [
            r#"tag := data.parameters["ACME.1"].tag"#,
            r#"p := object.get(data.parameters, "ACME.1", {})"#,
            "tag := data.parameters[metadata.id].tag",
        ] {
            assert!(
                validate(&value, "acme/acme_1.rego", &text(own)).is_ok(),
                "{own}"
            );
        }
        for other in [
            r#"tag := data.parameters["ACME.2"].tag"#,
            r#"p := object.get(data.parameters, "S3.8", {})"#,
        ] {
            let problems = validate(&value, "acme/acme_1.rego", &text(other)).expect_err(other);
            assert_eq!(problems.len(), 1, "{other}");
            assert_eq!(problems[0].code, Code::PolicyMetadata);
            assert!(
                problems[0].message.contains("reads the parameters of"),
                "{other}"
            );
        }
    }

    #[test]
    fn needs_complete_is_true_false_or_the_verdicts_that_rest_on_absence() {
        let with = |needs: Value| {
            let value = json!({
                "id": "ACME.1", "title": "A control", "severity": "low",
                "resource_types": ["AWS::::Account"], "needs_complete": needs,
            });
            validate(&value, "acme/acme_1.rego", &value.to_string())
        };
        let both = NeedsComplete {
            compliant: true,
            non_compliant: true,
        };
        for (needs, expected) in [
            (json!(true), both),
            (json!(false), NeedsComplete::default()),
            (json!([]), NeedsComplete::default()),
            (json!(["COMPLIANT", "NON_COMPLIANT"]), both),
            (
                json!(["NON_COMPLIANT"]),
                NeedsComplete {
                    compliant: false,
                    non_compliant: true,
                },
            ),
        ] {
            let meta = with(needs.clone()).expect("valid metadata");
            assert_eq!(meta.needs_complete, expected, "{needs}");
        }
        // Shown as the list, and not at all when empty.
        let meta = with(json!(true)).expect("valid metadata");
        let shown = serde_json::to_value(&meta).expect("serialisable");
        assert_eq!(
            shown["needs_complete"],
            json!(["COMPLIANT", "NON_COMPLIANT"])
        );
        let meta = with(json!(false)).expect("valid metadata");
        let shown = serde_json::to_value(&meta).expect("serialisable");
        assert!(shown.get("needs_complete").is_none());
        for bad in [
            json!("yes"),
            json!(["FAILED"]),
            json!(["NOT_APPLICABLE"]),
            json!(1),
        ] {
            let problems = with(bad.clone()).expect_err(&bad.to_string());
            assert_eq!(problems.len(), 1, "{bad}");
            assert!(problems[0].message.contains("needs_complete"), "{bad}");
        }
    }

    #[test]
    fn a_malformed_requires_entry_is_a_metadata_problem() {
        for bad in [
            json!([{"fields": []}]),
            json!([{"type": "AWS::S3::Bucket"}]),
            json!([{"type": "AWS::S3::Bucket", "fields": ["configuration..name"]}]),
            json!([{"type": "AWS::S3::Bucket", "fields": [3]}]),
            json!([{"type": "AWS::S3::Bucket", "fields": [], "why": "extra"}]),
            json!([{"type": "an S3 bucket", "fields": []}]),
            json!([5]),
            json!("AWS::S3::Bucket"),
        ] {
            let problems = with_requires(bad.clone()).expect_err(&bad.to_string());
            assert!(
                problems.iter().all(|p| p.code == Code::PolicyMetadata),
                "{bad}: {problems:?}"
            );
        }
    }
}
