//! One bad item costs only itself. For every resource type the pack reads, a recorded item
//! (from the control fixtures) is bent into odd shapes: `configuration` null, missing,
//! empty text, a number, a list; each of its fields null, a number, text, a list, an
//! object; the supplementary configuration likewise. All of them run beside the unbent
//! items, and:
//! - the unbent items get exactly the verdicts they get alone (no view or shared rule
//!   breaks for everybody);
//! - each bent item is either refused by the loader (`input::invalid_item`) or evaluated by
//!   every control of its type (a verdict or ERROR for that item alone, never absent);
//! - no account-level verdict turns into ERROR because of a bent item (the bent items sit
//!   in an account of their own);
//! - the summary accounts for every item.

mod common;

use regent::eval::{EngineKind, EvalOptions};
use regent::pipeline::{self, Options, Quiet};
use regent::policy::Pack;
use regent::report::Report;
use regent::source::{Document, Entry};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const BENT: &str = "-bent-";

/// One normalised item of every resource type the fixtures hold, by type.
fn samples(pack: &Pack) -> BTreeMap<String, Value> {
    let wanted: BTreeSet<&str> = pack
        .controls
        .iter()
        .flat_map(|c| c.meta.resource_types.iter().chain(&c.meta.requires))
        .map(String::as_str)
        .collect();
    let mut found = BTreeMap::new();
    let cases = regent::testing::fixture_cases(&common::root().join("fixtures"));
    for case in cases {
        let bytes = std::fs::read(&case.path).expect("a fixture reads");
        let loaded = regent::model::load::load("fixture", &bytes, false);
        for item in loaded.items {
            let kind = item.subject.resource_type.to_string();
            if wanted.contains(kind.as_str()) && item.status.is_evaluable() {
                let value: Value =
                    serde_json::from_str(&item.document.json()).expect("a document is JSON");
                found.entry(kind).or_insert(value);
            }
        }
    }
    found
}

/// `sample` bent in every way this test knows, each with its own resource id.
fn bent(sample: &Value) -> Vec<Value> {
    let odd = [
        json!(null),
        json!(7),
        json!("text"),
        json!([1]),
        json!({"k": 1}),
    ];
    let mut out = Vec::new();
    let mut with = |change: &dyn Fn(&mut Value)| {
        let mut item = sample.clone();
        change(&mut item);
        let id = format!(
            "{}{BENT}{}",
            sample["resourceId"].as_str().unwrap_or("x"),
            out.len()
        );
        item["resourceId"] = json!(id);
        item["resourceName"] = json!(id);
        // In an account of their own: a bent item must not stand in for another resource
        // of the same name (two parameter groups named alike cannot share an account).
        item["awsAccountId"] = json!("999999999999");
        out.push(item);
    };
    for whole in [
        json!(null),
        json!(""),
        json!("null"),
        json!(42),
        json!([]),
        json!({}),
    ] {
        with(&|item| item["configuration"] = whole.clone());
    }
    with(&|item| {
        item.as_object_mut().map(|o| o.remove("configuration"));
    });
    for section in ["configuration", "supplementaryConfiguration"] {
        let keys: Vec<String> = sample[section]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        for key in keys {
            for value in &odd {
                with(&|item| item[section][&key] = value.clone());
            }
        }
    }
    for whole in [json!(null), json!({})] {
        with(&|item| item["supplementaryConfiguration"] = whole.clone());
    }
    with(&|item| item["relationships"] = json!([{}]));
    out
}

fn run(pack: &Pack, items: &[Value], engine: EngineKind) -> Report {
    let document = json!({"fileVersion": "1.0", "configurationItems": items});
    let entry = Entry::Document(Document::from_bytes(
        "bent.json",
        serde_json::to_vec(&document).expect("JSON"),
    ));
    let options = Options {
        eval: EvalOptions {
            engine,
            ..EvalOptions::default()
        },
        ..Options::default()
    };
    pipeline::run(pack, std::iter::once(entry), &options, &Quiet).report
}

