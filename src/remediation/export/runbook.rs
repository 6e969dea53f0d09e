//! A control's runbook as an AWS Config remediation configuration. AWS Config fills one
//! value into a runbook parameter, the resource id (`RESOURCE_ID`); everything else is a
//! static value fixed when the configuration is written. So `{{resourceId}}` (and
//! `{{resourceName}}` or `{{ARN}}` where the type's resource id is that) become the
//! resource value, constants and settings static values, and a control whose parameters
//! need another value of the item (`{{configuration.x}}`, most ARNs) is left out.

use super::options::{ExportOptions, Format};
use crate::policy::metadata::{template_parts, Remediation, TemplatePart};
use crate::policy::Control;
use serde_json::Value;
use std::collections::BTreeMap;

/// Resource types whose AWS Config resource id is the resource's name, so a parameter of
/// `{{resourceName}}` can take `RESOURCE_ID`. Each is seen so in recorded items
/// (../shared/fixtures-external: `resourceId` equals `resourceName`); for the others the
/// id is an ARN (SNS topics, load balancers), a generated id (IAM `AIDA...`, RDS
/// `db-...`) or unknown.
pub const RESOURCE_ID_IS_NAME: &[&str] = &[
    "AWS::DynamoDB::Table",
    "AWS::Lambda::Function",
    "AWS::RDS::DBSnapshot",
    "AWS::Redshift::Cluster",
    "AWS::S3::Bucket",
];

/// Resource types whose AWS Config resource id is the resource's ARN, so a parameter of
/// `{{ARN}}` can take `RESOURCE_ID` (recorded items again: `resourceId` equals `ARN`).
pub const RESOURCE_ID_IS_ARN: &[&str] = &[
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::SNS::Topic",
];

/// The parameter an automatic remediation must have, and that a conformance pack takes
/// only as a literal ARN ("AWS Config does not support AWS CloudFormation intrinsic
/// functions for the automation execution role", Config developer guide, conformance pack
/// prerequisites).
pub const AUTOMATION_ROLE: &str = "AutomationAssumeRole";

/// One remediation configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct RemediationSpec {
    pub control_id: String,
    pub file: String,
    pub rule_name: String,
    pub rule_logical_id: String,
    pub logical_id: String,
    pub runbook: String,
    /// `ResourceType`, when the control judges one type.
    pub resource_type: Option<String>,
    pub parameters: BTreeMap<String, Param>,
    pub automatic: bool,
    pub maximum_automatic_attempts: u32,
    pub retry_attempt_seconds: u32,
    pub concurrent_execution_rate_percentage: u32,
    pub error_percentage: u32,
}

/// A runbook parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// `ResourceValue` `RESOURCE_ID`.
    ResourceId,
    /// `StaticValue` `Values`.
    Static(Vec<StaticValue>),
}

/// One static value: text, or (in templates) what the stack fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticValue {
    Literal(String),
    /// `Ref` of a template parameter or pseudo parameter (`AWS::AccountId`).
    Ref(String),
    /// `Fn::Sub` of text with `${...}` in it.
    Sub(String),
}

/// Turns templates into parameter values for one export, collecting the settings nobody
/// gave and the template parameters that stand for them.
pub struct Resolver<'a> {
    options: &'a ExportOptions,
    /// Settings nobody gave where no template parameter can stand for them: by setting,
    /// the `ID (parameter)` that need it.
    pub missing: BTreeMap<String, Vec<String>>,
    /// Template parameters standing for settings nobody gave: setting -> logical id.
    pub setting_parameters: BTreeMap<String, String>,
}

/// How a value may be given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Only as text (API requests; a conformance pack's automation role).
    Literal,
    /// Text, or what the stack fills in.
    Template,
}

impl<'a> Resolver<'a> {
    pub fn new(options: &'a ExportOptions) -> Self {
        Resolver {
            options,
            missing: BTreeMap::new(),
            setting_parameters: BTreeMap::new(),
        }
    }

