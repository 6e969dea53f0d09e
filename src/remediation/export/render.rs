//! The export's JSON: PutRemediationConfigurations request bodies, or a CloudFormation or
//! conformance pack template of the rules and their remediations.

use super::limits::CONFIGURATIONS_PER_REQUEST;
use super::options::{ExportOptions, Format};
use super::rule::{RuleSource, RuleSpec};
use super::runbook::{Param, RemediationSpec, StaticValue};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The template parameter for regent's Lambda handler, the source of custom rules.
pub const FUNCTION_PARAMETER: &str = "RegentFunctionArn";

/// The request bodies, at most 25 configurations each, in control order.
pub fn requests(remediations: &[RemediationSpec]) -> Value {
    let requests: Vec<Value> = remediations
        .chunks(CONFIGURATIONS_PER_REQUEST)
        .map(|chunk| {
            let configurations: Vec<Value> = chunk
                .iter()
                .map(|spec| configuration(spec, json!(spec.rule_name), Format::Config))
                .collect();
            json!({ "RemediationConfigurations": configurations })
        })
        .collect();
    Value::Array(requests)
}

/// A template: per control its rule, and its remediation where AWS Config can run it.
pub fn template(
    rules: &[RuleSpec],
    remediations: &[RemediationSpec],
    setting_parameters: &BTreeMap<String, String>,
    options: &ExportOptions,
) -> Value {
    let format = options.format;
    let mut resources = Map::new();
    for rule in rules {
        resources.insert(rule.logical_id.clone(), rule_resource(rule, options));
    }
    for spec in remediations {
        resources.insert(spec.logical_id.clone(), remediation_resource(spec, format));
    }
    let mut parameters = Map::new();
    if rules.iter().any(|r| r.source == RuleSource::Custom) {
        parameters.insert(
            FUNCTION_PARAMETER.to_string(),
            json!({
                "Type": "String",
                "Description": "The ARN of regent's Lambda handler (deploy/config-rules.yaml), which AWS Config must be allowed to invoke",
            }),
        );
    }
    for (setting, logical) in setting_parameters {
        parameters.insert(
            logical.clone(),
            json!({
                "Type": "String",
                "Description": format!("regent setting {setting} ({{{{settings.{setting}}}}} in runbook parameters)"),
            }),
        );
    }
    let mut template = Map::new();
    // Conformance pack templates hold only Parameters and Resources (AWS's own packs).
    if format == Format::CloudFormation {
        template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        template.insert(
            "Description".into(),
            json!("regent controls as AWS Config rules, with their remediations (regent remediate export)"),
        );
    }
    if !parameters.is_empty() {
        template.insert("Parameters".into(), Value::Object(parameters));
    }
    template.insert("Resources".into(), Value::Object(resources));
    Value::Object(template)
}

fn rule_resource(rule: &RuleSpec, options: &ExportOptions) -> Value {
    let mut properties = Map::new();
    properties.insert("ConfigRuleName".into(), json!(rule.name));
    properties.insert("Description".into(), json!(rule.description));
    properties.insert("Source".into(), source(rule, options));
    if !rule.resource_types.is_empty() {
        properties.insert(
            "Scope".into(),
            json!({ "ComplianceResourceTypes": rule.resource_types }),
        );
    }
    if !rule.input_parameters.is_empty() {
        properties.insert("InputParameters".into(), json!(rule.input_parameters));
    }
    if rule.periodic {
        properties.insert("MaximumExecutionFrequency".into(), json!(options.frequency));
    }
    json!({ "Type": "AWS::Config::ConfigRule", "Properties": properties })
}

fn source(rule: &RuleSpec, options: &ExportOptions) -> Value {
    match &rule.source {
        RuleSource::Managed(identifier) => {
            json!({ "Owner": "AWS", "SourceIdentifier": identifier })
        }
        RuleSource::Custom => {
            let details: Vec<Value> = if rule.periodic {
                vec![json!({
                    "EventSource": "aws.config",
                    "MessageType": "ScheduledNotification",
                    "MaximumExecutionFrequency": options.frequency,
                })]
            } else {
                [
                    "ConfigurationItemChangeNotification",
                    "OversizedConfigurationItemChangeNotification",
                ]
                .iter()
                .map(|message| json!({ "EventSource": "aws.config", "MessageType": message }))
                .collect()
            };
            json!({
                "Owner": "CUSTOM_LAMBDA",
                "SourceIdentifier": { "Ref": FUNCTION_PARAMETER },
                "SourceDetails": details,
            })
        }
    }
}

fn remediation_resource(spec: &RemediationSpec, format: Format) -> Value {
    match format {
        // AWS's conformance packs name the rule and depend on it; the rule's name
        // there is the pack's to extend.
        Format::ConformancePack => json!({
            "Type": "AWS::Config::RemediationConfiguration",
            "DependsOn": spec.rule_logical_id,
            "Properties": configuration(spec, json!(spec.rule_name), format),
        }),
        _ => json!({
            "Type": "AWS::Config::RemediationConfiguration",
            "Properties": configuration(spec, json!({ "Ref": spec.rule_logical_id }), format),
        }),
    }
}

/// One `RemediationConfiguration`, as the API and CloudFormation both spell it.
fn configuration(spec: &RemediationSpec, rule_name: Value, format: Format) -> Value {
    let parameters: Map<String, Value> = spec
        .parameters
        .iter()
        .map(|(name, param)| (name.clone(), parameter(param, format)))
        .collect();
    let mut out = Map::new();
    out.insert("ConfigRuleName".into(), rule_name);
    out.insert("TargetType".into(), json!("SSM_DOCUMENT"));
    out.insert("TargetId".into(), json!(spec.runbook));
    out.insert("Parameters".into(), Value::Object(parameters));
    if let Some(resource_type) = &spec.resource_type {
        out.insert("ResourceType".into(), json!(resource_type));
    }
    out.insert("Automatic".into(), json!(spec.automatic));
    out.insert(
        "ExecutionControls".into(),
        json!({ "SsmControls": {
            "ConcurrentExecutionRatePercentage": spec.concurrent_execution_rate_percentage,
            "ErrorPercentage": spec.error_percentage,
        }}),
    );
    out.insert(
        "MaximumAutomaticAttempts".into(),
        json!(spec.maximum_automatic_attempts),
    );
    out.insert(
        "RetryAttemptSeconds".into(),
        json!(spec.retry_attempt_seconds),
    );
    Value::Object(out)
}

fn parameter(param: &Param, format: Format) -> Value {
    match param {
        Param::ResourceId => json!({ "ResourceValue": { "Value": "RESOURCE_ID" } }),
        Param::Static(values) => {
            let values: Vec<Value> = values.iter().map(|v| static_value(v, format)).collect();
            json!({ "StaticValue": { "Values": values } })
        }
    }
}

fn static_value(value: &StaticValue, format: Format) -> Value {
    match value {
        StaticValue::Literal(text) => json!(text),
        // Only templates hold these (the config format resolves every value to text).
        StaticValue::Ref(name) if format.is_template() => json!({ "Ref": name }),
        StaticValue::Sub(text) if format.is_template() => json!({ "Fn::Sub": text }),
        StaticValue::Ref(text) | StaticValue::Sub(text) => json!(text),
    }
}
