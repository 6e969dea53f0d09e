//! Template values into JSON values: intrinsic functions in short (`!Sub`) and long
//! (`Fn::Sub`) form are evaluated where their inputs are known, and a value that cannot be
//! known before deploy becomes an `unknown` placeholder. A string with an unknown part is
//! wholly unknown. `AWS::NoValue` removes the value (`None`).

use super::context::{first_unknown, has_unknown, scalar_text, Cx};
use super::render::render;
use super::yaml::{Node, Value as Yaml};
use crate::model::template::unknown_what;
use serde_json::{Map, Number, Value};

/// How deep references may chain (a bucket named after a parameter, referenced by a
/// policy...): far beyond real templates, short of the stack's limit.
const MAX_REF_DEPTH: usize = 32;

/// The intrinsic functions (without `Fn::`), for suggestions.
const FUNCTIONS: &[&str] = &[
    "Ref",
    "GetAtt",
    "Sub",
    "Join",
    "Select",
    "Split",
    "FindInMap",
    "If",
    "Base64",
    "GetAZs",
    "ImportValue",
    "Cidr",
    "Length",
    "ToJsonString",
    "Equals",
    "And",
    "Or",
    "Not",
    "Condition",
    "Transform",
];

/// An intrinsic function's argument: the tagged node itself (short form, whose own tag is
/// the function) or the value of the `Fn::` key (long form).
#[derive(Clone, Copy)]
pub struct Arg<'n> {
    pub node: &'n Node,
    pub short: bool,
}

impl<'n> Arg<'n> {
    /// The argument as a literal list (functions take their arguments so).
    pub fn items(&self) -> Option<&'n [Node]> {
        if !self.short && self.node.tag.is_some() {
            return None;
        }
        self.node.seq()
    }

    /// The argument as a literal string.
    pub fn text(&self) -> Option<&'n str> {
        if !self.short && self.node.tag.is_some() {
            return None;
        }
        self.node.str()
    }
}

/// The function a node calls, if any: `(name without "Fn::", argument)`.
pub fn intrinsic(node: &Node) -> Option<(&str, Arg<'_>)> {
    if let Some(tag) = &node.tag {
        return Some((tag, Arg { node, short: true }));
    }
    match node.map() {
        Some([(key, arg)]) if key.text == "Ref" || key.text.starts_with("Fn::") => Some((
            key.text.trim_start_matches("Fn::"),
            Arg {
                node: arg,
                short: false,
            },
        )),
        _ => None,
    }
}

