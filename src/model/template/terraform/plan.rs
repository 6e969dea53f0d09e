//! The plan document read into resource instances: each managed instance that will exist
//! after apply, its values with every unknown and sensitive value already replaced by a
//! placeholder, its line, its configuration expressions and its provider's region. What
//! is malformed becomes a `template::invalid` problem at its place; the rest is still read.

use super::address::{self, Address};
use super::locate::{push_key, Locations};
use crate::diagnostics::{Code, Problem};
use crate::model::template::unknown;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What apply does to an instance, as far as its configuration item is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// A new object (`create`, or a replacement): computed attributes the configuration
    /// leaves unset take AWS's defaults for a new resource.
    Create,
    /// An existing object, changed in place or not at all: its values come from state.
    Keep,
}

/// One resource instance of the plan.
#[derive(Debug, Clone)]
pub(crate) struct Instance {
    pub address: String,
    pub parts: Address,
    pub action: Action,
    /// The planned values; `{unknown: known after apply: ADDRESS.ATTR}` where the value is
    /// known only after apply, `{unknown: sensitive: ADDRESS.ATTR}` where it is sensitive.
    pub values: Value,
    /// The line of the instance's `address` in the plan.
    pub line: usize,
    /// The configuration block's `expressions` (`Null` when the plan has none for it).
    pub expressions: Value,
    /// The configuration block's `for_each_expression` (`Null` when none): what
    /// `each.value` refers to.
    pub for_each: Value,
    /// The region: the resource's own `region` (AWS provider 6), else its provider
    /// configuration's constant `region`.
    pub region: Option<String>,
}

impl Instance {
    pub(crate) fn resource_type(&self) -> &str {
        &self.parts.resource_type
    }
}

/// The plan's instances, and what was wrong with it.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub instances: Vec<Instance>,
    pub problems: Vec<Problem>,
    /// The document could not be read at all.
    pub failed: bool,
}

/// A configuration block: its expressions and provider.
struct ConfigResource<'a> {
    expressions: &'a Value,
    for_each: &'a Value,
    provider_key: Option<&'a str>,
}

struct Reader<'a> {
    source: &'a str,
    text: &'a str,
    locations: Locations,
    /// The text with the plan's values masked, made for the first problem.
    masked: Option<String>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn invalid(&mut self, pointer: &str, message: String, label: &str) {
        let offset = self.locations.nearest(pointer);
        // The excerpt is of the masked text: never a value of the plan, sensitive or not.
        let masked = self
            .masked
            .get_or_insert_with(|| self.locations.masked(self.text));
        self.problems.push(
            Problem::new(Code::TemplateInvalid, self.source, message)
                .at_span(masked, offset, 1, label)
                .with_help(
                    "the plan is read as `terraform show -json PLANFILE` writes it; the other resources are still judged",
                ),
        );
    }

    /// The array at `pointer`, or a problem when it is something else (absent is fine).
    fn array<'v>(&mut self, value: Option<&'v Value>, pointer: &str) -> &'v [Value] {
        match value {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.invalid(
                    pointer,
                    format!(
                        "{} must be an array, found {}",
                        describe(pointer),
                        kind(other)
                    ),
                    "expected an array",
                );
                &[]
            }
        }
    }

    /// The object at `pointer`, or a problem when it is something else.
    fn object<'v>(
        &mut self,
        value: Option<&'v Value>,
        pointer: &str,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(map),
            Some(other) => {
                self.invalid(
                    pointer,
                    format!(
                        "{} must be an object, found {}",
                        describe(pointer),
                        kind(other)
                    ),
                    "expected an object",
                );
                None
            }
        }
    }
}

