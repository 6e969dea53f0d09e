//! What converting one template carries: its sections, the parameters' values, the
//! problems found so far, and what each unknown placeholder stands for.

use super::template::Template;
use crate::diagnostics::{Code, Problem};
use crate::model::template::{unknown, TemplateOptions};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// At most this many problems per template; then one saying how many more there were.
const MAX_PROBLEMS: usize = 100;

/// The pseudo parameters (`--parameter AWS::Region=eu-west-1` sets them).
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::Region",
    "AWS::Partition",
    "AWS::URLSuffix",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
];

/// A parameter's value: known (text, or a list for list types) or not before deploy.
#[derive(Debug, Clone)]
pub enum Param {
    Known(Value),
    Unknown { why: String },
}

pub struct Cx<'t> {
    pub tpl: &'t Template<'t>,
    pub source: &'t str,
    pub text: &'t str,
    pub options: &'t TemplateOptions,
    pub params: HashMap<String, Param>,
    pub problems: Vec<Problem>,
    /// Problems not kept past `MAX_PROBLEMS`.
    pub problems_dropped: usize,
    /// Placeholder text → why the value is unknown (for `Resource::unknowns`).
    pub whys: HashMap<String, String>,
    pub(super) conditions: HashMap<String, Option<bool>>,
    pub(super) condition_stack: Vec<String>,
    pub(super) refs: HashMap<String, Value>,
    pub(super) ref_stack: Vec<String>,
    pub(super) props: HashMap<String, Value>,
    /// Places already reported, so a node resolved twice (a resource's properties read by
    /// another) reports once.
    pub(super) reported: HashSet<(usize, usize, String)>,
}

impl<'t> Cx<'t> {
    pub fn new(
        tpl: &'t Template<'t>,
        source: &'t str,
        text: &'t str,
        options: &'t TemplateOptions,
    ) -> Self {
        let mut cx = Cx {
            tpl,
            source,
            text,
            options,
            params: HashMap::new(),
            problems: Vec::new(),
            problems_dropped: 0,
            whys: HashMap::new(),
            conditions: HashMap::new(),
            condition_stack: Vec::new(),
            refs: HashMap::new(),
            ref_stack: Vec::new(),
            props: HashMap::new(),
            reported: HashSet::new(),
        };
        cx.read_parameters();
        cx
    }

    /// A `template::invalid` problem at a place of the file.
    pub fn invalid(&mut self, line: usize, column: usize, message: impl Into<String>) {
        let message = message.into();
        self.problem_at(Code::TemplateInvalid, line, column, message, None);
    }

    pub fn problem_at(
        &mut self,
        code: Code,
        line: usize,
        column: usize,
        message: String,
        help: Option<String>,
    ) {
        if !self.reported.insert((line, column, message.clone())) {
            return;
        }
        if self.problems.len() >= MAX_PROBLEMS {
            self.problems_dropped += 1;
            return;
        }
        let label = message.clone();
        let mut problem = Problem::new(code, self.source, message).at(
            self.text,
            line.max(1),
            column.max(1),
            label,
        );
        problem.help = Some(help.unwrap_or_else(|| {
            "fix the template here; its other resources are still judged".into()
        }));
        self.problems.push(problem);
    }