    /// The remediation configuration of `control`'s runbook for its rule, or why AWS
    /// Config cannot run it.
    pub fn remediation(
        &mut self,
        control: &Control,
        remediation: &Remediation,
        rule_name: &str,
        rule_logical_id: &str,
        logical_base: &str,
    ) -> Result<RemediationSpec, String> {
        // A control left out needs no setting and no template parameter.
        let before = (self.missing.clone(), self.setting_parameters.clone());
        let mut parameters = BTreeMap::new();
        for (name, template) in &remediation.parameters {
            match self.parameter(control, name, template) {
                Ok(Some(param)) => {
                    parameters.insert(name.to_string(), param);
                }
                Ok(None) => {}
                Err(reason) => {
                    (self.missing, self.setting_parameters) = before;
                    return Err(reason);
                }
            }
        }
        let types = &control.meta.resource_types;
        Ok(RemediationSpec {
            control_id: control.meta.id.clone(),
            file: control.file.path.clone(),
            rule_name: rule_name.to_string(),
            rule_logical_id: rule_logical_id.to_string(),
            logical_id: format!("Remediation{logical_base}"),
            runbook: remediation.runbook.to_string(),
            resource_type: (types.len() == 1).then(|| types[0].clone()),
            parameters,
            automatic: remediation.automatic,
            maximum_automatic_attempts: remediation.maximum_automatic_attempts,
            retry_attempt_seconds: remediation.retry_attempt_seconds,
            concurrent_execution_rate_percentage: remediation.concurrent_execution_rate_percentage,
            error_percentage: remediation.error_percentage,
        })
    }

    /// One parameter's value (none for null), or why it cannot be given.
    fn parameter(
        &mut self,
        control: &Control,
        name: &str,
        template: &Value,
    ) -> Result<Option<Param>, String> {
        let mode = match self.options.format {
            Format::Config => Mode::Literal,
            Format::ConformancePack if name == AUTOMATION_ROLE => Mode::Literal,
            _ => Mode::Template,
        };
        let text = match template {
            Value::Null => return Ok(None),
            Value::String(text) => text,
            constant => return Ok(Some(Param::Static(literals(constant)))),
        };
        let segments = template_parts(text);
        if let [TemplatePart::Variable(variable)] = segments.as_slice() {
            return self.whole(control, name, variable, mode).map(Some);
        }
        // Each piece's text, and whether the stack fills it in (`${...}`).
        let mut pieces: Vec<(String, bool)> = Vec::new();
        for segment in segments {
            pieces.push(match segment {
                TemplatePart::Text(text) => (text.to_string(), false),
                TemplatePart::Variable(variable) => {
                    self.inside_text(control, name, variable, mode)?
                }
            });
        }
        let value = if pieces.iter().any(|(_, filled)| *filled) {
            // Fn::Sub reads `${` in the text as a variable unless written `${!`.
            let escaped = |(text, filled): &(String, bool)| {
                if *filled {
                    text.clone()
                } else {
                    text.replace("${", "${!")
                }
            };
            StaticValue::Sub(pieces.iter().map(escaped).collect())
        } else {
            StaticValue::Literal(pieces.into_iter().map(|(text, _)| text).collect())
        };
        Ok(Some(Param::Static(vec![value])))
    }

    /// A parameter that is exactly one variable (`{{resourceId}}`).
    fn whole(
        &mut self,
        control: &Control,
        name: &str,
        variable: &str,
        mode: Mode,
    ) -> Result<Param, String> {
        match variable {
            "resourceId" => Ok(Param::ResourceId),
            "resourceName" | "ARN" => {
                let (types, what) = if variable == "ARN" {
                    (RESOURCE_ID_IS_ARN, "ARN")
                } else {
                    (RESOURCE_ID_IS_NAME, "name")
                };
                match type_whose_id_is_not(control, types) {
                    None => Ok(Param::ResourceId),
                    Some(kind) => Err(format!(
                        "runbook parameter {name} needs {{{{{variable}}}}}, and the AWS Config resource id of {kind} is not its {what} (AWS Config passes a runbook only the resource id; regent remediate apply can run it)"
                    )),
                }
            }
            "awsAccountId" | "awsRegion" => {
                let value = self.pseudo(name, variable, mode)?;
                Ok(Param::Static(vec![value]))
            }
            other => match other.strip_prefix("settings.") {
                Some(setting) => Ok(Param::Static(self.setting(control, name, setting, mode))),
                None => Err(only_resource_id(name, other)),
            },
        }
    }

