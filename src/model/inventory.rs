//! All loaded items together: one item per resource (the latest state wins, as in a
//! history replay), the (account, region) pairs seen, and the `data.inventory` document
//! that cross-resource and account-level controls read.

use super::ci::{ConfigurationItem, ResourceKey};
use super::load::Skip;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Inventory {
    /// The latest item of every resource, sorted by resource key.
    pub items: Vec<ConfigurationItem>,
    /// Every (account, region) with at least one item. `global` (IAM) only counts for an
    /// account that has no regional item, so account-level controls run per real region.
    pub account_regions: BTreeSet<(Arc<str>, Arc<str>)>,
    /// The newest `configurationItemCaptureTime` in the input (the default `--as-of`).
    pub newest_capture_time: Option<String>,
}

impl Inventory {
    /// Keep the latest item per resource; the others are returned as skipped.
    pub fn build(items: Vec<ConfigurationItem>) -> (Self, Vec<Skip>) {
        let mut latest: HashMap<ResourceKey, ConfigurationItem> =
            HashMap::with_capacity(items.len());
        let mut skipped = Vec::new();
        for item in items {
            match latest.get_mut(&item.key) {
                None => {
                    latest.insert(item.key.clone(), item);
                }
                Some(kept) => {
                    // Later input wins a tie, so a replay in file order behaves like AWS.
                    let (older, newer) = if item.recency() >= kept.recency() {
                        (std::mem::replace(kept, item), &*kept)
                    } else {
                        (item, &*kept)
                    };
                    skipped.push(Skip {
                        source: older.origin.to_string(),
                        reason: format!(
                            "superseded by a newer configuration item of the same resource ({})",
                            newer.origin
                        ),
                    });
                }
            }
        }
        let mut items: Vec<ConfigurationItem> = latest.into_values().collect();
        items.sort_by(|a, b| a.key.cmp(&b.key));

        let mut regional: BTreeSet<(Arc<str>, Arc<str>)> = BTreeSet::new();
        let mut global_only: BTreeSet<Arc<str>> = BTreeSet::new();
        let mut newest: Option<&str> = None;
        for item in &items {
            if item.key.region.as_ref() == "global" || item.key.region.is_empty() {
                global_only.insert(item.key.account.clone());
            } else {
                regional.insert((item.key.account.clone(), item.key.region.clone()));
            }
            if let Some(time) = item.capture_time.as_deref() {
                if newest.is_none_or(|n| time > n) {
                    newest = Some(time);
                }
            }
        }
        let newest_capture_time = newest.map(str::to_string);
        let with_region: BTreeSet<&Arc<str>> = regional.iter().map(|(a, _)| a).collect();
        let mut account_regions = regional.clone();
        for account in global_only {
            if !with_region.contains(&account) && !account.is_empty() {
                account_regions.insert((account, Arc::from("global")));
            }
        }
        (
            Self {
                items,
                account_regions,
                newest_capture_time,
            },
            skipped,
        )
    }

    /// `data.inventory[type][account][region][resourceId]` for the given types; deleted
    /// and unrecorded resources are left out because they no longer configure anything.
    pub fn data_for(&self, types: &BTreeSet<String>) -> Value {
        let mut root = Map::new();
        for resource_type in types {
            root.insert(resource_type.clone(), Value::Object(Map::new()));
        }
        for item in &self.items {
            if !item.status.is_evaluable() || !types.contains(item.key.resource_type.as_ref()) {
                continue;
            }
            let by_account = root
                .entry(item.key.resource_type.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            let by_region = object_entry(by_account, &item.key.account);
            let by_id = object_entry(by_region, &item.key.region);
            if let Value::Object(map) = by_id {
                map.insert(item.key.resource_id.to_string(), item.value());
            }
        }
        Value::Object(root)
    }
}

fn object_entry<'a>(value: &'a mut Value, key: &str) -> &'a mut Value {
    match value {
        Value::Object(map) => map
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new())),
        // Only ever called on objects built above.
        other => other,
    }
}