/// (control, resource id) -> (verdict, annotation) of the rows about unbent items.
fn unbent_verdicts(report: &Report) -> BTreeMap<(String, String), (String, String)> {
    report
        .results
        .iter()
        .filter(|r| r.subject.origin.is_some() && !r.subject.resource_id.contains(BENT))
        .map(|r| {
            (
                (r.control_id.to_string(), r.subject.resource_id.to_string()),
                (
                    r.compliance_type.as_str().to_string(),
                    r.annotation.clone().unwrap_or_default(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_bent_item_costs_only_itself_on_the_vm() {
    bent_items_cost_only_themselves(EngineKind::Auto);
}

/// The interpreter raises every builtin's type error, so it is the stricter judge.
#[test]
fn a_bent_item_costs_only_itself_on_the_interpreter() {
    bent_items_cost_only_themselves(EngineKind::Interpreter);
}

fn bent_items_cost_only_themselves(engine: EngineKind) {
    let pack = Pack::load(true, &[]);
    let samples = samples(&pack);
    assert!(samples.len() >= 40, "samples of {} types", samples.len());
    let originals: Vec<Value> = samples.values().cloned().collect();
    let alone = run(&pack, &originals, engine);
    assert!(
        alone.errors.is_empty(),
        "the samples alone: {:#?}",
        alone.errors
    );

    let mut all = originals.clone();
    for sample in samples.values() {
        all.extend(bent(sample));
    }
    let together = run(&pack, &all, engine);
    let s = &together.summary;
    assert_eq!(s.items_read, all.len());
    assert_eq!(
        s.items_read,
        s.items_evaluated + s.items_skipped + s.items_failed
    );

    let mut wrong = Vec::new();
    // The unbent items' verdicts do not move.
    let (before, after) = (unbent_verdicts(&alone), unbent_verdicts(&together));
    for (key, verdict) in &before {
        if after.get(key) != Some(verdict) {
            wrong.push(format!(
                "{key:?}: {verdict:?} alone, {:?} beside bent items",
                after.get(key)
            ));
        }
    }
    // No account-level verdict breaks.
    for row in &together.results {
        if row.subject.origin.is_none() && row.compliance_type.as_str() == "ERROR" {
            wrong.push(format!(
                "{} on account {}: {:?}",
                row.control_id, row.subject.resource_id, row.annotation
            ));
        }
    }
    // Every bent item is refused or judged by every control of its type.
    let refused: BTreeSet<String> = together
        .errors
        .iter()
        .filter(|p| p.code.as_str() == "input::invalid_item")
        .map(|p| p.source.clone())
        .collect();
    let mut rows_per_item: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &together.results {
        *rows_per_item.entry(&row.subject.resource_id).or_default() += 1;
    }
    for (index, item) in all.iter().enumerate() {
        let id = item["resourceId"].as_str().unwrap_or_default();
        if !id.contains(BENT) {
            continue;
        }
        let kind = item["resourceType"].as_str().unwrap_or_default();
        let controls = pack
            .controls
            .iter()
            .filter(|c| c.meta.resource_types.iter().any(|t| t == kind))
            .count();
        let rows = rows_per_item.get(id).copied().unwrap_or(0);
        let was_refused = refused.contains(&format!("bent.json#{index}"));
        if !was_refused && rows != controls {
            wrong.push(format!("{id}: {rows} results for {controls} controls"));
        }
    }
    // Problems other than refusals and per-control runtime errors mean a shared failure.
    let control_ids: BTreeSet<&str> = pack.controls.iter().map(|c| c.meta.id.as_str()).collect();
    for problem in &together.errors {
        let code = problem.code.as_str();
        let per_control = code == "eval::runtime" && control_ids.contains(problem.source.as_str());
        if code != "input::invalid_item" && !per_control {
            wrong.insert(
                0,
                format!("{code}: {}: {}", problem.source, problem.message),
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "{} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