    /// A variable inside other text: its text, and whether the stack fills it in (then
    /// the text is `${...}` for `Fn::Sub`).
    fn inside_text(
        &mut self,
        control: &Control,
        name: &str,
        variable: &str,
        mode: Mode,
    ) -> Result<(String, bool), String> {
        match variable {
            "resourceId" | "resourceName" | "ARN" => Err(format!(
                "runbook parameter {name} has {{{{{variable}}}}} inside other text; AWS Config passes the resource id only as a whole value"
            )),
            "awsAccountId" | "awsRegion" => Ok(match self.pseudo(name, variable, mode)? {
                StaticValue::Literal(text) => (text, false),
                StaticValue::Ref(pseudo) | StaticValue::Sub(pseudo) => {
                    (format!("${{{pseudo}}}"), true)
                }
            }),
            other => match other.strip_prefix("settings.") {
                Some(setting) => Ok(match self.options.settings.get(setting) {
                    Some(value) => (text_of(value), false),
                    None => match self.stand_in(control, name, setting, mode) {
                        Some(logical) => (format!("${{{logical}}}"), true),
                        None => (String::new(), false),
                    },
                }),
                None => Err(only_resource_id(name, other)),
            },
        }
    }

    /// `{{awsAccountId}}` or `{{awsRegion}}`: in a template the stack's, else the one given.
    fn pseudo(&self, name: &str, variable: &str, mode: Mode) -> Result<StaticValue, String> {
        let (given, pseudo, option) = if variable == "awsAccountId" {
            (&self.options.account, "AWS::AccountId", "--account")
        } else {
            (&self.options.region, "AWS::Region", "--region")
        };
        match (mode, given) {
            // A template stays the stack's own, wherever it is deployed.
            (Mode::Template, _) => Ok(StaticValue::Ref(pseudo.to_string())),
            (Mode::Literal, Some(value)) => Ok(StaticValue::Literal(value.clone())),
            (Mode::Literal, None) => Err(format!(
                "runbook parameter {name} needs {{{{{variable}}}}} and the export was given none ({option})"
            )),
        }
    }

    /// A parameter that is exactly one setting: its values, a template parameter, or
    /// (recorded as missing) nothing.
    fn setting(
        &mut self,
        control: &Control,
        name: &str,
        setting: &str,
        mode: Mode,
    ) -> Vec<StaticValue> {
        match self.options.settings.get(setting) {
            Some(value) => literals(value),
            None => match self.stand_in(control, name, setting, mode) {
                Some(logical) => vec![StaticValue::Ref(logical)],
                None => Vec::new(),
            },
        }
    }

    /// The template parameter standing for a setting nobody gave, or none (recorded as
    /// missing) where only text will do.
    fn stand_in(
        &mut self,
        control: &Control,
        name: &str,
        setting: &str,
        mode: Mode,
    ) -> Option<String> {
        if mode == Mode::Literal {
            self.missing
                .entry(setting.to_string())
                .or_default()
                .push(format!("{} ({name})", control.meta.id));
            return None;
        }
        if let Some(logical) = self.setting_parameters.get(setting) {
            return Some(logical.clone());
        }
        let base = format!("Setting{}", camel_case(setting));
        let mut logical = base.clone();
        let mut n = 2;
        while self
            .setting_parameters
            .values()
            .any(|taken| *taken == logical)
        {
            logical = format!("{base}N{n}");
            n += 1;
        }
        self.setting_parameters
            .insert(setting.to_string(), logical.clone());
        Some(logical)
    }
}

/// A constant's static values: a list's elements, anything else as its text.
fn literals(value: &Value) -> Vec<StaticValue> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|i| StaticValue::Literal(text_of(i)))
            .collect(),
        other => vec![StaticValue::Literal(text_of(other))],
    }
}

/// A value as text: a string as it is, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The first of the control's resource types whose resource id is not what `types` say
/// it is (every type of the control must be one of them).
fn type_whose_id_is_not<'c>(control: &'c Control, types: &[&str]) -> Option<&'c str> {
    control
        .meta
        .resource_types
        .iter()
        .find(|t| !types.contains(&t.as_str()))
        .map(String::as_str)
}

fn only_resource_id(name: &str, variable: &str) -> String {
    format!(
        "runbook parameter {name} needs {{{{{variable}}}}}; AWS Config passes a runbook only the resource id (regent remediate apply can run it)"
    )
}

/// `remediation_role_arn` -> `RemediationRoleArn`.
fn camel_case(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
