//! `data.inventory`: the items of the required types, as one engine value keyed by type,
//! account, region and resource id.

use super::decode::item_value_projected;
use super::pending::Pending;
use super::projection::Projection;
use crate::model::inventory::Inventory;
use crate::policy::Pack;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// `data.inventory`: the entries of the items of the `required` types, projected to the
/// fields their controls declare. A projected entry is decoded straight from the item's
/// document, skipping the rest: nothing else is built, so the entries sit side by side in
/// memory instead of scattered among the freed remains of whole items.
pub fn build(
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
                        item_value_projected(document, projection)
                    }
                    _ => input.value(),
                },
            )
        })
        .collect();
    data_for(inventory, required, &values)
}

/// How `data.inventory` keeps the items of each required type: projected to the declared
/// fields, or whole (`None`) when a selected control requires the type without fields.
pub fn projections(
    pack: &Pack,
    required: &BTreeSet<String>,
) -> HashMap<String, Option<Projection>> {
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

/// `data.inventory[type][account][region][resourceId]` for the given types (each present,
/// empty when no item has it). `values` are the parsed items (same order as `items`),
/// `Some` for those `in_document` keeps; a shorter slice leaves the rest out.
pub fn data_for(
    inventory: &Inventory,
    types: &BTreeSet<String>,
    values: &[Option<regorus::Value>],
) -> regorus::Value {
    let mut root: BTreeMap<Arc<str>, Nested> = types
        .iter()
        .map(|t| (Arc::from(t.as_str()), Nested::new()))
        .collect();
    for (item, value) in inventory.items.iter().zip(values) {
        let Some(value) = value else { continue };
        root.entry(item.subject.resource_type.clone())
            .or_default()
            .entry(item.subject.account.clone())
            .or_default()
            .entry(item.subject.region.clone())
            .or_default()
            .insert(item.subject.resource_id.clone(), value.clone());
    }
    object(root.into_iter().map(|(t, accounts)| {
        let accounts = accounts.into_iter().map(|(a, regions)| {
            let regions = regions
                .into_iter()
                .map(|(r, ids)| (r, object(ids.into_iter())));
            (a, object(regions))
        });
        (t, object(accounts))
    }))
}

type Nested = BTreeMap<Arc<str>, BTreeMap<Arc<str>, BTreeMap<Arc<str>, regorus::Value>>>;

/// A regorus object from string keys and values.
fn object(entries: impl Iterator<Item = (Arc<str>, regorus::Value)>) -> regorus::Value {
    let mut value = regorus::Value::new_object();
    if let Ok(map) = value.as_object_mut() {
        for (key, entry) in entries {
            map.insert(regorus::Value::from(key.as_ref()), entry);
        }
    }
    value
}
