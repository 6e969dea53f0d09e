//! Evaluate the pack over the inventory, in parallel. No I/O: items and controls in,
//! one `Evaluation` per (control, item in scope) out, in a deterministic order.

pub mod remediation;
pub mod runner;
mod views;

pub use runner::{ControlTime, EngineKind};
use runner::{Runner, Shared};

use crate::diagnostics::Problem;
use crate::model::ci::Document;
use crate::model::inventory::{Inventory, Projection};
pub use crate::model::Subject;
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

/// A remediation with its parameters filled from the item. Every finding has one, so the
/// runbook and parameter names are shared with the control's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedRemediation {
    pub runbook: Arc<str>,
    pub parameters: Parameters,
}

/// Runbook parameters, in name order; serialised as a JSON object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters(Vec<(Arc<str>, Value)>);

impl Parameters {
    /// From (name, value) pairs in name order.
    pub fn from_sorted(pairs: Vec<(Arc<str>, Value)>) -> Self {
        debug_assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0));
        Parameters(pairs)
    }
}

impl Serialize for Parameters {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name.as_ref(), value)?;
        }
        map.end()
    }
}

/// The verdict of one control on one subject. Kept small: an organisation gives millions,
/// so the subject is shared and a remediation (on failures only) is boxed.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Index into `Pack::controls`.
    pub control: usize,
    pub subject: Arc<Subject>,
    /// The subject's place in the run: the item's in the inventory (sorted by account,
    /// region, type, id), or for account-level controls the (account, region) pair's. A
    /// control's rows sort by it, so sorting compares two numbers instead of four strings.
    pub order: u32,
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

/// An item's input between the passes: its JSON text, or nothing once no pass needs it.
#[derive(Default)]
enum Pending {
    #[default]
    Done,
    Text(Document),
}

impl Pending {
    /// The item as a value, parsed from its text.
    fn value(&self) -> regorus::Value {
        match self {
            Pending::Text(document) => document.value(),
            Pending::Done => regorus::Value::Null,
        }
    }
}

/// How `data.inventory` keeps the items of each required type: projected to the declared
/// fields, or whole (`None`) when a selected control requires the type without fields.
fn projections(pack: &Pack, required: &BTreeSet<String>) -> HashMap<String, Option<Projection>> {
    required
        .iter()
        .map(|t| {
            let mut paths: Vec<&str> = Vec::new();
            let mut whole = false;
            for control in pack.controls.iter().filter(|c| c.meta.requires.contains(t)) {
                match control.meta.requires_fields.get(t) {
                    Some(fields) => paths.extend(fields.iter().map(String::as_str)),
                    None => whole = true,
                }
            }
            (t.clone(), (!whole).then(|| Projection::new(paths)))
        })
        .collect()
}

/// The controls of one pass over the items, grouped into scopes: one per distinct list of
/// controls of a resource type (types sharing all their controls share one), then the
/// account-level controls.
struct Plan<'p> {
    scopes: Vec<Vec<usize>>,
    scope_of_type: HashMap<&'p str, usize>,
    account_scope: usize,
}

impl<'p> Plan<'p> {
    fn new(pack: &'p Pack, include: impl Fn(&Control) -> bool) -> Self {
        let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut account = Vec::new();
        for (index, control) in pack.controls.iter().enumerate() {
            if !include(control) {
                continue;
            }
            for t in &control.meta.resource_types {
                if t == ACCOUNT_TYPE {
                    account.push(index);
                } else {
                    by_type.entry(t.as_str()).or_default().push(index);
                }
            }
        }
        let mut scopes: Vec<Vec<usize>> = Vec::new();
        let mut scope_of_type = HashMap::new();
        for (t, controls) in by_type {
            let scope = match scopes.iter().position(|s| *s == controls) {
                Some(scope) => scope,
                None => {
                    scopes.push(controls);
                    scopes.len() - 1
                }
            };
            scope_of_type.insert(t, scope);
        }
        let account_scope = scopes.len();
        scopes.push(account);
        Plan {
            scopes,
            scope_of_type,
            account_scope,
        }
    }

