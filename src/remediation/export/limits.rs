//! AWS's limits on what an export holds, checked before anything is written: cfn-lint
//! does not check these values, and AWS Config refuses a whole request (or rolls a whole
//! stack back) over one of them. The limits are those of the Config API's model
//! (`PutRemediationConfigurations`, `RemediationConfiguration`, `SsmControls`,
//! `ConfigRule`) and of CloudFormation and conformance pack templates.

use super::options::{Format, FREQUENCIES};
use super::rule::{RuleSource, RuleSpec};
use super::runbook::{Param, RemediationSpec, StaticValue, AUTOMATION_ROLE};
use crate::diagnostics::{Code, Problem};
use serde_json::Value;

/// `RemediationConfigurations` of one `PutRemediationConfigurations` call.
pub const CONFIGURATIONS_PER_REQUEST: usize = 25;
/// `ConfigRuleName`.
const RULE_NAME: (usize, usize) = (1, 128);
/// `TargetId`, `SourceIdentifier`, a parameter's name, one static value, one resource type
/// (`StringWithCharLimit256`).
const SHORT_TEXT: (usize, usize) = (1, 256);
/// `InputParameters` (`StringWithCharLimit1024`), as JSON text.
const INPUT_PARAMETERS_MAX: usize = 1024;
/// `MaximumAutomaticAttempts` (`AutoRemediationAttempts`).
const ATTEMPTS: (u32, u32) = (1, 25);
/// `RetryAttemptSeconds` (`AutoRemediationAttemptSeconds`).
const RETRY_SECONDS: (u32, u32) = (1, 2_678_000);
/// `ConcurrentExecutionRatePercentage` and `ErrorPercentage` (`Percentage`).
const PERCENTAGE: (u32, u32) = (1, 100);
/// `Parameters` (`RemediationParameters`) and a `StaticValue`'s `Values`.
const PARAMETERS_MAX: usize = 25;
const STATIC_VALUES_MAX: usize = 25;
/// `Scope.ComplianceResourceTypes`.
const RESOURCE_TYPES_MAX: usize = 100;
/// CloudFormation: resources and parameters of one template, and a template's size when
/// given by S3 URL (1 MB).
const TEMPLATE_RESOURCES_MAX: usize = 500;
const TEMPLATE_PARAMETERS_MAX: usize = 200;
const TEMPLATE_BYTES_MAX: usize = 1_000_000;
/// Conformance packs: input parameters of a custom pack (`PutConformancePack`), and a
/// template's size given by S3 URI (300 KB).
const PACK_PARAMETERS_MAX: usize = 60;
const PACK_BYTES_MAX: usize = 300_000;

/// Where problems about the export as a whole point.
const EXPORT: &str = "remediate export";

