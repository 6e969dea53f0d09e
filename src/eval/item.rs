//! One item's (or one account and region's) controls, on one worker's runner.

use super::capture::capture;
use super::judge::{judge, status_reason};
use super::partial::unless_partial;
use super::pending::Pending;
use super::runner::{Runner, MAX_OVERRUNS};
use super::unknowns::{
    describes, placeholders, undecided, with_stand_in, with_stand_in_for, Ids, StandIns,
};
use super::verdict::{Compliance, Evaluation, OVER_BUDGET};
use crate::model::inventory::Inventory;
use crate::model::{ConfigurationItem, Subject};
use crate::policy::{metadata::ACCOUNT_TYPE, Control, Pack};
use std::sync::Arc;

/// What every evaluation of a pass shares: the pack and, per control, the configuration
/// paths its runbook templates name, and why it cannot be judged (a view it reads failed);
/// and the inventory's record of which accounts and regions the input holds completely.
pub struct Controls<'a> {
    pub pack: &'a Pack,
    pub inventory: &'a Inventory,
    pub captures: &'a [Vec<Arc<str>>],
    /// What the unknown values of a template's items are tried as.
    pub stand_ins: &'a StandIns<'a>,
    /// Per control, empty when none is broken.
    pub broken: Vec<Option<Arc<str>>>,
}

impl Controls<'_> {
    /// Why control `index` cannot be judged in this pass, if it cannot.
    fn broken(&self, index: usize) -> Option<&Arc<str>> {
        self.broken.get(index)?.as_ref()
    }
}

/// Evaluate one item's controls (`controls`, the pack indices of scope `scope`).
pub fn evaluate_item(
    runner: &mut Runner,
    all: &Controls,
    (item, order, input): (&ConfigurationItem, usize, &Pending),
    (scope, controls): (usize, &[usize]),
) -> Vec<Evaluation> {
    let subject = item.subject.clone();
    let order = order_of(order);
    let base = |control: usize, compliance, annotation| Evaluation {
        control,
        subject: subject.clone(),
        order,
        compliance,
        annotation,
        captured: None,
    };
    if let Some(reason) = status_reason(item) {
        return controls
            .iter()
            .map(|&c| base(c, Compliance::NotApplicable, Some(reason.clone())))
            .collect();
    }
    let input = input.value();
    if !item.unknowns.is_empty() {
        return controls
            .iter()
            .enumerate()
            .map(|(position, &index)| {
                let verdict = match all.broken(index) {
                    Some(why) => (Compliance::Error, Some(why.to_string())),
                    None => whatever_unknowns(runner, all, item, &input, (scope, position, index)),
                };
                let (compliance, annotation) =
                    unless_partial(all.inventory, &all.pack.controls[index], &subject, verdict);
                let mut evaluation = base(index, compliance, annotation);
                if compliance == Compliance::NonCompliant {
                    evaluation.captured = capture(&input, &all.captures[index]);
                }
                evaluation
            })
            .collect();
    }
    runner.set_input(scope, input.clone());
    let pack = all.pack;
    let mut at_once = runner.all_at_once(controls, pack).map(Vec::into_iter);
    controls
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            let control = &pack.controls[index];
            let judged = at_once.as_mut().and_then(Iterator::next);
            let verdict = match (all.broken(index), judged) {
                (Some(why), _) => (Compliance::Error, Some(why.to_string())),
                (None, Some((applicable, violation))) => {
                    judge(control, applicable.map(Ok), || Ok(violation))
                }
                (None, None) => budgeted_verdict(runner, position, index, control),
            };
            let (compliance, annotation) =
                unless_partial(all.inventory, control, &subject, verdict);
            let mut evaluation = base(index, compliance, annotation);
            if compliance == Compliance::NonCompliant {
                evaluation.captured = capture(&input, &all.captures[index]);
            }
            evaluation
        })
        .collect()
}

/// The verdict of one control on an item with values unknown before deploy: the same
/// with the placeholders themselves and with every stand-in, or NOT_APPLICABLE naming the
/// unknowns that decide it (`unknowns`).
fn whatever_unknowns(
    runner: &mut Runner,
    all: &Controls,
    item: &ConfigurationItem,
    input: &regorus::Value,
    at: (usize, usize, usize),
) -> (Compliance, Option<String>) {
    let index = at.2;
    let ids = ids_of(&all.pack.controls[index]);
    let inputs = std::iter::once(input.clone()).chain(
        all.stand_ins
            .of(index)
            .iter()
            .map(|stand_in| with_stand_in(input, stand_in, ids)),
    );
    match agreed_verdict(runner, all, at, inputs) {
        Some(verdict) => verdict,
        None => {
            let deciding = deciding_unknowns(runner, all, item, input, at);
            (Compliance::NotApplicable, Some(undecided(&deciding)))
        }
    }
}

