//! Evaluate the pack over the inventory, in parallel. No I/O: items and controls in,
//! one `Evaluation` per (control, item in scope) out, in a deterministic order. The only
//! module, with `policy`, that talks to regorus: items become engine values here
//! (`decode`), never in the model.

mod cache;
mod capture;
pub mod decode;
mod engine;
mod inventory_document;
mod item;
mod judge;
mod options;
mod outcome;
mod partial;
mod pass;
mod pending;
mod plan;
pub mod projection;
pub mod runner;
mod unknowns;
mod verdict;
mod views;

pub use cache::{run_key, Cached, Digest, Verdicts};
pub use options::{
    is_budget_error, timer, EngineKind, EvalOptions, ReleaseMemory, DEFAULT_EVAL_TIMEOUT,
    DEFAULT_VIEW_TIMEOUT,
};
pub use outcome::{Outcome, Profile};
pub use partial::{rests_on_absence, PARTIAL_INPUT};
pub use runner::ControlTime;
pub use verdict::{Captured, Compliance, Evaluation, OVER_BUDGET};

use cache::{Context, Reuse};
use engine::with_inventory;
use item::Controls;
use outcome::Clock;
use pass::{Pass, Work};
use pending::Pending;
use plan::{Plan, INVENTORY_PASS, PLAIN_PASS};
use unknowns::StandIns;

use crate::diagnostics::{Code, Problem};
use crate::model::inventory::Inventory;
use crate::model::ConfigurationItem;
use crate::policy::{Control, Pack};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The evaluation time as (RFC 3339, nanoseconds since the epoch).
/// The time a run judges at, as given: `--as-of`, else the newest capture time of the
/// inputs; `None` when there is neither (templates have no capture time).
pub fn run_time<'a>(options: &'a EvalOptions, inventory: &'a Inventory) -> Option<&'a str> {
    options
        .as_of
        .as_deref()
        .or(inventory.newest_capture_time.as_deref())
}