    fn scope(&self, resource_type: &str) -> Option<usize> {
        self.scope_of_type.get(resource_type).copied()
    }

    fn is_empty(&self) -> bool {
        self.scopes.iter().all(Vec::is_empty)
    }
}

/// The names of a pass's steps in `Outcome::phases`.
struct Steps {
    views: &'static str,
    programs: &'static str,
    controls: &'static str,
}

const INVENTORY_PASS: Steps = Steps {
    views: "views",
    programs: "vm programs",
    controls: "controls",
};

const PLAIN_PASS: Steps = Steps {
    views: "views (no inventory)",
    programs: "vm programs (no inventory)",
    controls: "controls (no inventory)",
};

/// Evaluate the pack over `inventory`, in two passes. The first builds `data.inventory`
/// from the items of the required types (projected to the fields their controls declare),
/// computes the views over it and runs the controls that `require` types. The second runs
/// the others, which by the pack's contract read no inventory, after the inventory, the
/// views and everything the first pass freed are gone: at organisation scale the inventory
/// and the verdicts are the largest things a run builds, and this way they are not held at
/// the same time. `inventory` is taken by value so that each item's text goes as soon as no
/// pass needs it.
pub fn evaluate(pack: &Pack, mut inventory: Inventory, options: &EvalOptions) -> Outcome {
    let mut inputs: Vec<Pending> = inventory
        .items
        .iter_mut()
        .map(|item| Pending::Text(std::mem::take(&mut item.document)))
        .collect();
    let inventory = &inventory;
    let items = inventory.items.as_slice();
    let mut outcome = Outcome::default();
    let (as_of_text, as_of_ns) = match as_of(options, inventory) {
        Ok(v) => v,
        Err(problem) => {
            outcome.problems.push(problem);
            return outcome;
        }
    };
    let required: BTreeSet<String> = pack
        .controls
        .iter()
        .flat_map(|c| c.meta.requires.iter().cloned())
        .collect();
    // Coverage lives in one interpreter, so a coverage run is one pass on one worker.
    let reads_no_inventory = |c: &Control| !options.coverage && c.meta.requires.is_empty();
    let with_inventory_plan = Plan::new(pack, |c| !reads_no_inventory(c));
    let plain = Plan::new(pack, reads_no_inventory);
    for item in items {
        let t = item.subject.resource_type.as_ref();
        if plain.scope(t).is_none()
            && with_inventory_plan.scope(t).is_none()
            && !required.contains(t)
        {
            *outcome.unscoped_types.entry(t.to_string()).or_default() += 1;
        }
    }
    outcome.items_in_scope = items.len() - outcome.unscoped_types.values().sum::<usize>();
    let accounts: Vec<(Arc<str>, Arc<str>)> = inventory.account_regions.iter().cloned().collect();

    let mut clock = std::time::Instant::now();
    let mut data = Map::new();
    data.insert(
        "parameters".into(),
        Value::Object(effective_parameters(pack, options)),
    );
    data.insert(
        "context".into(),
        serde_json::json!({"as_of": as_of_text, "as_of_ns": as_of_ns}),
    );
    let engine = match pack.engine(&pack.data_document(Value::Object(data))) {
        Ok(engine) => engine,
        Err(problem) => {
            outcome.problems.push(problem);
            return outcome;
        }
    };
    let mut evaluations: Vec<Evaluation> = Vec::new();
    let plain_evaluates =
        |item: &ConfigurationItem| plain.scope(&item.subject.resource_type).is_some();

    if !with_inventory_plan.is_empty() {
        let document = inventory_document(pack, inventory, &required, &inputs);
        let engine = with_inventory(engine.clone(), document);
        outcome.phases.push(("inventory document", clock.elapsed()));
        clock = std::time::Instant::now();
        let Some(rows) = run_pass(
            pack,
            engine,
            (&with_inventory_plan, &INVENTORY_PASS),
            (items, &mut inputs),
            // Keep the text of an item the second pass evaluates.
            plain_evaluates,
            &accounts,
            options,
            &mut outcome,
            &mut clock,
        ) else {
            return outcome;
        };
        evaluations = rows;
        // The inventory, the views and what the pass parsed are gone; give the memory back
        // before the second pass builds its verdicts.
        crate::memory::release_freed();
    }

    if !plain.is_empty() {
        // Every required type is present and empty: what a run over no item of those types
        // sees, so that views these controls read give their empty-inventory values.
        let empty = inventory.data_for(&required, &[]);
        let Some(rows) = run_pass(
            pack,
            with_inventory(engine, empty),
            (&plain, &PLAIN_PASS),
            (items, &mut inputs),
            |_| false,
            &accounts,
            options,
            &mut outcome,
            &mut clock,
        ) else {
            return outcome;
        };
        if evaluations.is_empty() {
            evaluations = rows;
        } else {
            evaluations.par_extend(rows);
        }
    }
    outcome.interpreted.sort();
    sort(&mut evaluations, pack);
    outcome.phases.push(("sort", clock.elapsed()));
    outcome.evaluations = evaluations;
    outcome
}