/// A control's verdict on each of `inputs` in turn (scope, position in it, pack index):
/// `None` as soon as two differ. A verdict of ERROR (a stand-in of a type the field never
/// holds) says nothing of the others and is passed over; when every one is an ERROR, the
/// first stands.
fn agreed_verdict(
    runner: &mut Runner,
    all: &Controls,
    (scope, position, index): (usize, usize, usize),
    inputs: impl Iterator<Item = regorus::Value>,
) -> Option<(Compliance, Option<String>)> {
    let control = &all.pack.controls[index];
    let mut first = None;
    let mut kept: Option<(Compliance, Option<String>)> = None;
    for input in inputs {
        runner.set_input(scope, input);
        let verdict = budgeted_verdict(runner, position, index, control);
        match &kept {
            _ if verdict.0 == Compliance::Error => {
                first.get_or_insert(verdict);
            }
            None => kept = Some(verdict),
            Some(seen) if seen.0 != verdict.0 => return None,
            Some(_) => {}
        }
    }
    kept.or(first)
}

/// Whether a control's stand-ins replace identifiers (`Ids`): not when it looks up other
/// resources by them.
fn ids_of(control: &Control) -> Ids {
    if control.meta.requires.is_empty() {
        Ids::Replace
    } else {
        Ids::Keep
    }
}

/// Which of an item's unknown values decide a control's verdict: those that, varied
/// alone, change it. (All of them, when none does alone.)
fn deciding_unknowns(
    runner: &mut Runner,
    all: &Controls,
    item: &ConfigurationItem,
    input: &regorus::Value,
    at: (usize, usize, usize),
) -> Vec<String> {
    let index = at.2;
    let ids = ids_of(&all.pack.controls[index]);
    let deciding: Vec<String> = placeholders(input, ids)
        .into_iter()
        .filter(|placeholder| {
            let inputs = std::iter::once(input.clone()).chain(
                all.stand_ins
                    .of(index)
                    .iter()
                    .map(|stand_in| with_stand_in_for(input, stand_in, placeholder, ids)),
            );
            agreed_verdict(runner, all, at, inputs).is_none()
        })
        .collect();
    let named: Vec<String> = item
        .unknowns
        .iter()
        .filter(|description| deciding.iter().any(|p| describes(description, p)))
        .cloned()
        .collect();
    if named.is_empty() {
        item.unknowns.to_vec()
    } else {
        named
    }
}

/// Evaluate the account-level controls of one (account, region).
pub fn evaluate_account(
    runner: &mut Runner,
    all: &Controls,
    (account, region, order): (&Arc<str>, &Arc<str>, usize),
    (scope, controls): (usize, &[usize]),
) -> Vec<Evaluation> {
    let order = order_of(order);
    let input = serde_json::json!({
        "resourceType": ACCOUNT_TYPE,
        "resourceId": account.as_ref(),
        "awsAccountId": account.as_ref(),
        "awsRegion": region.as_ref(),
    });
    runner.set_input(scope, regorus::Value::from(input));
    let subject = account_subject(account, region);
    controls
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            let control = &all.pack.controls[index];
            let verdict = match all.broken(index) {
                Some(why) => (Compliance::Error, Some(why.to_string())),
                None => budgeted_verdict(runner, position, index, control),
            };
            let (compliance, annotation) =
                unless_partial(all.inventory, control, &subject, verdict);
            Evaluation {
                control: index,
                subject: subject.clone(),
                order,
                compliance,
                annotation,
                captured: None,
            }
        })
        .collect()
}

/// The subject of an (account, region)'s account-level verdicts.
pub fn account_subject(account: &Arc<str>, region: &Arc<str>) -> Arc<Subject> {
    Arc::new(Subject {
        resource_type: Arc::from(ACCOUNT_TYPE),
        resource_id: account.clone(),
        resource_name: None,
        arn: None,
        account: account.clone(),
        region: region.clone(),
        capture_time: None,
        state_id: None,
        origin: None,
    })
}

/// A position as `Evaluation::order` (no run holds four billion items).
pub fn order_of(position: usize) -> u32 {
    u32::try_from(position).unwrap_or(u32::MAX)
}

/// `verdict`, unless the control has run out of its budget too often already; an
/// evaluation that runs out of it counts towards that.
fn budgeted_verdict(
    runner: &mut Runner,
    position: usize,
    index: usize,
    control: &Control,
) -> (Compliance, Option<String>) {
    if runner.overran(index) {
        let why = format!(
            "{OVER_BUDGET} not run: it ran past its evaluation budget on {MAX_OVERRUNS} items already"
        );
        return (Compliance::Error, Some(why));
    }
    let (compliance, annotation) = verdict(runner, position, index, control);
    if annotation
        .as_deref()
        .is_some_and(|a| a.starts_with(OVER_BUDGET))
    {
        runner.note_overrun(index);
    }
    (compliance, annotation)
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
