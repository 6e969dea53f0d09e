//! Evaluate the pack over the inventory, in parallel. No I/O: items and controls in,
//! one `Evaluation` per (control, item in scope) out, in a deterministic order.

pub mod remediation;
pub mod runner;

pub use runner::{ControlTime, EngineKind};
use runner::{Runner, Shared};

use crate::diagnostics::Problem;
use crate::model::inventory::Inventory;
use crate::model::{input, ConfigurationItem, ItemStatus};
use crate::policy::{metadata::ACCOUNT_TYPE, regorus_problem, Control, Pack, PackFile};
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

/// What a verdict is about: a resource (or an account and region), shared by every
/// control's verdict on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub resource_type: Arc<str>,
    pub resource_id: Arc<str>,
    pub resource_name: Option<Arc<str>>,
    pub arn: Option<Arc<str>>,
    pub account: Arc<str>,
    pub region: Arc<str>,
    /// The capture time of the item (the `OrderingTimestamp` AWS wants).
    pub capture_time: Option<Arc<str>>,
}

impl Subject {
    fn of(item: &ConfigurationItem) -> Self {
        Subject {
            resource_type: item.key.resource_type.clone(),
            resource_id: item.key.resource_id.clone(),
            resource_name: item.resource_name.clone(),
            arn: item.arn.clone(),
            account: item.key.account.clone(),
            region: item.key.region.clone(),
            capture_time: item.capture_time.clone(),
        }
    }
}

/// The verdict of one control on one subject. Kept small: an organisation gives millions,
/// so the subject is shared and a remediation (on failures only) is boxed.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Index into `Pack::controls`.
    pub control: usize,
    pub subject: Arc<Subject>,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    pub remediation: Option<Box<ResolvedRemediation>>,
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
    /// Time every control's evaluations (`regent eval --profile`).
    pub profile: bool,
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
    /// How long each step of the evaluation took: the inventory document, the views, the
    /// controls, the sort (for `REGENT_TIMINGS` and `--profile`).
    pub phases: Vec<(&'static str, std::time::Duration)>,
    /// With `EvalOptions::profile`: per control of the pack (same order), the time its
    /// evaluations took, summed over the workers; and each view's time.
    pub profile: Option<Profile>,
}

/// Where evaluation time went (`regent eval --profile`).
#[derive(Debug, Default)]
pub struct Profile {
    pub controls: Vec<ControlTime>,
    /// (view name, time to compute it).
    pub views: Vec<(String, std::time::Duration)>,
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

/// An item's input: parsed already (the inventory holds it), or its JSON text, parsed
/// when the item is evaluated and released then.
enum Pending {
    Parsed(regorus::Value),
    Text(Arc<str>),
}

/// An item to evaluate, with its scope and its input.
type InScope<'a> = (&'a ConfigurationItem, usize, Pending);

