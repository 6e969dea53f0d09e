//! The prepared interpreter a pass starts from.

use crate::policy::Pack;

/// Analyse the pack in `engine` now, so that every clone of it shares the analysis instead
/// of redoing it on its first evaluation.
pub fn prepare(engine: &mut regorus::Engine, pack: &Pack) {
    if let Some(control) = pack.controls.first() {
        let _ = engine.eval_rule(control.rule("metadata"));
    }
}

/// `engine` with `document` as `data.inventory`.
pub fn with_inventory(mut engine: regorus::Engine, document: regorus::Value) -> regorus::Engine {
    let mut root = regorus::Value::new_object();
    if let Ok(map) = root.as_object_mut() {
        map.insert(regorus::Value::from("inventory"), document);
    }
    // The base document has no `inventory` key, so adding one cannot conflict.
    let _ = engine.add_data(root);
    engine
}
