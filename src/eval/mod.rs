//! Evaluate the pack over the inventory, in parallel. No I/O: items and controls in,
//! one `Evaluation` per (control, item in scope) out, in a deterministic order.

pub mod remediation;
pub mod runner;

pub use runner::EngineKind;
use runner::{Runner, Shared};

use crate::diagnostics::Problem;
use crate::model::inventory::Inventory;
use crate::model::{ConfigurationItem, ItemStatus};
use crate::policy::{metadata::ACCOUNT_TYPE, regorus_problem, Control, Pack};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Compliance {
    Compliant,
    NonCompliant,
    NotApplicable,
    Error,
}

impl Compliance {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Compliant => "COMPLIANT",
            Self::NonCompliant => "NON_COMPLIANT",
            Self::NotApplicable => "NOT_APPLICABLE",
            Self::Error => "ERROR",
        }
    }
}

/// A remediation with its parameters filled from the item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedRemediation {
    pub runbook: String,
    pub parameters: BTreeMap<String, Value>,
}

/// The verdict of one control on one resource (or one account and region).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Index into `Pack::controls`.
    pub control: usize,
    pub resource_type: Arc<str>,
    pub resource_id: Arc<str>,
    pub resource_name: Option<String>,
    pub arn: Option<String>,
    pub account: Arc<str>,
    pub region: Arc<str>,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    pub remediation: Option<ResolvedRemediation>,
    /// The capture time of the item (the `OrderingTimestamp` AWS wants).
    pub capture_time: Option<String>,
}

/// What a run adds to the pack: parameter overrides, settings for runbook templates, and
/// the evaluation time.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// control id -> parameter name -> value, over the metadata defaults.
    pub parameter_overrides: BTreeMap<String, Map<String, Value>>,
    /// `{{settings.<name>}}` values.
    pub settings: BTreeMap<String, Value>,
    /// RFC 3339; defaults to the newest capture time in the input.
    pub as_of: Option<String>,
    /// Evaluate on one thread and record which policy lines ran (`regent test`).
    pub coverage: bool,
    pub engine: EngineKind,
}

/// What `evaluate` returns.
#[derive(Default)]
pub struct Outcome {
    /// Line coverage of the policies, when `EvalOptions::coverage` was set.
    pub coverage: Option<regorus::coverage::Report>,
    pub evaluations: Vec<Evaluation>,
    pub problems: Vec<Problem>,
    /// Items whose type a selected control evaluates or reads (`requires`).
    pub items_in_scope: usize,
    /// Resource types present in the input that no selected control looks at.
    pub unscoped_types: BTreeMap<String, usize>,
    /// Controls that ran on the interpreter instead of the VM, with the reason.
    pub interpreted: Vec<(String, String)>,
}