    /// A problem without a place in the file (a `--parameter`).
    pub fn problem(&mut self, code: Code, message: String, help: String) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.problems_dropped += 1;
            return;
        }
        self.problems
            .push(Problem::new(code, self.source, message).with_help(help));
    }

    /// The placeholder for a value not known before deploy: `what` names it (it is the
    /// placeholder's text), `why` explains it in the item's list of unknowns.
    pub fn unknown(&mut self, what: &str, why: impl Into<String>) -> Value {
        let placeholder = unknown(what);
        if let Value::String(text) = &placeholder {
            self.whys.entry(text.clone()).or_insert_with(|| why.into());
        }
        placeholder
    }

    /// The placeholder for an identifier AWS assigns at deploy (`template::unknown_id`).
    pub fn unknown_id(&mut self, what: &str, why: impl Into<String>) -> Value {
        let placeholder = crate::model::template::unknown_id(what);
        if let Value::String(text) = &placeholder {
            self.whys.entry(text.clone()).or_insert_with(|| why.into());
        }
        placeholder
    }

    /// Why a placeholder is there (its text when nothing was said).
    pub fn why(&self, placeholder: &str) -> String {
        self.whys.get(placeholder).cloned().unwrap_or_else(|| {
            crate::model::template::unknown_what(placeholder)
                .unwrap_or(placeholder)
                .to_string()
        })
    }

    /// A `--parameter` value (also for pseudo parameters).
    pub fn given(&self, name: &str) -> Option<&'t str> {
        self.options.parameters.get(name).map(String::as_str)
    }

    pub fn account(&self) -> Option<&'t str> {
        self.given("AWS::AccountId")
    }

    pub fn region(&self) -> Option<&'t str> {
        self.given("AWS::Region")
    }

    /// `aws` unless told, or unless the region is a China or GovCloud one.
    pub fn partition(&self) -> &'t str {
        if let Some(p) = self.given("AWS::Partition") {
            return p;
        }
        match self.region() {
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        }
    }

    pub fn url_suffix(&self) -> &'t str {
        self.given("AWS::URLSuffix")
            .unwrap_or(if self.partition() == "aws-cn" {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            })
    }

    /// A regional ARN, when the account and region are known.
    pub fn regional_arn(&self, service: &str, resource: &str) -> Option<String> {
        Some(format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition(),
            self.region()?,
            self.account()?
        ))
    }

    /// A global (IAM) ARN, when the account is known.
    pub fn global_arn(&self, service: &str, resource: &str) -> Option<String> {
        Some(format!(
            "arn:{}:{service}::{}:{resource}",
            self.partition(),
            self.account()?
        ))
    }

    /// The value of a pseudo parameter (`None` inside for `AWS::NoValue`).
    pub fn pseudo(&mut self, name: &str) -> Option<Option<Value>> {
        let given = self.given(name).map(|v| Value::String(v.to_string()));
        let value = match name {
            "AWS::NoValue" => return Some(None),
            "AWS::Partition" => Value::String(self.partition().into()),
            "AWS::URLSuffix" => Value::String(self.url_suffix().into()),
            "AWS::NotificationARNs" => match given {
                Some(Value::String(list)) => Value::Array(
                    list.split(',')
                        .map(|s| Value::String(s.trim().to_string()))
                        .collect(),
                ),
                _ => self.unknown(
                    "!Ref AWS::NotificationARNs",
                    "!Ref AWS::NotificationARNs: the stack's notification topics are set at deploy",
                ),
            },
            "AWS::AccountId" | "AWS::Region" | "AWS::StackName" | "AWS::StackId" => match given {
                Some(v) => v,
                None => self.unknown(
                    &format!("!Ref {name}"),
                    format!("!Ref {name}: not known before deploy (give it with --parameter {name}=...)"),
                ),
            },
            _ => return None,
        };
        Some(Some(value))
    }
}

/// Whether a value holds a placeholder anywhere.
pub fn has_unknown(value: &Value) -> bool {
    match value {
        Value::String(s) => crate::model::template::is_unknown(s),
        Value::Array(items) => items.iter().any(has_unknown),
        Value::Object(map) => map.values().any(has_unknown),
        _ => false,
    }
}

/// The first placeholder in a value.
pub fn first_unknown(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) if crate::model::template::is_unknown(s) => Some(s),
        Value::Array(items) => items.iter().find_map(first_unknown),
        Value::Object(map) => map.values().find_map(first_unknown),
        _ => None,
    }
}

/// A scalar as text, as CloudFormation compares and joins them.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