fn invalid(file: &str, message: String) -> Problem {
    Problem::new(Code::RemediationExportInvalid, file, message)
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn outside<T: PartialOrd>(value: T, (min, max): (T, T)) -> bool {
    value < min || value > max
}

/// The options' own values.
pub fn check_frequency(frequency: &str) -> Vec<Problem> {
    if FREQUENCIES.contains(&frequency) {
        return Vec::new();
    }
    vec![invalid(
        EXPORT,
        format!("the maximum execution frequency `{frequency}` is not one AWS Config takes"),
    )
    .with_help(format!("use one of {}", FREQUENCIES.join(", ")))]
}

/// A rule's name, source, scope and (in templates) input parameters.
pub fn check_rule(rule: &RuleSpec, format: Format) -> Vec<Problem> {
    let mut problems = Vec::new();
    let id = &rule.control_id;
    let mut refuse = |message: String, help: &str| {
        problems.push(invalid(&rule.file, format!("{id}: {message}")).with_help(help));
    };
    if outside(chars(&rule.name), RULE_NAME) || rule.name.trim().is_empty() {
        refuse(
            format!(
                "its rule name `{}` has {} characters; AWS Config takes 1 to 128",
                rule.name,
                chars(&rule.name)
            ),
            "give a shorter --rule-prefix",
        );
    }
    if !format.is_template() {
        return problems;
    }
    if let RuleSource::Managed(identifier) = &rule.source {
        if outside(chars(identifier), SHORT_TEXT) {
            refuse(
                format!("config_rule `{identifier}` is not 1 to 256 characters"),
                "name the AWS managed rule's identifier in the control's metadata",
            );
        }
    }
    if rule.resource_types.len() > RESOURCE_TYPES_MAX
        || rule
            .resource_types
            .iter()
            .any(|t| outside(chars(t), SHORT_TEXT))
    {
        refuse(
            format!(
                "its {} resource types are more than the 100 a rule's scope takes, or one is longer than 256 characters",
                rule.resource_types.len()
            ),
            "split the control",
        );
    }
    let input = serde_json::to_string(&rule.input_parameters).unwrap_or_default();
    if !rule.input_parameters.is_empty() && chars(&input) > INPUT_PARAMETERS_MAX {
        refuse(
            format!(
                "its rule's InputParameters are {} characters of JSON; AWS Config takes at most 1024",
                chars(&input)
            ),
            "shorten the parameter values in regent.toml (or the defaults)",
        );
    }
    problems
}

/// A remediation configuration's runbook, parameters and execution controls.
pub fn check_remediation(spec: &RemediationSpec) -> Vec<Problem> {
    let mut problems = Vec::new();
    let id = &spec.control_id;
    let mut refuse = |message: String, help: String| {
        problems.push(invalid(&spec.file, format!("{id}: {message}")).with_help(help));
    };
    let metadata = |key: &str| format!("change `remediation.{key}` in the control's metadata");
    if outside(chars(&spec.runbook), SHORT_TEXT) {
        refuse(
            format!(
                "runbook `{}` (TargetId) is not 1 to 256 characters",
                spec.runbook
            ),
            metadata("runbook"),
        );
    }
    for (key, field, value, range) in [
        (
            "maximum_automatic_attempts",
            "MaximumAutomaticAttempts",
            spec.maximum_automatic_attempts,
            ATTEMPTS,
        ),
        (
            "retry_attempt_seconds",
            "RetryAttemptSeconds",
            spec.retry_attempt_seconds,
            RETRY_SECONDS,
        ),
        (
            "concurrent_execution_rate_percentage",
            "ConcurrentExecutionRatePercentage",
            spec.concurrent_execution_rate_percentage,
            PERCENTAGE,
        ),
        (
            "error_percentage",
            "ErrorPercentage",
            spec.error_percentage,
            PERCENTAGE,
        ),
    ] {
        if outside(value, range) {
            refuse(
                format!(
                    "{key} ({field}) is {value}; AWS Config takes {} to {}",
                    range.0, range.1
                ),
                metadata(key),
            );
        }
    }
    if spec.parameters.len() > PARAMETERS_MAX {
        refuse(
            format!(
                "its runbook has {} parameters; AWS Config takes at most 25",
                spec.parameters.len()
            ),
            metadata("parameters"),
        );
    }
    for (name, param) in &spec.parameters {
        if let Some(why) = parameter_fault(name, param) {
            refuse(
                format!("runbook parameter {name}: {why}"),
                metadata("parameters"),
            );
        }
    }
    if spec.automatic && !spec.parameters.contains_key(AUTOMATION_ROLE) {
        refuse(
            format!("its remediation is automatic but its runbook has no {AUTOMATION_ROLE} parameter, which AWS Config requires for automatic remediation"),
            metadata("automatic"),
        );
    }
    problems
}

/// What AWS Config would refuse in one parameter: its name, or a static value.
fn parameter_fault(name: &str, param: &Param) -> Option<String> {
    if outside(chars(name), SHORT_TEXT) {
        return Some("a parameter name is 1 to 256 characters".to_string());
    }
    let Param::Static(values) = param else {
        return None;
    };
    if values.len() > STATIC_VALUES_MAX {
        return Some(format!(
            "{} static values; AWS Config takes at most 25",
            values.len()
        ));
    }
    values.iter().find_map(|value| match value {
        StaticValue::Literal(text) if outside(chars(text), SHORT_TEXT) => Some(format!(
            "the static value `{}` has {} characters; AWS Config takes 1 to 256",
            text.chars().take(40).collect::<String>(),
            chars(text)
        )),
        _ => None,
    })
}

/// The rendered export: each request's size and each configuration's target type, and a
/// template's resources, parameters and size.
pub fn check_document(format: Format, document: &Value, text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let configurations: Vec<&Value> = match format {
        Format::Config => {
            for (n, request) in document.as_array().into_iter().flatten().enumerate() {
                let count = request["RemediationConfigurations"]
                    .as_array()
                    .map_or(0, Vec::len);
                if count > CONFIGURATIONS_PER_REQUEST {
                    problems.push(invalid(
                        EXPORT,
                        format!("request {} holds {count} remediation configurations; PutRemediationConfigurations takes at most 25", n + 1),
                    ));
                }
            }
            document
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| {
                    r["RemediationConfigurations"]
                        .as_array()
                        .into_iter()
                        .flatten()
                })
                .collect()
        }
        _ => document["Resources"]
            .as_object()
            .into_iter()
            .flat_map(|r| r.values())
            .filter(|r| r["Type"] == "AWS::Config::RemediationConfiguration")
            .map(|r| &r["Properties"])
            .collect(),
    };
    for configuration in configurations {
        if configuration["TargetType"] != "SSM_DOCUMENT" {
            problems.push(invalid(
                EXPORT,
                format!(
                    "the remediation of rule {} has TargetType {}; AWS Config takes SSM_DOCUMENT only",
                    configuration["ConfigRuleName"], configuration["TargetType"]
                ),
            ));
        }
    }
    if format.is_template() {
        problems.extend(check_template_size(format, document, text));
    }
    problems
}

fn check_template_size(format: Format, document: &Value, text: &str) -> Vec<Problem> {
    let count = |key: &str| document[key].as_object().map_or(0, |o| o.len());
    let (parameters_max, bytes_max, what) = match format {
        Format::ConformancePack => (PACK_PARAMETERS_MAX, PACK_BYTES_MAX, "a conformance pack"),
        _ => (
            TEMPLATE_PARAMETERS_MAX,
            TEMPLATE_BYTES_MAX,
            "a CloudFormation template",
        ),
    };
    let mut problems = Vec::new();
    let resources = count("Resources");
    if resources > TEMPLATE_RESOURCES_MAX {
        problems.push(invalid(
            EXPORT,
            format!("the template has {resources} resources; {what} takes at most 500"),
        ));
    }
    let parameters = count("Parameters");
    if parameters > parameters_max {
        problems.push(
            invalid(EXPORT, format!("the template has {parameters} parameters; {what} takes at most {parameters_max}"))
                .with_help("give the settings (--set NAME=VALUE or [settings] in regent.toml) instead of leaving them to template parameters"),
        );
    }
    if text.len() > bytes_max {
        problems.push(
            invalid(
                EXPORT,
                format!(
                    "the template is {} bytes; {what} takes at most {bytes_max}",
                    text.len()
                ),
            )
            .with_help("export fewer controls at a time (--control, --standard)"),
        );
    }
    problems
}