/// The evaluation time as (RFC 3339, nanoseconds since the epoch).
fn as_of(options: &EvalOptions, inventory: &Inventory) -> Result<(String, i64), Problem> {
    let text = options
        .as_of
        .clone()
        .or_else(|| inventory.newest_capture_time.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let parsed = chrono::DateTime::parse_from_rfc3339(&text).map_err(|err| {
        Problem::new(
            "config::invalid",
            "--as-of",
            format!("`{text}` is not an RFC 3339 time: {err}"),
        )
        .with_help("write it as 2026-11-01T00:00:00Z")
    })?;
    let ns = parsed.timestamp_nanos_opt().unwrap_or(0);
    Ok((
        parsed
            .to_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ns,
    ))
}

/// Effective parameters of every control: metadata defaults, then the overrides.
pub fn effective_parameters(pack: &Pack, options: &EvalOptions) -> Map<String, Value> {
    let mut all = Map::new();
    for control in &pack.controls {
        let mut params: Map<String, Value> = control
            .meta
            .parameters
            .iter()
            .map(|(k, p)| (k.clone(), p.default.clone()))
            .collect();
        if let Some(overrides) = options.parameter_overrides.get(&control.meta.id) {
            params.extend(overrides.clone());
        }
        all.insert(control.meta.id.clone(), Value::Object(params));
    }
    all
}

pub fn evaluate(pack: &Pack, inventory: &Inventory, options: &EvalOptions) -> Outcome {
    let mut outcome = Outcome::default();
    let (as_of_text, as_of_ns) = match as_of(options, inventory) {
        Ok(v) => v,
        Err(problem) => {
            outcome.problems.push(problem);
            return outcome;
        }
    };

    let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut account_controls = Vec::new();
    let mut required: BTreeSet<String> = BTreeSet::new();
    for (index, control) in pack.controls.iter().enumerate() {
        for t in &control.meta.resource_types {
            if t == ACCOUNT_TYPE {
                account_controls.push(index);
            } else {
                by_type.entry(t.as_str()).or_default().push(index);
            }
        }
        required.extend(control.meta.requires.iter().cloned());
    }

    let mut data = Map::new();
    data.insert("inventory".into(), inventory.data_for(&required));
    data.insert(
        "parameters".into(),
        Value::Object(effective_parameters(pack, options)),
    );
    data.insert(
        "context".into(),
        serde_json::json!({"as_of": as_of_text, "as_of_ns": as_of_ns}),
    );
    let data = pack.data_document(Value::Object(data));
    let mut engine = match pack.engine(&data) {
        Ok(engine) => engine,
        Err(problem) => {
            outcome.problems.push(problem);
            return outcome;
        }
    };
    // Prepare once so every clone shares the compiled policies.
    if let Some(control) = pack.controls.first() {
        let _ = engine.eval_rule(control.rule("metadata"));
    }

    let mut in_scope: Vec<(&ConfigurationItem, &[usize])> = Vec::new();
    for item in &inventory.items {
        let t = item.key.resource_type.as_ref();
        match by_type.get(t) {
            Some(controls) => in_scope.push((item, controls)),
            None if required.contains(t) => {}
            None => *outcome.unscoped_types.entry(t.to_string()).or_default() += 1,
        }
    }
    outcome.items_in_scope = inventory.items.len() - outcome.unscoped_types.values().sum::<usize>();

    let settings = &options.settings;
    let accounts: Vec<(Arc<str>, Arc<str>)> = inventory.account_regions.iter().cloned().collect();
    // Coverage lives in one interpreter, so a coverage run is sequential on one worker.
    let kind = if options.coverage {
        engine.set_enable_coverage(true);
        EngineKind::Interpreter
    } else {
        options.engine
    };
    let shared = match Shared::new(engine, pack, &data, kind) {
        Ok(shared) => Arc::new(shared),
        Err(reason) => {
            outcome.problems.push(
                Problem::new("eval::runtime", "--engine vm", reason)
                    .with_help("run with --engine auto or interpreter"),
            );
            return outcome;
        }
    };
    outcome.interpreted = shared.interpreted.clone();
    let new_runner = || Runner::new(&shared);

    let mut evaluations: Vec<Evaluation> = if options.coverage {
        let mut runner = new_runner();
        let mut evaluations = Vec::new();
        for (item, controls) in &in_scope {
            evaluations.extend(evaluate_item(&mut runner, pack, item, controls, settings));
        }
        if !account_controls.is_empty() {
            for (account, region) in &accounts {
                evaluations.extend(evaluate_account(
                    &mut runner,
                    pack,
                    account,
                    region,
                    &account_controls,
                    settings,
                ));
            }
        }
        let engine = runner
            .engine_mut()
            .expect("coverage runs on the interpreter");
        // Metadata is evaluated when the pack loads; count its lines as run.
        for control in &pack.controls {
            let _ = engine.eval_rule(control.rule("metadata"));
        }
        outcome.coverage = engine.get_coverage_report().ok();
        evaluations
    } else {
        let mut evaluations: Vec<Evaluation> = in_scope
            .par_iter()
            .map_init(new_runner, |runner, (item, controls)| {
                evaluate_item(runner, pack, item, controls, settings)
            })
            .flatten_iter()
            .collect();
        if !account_controls.is_empty() {
            evaluations.par_extend(
                accounts
                    .par_iter()
                    .map_init(new_runner, |runner, (account, region)| {
                        evaluate_account(runner, pack, account, region, &account_controls, settings)
                    })
                    .flatten_iter(),
            );
        }
        evaluations
    };
    sort(&mut evaluations, pack);
    outcome.evaluations = evaluations;
    outcome
}

/// Results sorted by control id (natural order), account, region, type, resource id.
pub fn sort(evaluations: &mut [Evaluation], pack: &Pack) {
    evaluations.sort_by(|a, b| {
        crate::report::natural_cmp(
            &pack.controls[a.control].meta.id,
            &pack.controls[b.control].meta.id,
        )
        .then_with(|| a.account.cmp(&b.account))
        .then_with(|| a.region.cmp(&b.region))
        .then_with(|| a.resource_type.cmp(&b.resource_type))
        .then_with(|| a.resource_id.cmp(&b.resource_id))
    });
}

fn status_reason(item: &ConfigurationItem) -> Option<String> {
    if item.left_scope {
        return Some("the resource left the rule's scope (eventLeftScope)".into());
    }
    match item.status {
        ItemStatus::Ok | ItemStatus::ResourceDiscovered => None,
        ItemStatus::ResourceDeleted => Some("the resource was deleted (ResourceDeleted)".into()),
        ItemStatus::ResourceDeletedNotRecorded => {
            Some("the resource was deleted (ResourceDeletedNotRecorded)".into())
        }
        ItemStatus::ResourceNotRecorded => {
            Some("the resource type is not recorded (ResourceNotRecorded)".into())
        }
        ItemStatus::Other => Some(format!(
            "configurationItemStatus `{}` is not evaluated",
            item.status_text
        )),
    }
}

fn evaluate_item(
    engine: &mut Runner,
    pack: &Pack,
    item: &ConfigurationItem,
    controls: &[usize],
    settings: &BTreeMap<String, Value>,
) -> Vec<Evaluation> {
    let base = |control: usize, compliance, annotation| Evaluation {
        control,
        resource_type: item.key.resource_type.clone(),
        resource_id: item.key.resource_id.clone(),
        resource_name: item.resource_name.clone(),
        arn: item.arn.clone(),
        account: item.key.account.clone(),
        region: item.key.region.clone(),
        compliance,
        annotation,
        remediation: None,
        capture_time: item.capture_time.clone(),
    };
    if let Some(reason) = status_reason(item) {
        return controls
            .iter()
            .map(|&c| base(c, Compliance::NotApplicable, Some(reason.clone())))
            .collect();
    }
    engine.set_input(item.input());
    controls
        .iter()
        .map(|&index| {
            let control = &pack.controls[index];
            let (compliance, annotation) = verdict(engine, index, control);
            let mut evaluation = base(index, compliance, annotation);
            if compliance == Compliance::NonCompliant {
                evaluation.remediation =
                    remediation::resolve(control, &evaluation, Some(item), settings);
            }
            evaluation
        })
        .collect()
}

fn evaluate_account(
    engine: &mut Runner,
    pack: &Pack,
    account: &Arc<str>,
    region: &Arc<str>,
    controls: &[usize],
    settings: &BTreeMap<String, Value>,
) -> Vec<Evaluation> {
    let input = serde_json::json!({
        "resourceType": ACCOUNT_TYPE,
        "resourceId": account.as_ref(),
        "awsAccountId": account.as_ref(),
        "awsRegion": region.as_ref(),
    });
    engine.set_input(regorus::Value::from(input));
    controls
        .iter()
        .map(|&index| {
            let control = &pack.controls[index];
            let (compliance, annotation) = verdict(engine, index, control);
            let mut evaluation = Evaluation {
                control: index,
                resource_type: Arc::from(ACCOUNT_TYPE),
                resource_id: account.clone(),
                resource_name: None,
                arn: None,
                account: account.clone(),
                region: region.clone(),
                compliance,
                annotation,
                remediation: None,
                capture_time: None,
            };
            if compliance == Compliance::NonCompliant {
                evaluation.remediation = remediation::resolve(control, &evaluation, None, settings);
            }
            evaluation
        })
        .collect()
}

/// Run control number `index` on the input already set in the runner.
fn verdict(runner: &mut Runner, index: usize, control: &Control) -> (Compliance, Option<String>) {
    let error = |err: &str| {
        let problem = regorus_problem("eval::runtime", &[&control.file], &err);
        (
            Compliance::Error,
            Some(format!("{}: {}", problem.place(), problem.message)),
        )
    };
    match runner.applicable(index, control) {
        Some(Ok(regorus::Value::Bool(false))) => {
            return (
                Compliance::NotApplicable,
                Some("out of the control's scope".into()),
            )
        }
        Some(Err(err)) => return error(&err),
        Some(Ok(_)) | None => {}
    }
    match runner.violation(index, control) {
        Ok(value) => {
            let reasons = reasons(&value);
            if reasons.is_empty() {
                (Compliance::Compliant, None)
            } else {
                (
                    Compliance::NonCompliant,
                    Some(reasons.into_iter().collect::<Vec<_>>().join("; ")),
                )
            }
        }
        Err(err) => error(&err),
    }
}

fn reasons(value: &regorus::Value) -> BTreeSet<String> {
    let text = |v: &regorus::Value| match v {
        regorus::Value::String(s) => s.to_string(),
        other => other.to_json_str().unwrap_or_else(|_| format!("{other:?}")),
    };
    match value {
        regorus::Value::Set(set) => set.iter().map(text).collect(),
        regorus::Value::Array(items) => items.iter().map(text).collect(),
        regorus::Value::Undefined | regorus::Value::Null => BTreeSet::new(),
        regorus::Value::Bool(false) => BTreeSet::new(),
        other => std::iter::once(text(other)).collect(),
    }
}