/// `data.inventory`: the entries of the items of the `required` types, projected to the
/// fields their controls declare. A projected entry is parsed straight from the item's text,
/// skipping the rest: nothing else is built, so the entries sit side by side in memory
/// instead of scattered among the freed remains of whole items.
fn inventory_document(
    pack: &Pack,
    inventory: &Inventory,
    required: &BTreeSet<String>,
    inputs: &[Pending],
) -> regorus::Value {
    let projections = projections(pack, required);
    let values: Vec<Option<regorus::Value>> = inventory
        .items
        .par_iter()
        .zip(inputs.par_iter())
        .map(|(item, input)| {
            if !Inventory::in_document(item, required) {
                return None;
            }
            Some(
                match (projections.get(item.subject.resource_type.as_ref()), input) {
                    (Some(Some(projection)), Pending::Text(document)) => {
                        document.value_projected(projection)
                    }
                    _ => input.value(),
                },
            )
        })
        .collect();
    inventory.data_for(required, &values)
}

/// `engine` with `document` as `data.inventory`.
fn with_inventory(mut engine: regorus::Engine, document: regorus::Value) -> regorus::Engine {
    let mut root = regorus::Value::new_object();
    if let Ok(map) = root.as_object_mut() {
        map.insert(regorus::Value::from("inventory"), document);
    }
    // The base document has no `inventory` key, so adding one cannot conflict.
    let _ = engine.add_data(root);
    engine
}

