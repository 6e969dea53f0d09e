//! `regent remediate plan`: every NON_COMPLIANT, unwaived result whose control names a
//! runbook, as the SSM Automation execution it would start (the document, its parameters
//! resolved for the resource), grouped by runbook, with each control's execution controls
//! and whether it may run automatically. Deterministic: the report's order.

use crate::diagnostics::{Code, Problem};
use crate::eval::Compliance;
use crate::policy::metadata::template_variables;
use crate::report::{Report, ResultRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The plan's schema version.
pub const PLAN_VERSION: u32 = 1;

/// How a plan is made.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// `--max-resources N`: refuse a plan of more actions (a policy gone wrong must not
    /// turn into thousands of changes).
    pub max_resources: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub plan_version: u32,
    pub actions: usize,
    pub groups: Vec<Group>,
    /// Findings whose runbook cannot be given its parameters (the item lacks a value a
    /// template names): not planned, and why.
    pub unplanned: Vec<Unplanned>,
}

/// A finding the plan leaves out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unplanned {
    pub control_id: String,
    pub resource_type: String,
    pub resource_id: String,
    pub aws_account_id: String,
    pub aws_region: String,
    pub reason: String,
}

/// The actions of one runbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub runbook: String,
    /// The controls that name it, with how each may run.
    pub controls: Vec<ControlRun>,
    pub actions: Vec<Action>,
}

/// How a control's remediation may run (its metadata's execution controls).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlRun {
    pub control_id: String,
    /// Whether the control allows automatic remediation; otherwise `apply` needs it named.
    pub automatic: bool,
    pub maximum_automatic_attempts: u32,
    pub retry_attempt_seconds: u32,
    pub concurrent_execution_rate_percentage: u32,
    pub error_percentage: u32,
}

/// One execution: which finding it fixes and the runbook's parameters for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub control_id: String,
    pub severity: String,
    pub resource_type: String,
    pub resource_id: String,
    pub arn: Option<String>,
    pub aws_account_id: String,
    pub aws_region: String,
    pub parameters: BTreeMap<String, Value>,
}