/// Evaluate the pack over `inventory`. It is taken by value so that every item's JSON text
/// is released as soon as it has been parsed: at organisation scale the texts are the
/// largest thing held.
pub fn evaluate(pack: &Pack, mut inventory: Inventory, options: &EvalOptions) -> Outcome {
    let mut documents: Vec<Arc<str>> = inventory
        .items
        .iter_mut()
        .map(|item| std::mem::take(&mut item.document))
        .collect();
    let inventory = &inventory;
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

    let mut clock = std::time::Instant::now();
    let mut lap = |outcome: &mut Outcome, phase: &'static str| {
        outcome.phases.push((phase, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let (inventory_document, parsed) = inventory.data_for(&required, &mut documents);
    let mut data = Map::new();
    data.insert(
        "parameters".into(),
        Value::Object(effective_parameters(pack, options)),
    );
    data.insert(
        "context".into(),
        serde_json::json!({"as_of": as_of_text, "as_of_ns": as_of_ns}),
    );
    let mut data = pack.data_document(Value::Object(data));
    if let Ok(map) = data.as_object_mut() {
        map.insert(regorus::Value::from("inventory"), inventory_document);
    }
    let mut engine = match pack.engine(&data) {
        Ok(engine) => engine,
        Err(problem) => {
            outcome.problems.push(problem);
            return outcome;
        }
    };
    prepare(&mut engine, pack);
    lap(&mut outcome, "inventory document");
    // Coverage lives in one interpreter, so a coverage run is sequential on one worker.
    let kind = if options.coverage {
        engine.set_enable_coverage(true);
        EngineKind::Interpreter
    } else {
        options.engine
    };
    let view_times = match publish_views(pack, &mut engine, options.coverage) {
        Ok(times) => times,
        Err(problem) => {
            outcome.problems.push(problem);
            return outcome;
        }
    };
    lap(&mut outcome, "views");

    // One scope per distinct list of controls (types sharing all their controls share
    // one), then the account-level controls.
    let mut scopes: Vec<Vec<usize>> = Vec::new();
    let mut scope_of_type: HashMap<&str, usize> = HashMap::new();
    let mut types: Vec<&&str> = by_type.keys().collect();
    types.sort();
    for t in types {
        let controls = &by_type[*t];
        let scope = match scopes.iter().position(|s| s == controls) {
            Some(scope) => scope,
            None => {
                scopes.push(controls.clone());
                scopes.len() - 1
            }
        };
        scope_of_type.insert(t, scope);
    }
    let account_scope = scopes.len();
    scopes.push(account_controls);

    // Items in scope with their scope and their input; the texts of the others go now.
    let mut in_scope: Vec<InScope> = Vec::new();
    for ((item, document), parsed) in inventory.items.iter().zip(documents).zip(parsed) {
        let t = item.key.resource_type.as_ref();
        match scope_of_type.get(t) {
            Some(&scope) => {
                let input = match parsed {
                    Some(value) => Pending::Parsed(value),
                    None => Pending::Text(document),
                };
                in_scope.push((item, scope, input));
            }
            None if required.contains(t) => {}
            None => *outcome.unscoped_types.entry(t.to_string()).or_default() += 1,
        }
    }
    outcome.items_in_scope = inventory.items.len() - outcome.unscoped_types.values().sum::<usize>();

    let settings = &options.settings;
    let accounts: Vec<(Arc<str>, Arc<str>)> = inventory.account_regions.iter().cloned().collect();
    let shared = match Shared::new(engine, pack, kind, &scopes, options.profile) {
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
    lap(&mut outcome, "vm programs");
    let new_runner = || Runner::new(&shared);
    // The same two steps run sequentially (coverage) or in parallel.
    let account_controls: &[usize] = &scopes[account_scope];
    let run_item = |runner: &mut Runner, (item, scope, input): InScope| {
        evaluate_item(
            runner,
            pack,
            (item, input),
            (scope, &scopes[scope]),
            settings,
        )
    };
    let run_account = |runner: &mut Runner, (account, region): &(Arc<str>, Arc<str>)| {
        evaluate_account(
            runner,
            pack,
            account,
            region,
            (account_scope, account_controls),
            settings,
        )
    };
    let accounts: &[(Arc<str>, Arc<str>)] = if account_controls.is_empty() {
        &[]
    } else {
        &accounts
    };

    let mut evaluations: Vec<Evaluation> = if options.coverage {
        let mut runner = new_runner();
        let mut evaluations = Vec::new();
        for entry in in_scope {
            evaluations.extend(run_item(&mut runner, entry));
        }
        for pair in accounts {
            evaluations.extend(run_account(&mut runner, pair));
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
            .into_par_iter()
            .map_init(new_runner, run_item)
            .flatten_iter()
            .collect();
        evaluations.par_extend(
            accounts
                .par_iter()
                .map_init(new_runner, run_account)
                .flatten_iter(),
        );
        evaluations
    };
    lap(&mut outcome, "controls");
    sort(&mut evaluations, pack);
    lap(&mut outcome, "sort");
    outcome.evaluations = evaluations;
    // Every runner has been dropped, so the profile holds all their times.
    outcome.profile = shared.profile().map(|controls| Profile {
        controls,
        views: view_times,
    });
    outcome
}

/// Analyse the pack in `engine` now, so that every clone of it shares the analysis instead
/// of redoing it on its first evaluation.
fn prepare(engine: &mut regorus::Engine, pack: &Pack) {
    if let Some(control) = pack.controls.first() {
        let _ = engine.eval_rule(control.rule("metadata"));
    }
}

/// Evaluate every view package once (on the interpreter, without input) and publish the
/// results as `data.views.<name>` in `engine`'s data document.
/// Returns the time each view took.
fn publish_views(
    pack: &Pack,
    engine: &mut regorus::Engine,
    coverage: bool,
) -> Result<Vec<(String, std::time::Duration)>, Problem> {
    let views = pack.views();
    if views.is_empty() {
        return Ok(Vec::new());
    }
    let run = |engine: &mut regorus::Engine, package: &str, file: &PackFile| {
        let start = std::time::Instant::now();
        engine
            .eval_query(format!("data.{package}"), false)
            .map(|results| {
                results
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .map(|e| e.value.clone())
                    .unwrap_or(regorus::Value::Undefined)
            })
            .map(|value| (value, start.elapsed()))
            .map_err(|err| regorus_problem("eval::runtime", &[file], &err))
    };
    // Views are independent: evaluate them in parallel on clones of the prepared engine,
    // except when coverage is recorded, which lives in this one engine.
    let values: Vec<Result<(regorus::Value, std::time::Duration), Problem>> = if coverage {
        views
            .iter()
            .map(|(_, package, file)| run(engine, package, file))
            .collect()
    } else {
        let prepared: &regorus::Engine = engine;
        views
            .par_iter()
            .map(|(_, package, file)| run(&mut prepared.clone(), package, file))
            .collect()
    };
    let mut published = regorus::Value::new_object();
    let mut times = Vec::new();
    for ((name, _, _), value) in views.iter().zip(values) {
        let (value, time) = value?;
        times.push((name.clone(), time));
        if let Ok(object) = published.as_object_mut() {
            object.insert(regorus::Value::from(name.as_str()), value);
        }
    }
    let mut root = regorus::Value::new_object();
    if let Ok(object) = root.as_object_mut() {
        object.insert(regorus::Value::from("views"), published);
    }
    engine
        .add_data(root)
        .map_err(|err| Problem::new("eval::runtime", "data.views", err.to_string()))?;
    // Adding data unprepared the engine.
    prepare(engine, pack);
    Ok(times)
}

/// Results sorted by control id (natural order), account, region, type, resource id.
pub fn sort(evaluations: &mut [Evaluation], pack: &Pack) {
    // Rank the controls once instead of comparing their ids on every comparison.
    let mut order: Vec<usize> = (0..pack.controls.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&pack.controls[a].meta.id, &pack.controls[b].meta.id);
        crate::report::natural_cmp(a, b).then_with(|| a.cmp(b))
    });
    let mut rank = vec![0; order.len()];
    for (position, &control) in order.iter().enumerate() {
        rank[control] = position;
    }
    // The key is unique per evaluation, so an unstable sort is still deterministic.
    evaluations.par_sort_unstable_by(|a, b| {
        let (a_subject, b_subject) = (&a.subject, &b.subject);
        rank[a.control].cmp(&rank[b.control]).then_with(|| {
            if Arc::ptr_eq(a_subject, b_subject) {
                return std::cmp::Ordering::Equal;
            }
            let (a, b) = (a_subject.as_ref(), b_subject.as_ref());
            a.account
                .cmp(&b.account)
                .then_with(|| a.region.cmp(&b.region))
                .then_with(|| a.resource_type.cmp(&b.resource_type))
                .then_with(|| a.resource_id.cmp(&b.resource_id))
        })
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
    (item, input): (&ConfigurationItem, Pending),
    (scope, controls): (usize, &[usize]),
    settings: &BTreeMap<String, Value>,
) -> Vec<Evaluation> {
    let subject = Arc::new(Subject::of(item));
    let base = |control: usize, compliance, annotation| Evaluation {
        control,
        subject: subject.clone(),
        compliance,
        annotation,
        remediation: None,
    };
    if let Some(reason) = status_reason(item) {
        return controls
            .iter()
            .map(|&c| base(c, Compliance::NotApplicable, Some(reason.clone())))
            .collect();
    }
    let input = match input {
        Pending::Parsed(value) => value,
        Pending::Text(text) => input::from_document(&text),
    };
    engine.set_input(scope, input.clone());
    controls
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            let control = &pack.controls[index];
            let (compliance, annotation) = verdict(engine, position, index, control);
            let mut evaluation = base(index, compliance, annotation);
            if compliance == Compliance::NonCompliant {
                evaluation.remediation =
                    remediation::resolve(control, &subject, Some(&input), settings).map(Box::new);
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
    (scope, controls): (usize, &[usize]),
    settings: &BTreeMap<String, Value>,
) -> Vec<Evaluation> {
    let input = serde_json::json!({
        "resourceType": ACCOUNT_TYPE,
        "resourceId": account.as_ref(),
        "awsAccountId": account.as_ref(),
        "awsRegion": region.as_ref(),
    });
    engine.set_input(scope, regorus::Value::from(input));
    let subject = Arc::new(Subject {
        resource_type: Arc::from(ACCOUNT_TYPE),
        resource_id: account.clone(),
        resource_name: None,
        arn: None,
        account: account.clone(),
        region: region.clone(),
        capture_time: None,
    });
    controls
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            let control = &pack.controls[index];
            let (compliance, annotation) = verdict(engine, position, index, control);
            let mut evaluation = Evaluation {
                control: index,
                subject: subject.clone(),
                compliance,
                annotation,
                remediation: None,
            };
            if compliance == Compliance::NonCompliant {
                evaluation.remediation =
                    remediation::resolve(control, &subject, None, settings).map(Box::new);
            }
            evaluation
        })
        .collect()
}

/// Run the control at `position` of the runner's current scope (`index` in the pack) on
/// the input set there, timing it when profiling.
fn verdict(
    runner: &mut Runner,
    position: usize,
    index: usize,
    control: &Control,
) -> (Compliance, Option<String>) {
    if !runner.profiling() {
        return run_control(runner, position, control);
    }
    let start = std::time::Instant::now();
    let verdict = run_control(runner, position, control);
    runner.record(index, start.elapsed());
    verdict
}

fn run_control(
    runner: &mut Runner,
    position: usize,
    control: &Control,
) -> (Compliance, Option<String>) {
    let error = |err: &str| {
        let problem = regorus_problem("eval::runtime", &[&control.file], &err);
        (
            Compliance::Error,
            Some(format!("{}: {}", problem.place(), problem.message)),
        )
    };
    match runner.applicable(position, control) {
        Some(Ok(regorus::Value::Bool(false))) => {
            return (
                Compliance::NotApplicable,
                Some("out of the control's scope".into()),
            )
        }
        Some(Err(err)) => return error(&err),
        Some(Ok(_)) | None => {}
    }
    match runner.violation(position, control) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(control: usize, account: &str, id: &str) -> Evaluation {
        Evaluation {
            control,
            subject: Arc::new(Subject {
                resource_type: Arc::from("AWS::S3::Bucket"),
                resource_id: Arc::from(id),
                resource_name: None,
                arn: None,
                account: Arc::from(account),
                region: Arc::from("us-east-1"),
                capture_time: None,
            }),
            compliance: Compliance::Compliant,
            annotation: None,
            remediation: None,
        }
    }

    fn keys(rows: &[Evaluation], pack: &Pack) -> Vec<(String, String, String)> {
        rows.iter()
            .map(|e| {
                (
                    pack.controls[e.control].meta.id.clone(),
                    e.subject.account.to_string(),
                    e.subject.resource_id.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn rows_sort_by_control_then_resource_whatever_order_they_come_in() {
        let (pack, _) = Pack::load(true, &[]);
        let id = |wanted: &str| {
            pack.controls
                .iter()
                .position(|c| c.meta.id == wanted)
                .expect("control in the pack")
        };
        let (s3_5, s3_10, ec2_2) = (id("S3.5"), id("S3.10"), id("EC2.2"));
        // In resource order per control (as evaluation yields them), and shuffled.
        let in_order = vec![
            row(s3_10, "1", "a"),
            row(s3_5, "1", "a"),
            row(s3_10, "1", "b"),
            row(s3_5, "2", "a"),
            row(ec2_2, "2", "z"),
        ];
        let mut shuffled = in_order.clone();
        shuffled.reverse();
        shuffled.swap(0, 2);
        let expected = [
            ("EC2.2", "2", "z"),
            ("S3.5", "1", "a"),
            ("S3.5", "2", "a"),
            ("S3.10", "1", "a"),
            ("S3.10", "1", "b"),
        ]
        .map(|(c, a, i)| (c.to_string(), a.to_string(), i.to_string()));
        for mut rows in [in_order, shuffled] {
            sort(&mut rows, &pack);
            assert_eq!(keys(&rows, &pack), expected);
        }
    }
}
