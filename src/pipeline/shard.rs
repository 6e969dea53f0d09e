//! `regent eval --shard K/N`: a deterministic share of a run, so that N machines together
//! judge what one would, and `regent merge` makes their reports the one report of a single
//! run (README "Sharded runs").
//!
//! A shard judges the accounts whose id hashes to it (the same on every machine):
//! each of them whole, every region and its global (IAM) resources, so account-level
//! controls and those that read an account's other resources see all of it. Every shard
//! still reads every input. Items of other shards' accounts are not counted here (their
//! shard counts them), but those of the types controls read from `data.inventory` stay,
//! only to be read: a control that looks across accounts (a trail's log bucket in a
//! log-archive account, a distribution's origin bucket) judges as a single run does.

use crate::eval::EvalOptions;
use crate::model::inventory::Inventory;
use crate::model::ConfigurationItem;
use crate::policy::Pack;
use crate::report::{ReportBuilder, ShardRecord, Summary};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Shard `index` of `count`, 0-based as `AWS_BATCH_JOB_ARRAY_INDEX` and
/// `JOB_COMPLETION_INDEX` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether this shard judges `account`.
    pub fn owns(&self, account: &str) -> bool {
        spread(fnv1a(account.as_bytes())) % u64::from(self.count) == u64::from(self.index)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N`, with K from 0 to N-1.
    fn from_str(text: &str) -> Result<Self, String> {
        let number = |part: &str| part.trim().parse::<u32>().ok();
        let Some((index, count)) = text
            .split_once('/')
            .and_then(|(k, n)| Some((number(k)?, number(n)?)))
        else {
            return Err(format!(
                "`{text}` is not K/N: write the shard's number and how many there are, e.g. 0/4"
            ));
        };
        if count == 0 {
            return Err("a run has at least one shard: N must be 1 or more".into());
        }
        if index >= count {
            return Err(format!(
                "there is no shard {index} of {count}: shards count from 0 to {} (as AWS_BATCH_JOB_ARRAY_INDEX and JOB_COMPLETION_INDEX do)",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// FNV-1a, 64 bits: stable across machines, builds and Rust versions (std's hasher is
/// seeded per process), and spreads account ids well.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// MurmurHash3's 64-bit finaliser: every bit of `hash` moves every bit of the result. An
/// FNV hash's low bits depend only on the input's low bits (its remainder by 4 only on the
/// digits' last two bits), so without this, account ids would fall unevenly into N shards.
fn spread(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// Other shards' items, set aside as the documents load.
pub struct Split {
    shard: Shard,
    others: Vec<ConfigurationItem>,
}

impl Split {
    pub fn new(shard: Shard) -> Self {
        Split {
            shard,
            others: Vec::new(),
        }
    }

    /// Set aside the items among `items[from..]` whose account another shard judges.
    pub fn set_aside(&mut self, items: &mut Vec<ConfigurationItem>, from: usize) {
        let loaded = items.split_off(from.min(items.len()));
        for item in loaded {
            if self.shard.owns(&item.subject.account) {
                items.push(item);
            } else {
                self.others.push(item);
            }
        }
    }

    /// Give `inventory` (this shard's own) what a single run's holds of the other shards'
    /// accounts, to be read and not judged: the latest item of every resource of the
    /// types controls read from `data.inventory`, their records' completeness, and the
    /// newest capture time (the default `--as-of`). The other items are not counted in
    /// `builder`: their own shard counts them.
    pub fn add_to(self, inventory: &mut Inventory, builder: &mut ReportBuilder, pack: &Pack) {
        builder.items_of_other_shards(self.others.len());
        let required: BTreeSet<String> = pack
            .controls
            .iter()
            .flat_map(|c| c.meta.requires.iter().cloned())
            .collect();
        // Their superseded items are their shard's to count.
        let (others, _) = Inventory::build(self.others);
        inventory.read_only = others
            .items
            .iter()
            .map(|item| item.subject.account.clone())
            .collect();
        let mut items = merge_by_key(std::mem::take(&mut inventory.items), others.items);
        inventory.newest_capture_time = newest_capture_time(&items);
        items.retain(|item| inventory.judges(item) || Inventory::in_document(item, &required));
        inventory.items = items;
        inventory.complete.extend(others.complete);
    }
}

/// Two inventories' items (each sorted by resource key, no key in both) as one sorted list.
fn merge_by_key(
    ours: Vec<ConfigurationItem>,
    theirs: Vec<ConfigurationItem>,
) -> Vec<ConfigurationItem> {
    let mut merged = Vec::with_capacity(ours.len() + theirs.len());
    let mut theirs = theirs.into_iter().peekable();
    for item in ours {
        while let Some(other) = theirs.next_if(|o| o.subject.key() < item.subject.key()) {
            merged.push(other);
        }
        merged.push(item);
    }
    merged.extend(theirs);
    merged
}

/// The newest capture time of `items`, as `Inventory::build` finds it: compared as a time,
/// the first of equal ones kept.
fn newest_capture_time(items: &[ConfigurationItem]) -> Option<String> {
    let mut newest: Option<(i64, &str)> = None;
    for item in items {
        if let (Some(ns), Some(text)) = (item.capture_ns, item.subject.capture_time.as_deref()) {
            if newest.is_none_or(|(n, _)| ns > n) {
                newest = Some((ns, text));
            }
        }
    }
    newest.map(|(_, text)| text.to_string())
}

/// What a shard's report says of its run (`ShardRecord`). `as_of` is the evaluation time
/// the run uses; `shared` is `ReportBuilder::shared`.
pub fn record(
    shard: Shard,
    as_of: Option<&str>,
    options: RunOptions<'_>,
    shared: (Summary, usize),
) -> ShardRecord {
    let (shared_summary, shared_errors) = shared;
    ShardRecord {
        index: shard.index,
        count: shard.count,
        as_of: as_of.map(normalised_time),
        complete: options.complete,
        options: options.digest(),
        shared_summary,
        shared_errors,
    }
}

/// The options of a run that change its results, besides the pack, the evaluation time and
/// `--complete` (which the report shows).
pub struct RunOptions<'a> {
    pub eval: &'a EvalOptions,
    pub settings: &'a BTreeMap<String, Value>,
    pub max_input_bytes: u64,
    pub complete: bool,
}

impl RunOptions<'_> {
    /// FNV-1a of their JSON (maps in key order): shards agree when their options do.
    fn digest(&self) -> String {
        let eval = self.eval;
        let options = serde_json::json!({
            "parameters": eval.parameter_overrides,
            "settings": self.settings,
            "engine": format!("{:?}", eval.engine),
            "eval_timeout_ns": eval.eval_timeout.as_nanos().to_string(),
            "view_timeout_ns": eval.view_timeout.as_nanos().to_string(),
            "max_input_bytes": self.max_input_bytes,
        });
        format!("{:016x}", fnv1a(options.to_string().as_bytes()))
    }
}

/// An RFC 3339 time as the evaluation writes it (UTC, milliseconds), so that two spellings
/// of one instant agree; anything else as it is.
fn normalised_time(text: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(text).map_or_else(
        |_| text.to_string(),
        |time| {
            time.to_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference (Fowler, Noll, Vo): "", "a", "foobar".
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn every_account_has_exactly_one_shard() {
        for count in 1..=7 {
            for n in 0..200u64 {
                let account = format!("{:012}", 111_122_223_333 + n * 7919);
                let owners = (0..count)
                    .filter(|&index| Shard { index, count }.owns(&account))
                    .count();
                assert_eq!(owners, 1, "{account} in {count} shards");
            }
        }
    }

    #[test]
    fn accounts_spread_evenly_over_the_shards() {
        // Ids as organisations have them: twelve digits, many alike. And ids of the digits
        // 0, 4 and 8 only, whose bytes share their last two bits: FNV-1a alone puts every
        // one of them in the same shard of 4.
        let mut accounts: Vec<String> = (0..1200u64)
            .map(|n| format!("{:012}", 111_122_223_333 + n * 10_007))
            .collect();
        // n's six base-3 digits, twice over.
        accounts.extend((0..729u32).map(|n| {
            (0..12)
                .map(|place| ['0', '4', '8'][(n / 3u32.pow(place % 6)) as usize % 3])
                .collect::<String>()
        }));
        for count in [2, 3, 4, 7, 8] {
            let mean = accounts.len() / count as usize;
            for index in 0..count {
                let shard = Shard { index, count };
                let owned = accounts.iter().filter(|a| shard.owns(a)).count();
                assert!(
                    owned * 10 >= mean * 8 && owned * 10 <= mean * 12,
                    "shard {shard} holds {owned} of {} accounts",
                    accounts.len()
                );
            }
        }
    }

    #[test]
    fn shards_are_written_k_of_n_from_zero() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(" 0 / 1 ".parse(), Ok(Shard { index: 0, count: 1 }));
        for wrong in ["3/3", "x", "1", "-1/3", "1/0", "1/3/4", ""] {
            assert!(wrong.parse::<Shard>().is_err(), "{wrong} accepted");
        }
        let message = "3/3".parse::<Shard>().unwrap_err();
        assert!(message.contains("from 0 to 2"), "{message}");
    }

    #[test]
    fn one_instant_is_one_evaluation_time() {
        assert_eq!(
            normalised_time("2026-11-01T01:00:00+01:00"),
            normalised_time("2026-11-01T00:00:00.000Z")
        );
        assert_eq!(normalised_time("not a time"), "not a time");
    }
}