/// `/resource_changes/3/change` as `resource_changes[3].change`, for messages.
fn describe(pointer: &str) -> String {
    let mut out = String::new();
    for step in pointer.split('/').skip(1) {
        if step.bytes().all(|b| b.is_ascii_digit()) && !step.is_empty() {
            out.push_str(&format!("[{step}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&step.replace("~1", "/").replace("~0", "~"));
        }
    }
    if out.is_empty() {
        "the plan".into()
    } else {
        format!("`{out}`")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Read a plan's text.
pub(crate) fn read(source: &str, text: &str) -> Plan {
    let document: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            let masked = Locations::scan(text).masked(text);
            let problem = Problem::new(
                Code::TemplateInvalid,
                source,
                format!("the plan is not valid JSON: {err}"),
            )
            .at(&masked, err.line().max(1), err.column().max(1), "here");
            return Plan {
                problems: vec![problem],
                failed: true,
                ..Plan::default()
            };
        }
    };
    let mut reader = Reader {
        source,
        text,
        locations: Locations::scan(text),
        masked: None,
        problems: Vec::new(),
    };
    let Some(root) = reader.object(Some(&document), "") else {
        let problem = Problem::new(Code::TemplateInvalid, source, "a plan is a JSON object").at(
            text,
            1,
            1,
            "not an object",
        );
        return Plan {
            problems: vec![problem],
            failed: true,
            ..Plan::default()
        };
    };
    let configuration = reader.object(root.get("configuration"), "/configuration");
    let mut config = HashMap::new();
    let mut providers = HashMap::new();
    if let Some(configuration) = configuration {
        read_providers(&mut reader, configuration, &mut providers);
        if let Some(module) = reader.object(
            configuration.get("root_module"),
            "/configuration/root_module",
        ) {
            read_config_module(
                &mut reader,
                module,
                "/configuration/root_module",
                &mut Vec::new(),
                &mut config,
            );
        }
    }
    // The planned values are read (and checked) in any case, but used only without
    // changes (a hand-made document): they omit unknown values, which then read as unset.
    let mut planned = Vec::new();
    if let Some(values) = reader.object(root.get("planned_values"), "/planned_values") {
        if let Some(module) =
            reader.object(values.get("root_module"), "/planned_values/root_module")
        {
            read_values_module(
                &mut reader,
                module,
                "/planned_values/root_module",
                &mut planned,
            );
        }
    }
    let mut instances = Vec::new();
    match root.get("resource_changes") {
        Some(changes) => read_changes(&mut reader, changes, &mut instances),
        None => instances = planned,
    }
    for instance in &mut instances {
        if let Some(block) = config.get(&config_key(&instance.parts)) {
            instance.expressions = block.expressions.clone();
            instance.for_each = block.for_each.clone();
            if instance.region.is_none() {
                instance.region = block
                    .provider_key
                    .and_then(|key| providers.get(key))
                    .cloned()
                    .flatten();
            }
        } else if instance.region.is_none() {
            instance.region = providers.get("aws").cloned().flatten();
        }
    }
    Plan {
        instances,
        problems: reader.problems,
        failed: false,
    }
}

/// How a configuration block is found from an instance: module calls, mode, type, name.
fn config_key(parts: &Address) -> String {
    format!(
        "{}|{}|{}|{}",
        parts.calls.join("."),
        if parts.data { "data" } else { "managed" },
        parts.resource_type,
        parts.name
    )
}

/// Each provider configuration's constant region (`None` when it is not a constant).
fn read_providers(
    reader: &mut Reader,
    configuration: &Map<String, Value>,
    providers: &mut HashMap<String, Option<String>>,
) {
    let Some(configs) = reader.object(
        configuration.get("provider_config"),
        "/configuration/provider_config",
    ) else {
        return;
    };
    for (key, provider) in configs {
        let region = provider
            .pointer("/expressions/region/constant_value")
            .and_then(Value::as_str)
            .map(str::to_string);
        providers.insert(key.clone(), region);
    }
}

fn read_config_module<'a>(
    reader: &mut Reader,
    module: &'a Map<String, Value>,
    pointer: &str,
    calls: &mut Vec<String>,
    config: &mut HashMap<String, ConfigResource<'a>>,
) {
    let resources_pointer = format!("{pointer}/resources");
    for resource in reader.array(module.get("resources"), &resources_pointer) {
        let Some(resource) = resource.as_object() else {
            continue;
        };
        let text = |key: &str| {
            resource
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        let key = format!(
            "{}|{}|{}|{}",
            calls.join("."),
            text("mode"),
            text("type"),
            text("name")
        );
        config.insert(
            key,
            ConfigResource {
                expressions: resource.get("expressions").unwrap_or(&Value::Null),
                for_each: resource.get("for_each_expression").unwrap_or(&Value::Null),
                provider_key: resource.get("provider_config_key").and_then(Value::as_str),
            },
        );
    }
    let calls_pointer = format!("{pointer}/module_calls");
    let Some(module_calls) = reader.object(module.get("module_calls"), &calls_pointer) else {
        return;
    };
    for (name, call) in module_calls {
        let mut call_pointer = calls_pointer.clone();
        push_key(&mut call_pointer, name);
        let Some(inner) = call.get("module").and_then(Value::as_object) else {
            continue;
        };
        calls.push(name.clone());
        read_config_module(
            reader,
            inner,
            &format!("{call_pointer}/module"),
            calls,
            config,
        );
        calls.pop();
    }
}

fn read_changes(reader: &mut Reader, changes: &Value, instances: &mut Vec<Instance>) {
    let list = reader.array(Some(changes), "/resource_changes");
    for (i, change) in list.iter().enumerate() {
        let pointer = format!("/resource_changes/{i}");
        if let Some(instance) = read_change(reader, change, &pointer) {
            instances.push(instance);
        }
    }
}

/// One entry of `resource_changes`, when it describes a managed object that will exist.
fn read_change(reader: &mut Reader, change: &Value, pointer: &str) -> Option<Instance> {
    let entry = reader.object(Some(change), pointer)?;
    let (address, parts) = read_address(reader, entry, pointer)?;
    if parts.data || entry.get("mode").and_then(Value::as_str) == Some("data") {
        return None;
    }
    // A deposed object is an old one on its way out.
    if entry.get("deposed").is_some_and(|d| !d.is_null()) {
        return None;
    }
    let change_pointer = format!("{pointer}/change");
    let body = reader.object(entry.get("change"), &change_pointer)?;
    let actions_pointer = format!("{change_pointer}/actions");
    if !body.get("actions").is_some_and(Value::is_array) {
        reader.array(
            Some(body.get("actions").unwrap_or(&Value::Null)),
            &actions_pointer,
        );
        if body.get("actions").is_none_or(Value::is_null) {
            reader.invalid(
                &actions_pointer,
                format!("{address}: `change.actions` is missing"),
                "no actions",
            );
        }
        return None;
    }
    let actions: Vec<&str> = reader
        .array(body.get("actions"), &actions_pointer)
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let action = match actions.as_slice() {
        ["create"] | ["delete", "create"] | ["create", "delete"] => Action::Create,
        ["update"] | ["no-op"] => Action::Keep,
        // delete, forget, read: nothing of this object remains to be judged.
        ["delete"] | ["forget"] | ["read"] => return None,
        other => {
            reader.invalid(
                &actions_pointer,
                format!(
                    "{address}: unknown actions {other:?} (expected create, update, no-op, delete or a replacement)"
                ),
                "unknown actions",
            );
            return None;
        }
    };
    let after = body.get("after").unwrap_or(&Value::Null);
    if !after.is_object() {
        reader.invalid(
            &format!("{change_pointer}/after"),
            format!(
                "{address}: `change.after` must be an object, found {}",
                kind(after)
            ),
            "expected an object",
        );
        return None;
    }
    let values = sanitise(
        after,
        body.get("after_unknown").unwrap_or(&Value::Null),
        body.get("after_sensitive").unwrap_or(&Value::Null),
        &address,
        "",
    );
    Some(instance(reader, address, parts, action, values, pointer))
}

fn instance(
    reader: &Reader,
    address: String,
    parts: Address,
    action: Action,
    values: Value,
    pointer: &str,
) -> Instance {
    let region = values
        .get("region")
        .and_then(Value::as_str)
        .filter(|r| !crate::model::template::is_unknown(r))
        .map(str::to_string);
    Instance {
        line: reader.locations.line(&format!("{pointer}/address")),
        address,
        parts,
        action,
        values,
        expressions: Value::Null,
        for_each: Value::Null,
        region,
    }
}

fn read_address(
    reader: &mut Reader,
    entry: &Map<String, Value>,
    pointer: &str,
) -> Option<(String, Address)> {
    let address_pointer = format!("{pointer}/address");
    let Some(address) = entry.get("address").and_then(Value::as_str) else {
        reader.invalid(
            &address_pointer,
            format!("{} has no `address` string", describe(pointer)),
            "no address",
        );
        return None;
    };
    let Some(parts) = address::parse(address) else {
        reader.invalid(
            &address_pointer,
            format!("{} is not a resource address", describe(&address_pointer)),
            "not a resource address",
        );
        return None;
    };
    Some((address.to_string(), parts))
}

fn read_values_module(
    reader: &mut Reader,
    module: &Map<String, Value>,
    pointer: &str,
    instances: &mut Vec<Instance>,
) {
    let resources_pointer = format!("{pointer}/resources");
    let resources = reader.array(module.get("resources"), &resources_pointer);
    for (i, resource) in resources.iter().enumerate() {
        let entry_pointer = format!("{resources_pointer}/{i}");
        let Some(entry) = reader.object(Some(resource), &entry_pointer) else {
            continue;
        };
        let Some((address, parts)) = read_address(reader, entry, &entry_pointer) else {
            continue;
        };
        if parts.data || entry.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let values = sanitise(
            entry.get("values").unwrap_or(&Value::Null),
            &Value::Null,
            entry.get("sensitive_values").unwrap_or(&Value::Null),
            &address,
            "",
        );
        instances.push(instance(
            reader,
            address,
            parts,
            Action::Create,
            values,
            &entry_pointer,
        ));
    }
    let children_pointer = format!("{pointer}/child_modules");
    let children = reader.array(module.get("child_modules"), &children_pointer);
    for (i, child) in children.iter().enumerate() {
        let child_pointer = format!("{children_pointer}/{i}");
        if let Some(child) = reader.object(Some(child), &child_pointer) {
            read_values_module(reader, child, &child_pointer, instances);
        }
    }
}

/// `after` with its unknown and sensitive parts (the mirrors `after_unknown` and
/// `after_sensitive`, `true` at each such value) replaced by placeholders, so no mapper can
/// copy a sensitive value or take an unknown one for absent.
pub(crate) fn sanitise(
    after: &Value,
    unknown_mirror: &Value,
    sensitive_mirror: &Value,
    address: &str,
    path: &str,
) -> Value {
    let attribute = || {
        if path.is_empty() {
            address.to_string()
        } else {
            format!("{address}.{path}")
        }
    };
    if sensitive_mirror == &Value::Bool(true) {
        return unknown(&format!("sensitive: {}", attribute()));
    }
    if unknown_mirror == &Value::Bool(true) {
        return super::unknowns::after_apply(&attribute());
    }
    match (after, unknown_mirror, sensitive_mirror) {
        (Value::Object(_), _, _) | (Value::Null, Value::Object(_), _) => {
            let empty = Map::new();
            let values = after.as_object().unwrap_or(&empty);
            let mut keys: Vec<&String> = values.keys().collect();
            for mirror in [unknown_mirror, sensitive_mirror] {
                if let Value::Object(m) = mirror {
                    keys.extend(m.keys().filter(|k| !values.contains_key(*k)));
                }
            }
            keys.sort();
            keys.dedup();
            let mut out = Map::new();
            for key in keys {
                let child_path = child(path, key);
                let value = sanitise(
                    values.get(key).unwrap_or(&Value::Null),
                    unknown_mirror.get(key).unwrap_or(&Value::Null),
                    sensitive_mirror.get(key).unwrap_or(&Value::Null),
                    address,
                    &child_path,
                );
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        (Value::Array(_), _, _) | (Value::Null, Value::Array(_), _) => {
            let empty = Vec::new();
            let values = after.as_array().unwrap_or(&empty);
            let len = values
                .len()
                .max(unknown_mirror.as_array().map_or(0, Vec::len));
            let items = (0..len)
                .map(|i| {
                    sanitise(
                        values.get(i).unwrap_or(&Value::Null),
                        unknown_mirror.get(i).unwrap_or(&Value::Null),
                        sensitive_mirror.get(i).unwrap_or(&Value::Null),
                        address,
                        &format!("{path}[{i}]"),
                    )
                })
                .collect();
            Value::Array(items)
        }
        _ => after.clone(),
    }
}

fn child(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_and_sensitive_parts_become_placeholders() {
        let after = json!({"bucket": "b", "tags": {"k": "v"}, "rule": [{"x": 1}], "pw": "hunter2"});
        let unknown = json!({"arn": true, "rule": [{"y": true}], "tags": {}});
        let sensitive = json!({"pw": true, "tags": {"k": true}});
        let out = sanitise(&after, &unknown, &sensitive, "aws_x.a", "");
        assert_eq!(
            out,
            json!({
                "arn": "{unknown id: known after apply: aws_x.a.arn}",
                "bucket": "b",
                "pw": "{unknown: sensitive: aws_x.a.pw}",
                "rule": [{"x": 1, "y": "{unknown: known after apply: aws_x.a.rule[0].y}"}],
                "tags": {"k": "{unknown: sensitive: aws_x.a.tags.k}"},
            })
        );
    }

    #[test]
    fn messages_name_the_place() {
        assert_eq!(
            describe("/planned_values/root_module/resources"),
            "`planned_values.root_module.resources`"
        );
        assert_eq!(
            describe("/resource_changes/2/change"),
            "`resource_changes[2].change`"
        );
    }
}