/// One pass: publish the views, prepare the evaluators, evaluate the items in the plan's
/// scopes and the account-level controls. `keep` says which items keep their text for a
/// later pass. `None` when the pass could not run (the problem is in `outcome`).
#[allow(clippy::too_many_arguments)]
fn run_pass(
    pack: &Pack,
    mut engine: regorus::Engine,
    (plan, steps): (&Plan, &Steps),
    (items, inputs): (&[ConfigurationItem], &mut [Pending]),
    keep: impl Fn(&ConfigurationItem) -> bool + Sync,
    accounts: &[(Arc<str>, Arc<str>)],
    options: &EvalOptions,
    outcome: &mut Outcome,
    clock: &mut std::time::Instant,
) -> Option<Vec<Evaluation>> {
    let mut lap = |outcome: &mut Outcome, phase: &'static str| {
        outcome.phases.push((phase, clock.elapsed()));
        *clock = std::time::Instant::now();
    };
    let kind = if options.coverage {
        engine.set_enable_coverage(true);
        EngineKind::Interpreter
    } else {
        options.engine
    };
    // The controls of a resource type run in one VM execution per item, sharing the rules
    // they read. Their generated rules are analysed with the pack's, which costs a run of
    // the demo's size under 2 % more instructions.
    let combinable =
        runner::add_combined_rules(&mut engine, pack, &plan.scopes, kind, options.profile);
    prepare(&mut engine, pack);
    let view_times = match views::publish(pack, &mut engine, kind, options.coverage) {
        Ok(times) => times,
        Err(problem) => {
            outcome.problems.push(problem);
            return None;
        }
    };
    // Computing the views parsed and built far more than they keep.
    crate::memory::release_freed();
    lap(outcome, steps.views);
    let shared = match Shared::new(
        engine,
        pack,
        kind,
        &plan.scopes,
        options.profile,
        &combinable,
    ) {
        Ok(shared) => Arc::new(shared),
        Err(reason) => {
            outcome.problems.push(
                Problem::new("eval::runtime", "--engine vm", reason)
                    .with_help("run with --engine auto or interpreter"),
            );
            return None;
        }
    };
    outcome
        .interpreted
        .extend(shared.interpreted.iter().cloned());
    lap(outcome, steps.programs);

    let settings = &options.settings;
    let new_runner = || Runner::new(&shared);
    let account_controls: &[usize] = &plan.scopes[plan.account_scope];
    let run_item =
        |runner: &mut Runner,
         (order, (item, slot)): (usize, (&ConfigurationItem, &mut Pending))| {
            let rows = match plan.scope(&item.subject.resource_type) {
                Some(scope) => evaluate_item(
                    runner,
                    pack,
                    (item, order, &*slot),
                    (scope, &plan.scopes[scope]),
                    settings,
                ),
                None => Vec::new(),
            };
            if !keep(item) {
                *slot = Pending::Done;
            }
            rows
        };
    let run_account =
        |runner: &mut Runner, (order, (account, region)): (usize, &(Arc<str>, Arc<str>))| {
            evaluate_account(
                runner,
                pack,
                (account, region, order),
                (plan.account_scope, account_controls),
                settings,
            )
        };
    let accounts: &[(Arc<str>, Arc<str>)] = if account_controls.is_empty() {
        &[]
    } else {
        accounts
    };

    let evaluations: Vec<Evaluation> = if options.coverage {
        let mut runner = new_runner();
        let mut evaluations = Vec::new();
        for entry in items.iter().zip(inputs.iter_mut()).enumerate() {
            evaluations.extend(run_item(&mut runner, entry));
        }
        for pair in accounts.iter().enumerate() {
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
        let mut evaluations: Vec<Evaluation> = items
            .par_iter()
            .zip(inputs.par_iter_mut())
            .enumerate()
            .map_init(new_runner, run_item)
            .flatten_iter()
            .collect();
        evaluations.par_extend(
            accounts
                .par_iter()
                .enumerate()
                .map_init(new_runner, run_account)
                .flatten_iter(),
        );
        evaluations
    };
    lap(outcome, steps.controls);
    // Every runner has been dropped, so the profile holds all their times.
    if let Some(controls) = shared.profile() {
        let profile = outcome.profile.get_or_insert_with(|| Profile {
            controls: vec![ControlTime::default(); controls.len()],
            views: Vec::new(),
        });
        for (total, pass) in profile.controls.iter_mut().zip(&controls) {
            total.add(pass);
        }
        for (name, time) in view_times {
            match profile.views.iter_mut().find(|(n, _)| *n == name) {
                Some((_, total)) => *total += time,
                None => profile.views.push((name, time)),
            }
        }
    }
    Some(evaluations)
}

/// Analyse the pack in `engine` now, so that every clone of it shares the analysis instead
/// of redoing it on its first evaluation.
fn prepare(engine: &mut regorus::Engine, pack: &Pack) {
    if let Some(control) = pack.controls.first() {
        let _ = engine.eval_rule(control.rule("metadata"));
    }
}

/// Results sorted by control id (natural order), then account, region, type, resource id
/// (the order of `Evaluation::order`).
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
    // A control has one row per subject, so the key is unique and an unstable sort is
    // still deterministic.
    evaluations.par_sort_unstable_by_key(|e| (rank[e.control], e.order));
}

