//! All loaded items together: one item per resource (the latest state wins, as in a
//! history replay), the (account, region) pairs seen, and the `data.inventory` document
//! that cross-resource and account-level controls read.

use super::ci::ConfigurationItem;
use crate::diagnostics::Skip;
use rayon::prelude::*;
use std::collections::BTreeSet;
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
    /// Every (account, region) the input is a complete record of: some item of it came in
    /// a snapshot file (or a source vouched for it). An account's global resources count
    /// under region `global`, complete when a snapshot holds them.
    pub complete: BTreeSet<(Arc<str>, Arc<str>)>,
    /// Take every (account, region) as complete (`--complete`: the user says so).
    pub assume_complete: bool,
    /// Accounts whose items are here only for other accounts' controls to read
    /// (`data.inventory`, views), not to be judged: another shard judges them (`--shard`).
    pub read_only: BTreeSet<Arc<str>>,
}

/// The region AWS Config records global resources under.
pub const GLOBAL_REGION: &str = "global";

/// Whether AWS Config records items of `resource_type` under region `global` (IAM users,
/// groups, roles and policies), so that a control reading them reads the account's
/// global record rather than a region's.
pub fn is_global_type(resource_type: &str) -> bool {
    resource_type.starts_with("AWS::IAM::")
}

impl Inventory {
    /// Keep the latest item per resource; the others are returned as skipped.
    pub fn build(items: Vec<ConfigurationItem>) -> (Self, Vec<Skip>) {
        // Sort positions by resource, then oldest to newest, a later input winning a tie (as
        // a replay in file order would), in parallel; the last of each resource is kept.
        // Superseded items count too: a snapshot completes its account and region even
        // where a later history file holds newer states.
        let complete: BTreeSet<(Arc<str>, Arc<str>)> = items
            .iter()
            .filter(|item| item.complete_record)
            .map(|item| (item.subject.account.clone(), item.subject.region.clone()))
            .collect();
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.par_sort_unstable_by(|&a, &b| {
            let (x, y) = (&items[a], &items[b]);
            x.identity()
                .cmp(&y.identity())
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
                    source: older.place(),
                    reason: format!(
                        "superseded by a newer configuration item of the same resource ({})",
                        newest.place()
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
                .is_some_and(|last| last.identity() != item.identity())
            {
                close_run(&mut run, &mut kept);
            }
            run.push(item);
        }
        close_run(&mut run, &mut kept);
        let items = kept;

        let mut regional: BTreeSet<(Arc<str>, Arc<str>)> = BTreeSet::new();
        let mut global_only: BTreeSet<Arc<str>> = BTreeSet::new();
        // The newest capture time, compared as a time; the first of equal ones is kept.
        let mut newest: Option<(i64, &str)> = None;
        for item in &items {
            if item.subject.region.as_ref() == GLOBAL_REGION || item.subject.region.is_empty() {
                global_only.insert(item.subject.account.clone());
            } else {
                regional.insert((item.subject.account.clone(), item.subject.region.clone()));
            }
            if let (Some(ns), Some(text)) = (item.capture_ns, item.subject.capture_time.as_deref())
            {
                if newest.is_none_or(|(n, _)| ns > n) {
                    newest = Some((ns, text));
                }
            }
        }
        let newest_capture_time = newest.map(|(_, text)| text.to_string());
        let with_region: BTreeSet<&Arc<str>> = regional.iter().map(|(a, _)| a).collect();
        let mut account_regions = regional.clone();
        for account in global_only {
            if !with_region.contains(&account) && !account.is_empty() {
                account_regions.insert((account, Arc::from(GLOBAL_REGION)));
            }
        }
        (
            Self {
                items,
                account_regions,
                newest_capture_time,
                complete,
                assume_complete: false,
                read_only: BTreeSet::new(),
            },
            skipped,
        )
    }

    /// Whether the input is a complete record of `account` in `region` (or the user says
    /// it is).
    pub fn is_complete(&self, account: &Arc<str>, region: &Arc<str>) -> bool {
        self.assume_complete || self.complete.contains(&(account.clone(), region.clone()))
    }

    /// Whether this run judges `item` (its account is not another shard's).
    pub fn judges(&self, item: &ConfigurationItem) -> bool {
        self.read_only.is_empty() || !self.read_only.contains(&item.subject.account)
    }

    /// Whether `data.inventory` over `types` holds `item`: deleted and unrecorded resources
    /// are left out because they no longer configure anything.
    pub fn in_document(item: &ConfigurationItem, types: &BTreeSet<String>) -> bool {
        item.status.is_evaluable() && types.contains(item.subject.resource_type.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_account_and_region_is_complete_when_an_item_came_in_a_complete_record() {
        let mut from_snapshot = item("a", 1, "2026-11-01T00:00:00Z", "snapshot");
        from_snapshot.complete_record = true;
        // A newer state from a history file supersedes it: the region is still complete.
        let newer = item("a", 2, "2026-11-02T00:00:00Z", "history");
        let (inventory, _) = Inventory::build(vec![from_snapshot, newer]);
        assert_eq!(inventory.items.len(), 1);
        let (account, region) = (Arc::from("111122223333"), Arc::from("us-east-1"));
        assert!(inventory.is_complete(&account, &region));
        assert!(!inventory.is_complete(&account, &Arc::from(GLOBAL_REGION)));
        let (mut partial, _) = Inventory::build(vec![item("a", 1, "2026-11-01T00:00:00Z", "x")]);
        assert!(!partial.is_complete(&account, &region));
        partial.assume_complete = true;
        assert!(partial.is_complete(&account, &Arc::from(GLOBAL_REGION)));
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
            .map(|i| {
                let origin = i.subject.origin.as_ref().expect("an item has an origin");
                (i.subject.resource_id.as_ref(), origin.source.as_ref())
            })
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