fn as_of(options: &EvalOptions, inventory: &Inventory) -> Result<(String, i64), Problem> {
    let text = run_time(options, inventory)
        .unwrap_or("1970-01-01T00:00:00Z")
        .to_string();
    let parsed = chrono::DateTime::parse_from_rfc3339(&text).map_err(|err| {
        Problem::new(
            Code::ConfigInvalid,
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

/// `--cache` (README "Verdict cache"): reuse the verdicts an earlier run kept (`previous`,
/// when there are some) and keep this run's (`Outcome::cached`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Caching<'a> {
    pub previous: Option<&'a Verdicts>,
}

/// `evaluate_caching` without a cache.
pub fn evaluate(pack: &Pack, inventory: Inventory, options: &EvalOptions) -> Outcome {
    evaluate_caching(pack, inventory, options, None)
}

/// Evaluate the pack over `inventory`, in two passes. The first builds `data.inventory`
/// from the items of the required types (projected to the fields their controls declare),
/// computes the views over it and runs the controls that `require` types. The second runs
/// the others, which by the pack's contract read no inventory, after the inventory, the
/// views and everything the first pass freed are gone: at organisation scale the inventory
/// and the verdicts are the largest things a run builds, and this way they are not held at
/// the same time. `inventory` is taken by value so that each item's text goes as soon as no
/// pass needs it. With `caching`, a pass evaluates only the items (and accounts and
/// regions) whose verdicts cannot be reused, and none at all when every one can.
pub fn evaluate_caching(
    pack: &Pack,
    mut inventory: Inventory,
    options: &EvalOptions,
    caching: Option<Caching>,
) -> Outcome {
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
    // Items another shard judges are only read here (`--shard`): that shard counts them.
    let mut judged = 0;
    for item in items.iter().filter(|item| inventory.judges(item)) {
        judged += 1;
        let t = item.subject.resource_type.as_ref();
        if plain.scope(t).is_none()
            && with_inventory_plan.scope(t).is_none()
            && !required.contains(t)
        {
            *outcome.unscoped_types.entry(t.to_string()).or_default() += 1;
        }
    }
    outcome.items_in_scope = judged - outcome.unscoped_types.values().sum::<usize>();
    let accounts: Vec<(Arc<str>, Arc<str>)> = inventory.account_regions.iter().cloned().collect();

    let mut clock = Clock::start();
    // Coverage must see every line run.
    let reuse = caching.filter(|_| !options.coverage).map(|caching| {
        let items = cache::item_digests(inventory, &inputs);
        let context = Context {
            as_of: as_of_text.clone(),
            inventory: match with_inventory_plan.is_empty() {
                true => [0; 32],
                false => cache::inventory_digest(inventory, &required, &items),
            },
        };
        let digests = (items, cache::account_digests(inventory, &accounts));
        let reads_inventory = |c: usize| !reads_no_inventory(&pack.controls[c]);
        Reuse::new(pack, caching.previous, context, digests, reads_inventory)
    });
    if reuse.is_some() {
        clock.lap(&mut outcome, "digests");
    }
    let reused_pass = |plan: &Plan| {
        let reuse = reuse.as_ref()?;
        reuse.whole_pass(plan, inventory, &accounts)
    };
    let parameters = effective_parameters(pack, options);
    let stand_ins = StandIns::new(pack, &parameters);
    let mut data = Map::new();
    data.insert("parameters".into(), Value::Object(parameters.clone()));
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
    let plain_evaluates = |item: &ConfigurationItem| {
        inventory.judges(item) && plain.scope(&item.subject.resource_type).is_some()
    };

    let captures = capture::paths_per_control(pack);
    let controls = || Controls {
        pack,
        inventory,
        captures: &captures,
        stand_ins: &stand_ins,
        broken: Vec::new(),
    };
    if let Some(rows) = reused_pass(&with_inventory_plan) {
        evaluations = rows;
        clock.lap(&mut outcome, "controls (reused)");
    } else if !with_inventory_plan.is_empty() {
        let document = inventory_document::build(pack, inventory, &required, &inputs);
        let engine = with_inventory(engine.clone(), document);
        clock.lap(&mut outcome, "inventory document");
        let pass = Pass {
            controls: controls(),
            plan: &with_inventory_plan,
            steps: &INVENTORY_PASS,
            options,
            reuse: reuse.as_ref(),
        };
        let work = Work {
            items,
            inputs: &mut inputs,
            accounts: &accounts,
        };
        // Keep the document of an item the second pass evaluates.
        let Some(rows) = pass.run(engine, work, plain_evaluates, &mut outcome, &mut clock) else {
            return outcome;
        };
        evaluations = rows;
        // The inventory, the views and what the pass parsed are gone; give the memory back
        // before the second pass builds its verdicts.
        options.release_memory.call();
    }

    if let Some(rows) = reused_pass(&plain) {
        evaluations.par_extend(rows);
        clock.lap(&mut outcome, "controls (no inventory, reused)");
    } else if !plain.is_empty() {
        // Every required type is present and empty: what a run over no item of those types
        // sees, so that views these controls read give their empty-inventory values.
        let empty = inventory_document::data_for(inventory, &required, &[]);
        let pass = Pass {
            controls: controls(),
            plan: &plain,
            steps: &PLAIN_PASS,
            options,
            reuse: reuse.as_ref(),
        };
        let work = Work {
            items,
            inputs: &mut inputs,
            accounts: &accounts,
        };
        let engine = with_inventory(engine, empty);
        let Some(rows) = pass.run(engine, work, |_| false, &mut outcome, &mut clock) else {
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
    clock.lap(&mut outcome, "sort");
    if let Some(reuse) = reuse {
        let sound = outcome.problems.is_empty();
        outcome.cached = Some(reuse.finish(&evaluations, items.len(), sound));
        clock.lap(&mut outcome, "cache record");
    }
    outcome.evaluations = evaluations;
    outcome
}

/// Results sorted by control id (natural order), then account, region, type, resource id
/// (the order of `Evaluation::order`).
pub fn sort(evaluations: &mut [Evaluation], pack: &Pack) {
    // Rank the controls once instead of comparing their ids on every comparison.
    let mut order: Vec<usize> = (0..pack.controls.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&pack.controls[a].meta.id, &pack.controls[b].meta.id);
        crate::policy::natural_cmp(a, b).then_with(|| a.cmp(b))
    });
    let mut rank = vec![0; order.len()];
    for (position, &control) in order.iter().enumerate() {
        rank[control] = position;
    }
    // A control has one row per subject, so the key is unique and an unstable sort is
    // still deterministic.
    evaluations.par_sort_unstable_by_key(|e| (rank[e.control], e.order));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ci::Document;
    use crate::model::Subject;
    use decode::{item_value, item_value_projected};
    use inventory_document::projections;
    use item::order_of;

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
                state_id: None,
                origin: None,
            }),
            compliance: Compliance::Compliant,
            annotation: None,
            captured: None,
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
        let mut pack = Pack::load(true, &[]);
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
            Some(Some(projection)) => item_value_projected(&document, &projection),
            Some(None) => item_value(&document),
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
        assert_eq!(kept(&pack), item_value(&document));
    }

    #[test]
    fn a_row_stays_small() {
        // An organisation gives millions of rows; the subject is shared, not copied.
        assert!(std::mem::size_of::<Evaluation>() <= 56);
    }

    #[test]
    fn rows_sort_by_control_then_resource_whatever_order_they_come_in() {
        let pack = Pack::load(true, &[]);
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