/// A position as `Evaluation::order` (no run holds four billion items).
fn order_of(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
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

/// Evaluate one item's controls.
fn evaluate_item(
    engine: &mut Runner,
    pack: &Pack,
    (item, order, input): (&ConfigurationItem, usize, &Pending),
    (scope, controls): (usize, &[usize]),
    settings: &BTreeMap<String, Value>,
) -> Vec<Evaluation> {
    let subject = item.subject.clone();
    let order = order_of(order);
    let base = |control: usize, compliance, annotation| Evaluation {
        control,
        subject: subject.clone(),
        order,
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
    let input = input.value();
    engine.set_input(scope, input.clone());
    let mut at_once = engine.all_at_once(controls, pack).map(Vec::into_iter);
    controls
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            let control = &pack.controls[index];
            let (compliance, annotation) = match at_once.as_mut().and_then(Iterator::next) {
                Some((applicable, violation)) => {
                    judge(control, applicable.map(Ok), || Ok(violation))
                }
                None => verdict(engine, position, index, control),
            };
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
    (account, region, order): (&Arc<str>, &Arc<str>, usize),
    (scope, controls): (usize, &[usize]),
    settings: &BTreeMap<String, Value>,
) -> Vec<Evaluation> {
    let order = order_of(order);
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
                order,
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
    let applicable = runner.applicable(position, control);
    judge(control, applicable, || runner.violation(position, control))
}

/// The verdict from a control's `applicable` (`None` when it has none) and, unless that is
/// false, its `violation`.
fn judge(
    control: &Control,
    applicable: Option<Result<regorus::Value, String>>,
    violation: impl FnOnce() -> Result<regorus::Value, String>,
) -> (Compliance, Option<String>) {
    let error = |err: &str| {
        let problem = regorus_problem("eval::runtime", &[&control.file], &err);
        (
            Compliance::Error,
            Some(format!("{}: {}", problem.place(), problem.message)),
        )
    };
    match applicable {
        Some(Ok(regorus::Value::Bool(false))) => {
            return (
                Compliance::NotApplicable,
                Some("out of the control's scope".into()),
            )
        }
        Some(Err(err)) => return error(&err),
        Some(Ok(_)) | None => {}
    }
    match violation() {
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
        // The subjects' order in the run: by account, then id.
        let order = ["1a", "1b", "2a", "2z"]
            .iter()
            .position(|key| *key == format!("{account}{id}"))
            .expect("a subject of the test");
        Evaluation {
            control,
            order: order_of(order),
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
    fn the_inventory_keeps_the_union_of_the_declared_fields_or_the_whole_item() {
        let (mut pack, _) = Pack::load(true, &[]);
        let bucket = "AWS::S3::Bucket";
        let required: BTreeSet<String> = [bucket.to_string()].into();
        let json = serde_json::json!({
            "resourceType": bucket, "resourceId": "logs", "awsAccountId": "111122223333",
            "awsRegion": "us-east-1", "tags": {"owner": "a"},
            "configuration": {"name": "logs", "creationDate": "2020-01-01"},
            "supplementaryConfiguration": {
                "BucketPolicy": {"policyText": null},
                "BucketLoggingConfiguration": {"destinationBucketName": "x"},
                "BucketVersioningConfiguration": {"status": "Off"},
            },
        });
        let document = Document::from_value(&json);
        let kept = |pack: &Pack| match projections(pack, &required).remove(bucket) {
            Some(Some(projection)) => document.value_projected(&projection),
            Some(None) => document.value(),
            None => panic!("{bucket} is required"),
        };
        // CloudTrail.6 and CloudTrail.7 declare different supplementary fields: both kept.
        let union = kept(&pack);
        let supplementary = &union["supplementaryConfiguration"];
        assert!(supplementary["BucketPolicy"] != regorus::Value::Undefined);
        assert!(supplementary["BucketLoggingConfiguration"] != regorus::Value::Undefined);
        assert_eq!(
            supplementary["BucketVersioningConfiguration"],
            regorus::Value::Undefined
        );
        assert_eq!(union["tags"], regorus::Value::Undefined);
        // One control reading buckets whole makes the entries whole.
        let s3_7 = pack
            .controls
            .iter_mut()
            .find(|c| c.meta.id == "S3.7")
            .expect("S3.7 in the pack");
        s3_7.meta.requires_fields.clear();
        assert_eq!(kept(&pack), document.value());
    }

    #[test]
    fn a_row_stays_small() {
        // An organisation gives millions of rows; the subject is shared, not copied.
        assert!(std::mem::size_of::<Evaluation>() <= 56);
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