/// The plan of `report`, or every reason it cannot be made (a setting a runbook needs and
/// nobody gave, a plan past `--max-resources`), all at once.
pub fn plan(report: &Report, options: &PlanOptions) -> Result<Plan, Vec<Problem>> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut actions = 0;
    let mut unplanned = Vec::new();
    for row in report.results.iter().filter(|r| is_planned(r)) {
        let Some(remediation) = &row.remediation else {
            continue;
        };
        let parameters: BTreeMap<String, Value> = remediation
            .parameters
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        for (name, value) in &parameters {
            for setting in unfilled_settings(value) {
                missing
                    .entry(setting)
                    .or_default()
                    .push(format!("{} ({name})", row.control_id));
            }
        }
        if let Some(reason) = unfilled_item_value(&parameters) {
            unplanned.push(left_out(row, reason));
            continue;
        }
        let group = groups
            .entry(remediation.runbook.to_string())
            .or_insert_with(|| Group {
                runbook: remediation.runbook.to_string(),
                controls: Vec::new(),
                actions: Vec::new(),
            });
        if !group
            .controls
            .iter()
            .any(|c| *c.control_id == *row.control_id)
        {
            group.controls.push(control_run(report, row));
        }
        group.actions.push(action(row, parameters));
        actions += 1;
    }
    let mut problems: Vec<Problem> = missing
        .into_iter()
        .map(|(setting, used_by)| missing_setting(&setting, &used_by))
        .collect();
    if let Some(max) = options.max_resources.filter(|max| actions > *max) {
        problems.push(
            Problem::new(
                Code::RemediationTooMany,
                "--max-resources",
                format!("the plan has {actions} actions, more than --max-resources {max}"),
            )
            .with_help("narrow the run (--control, --account, --region) or raise --max-resources after reviewing why so many resources fail"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Plan {
        plan_version: PLAN_VERSION,
        actions,
        groups: groups.into_values().collect(),
        unplanned,
    })
}

/// A finding a plan fixes: NON_COMPLIANT and not waived.
fn is_planned(row: &ResultRow) -> bool {
    row.compliance_type == Compliance::NonCompliant && row.waiver.is_none()
}

fn control_run(report: &Report, row: &ResultRow) -> ControlRun {
    let remediation = report
        .control(&row.control_id)
        .and_then(|c| c.meta.remediation.as_ref());
    ControlRun {
        control_id: row.control_id.to_string(),
        automatic: remediation.is_some_and(|r| r.automatic),
        maximum_automatic_attempts: remediation.map_or(0, |r| r.maximum_automatic_attempts),
        retry_attempt_seconds: remediation.map_or(0, |r| r.retry_attempt_seconds),
        concurrent_execution_rate_percentage: remediation
            .map_or(0, |r| r.concurrent_execution_rate_percentage),
        error_percentage: remediation.map_or(0, |r| r.error_percentage),
    }
}

fn action(row: &ResultRow, parameters: BTreeMap<String, Value>) -> Action {
    let s = &*row.subject;
    Action {
        control_id: row.control_id.to_string(),
        severity: row.severity.to_string(),
        resource_type: s.resource_type.to_string(),
        resource_id: s.resource_id.to_string(),
        arn: s.arn.as_deref().map(str::to_string),
        aws_account_id: s.account.to_string(),
        aws_region: s.region.to_string(),
        parameters,
    }
}

/// Why a runbook cannot be given its parameters: a template names a value of the item
/// that the item does not have (`{{configuration.QueueName}}`).
fn unfilled_item_value(parameters: &BTreeMap<String, Value>) -> Option<String> {
    parameters.iter().find_map(|(name, value)| {
        let text = value.as_str()?;
        let variable = template_variables(text)
            .into_iter()
            .find(|v| !v.starts_with("settings."))?;
        Some(format!(
            "parameter {name} needs {variable}, which the item does not have"
        ))
    })
}

fn left_out(row: &ResultRow, reason: String) -> Unplanned {
    let s = &*row.subject;
    Unplanned {
        control_id: row.control_id.to_string(),
        resource_type: s.resource_type.to_string(),
        resource_id: s.resource_id.to_string(),
        aws_account_id: s.account.to_string(),
        aws_region: s.region.to_string(),
        reason,
    }
}

/// The `{{settings.NAME}}` a parameter still holds: nobody gave them.
fn unfilled_settings(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => template_variables(text)
            .into_iter()
            .filter_map(|v| v.strip_prefix("settings."))
            .map(str::to_string)
            .collect(),
        Value::Array(items) => items.iter().flat_map(unfilled_settings).collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn missing_setting(setting: &str, used_by: &[String]) -> Problem {
    let mut users: Vec<&String> = used_by.iter().collect();
    users.sort();
    users.dedup();
    let shown: Vec<&str> = users.iter().take(5).map(|s| s.as_str()).collect();
    Problem::new(
        Code::RemediationSetting,
        format!("settings.{setting}"),
        format!(
            "the runbooks need the setting `{setting}` and nobody gave it (used by {}{})",
            shown.join(", "),
            if users.len() > 5 { ", ..." } else { "" }
        ),
    )
    .with_help(format!(
        "give it with --set {setting}=VALUE or under [settings] in regent.toml"
    ))
}

/// The plan as JSON (pretty, keys in a fixed order).
pub fn render_json(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, plan).map_err(io::Error::other)?;
    writeln!(out)
}

/// The plan as Markdown, for review in a pull request or a change ticket.
pub fn render_markdown(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    use crate::sink::markdown::escape;
    writeln!(
        out,
        "## regent remediation plan: {} actions in {} runbooks (dry run: nothing has run)\n",
        plan.actions,
        plan.groups.len()
    )?;
    for group in &plan.groups {
        writeln!(out, "### {}\n", escape(&group.runbook))?;
        for c in &group.controls {
            writeln!(
                out,
                "- {}: {}; at most {} attempts, {} s apart, {} % at once, stop past {} % errors",
                escape(&c.control_id),
                if c.automatic {
                    "may run automatically"
                } else {
                    "runs only when named (--control)"
                },
                c.maximum_automatic_attempts,
                c.retry_attempt_seconds,
                c.concurrent_execution_rate_percentage,
                c.error_percentage
            )?;
        }
        writeln!(
            out,
            "\n| Control | Resource | Account / region | Parameters |"
        )?;
        writeln!(out, "| --- | --- | --- | --- |")?;
        for a in &group.actions {
            let parameters: Vec<String> = a
                .parameters
                .iter()
                .map(|(k, v)| match v.as_str() {
                    Some(text) => format!("{k}={text}"),
                    None => format!("{k}={v}"),
                })
                .collect();
            writeln!(
                out,
                "| {} | {} `{}` | {} / {} | {} |",
                escape(&a.control_id),
                escape(&a.resource_type),
                escape(&a.resource_id),
                escape(&a.aws_account_id),
                escape(&a.aws_region),
                escape(&parameters.join(", "))
            )?;
        }
        writeln!(out)?;
    }
    if !plan.unplanned.is_empty() {
        writeln!(out, "### Not planned\n")?;
        for u in &plan.unplanned {
            writeln!(
                out,
                "- {} on {} `{}` ({} / {}): {}",
                escape(&u.control_id),
                escape(&u.resource_type),
                escape(&u.resource_id),
                escape(&u.aws_account_id),
                escape(&u.aws_region),
                escape(&u.reason)
            )?;
        }
    }
    Ok(())
}

/// The plan in the file at `path` (`regent remediate plan --format json`), as reviewed.
pub fn read(path: &std::path::Path) -> Result<Plan, Problem> {
    let name = path.display().to_string();
    let problem = |why: String| {
        Problem::new(Code::RemediationPlanInvalid, &name, why)
            .with_help("make it with `regent remediate plan INPUTS --format json -o plan.json`")
    };
    let text =
        std::fs::read(path).map_err(|err| problem(format!("cannot read the plan: {err}")))?;
    let value: Value = serde_json::from_slice(&text)
        .map_err(|err| problem(format!("the plan is not JSON: {err}")))?;
    match value.get("plan_version").and_then(Value::as_u64) {
        Some(version) if version == u64::from(PLAN_VERSION) => {}
        Some(version) => {
            return Err(problem(format!(
                "the plan is of version {version}; this regent reads version {PLAN_VERSION}"
            )))
        }
        None => {
            return Err(problem(
                "the file is not a remediation plan (no plan_version)".into(),
            ))
        }
    }
    serde_json::from_value(value).map_err(|err| problem(format!("the plan is malformed: {err}")))
}

/// The plan in a few lines, for `--notify`.
pub fn summary(plan: &Plan) -> crate::remediation::notify::Summary<'static> {
    let automatic = plan
        .groups
        .iter()
        .flat_map(|g| {
            g.actions.iter().filter(|a| {
                g.controls
                    .iter()
                    .any(|c| c.control_id == a.control_id && c.automatic)
            })
        })
        .count();
    crate::remediation::notify::Summary {
        step: "plan",
        headline: format!(
            "{} actions in {} runbooks ({} may run automatically), {} findings not planned; nothing has run",
            plan.actions,
            plan.groups.len(),
            automatic,
            plan.unplanned.len()
        ),
        counts: vec![
            ("actions", plan.actions),
            ("runbooks", plan.groups.len()),
            ("automatic", automatic),
            ("unplanned", plan.unplanned.len()),
        ],
        details: plan
            .groups
            .iter()
            .map(|g| format!("{}: {} actions", g.runbook, g.actions.len()))
            .collect(),
    }
}