impl Cx<'_> {
    /// The value of a node (`None` for `AWS::NoValue`).
    pub fn resolve(&mut self, node: &Node) -> Option<Value> {
        if let Some((name, arg)) = intrinsic(node) {
            return self.call(name, arg, node);
        }
        self.resolve_plain(node)
    }

    /// An argument's value.
    pub fn arg_value(&mut self, arg: Arg<'_>) -> Option<Value> {
        if arg.short {
            self.resolve_plain(arg.node)
        } else {
            self.resolve(arg.node)
        }
    }

    /// A node's value, its own tag aside.
    fn resolve_plain(&mut self, node: &Node) -> Option<Value> {
        Some(match &node.value {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(*b),
            Yaml::Int(i) => Value::Number((*i).into()),
            Yaml::Float(f) => {
                Number::from_f64(*f).map_or_else(|| Value::String(f.to_string()), Value::Number)
            }
            Yaml::Str(s) => Value::String(s.clone()),
            Yaml::Seq(items) => {
                Value::Array(items.iter().filter_map(|n| self.resolve(n)).collect())
            }
            Yaml::Map(entries) => {
                if let (None, Some((name, arg))) = (&node.tag, intrinsic(node)) {
                    return self.call(name, arg, node);
                }
                let mut map = Map::new();
                for (key, value) in entries {
                    if let Some(v) = self.resolve(value) {
                        map.insert(key.text.clone(), v);
                    }
                }
                Value::Object(map)
            }
            Yaml::Alias => self.unknown(
                "YAML alias",
                "a YAML alias, which CloudFormation does not support (it is not expanded)",
            ),
        })
    }

    fn call(&mut self, name: &str, arg: Arg<'_>, node: &Node) -> Option<Value> {
        match name {
            "Ref" => self.fn_ref(arg, node),
            "GetAtt" => Some(self.fn_getatt(arg, node)),
            "Sub" => Some(self.fn_sub(arg, node)),
            "Join" => Some(self.fn_join(arg, node)),
            "Select" => self.fn_select(arg, node),
            "Split" => Some(self.fn_split(arg, node)),
            "FindInMap" => self.fn_find_in_map(arg, node),
            "If" => self.fn_if(arg, node),
            "Base64" => Some(self.fn_base64(arg, node)),
            "GetAZs" => Some(self.unknown(
                &render(node),
                format!(
                    "{}: the region's Availability Zones are not known before deploy",
                    render(node)
                ),
            )),
            "ImportValue" => Some(self.fn_import(arg, node)),
            "Cidr" => Some(self.fn_cidr(arg, node)),
            "Length" => Some(self.fn_length(arg, node)),
            "ToJsonString" => Some(self.fn_to_json(arg, node)),
            "Equals" | "And" | "Or" | "Not" | "Condition" => {
                Some(match self.condition_expression(node) {
                    Some(b) => Value::Bool(b),
                    None => self.unknown(
                        &render(node),
                        format!(
                            "{}: depends on a value not known before deploy",
                            render(node)
                        ),
                    ),
                })
            }
            "Transform" => Some(self.unknown(
                &render(node),
                format!(
                    "{}: a transform's output is not known before deploy",
                    render(node)
                ),
            )),
            _ => {
                let shown = if arg.short {
                    format!("!{name}")
                } else {
                    format!("Fn::{name}")
                };
                let hint = crate::diagnostics::suggest(name, FUNCTIONS.iter().copied());
                self.problem_at(
                    crate::diagnostics::Code::TemplateInvalid,
                    node.line,
                    node.column,
                    format!("{shown} is not an intrinsic function CloudFormation knows"),
                    Some(format!("{hint}the functions are {}", FUNCTIONS.join(", "))),
                );
                Some(self.unknown(
                    &render(node),
                    format!("{}: not an intrinsic function", render(node)),
                ))
            }
        }
    }

    /// A value made from unknown parts: wholly unknown, named by the expression.
    fn derived(&mut self, node: &Node, part: &Value) -> Value {
        let what = render(node);
        let because = first_unknown(part).map(|p| unknown_what(p).unwrap_or(p).to_string());
        let why = match because {
            Some(inner) if inner != what => {
                format!("{what}: depends on {inner}, not known before deploy")
            }
            _ => format!("{what}: not known before deploy"),
        };
        self.unknown(&what, why)
    }

    /// A malformed call: the problem at its place, and an unknown value so the rest goes on.
    fn malformed(&mut self, node: &Node, message: String) -> Value {
        self.invalid(node.line, node.column, message);
        let what = render(node);
        self.unknown(
            &what,
            format!("{what}: malformed (see the template::invalid problem)"),
        )
    }

    /// A name the template does not define: a problem, unless a `Transform` (SAM, a macro)
    /// may define it when the template is processed.
    fn undefined(&mut self, node: &Node, message: String) -> Value {
        if !self.tpl.transformed {
            return self.malformed(node, message);
        }
        let what = render(node);
        self.unknown(
            &what,
            format!("{what}: defined by the template's Transform, which regent does not run"),
        )
    }

    fn fn_ref(&mut self, arg: Arg<'_>, node: &Node) -> Option<Value> {
        let Some(name) = arg.text() else {
            return Some(
                self.malformed(node, "Ref takes the name of a parameter or resource".into()),
            );
        };
        if let Some(value) = self.parameter_value(name) {
            return Some(value);
        }
        if let Some(value) = self.pseudo(name) {
            return value;
        }
        if self.tpl.resource(name).is_some() {
            return Some(self.ref_value(name));
        }
        Some(self.undefined(node, format!("Ref to {name}, which is no parameter, pseudo parameter or resource of this template")))
    }

    fn fn_getatt(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let (resource, attribute) = match (arg.text(), arg.items()) {
            (Some(text), _) => match text.split_once('.') {
                Some((r, a)) => (r.to_string(), Some(a.to_string())),
                None => (text.to_string(), None),
            },
            (None, Some([r, a])) => {
                let attribute = self.resolve(a).as_ref().and_then(scalar_text);
                (r.str().unwrap_or_default().to_string(), attribute)
            }
            _ => (String::new(), None),
        };
        let Some(attribute) = attribute.filter(|a| !a.is_empty() && !resource.is_empty()) else {
            return self.malformed(
                node,
                "GetAtt takes a resource and an attribute (Resource.Attribute)".into(),
            );
        };
        if crate::model::template::is_unknown(&attribute) {
            return self.unknown(
                &render(node),
                format!("{}: known after deploy", render(node)),
            );
        }
        if self.tpl.resource(&resource).is_none() {
            return self.undefined(
                node,
                format!("GetAtt of {resource}, which is no resource of this template"),
            );
        }
        self.attribute(&resource, &attribute)
    }

    fn fn_sub(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let (template, variables) = match (arg.text(), arg.items()) {
            (Some(text), _) => (text, None),
            (None, Some([text, vars])) if text.str().is_some() => {
                (text.str().unwrap_or_default(), vars.map())
            }
            _ => {
                return self.malformed(
                    node,
                    "Sub takes a string, or a string and a mapping of variables".into(),
                )
            }
        };
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = self.sub_variable(name.trim(), variables, node);
            match value.as_ref().and_then(scalar_text) {
                Some(text) if !crate::model::template::is_unknown(&text) => out.push_str(&text),
                Some(text) => return self.derived(node, &Value::String(text)),
                None => return self.derived(node, &value.unwrap_or(Value::Null)),
            }
        }
        out.push_str(rest);
        Value::String(out)
    }

    fn sub_variable(
        &mut self,
        name: &str,
        variables: Option<&[(super::yaml::Key, Node)]>,
        node: &Node,
    ) -> Option<Value> {
        if let Some((_, value)) =
            variables.and_then(|vars| vars.iter().find(|(k, _)| k.text == name))
        {
            return self.resolve(value);
        }
        if let Some(value) = self.parameter_value(name) {
            return Some(value);
        }
        if let Some(value) = self.pseudo(name) {
            return value;
        }
        if self.tpl.resource(name).is_some() {
            return Some(self.ref_value(name));
        }
        if let Some((resource, attribute)) = name.split_once('.') {
            if self.tpl.resource(resource).is_some() {
                return Some(self.attribute(resource, attribute));
            }
        }
        Some(self.undefined(node, format!("Sub refers to ${{{name}}}, which is no parameter, resource or variable of this template")))
    }

    /// A list argument: a literal list (elements resolved, `AWS::NoValue` dropped) or a
    /// function giving one.
    fn list(&mut self, node: &Node) -> Value {
        self.resolve(node).unwrap_or(Value::Array(Vec::new()))
    }

    fn fn_join(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let Some([delimiter, items]) = arg.items() else {
            return self.malformed(node, "Join takes a delimiter and a list".into());
        };
        let delimiter = self
            .resolve(delimiter)
            .as_ref()
            .and_then(scalar_text)
            .unwrap_or_default();
        let items = self.list(items);
        let Value::Array(items) = &items else {
            return self.derived(node, &items);
        };
        let mut parts = Vec::new();
        for item in items {
            match scalar_text(item) {
                Some(text) if !crate::model::template::is_unknown(&text) => parts.push(text),
                Some(_) => return self.derived(node, item),
                None => {
                    return self.malformed(
                        node,
                        "Join: every element of the list must be a string".into(),
                    )
                }
            }
        }
        if crate::model::template::is_unknown(&delimiter) {
            return self.derived(node, &Value::String(delimiter));
        }
        Value::String(parts.join(&delimiter))
    }

    fn fn_select(&mut self, arg: Arg<'_>, node: &Node) -> Option<Value> {
        let Some([index, items]) = arg.items() else {
            return Some(self.malformed(node, "Select takes an index and a list".into()));
        };
        let index = self.resolve(index).unwrap_or(Value::Null);
        let items = self.list(items);
        if has_unknown(&index) {
            return Some(self.derived(node, &index));
        }
        let Some(position) = scalar_text(&index).and_then(|t| t.parse::<usize>().ok()) else {
            return Some(self.malformed(node, "Select: the index must be a number".into()));
        };
        match items {
            Value::Array(list) => match list.into_iter().nth(position) {
                Some(v) => Some(v),
                None => Some(self.malformed(
                    node,
                    format!("Select: index {position} is past the end of the list"),
                )),
            },
            other if has_unknown(&other) => Some(self.derived(node, &other)),
            _ => Some(self.malformed(node, "Select: the second argument must be a list".into())),
        }
    }

    fn fn_split(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let Some([delimiter, text]) = arg.items() else {
            return self.malformed(node, "Split takes a delimiter and a string".into());
        };
        let delimiter = self
            .resolve(delimiter)
            .as_ref()
            .and_then(scalar_text)
            .unwrap_or_default();
        let text = self.resolve(text).unwrap_or(Value::Null);
        match scalar_text(&text) {
            Some(t) if !crate::model::template::is_unknown(&t) && !delimiter.is_empty() => {
                Value::Array(
                    t.split(delimiter.as_str())
                        .map(|s| Value::String(s.into()))
                        .collect(),
                )
            }
            Some(t) if crate::model::template::is_unknown(&t) => self.derived(node, &text),
            _ => self.malformed(
                node,
                "Split: the delimiter and the string must be strings".into(),
            ),
        }
    }

    fn fn_find_in_map(&mut self, arg: Arg<'_>, node: &Node) -> Option<Value> {
        let items = arg.items().unwrap_or_default();
        if !(3..=4).contains(&items.len()) {
            return Some(
                self.malformed(node, "FindInMap takes a mapping name and two keys".into()),
            );
        }
        let mut keys = Vec::new();
        for item in &items[..3] {
            let value = self.resolve(item).unwrap_or(Value::Null);
            match scalar_text(&value) {
                Some(k) if !crate::model::template::is_unknown(&k) => keys.push(k),
                _ => return Some(self.derived(node, &value)),
            }
        }
        let found = self
            .tpl
            .mappings
            .and_then(|m| m.get(&keys[0]))
            .and_then(|m| m.get(&keys[1]))
            .and_then(|m| m.get(&keys[2]));
        if let Some(found) = found {
            return self.resolve(found);
        }
        // AWS::LanguageExtensions: a fourth argument {DefaultValue: ...}.
        if let Some(default) = items.get(3).and_then(|d| d.get("DefaultValue")) {
            return self.resolve(default);
        }
        Some(self.malformed(
            node,
            format!(
                "FindInMap: mapping {} has no entry {} / {}",
                keys[0], keys[1], keys[2]
            ),
        ))
    }

    fn fn_if(&mut self, arg: Arg<'_>, node: &Node) -> Option<Value> {
        let Some([condition, then, otherwise]) = arg.items() else {
            return Some(self.malformed(node, "If takes a condition name and two values".into()));
        };
        let Some(name) = condition.str() else {
            return Some(self.malformed(
                node,
                "If: the first argument must be a condition name".into(),
            ));
        };
        match self.condition(name, condition) {
            Some(true) => self.resolve(then),
            Some(false) => self.resolve(otherwise),
            None => {
                let a = self.resolve(then);
                let b = self.resolve(otherwise);
                if a == b {
                    return a;
                }
                let what = render(node);
                Some(self.unknown(
                    &what,
                    format!("{what}: condition {name} is not decided before deploy"),
                ))
            }
        }
    }

    fn fn_base64(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let value = self.arg_value(arg).unwrap_or(Value::Null);
        match scalar_text(&value) {
            Some(t) if !crate::model::template::is_unknown(&t) => {
                Value::String(base64(t.as_bytes()))
            }
            _ => self.derived(node, &value),
        }
    }

    fn fn_import(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let name = self
            .arg_value(arg)
            .as_ref()
            .and_then(scalar_text)
            .unwrap_or_default();
        let what = if crate::model::template::is_unknown(&name) || name.is_empty() {
            render(node)
        } else {
            format!("!ImportValue {name}")
        };
        self.unknown(&what, format!("{what}: exported by another stack"))
    }

    fn fn_cidr(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let Some([block, count, bits]) = arg.items() else {
            return self.malformed(
                node,
                "Cidr takes an address block, a count and a number of subnet bits".into(),
            );
        };
        let values: Vec<Value> = [block, count, bits]
            .iter()
            .map(|n| self.resolve(n).unwrap_or(Value::Null))
            .collect();
        if let Some(unknown) = values.iter().find(|v| has_unknown(v)) {
            let unknown = unknown.clone();
            return self.derived(node, &unknown);
        }
        let texts: Vec<String> = values.iter().filter_map(scalar_text).collect();
        let parsed = match texts.as_slice() {
            [b, c, s] => c
                .parse::<u32>()
                .ok()
                .zip(s.parse::<u32>().ok())
                .and_then(|(c, s)| cidr(b, c, s)),
            _ => None,
        };
        match parsed {
            Some(list) => Value::Array(list.into_iter().map(Value::String).collect()),
            None => self.malformed(
                node,
                "Cidr: the block, count or size does not make subnets".into(),
            ),
        }
    }

    fn fn_length(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        match self.arg_value(arg) {
            Some(Value::Array(items)) => Value::Number(items.len().into()),
            Some(other) if has_unknown(&other) => self.derived(node, &other),
            _ => self.malformed(node, "Length takes a list".into()),
        }
    }

    fn fn_to_json(&mut self, arg: Arg<'_>, node: &Node) -> Value {
        let value = self.arg_value(arg).unwrap_or(Value::Null);
        if has_unknown(&value) {
            return self.derived(node, &value);
        }
        Value::String(value.to_string())
    }

    /// The resolved `Properties` of a resource (an empty object when it has none).
    pub fn props(&mut self, id: &str) -> Value {
        if let Some(v) = self.props.get(id) {
            return v.clone();
        }
        let value = match self.tpl.resource(id).and_then(|d| d.properties) {
            Some(node) => self.resolve(node).unwrap_or(Value::Null),
            None => Value::Null,
        };
        let value = if value.is_object() {
            value
        } else {
            Value::Object(Map::new())
        };
        self.props.insert(id.to_string(), value.clone());
        value
    }

    /// One property of a resource, resolved on its own (for a `Ref` to it).
    fn property(&mut self, id: &str, name: &str) -> Option<Value> {
        if let Some(props) = self.props.get(id) {
            return props.get(name).cloned();
        }
        let node = self.tpl.resource(id)?.properties?.get(name)?;
        self.resolve(node)
    }

    /// A known string property (`None` when unset or unknown).
    pub fn known_property(&mut self, id: &str, name: &str) -> Option<String> {
        if self.ref_stack.len() > MAX_REF_DEPTH || self.ref_stack.iter().any(|r| r == id) {
            return None;
        }
        self.ref_stack.push(id.to_string());
        let value = self.property(id, name);
        self.ref_stack.pop();
        value
            .as_ref()
            .and_then(scalar_text)
            .filter(|t| !crate::model::template::is_unknown(t))
    }

    /// What `!Ref` gives for a resource of the template: its physical name when the
    /// template fixes it (and, for queues and topics, the account and region are known),
    /// else a placeholder.
    pub fn ref_value(&mut self, id: &str) -> Value {
        if let Some(v) = self.refs.get(id) {
            return v.clone();
        }
        let resource_type = self.tpl.resource(id).map_or("", |d| d.resource_type);
        let known = self.physical_ref(id, resource_type);
        let value = match known {
            Some(text) => Value::String(text),
            None => self.unknown_id(
                &format!("!Ref {id}"),
                format!(
                    "!Ref {id}: the physical id of {id} ({resource_type}) is generated at deploy"
                ),
            ),
        };
        self.refs.insert(id.to_string(), value.clone());
        value
    }

    fn physical_ref(&mut self, id: &str, resource_type: &str) -> Option<String> {
        let name = |cx: &mut Self, property: &str| cx.known_property(id, property);
        match resource_type {
            "AWS::SQS::Queue" => {
                let queue = name(self, "QueueName")?;
                Some(format!(
                    "https://sqs.{}.{}/{}/{queue}",
                    self.region()?,
                    self.url_suffix(),
                    self.account()?
                ))
            }
            "AWS::SNS::Topic" => {
                let topic = name(self, "TopicName")?;
                self.regional_arn("sns", &topic)
            }
            "AWS::IAM::ManagedPolicy" => {
                let policy = name(self, "ManagedPolicyName")?;
                let path = name(self, "Path").unwrap_or_else(|| "/".into());
                self.global_arn("iam", &format!("policy{path}{policy}"))
            }
            other => name(self, name_property(other)?),
        }
    }

    /// `!GetAtt resource.attribute`: known for the ARNs and names regent can compute.
    pub fn attribute(&mut self, id: &str, attribute: &str) -> Value {
        let resource_type = self.tpl.resource(id).map_or("", |d| d.resource_type);
        if let Some(known) = self.known_attribute(id, resource_type, attribute) {
            return Value::String(known);
        }
        let what = format!("!GetAtt {id}.{attribute}");
        let why = format!("!GetAtt {id}.{attribute}: known after deploy");
        // An ARN, id or DNS name AWS assigns is a non-empty string, whatever it is.
        let name = attribute.rsplit('.').next().unwrap_or(attribute);
        if name.ends_with("Arn") || name.ends_with("Id") || name == "DNSName" {
            self.unknown_id(&what, why)
        } else {
            self.unknown(&what, why)
        }
    }

    fn known_attribute(
        &mut self,
        id: &str,
        resource_type: &str,
        attribute: &str,
    ) -> Option<String> {
        let named = |cx: &mut Self| match cx.ref_value(id) {
            Value::String(s) if !crate::model::template::is_unknown(&s) => Some(s),
            _ => None,
        };
        match (resource_type, attribute) {
            ("AWS::S3::Bucket", "Arn") => {
                Some(format!("arn:{}:s3:::{}", self.partition(), named(self)?))
            }
            ("AWS::IAM::Role", "Arn") | ("AWS::IAM::User", "Arn") | ("AWS::IAM::Group", "Arn") => {
                let name = named(self)?;
                let path = self
                    .known_property(id, "Path")
                    .unwrap_or_else(|| "/".into());
                let kind = resource_type
                    .rsplit("::")
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                self.global_arn("iam", &format!("{kind}{path}{name}"))
            }
            ("AWS::SQS::Queue", "Arn") => {
                let queue = self.known_property(id, "QueueName")?;
                self.regional_arn("sqs", &queue)
            }
            ("AWS::SQS::Queue", "QueueName") => self.known_property(id, "QueueName"),
            ("AWS::SQS::Queue", "QueueUrl") => named(self),
            ("AWS::SNS::Topic", "TopicArn") => named(self),
            ("AWS::SNS::Topic", "TopicName") => self.known_property(id, "TopicName"),
            ("AWS::Lambda::Function", "Arn") => {
                let name = named(self)?;
                self.regional_arn("lambda", &format!("function:{name}"))
            }
            ("AWS::DynamoDB::Table", "Arn") => {
                let name = named(self)?;
                self.regional_arn("dynamodb", &format!("table/{name}"))
            }
            ("AWS::CloudTrail::Trail", "Arn") => {
                let name = named(self)?;
                self.regional_arn("cloudtrail", &format!("trail/{name}"))
            }
            _ => None,
        }
    }
}

