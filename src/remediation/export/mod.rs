//! `regent remediate export`: hand a pack's controls to AWS Config, which then runs
//! detection and remediation at scale with its own retries and rate limits.
//!
//! - `config`: PutRemediationConfigurations request bodies for rules that exist under
//!   the names `ExportOptions::rule_name` gives (`regent-s3-5`);
//! - `cloudformation`: a template with, per control, its Config rule (the managed rule
//!   it mirrors, or a custom rule backed by regent's Lambda handler) and its
//!   `AWS::Config::RemediationConfiguration`;
//! - `conformance-pack`: the same as a conformance pack template.
//!
//! AWS Config fills only the resource id into a runbook parameter: a control whose
//! runbook needs another value of the item is left out of the remediation (its rule is
//! still exported), with the reason. Every value is checked against AWS's limits first;
//! nothing is exported past one. Pure and deterministic: the pack's order.

mod limits;
mod options;
mod render;
mod rule;
mod runbook;

pub use limits::CONFIGURATIONS_PER_REQUEST;
pub use options::{ExportOptions, Format, DEFAULT_FREQUENCY, DEFAULT_RULE_PREFIX, FREQUENCIES};
pub use render::FUNCTION_PARAMETER;
pub use runbook::{AUTOMATION_ROLE, RESOURCE_ID_IS_ARN, RESOURCE_ID_IS_NAME};

use crate::diagnostics::Problem;
use crate::policy::Pack;
use crate::remediation::plan::missing_setting;
use rule::{rule_spec, LogicalIds};
use runbook::Resolver;
use serde::Serialize;
use serde_json::Value;

/// What an export came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub format: Format,
    /// The request bodies (a JSON array) or the template.
    pub document: Value,
    /// The document as written: pretty JSON and a newline.
    pub text: String,
    /// Controls whose remediation is not in the export, and why (their rules are).
    pub left_out: Vec<LeftOut>,
}

/// A control's remediation left out of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub control_id: String,
    pub reason: String,
}

/// The export of `pack`'s controls, or every reason it cannot be made (a value past
/// AWS's limits, a setting that must be given), all at once.
pub fn export(pack: &Pack, options: &ExportOptions) -> Result<Export, Vec<Problem>> {
    let mut problems = limits::check_frequency(&options.frequency);
    let mut resolver = Resolver::new(options);
    let mut logical_ids = LogicalIds::default();
    let mut rules = Vec::new();
    let mut remediations = Vec::new();
    let mut left_out = Vec::new();
    for control in &pack.controls {
        let base = logical_ids.base(&control.meta.id);
        let rule = rule_spec(control, options, &base);
        if let Some(remediation) = &control.meta.remediation {
            match resolver.remediation(control, remediation, &rule.name, &rule.logical_id, &base) {
                Ok(spec) => remediations.push(spec),
                Err(reason) => left_out.push(LeftOut {
                    control_id: control.meta.id.clone(),
                    reason,
                }),
            }
        }
        rules.push(rule);
    }
    problems.extend(
        resolver
            .missing
            .iter()
            .map(|(setting, used_by)| missing_setting(setting, used_by)),
    );
    for rule in &rules {
        problems.extend(limits::check_rule(rule, options.format));
    }
    for spec in &remediations {
        problems.extend(limits::check_remediation(spec));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let document = match options.format {
        Format::Config => render::requests(&remediations),
        Format::CloudFormation | Format::ConformancePack => {
            render::template(&rules, &remediations, &resolver.setting_parameters, options)
        }
    };
    let text = pretty(&document);
    let problems = limits::check_document(options.format, &document, &text);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Export {
        format: options.format,
        document,
        text,
        left_out,
    })
}

fn pretty(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}
