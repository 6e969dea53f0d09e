//! All loaded items together: one item per resource (the latest state wins, as in a
//! history replay), the (account, region) pairs seen, and the `data.inventory` document
//! that cross-resource and account-level controls read.

use super::ci::ConfigurationItem;
use super::load::Skip;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
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
        // Sort positions by resource, then oldest to newest, a later input winning a tie (as
        // a replay in file order would), in parallel; the last of each resource is kept.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.par_sort_unstable_by(|&a, &b| {
            let (x, y) = (&items[a], &items[b]);
            x.subject
                .key()
                .cmp(&y.subject.key())
                .then_with(|| x.recency().cmp(&y.recency()))
                .then(a.cmp(&b))
        });
        let mut slots: Vec<Option<ConfigurationItem>> = items.into_iter().map(Some).collect();
        let mut kept: Vec<ConfigurationItem> = Vec::with_capacity(order.len());
        let mut skipped = Vec::new();
        let mut run: Vec<ConfigurationItem> = Vec::new();
        let mut close_run = |run: &mut Vec<ConfigurationItem>,
                             kept: &mut Vec<ConfigurationItem>| {
            let Some(newest) = run.pop() else { return };
            for older in run.drain(..) {
                skipped.push(Skip {
                    source: older.origin.to_string(),
                    reason: format!(
                        "superseded by a newer configuration item of the same resource ({})",
                        newest.origin
                    ),
                });
            }
            kept.push(newest);
        };
        for position in order {
            let Some(item) = slots[position].take() else {
                continue;
            };
            if run
                .last()
                .is_some_and(|last| last.subject.key() != item.subject.key())
            {
                close_run(&mut run, &mut kept);
            }
            run.push(item);
        }
        close_run(&mut run, &mut kept);
        let items = kept;

        let mut regional: BTreeSet<(Arc<str>, Arc<str>)> = BTreeSet::new();
        let mut global_only: BTreeSet<Arc<str>> = BTreeSet::new();
        let mut newest: Option<&str> = None;
        for item in &items {
            if item.subject.region.as_ref() == "global" || item.subject.region.is_empty() {
                global_only.insert(item.subject.account.clone());
            } else {
                regional.insert((item.subject.account.clone(), item.subject.region.clone()));
            }
            if let Some(time) = item.subject.capture_time.as_deref() {
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

    /// Whether `data.inventory` over `types` holds `item`: deleted and unrecorded resources
    /// are left out because they no longer configure anything.
    pub fn in_document(item: &ConfigurationItem, types: &BTreeSet<String>) -> bool {
        item.status.is_evaluable() && types.contains(item.subject.resource_type.as_ref())
    }

    /// `data.inventory[type][account][region][resourceId]` for the given types (each present,
    /// empty when no item has it). `values` are the parsed items (same order as `items`),
    /// `Some` for those `in_document` keeps; a shorter slice leaves the rest out.
    pub fn data_for(
        &self,
        types: &BTreeSet<String>,
        values: &[Option<regorus::Value>],
    ) -> regorus::Value {
        let mut root: BTreeMap<Arc<str>, Nested> = types
            .iter()
            .map(|t| (Arc::from(t.as_str()), Nested::new()))
            .collect();
        for (item, value) in self.items.iter().zip(values) {
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
}

/// The parts of an item `data.inventory` keeps when every control that requires its type
/// declared the fields it reads: those paths and the identity keys. At organisation scale
/// the inventory's items are the largest thing a run holds as values, and the views and
/// cross-resource controls read a handful of fields of each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Projection {
    /// Keep the whole value.
    whole: bool,
    children: BTreeMap<String, Projection>,
}

/// The keys that say which resource an item is: always kept. (Its type, account, region
/// and id are also the entry's path in `data.inventory`.)
const IDENTITY_KEYS: &[&str] = &[
    "ARN",
    "awsAccountId",
    "awsRegion",
    "resourceId",
    "resourceName",
    "resourceType",
];

impl Projection {
    /// The identity keys and `paths` (dotted; a path that reaches an array or a scalar keeps
    /// it whole).
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a str>) -> Self {
        let mut root = Projection::default();
        for path in IDENTITY_KEYS.iter().copied().chain(paths) {
            let mut node = &mut root;
            for key in path.split('.') {
                node = node.children.entry(key.to_string()).or_default();
            }
            node.whole = true;
            node.children.clear();
        }
        root
    }

    /// Whether the whole value is kept.
    pub fn keeps_all(&self) -> bool {
        self.whole
    }

    /// What is kept of the object key `key`, if anything.
    pub fn part(&self, key: &str) -> Option<&Projection> {
        self.children.get(key)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_projection_keeps_the_declared_paths_and_the_identity() {
        let json = serde_json::json!({
            "resourceType": "AWS::EC2::NetworkInterface", "resourceId": "eni-1",
            "awsAccountId": "111122223333", "awsRegion": "us-east-1",
            "configuration": {
                "groups": [{"groupId": "sg-1", "groupName": "web"}],
                "status": "in-use",
                "attachment": {"instanceId": "i-1", "status": "attached"},
                "description": "a long text no view reads",
            },
            "relationships": [{"resourceId": "i-1"}],
            "tags": {"Name": "web"},
        });
        let document = crate::model::ci::Document::from_value(&json);
        let parse = |projection: &Projection| document.value_projected(projection);
        let item = document.value();
        let projection = Projection::new([
            "configuration.groups",
            "configuration.attachment.instanceId",
            "configuration.missing",
        ]);
        let kept = regorus::Value::from(serde_json::json!({
            "resourceType": "AWS::EC2::NetworkInterface", "resourceId": "eni-1",
            "awsAccountId": "111122223333", "awsRegion": "us-east-1",
            "configuration": {
                "groups": [{"groupId": "sg-1", "groupName": "web"}],
                "attachment": {"instanceId": "i-1"},
            },
        }));
        assert_eq!(parse(&projection), kept);
        // A path through a scalar keeps the scalar; a shorter path covers a longer one.
        let broad = Projection::new([
            "configuration.status.code",
            "configuration",
            "configuration.groups",
        ]);
        assert_eq!(parse(&broad)["configuration"], item["configuration"]);
        assert_eq!(
            parse(&Projection::new(["configuration.status.code"]))["configuration"]["status"],
            item["configuration"]["status"]
        );
        // Every key kept is the whole item.
        let all = Projection::new(["ARN", "configuration", "relationships", "tags"]);
        assert_eq!(parse(&all), item);
    }

    use crate::model::normalise::{normalise, Dialect};
    use crate::model::Origin;

    fn item(id: &str, state: i64, time: &str, file: &str) -> ConfigurationItem {
        let value = serde_json::json!({
            "resourceType": "AWS::S3::Bucket", "resourceId": id, "awsAccountId": "111122223333",
            "awsRegion": "us-east-1", "configurationStateId": state,
            "configurationItemCaptureTime": time, "configuration": {},
        });
        let origin = Origin {
            source: Arc::from(file),
            index: None,
        };
        let value = crate::model::json::parse(&value.to_string()).expect("JSON");
        normalise(&value, origin, Dialect::Detect, false).expect("a valid item")
    }

    #[test]
    fn the_latest_state_of_each_resource_is_kept_and_a_later_input_wins_a_tie() {
        let (inventory, skipped) = Inventory::build(vec![
            item("b", 2, "2026-11-02T00:00:00Z", "one"),
            item("a", 1, "2026-11-01T00:00:00Z", "one"),
            item("b", 3, "2026-11-01T00:00:00Z", "two"),
            item("b", 1, "2026-11-03T00:00:00Z", "three"),
            item("a", 1, "2026-11-01T00:00:00Z", "four"),
        ]);
        let kept: Vec<(&str, &str)> = inventory
            .items
            .iter()
            .map(|i| (i.subject.resource_id.as_ref(), i.origin.source.as_ref()))
            .collect();
        // The state id orders first; the tie on `a` goes to the later input.
        assert_eq!(kept, [("a", "four"), ("b", "two")]);
        let mut sources: Vec<&str> = skipped.iter().map(|s| s.source.as_str()).collect();
        sources.sort();
        assert_eq!(sources, ["one", "one", "three"]);
        assert!(skipped.iter().all(|s| s
            .reason
            .starts_with("superseded by a newer configuration item")));
    }
}
