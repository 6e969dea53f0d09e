//! The naive way to embed regorus, for comparison: for every configuration item, a fresh
//! engine, the policies added again, and the input set from a JSON string. Uses the same
//! policies and the same verdict rules as regent, but none of its work-saving.
//!
//! cargo run --release --example naive_regorus -- DIR [CONTROL_ID,...]

use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: naive_regorus DIR [IDS]");
    let ids: Option<Vec<String>> = args
        .next()
        .map(|s| s.split(',').map(str::to_string).collect());
    let mut pack = regent::policy::Pack::load(true, &[]);
    let problems = std::mem::take(&mut pack.problems);
    assert!(problems.is_empty(), "the pack loads");
    if let Some(ids) = &ids {
        pack.retain(|c| ids.contains(&c.meta.id));
    }
    let start = Instant::now();
    let mut items = Vec::new();
    for document in regent::source::fs::documents(&[dir.into()]) {
        let origin = document.origin.clone();
        let bytes = document.read(u64::MAX).expect("readable input");
        let loaded = regent::model::load::load(&origin, &bytes, false);
        items.extend(loaded.items);
    }
    let data = pack.data_document(serde_json::json!({
        "parameters": regent::eval::effective_parameters(&pack, &Default::default()),
        "inventory": {},
        "context": {"as_of": "2026-11-30T00:00:00Z", "as_of_ns": 0},
    }));
    let evaluations: usize = items
        .par_iter()
        .map(|item| {
            let controls: Vec<&regent::policy::Control> = pack
                .controls
                .iter()
                .filter(|c| {
                    c.meta
                        .resource_types
                        .iter()
                        .any(|t| **t == *item.subject.resource_type)
                })
                .collect();
            if controls.is_empty() {
                return 0;
            }
            let mut engine = pack.engine(&data).expect("the pack compiles");
            let json = item.document.json();
            engine.set_input_json(&json).expect("valid input");
            for control in &controls {
                let _ = engine.eval_rule(control.rule("violation"));
            }
            controls.len()
        })
        .sum();
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "naive regorus: {} items, {evaluations} evaluations in {seconds:.2} s ({:.0} items/s)",
        items.len(),
        items.len() as f64 / seconds
    );
}