/// The property that names a resource (what `!Ref` gives when set), by type.
pub fn name_property(resource_type: &str) -> Option<&'static str> {
    Some(match resource_type {
        "AWS::S3::Bucket" => "BucketName",
        "AWS::IAM::Role" => "RoleName",
        "AWS::IAM::User" => "UserName",
        "AWS::IAM::Group" => "GroupName",
        "AWS::Lambda::Function" => "FunctionName",
        "AWS::DynamoDB::Table" => "TableName",
        "AWS::CloudTrail::Trail" => "TrailName",
        "AWS::RDS::DBInstance" => "DBInstanceIdentifier",
        "AWS::RDS::DBCluster" => "DBClusterIdentifier",
        _ => return None,
    })
}

/// Standard base64 (for `Fn::Base64`).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Fn::Cidr`: `count` subnets of `bits` host bits each, from the start of `block`.
fn cidr(block: &str, count: u32, bits: u32) -> Option<Vec<String>> {
    let (address, prefix) = block.split_once('/')?;
    let prefix: u32 = prefix.parse().ok()?;
    let (start, width) = match address.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        std::net::IpAddr::V6(a) => (u128::from(a), 128),
    };
    if count == 0 || count > 256 || bits == 0 || prefix > width || width - prefix < bits {
        return None;
    }
    // How many subnets of that size the block holds (enough when the exponent is large).
    let room = width - prefix - bits;
    if room < 16 && count > (1u32 << room) {
        return None;
    }
    let host_bits = width - prefix;
    let mask = if host_bits >= 128 {
        0
    } else {
        !((1u128 << host_bits) - 1)
    };
    let base = start & mask;
    Some(
        (0..u128::from(count))
            .map(|i| {
                let net = base + (i << bits);
                let address = if width == 32 {
                    std::net::Ipv4Addr::from(net as u32).to_string()
                } else {
                    std::net::Ipv6Addr::from(net).to_string()
                };
                format!("{address}/{}", width - bits)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"#!/bin/bash\n"), "IyEvYmluL2Jhc2gK");
    }

    #[test]
    fn cidr_splits_blocks() {
        assert_eq!(
            cidr("10.0.0.0/16", 3, 8).unwrap(),
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
        );
        assert_eq!(
            cidr("192.168.0.0/24", 2, 6).unwrap(),
            ["192.168.0.0/26", "192.168.0.64/26"]
        );
        assert_eq!(
            cidr("2001:db8::/56", 2, 64).unwrap(),
            ["2001:db8::/64", "2001:db8:0:1::/64"]
        );
        assert!(cidr("10.0.0.0/30", 4, 8).is_none());
    }
}
