//! `config://`: the current configuration items of an account and region, read from the
//! AWS Config API (README "The Config API"). For each resource type the selected controls
//! read, the listing (ListDiscoveredResources) names the resources; then they are fetched
//! 100 at a time (BatchGetResourceConfig), and the keys AWS leaves unprocessed are asked
//! for again. `config://aggregator/<name>` does the same through an aggregator
//! (ListAggregateDiscoveredResources, BatchGetAggregateResourceConfig), across every
//! account and region it holds.
//!
//! Each batch is one document, the BatchGet output the loader reads like any other, named
//! `config://<region>/<type>/<n>` (the n-th batch of that type in the region called) or
//! `config://aggregator/<name>/<account>/<region>/<type>/<n>`.
//!
//! A listing names every current resource of the listed types. The types listed are all
//! the types the selected controls read (their `resource_types` and `requires`), so a
//! resource of those types that the listing does not name does not exist (as far as the
//! recorder records it, as with a snapshot): the pages are complete records
//! (`Completeness::Complete`). A type no selected control reads is not listed, and no
//! selected control can conclude anything from its absence. When a listing fails, the
//! pages are only what they hold (`FromShape`, partial), so no verdict rests on a
//! resource that may merely not have been listed.
//!
//! The calls are made by `ConfigApi` (implemented over the SDK in `aws::config`, on AWS's
//! runtime) from a background thread, a few at a time; pages travel through a bounded
//! channel in a fixed order, so the pipeline loads them while the next are fetched, few
//! wait in memory, and the same account gives the same entries in the same order.

use super::{Body, Completeness, Document, Entry, Tally};
use crate::diagnostics::{Code, Problem};
use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::time::Duration;

/// How every input of this source starts.
pub const SCHEME: &str = "config://";

/// The most keys one BatchGet(Aggregate)ResourceConfig call takes.
pub const BATCH_SIZE: usize = 100;

/// The resource type of account-level controls: nothing to list.
const ACCOUNT_TYPE: &str = "AWS::::Account";

/// Pages fetched but not yet taken by the pipeline, at most.
const PAGES_WAITING: usize = 4;

/// What a `config://` input reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The account and region of the credentials in use (`config://`).
    Account,
    /// Every account and region of an aggregator (`config://aggregator/<name>`).
    Aggregator(String),
}

impl Target {
    /// `config://` or `config://aggregator/<name>`.
    pub fn parse(input: &str) -> Result<Target, Problem> {
        let Some(rest) = input.strip_prefix(SCHEME) else {
            return Err(not_a_target(input, "it does not start with config://"));
        };
        let rest = rest.trim_end_matches('/');
        if rest.is_empty() {
            return Ok(Target::Account);
        }
        match rest.strip_prefix("aggregator/") {
            Some(name) if is_aggregator_name(name) => Ok(Target::Aggregator(name.to_string())),
            Some(_) => Err(not_a_target(
                input,
                "an aggregator's name is 1 to 256 letters, digits, - and _",
            )),
            None => Err(not_a_target(
                input,
                "config:// takes no path but aggregator/<name>",
            )),
        }
    }

    /// How its documents' names start.
    fn prefix(&self) -> String {
        match self {
            Target::Account => SCHEME.to_string(),
            Target::Aggregator(name) => format!("{SCHEME}aggregator/{name}/"),
        }
    }
}

/// AWS Config's pattern for aggregator names: `[\w\-]+`, 1 to 256 characters.
fn is_aggregator_name(name: &str) -> bool {
    (1..=256).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn not_a_target(input: &str, why: &str) -> Problem {
    Problem::new(
        Code::InputNotFound,
        input,
        format!("not a Config API input: {why}"),
    )
    .with_help("config:// reads the account and region of the credentials in use; config://aggregator/NAME reads an aggregator")
}

/// One resource to fetch: its type and id; for an aggregator also the account and region
/// it is in (and its name, which the aggregate call takes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourceKey {
    pub resource_type: String,
    pub resource_id: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub name: Option<String>,
}

impl ResourceKey {
    fn label(&self) -> String {
        match (&self.account, &self.region) {
            (Some(account), Some(region)) => format!(
                "{} {} (account {account}, {region})",
                self.resource_type, self.resource_id
            ),
            _ => format!("{} {}", self.resource_type, self.resource_id),
        }
    }
}

/// One page of a listing.
#[derive(Debug, Default)]
pub struct Listing {
    pub keys: Vec<ResourceKey>,
    /// Where the next page starts; `None` at the end.
    pub next_token: Option<String>,
}

/// What one batch call gave.
#[derive(Debug, Default)]
pub struct Batch {
    /// The items, each an object in the `baseConfigurationItems` API shape (config-format.md
    /// §9): A dialect, `configuration` and supplementary values as JSON text, times RFC 3339.
    pub items: Vec<serde_json::Value>,
    /// The keys AWS did not process this time.
    pub unprocessed: Vec<ResourceKey>,
}

/// The calls a `config://` read makes. `aws::config` implements them over the SDK, with
/// its retry policy for throttling and 5xx answers; a failed call is a problem that names
/// the operation, `origin` (what was being read) and AWS's error code and request id.
pub trait ConfigApi: Send + Sync + 'static {
    /// The region the account's calls go to (it names the pages of `config://`).
    fn region(&self) -> String;

    /// One page of the current resources of `resource_type` (for an aggregator, of all its
    /// accounts and regions), from `next_token`.
    fn list(
        &self,
        target: &Target,
        resource_type: &str,
        next_token: Option<String>,
        origin: &str,
    ) -> Result<Listing, Problem>;

    /// The current items of `keys` (at most `BATCH_SIZE`, all of one account and region).
    fn batch_get(
        &self,
        target: &Target,
        keys: &[ResourceKey],
        origin: &str,
    ) -> Result<Batch, Problem>;
}

/// How a read goes.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Calls in flight at once.
    pub concurrency: usize,
    /// How many more times keys AWS leaves unprocessed are asked for, and the wait before
    /// the first time (doubling each time).
    pub unprocessed_retries: u32,
    pub backoff: Duration,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            concurrency: 4,
            unprocessed_retries: 5,
            backoff: Duration::from_millis(500),
        }
    }
}

/// The entries of one `config://` input: every page of items of `resource_types` (the
/// types the selected controls read), and a problem for each call that failed, as they
/// are fetched.
pub fn entries(
    api: Arc<dyn ConfigApi>,
    target: Target,
    resource_types: Vec<String>,
    options: ReadOptions,
    tally: Arc<dyn Tally>,
) -> Box<dyn Iterator<Item = Entry> + Send> {
    let (sender, receiver) = sync_channel(PAGES_WAITING);
    let origin = target.prefix();
    let reader = std::thread::Builder::new()
        .name("regent-config".into())
        .spawn(move || {
            read(
                &*api,
                &target,
                &types_to_list(resource_types),
                options,
                &sender,
                &*tally,
            )
        });
    match reader {
        Ok(_) => Box::new(receiver.into_iter()),
        Err(err) => Box::new(std::iter::once(Entry::Failed(Problem::new(
            Code::InputUnreadable,
            origin,
            format!("could not start reading the Config API: {err}"),
        )))),
    }
}

/// The types to list: sorted, once each, without the account (nothing to list).
fn types_to_list(mut types: Vec<String>) -> Vec<String> {
    types.retain(|t| !t.is_empty() && t != ACCOUNT_TYPE);
    types.sort();
    types.dedup();
    types
}

/// List every type, then fetch and send the pages; stops early when the pipeline no
/// longer takes entries.
fn read(
    api: &dyn ConfigApi,
    target: &Target,
    types: &[String],
    options: ReadOptions,
    sender: &SyncSender<Entry>,
    tally: &dyn Tally,
) {
    let (keys, problems) = list_every_type(api, target, types, options.concurrency);
    tally.listed(keys.len());
    // A type that could not be listed may have resources nobody will see: then no page is a
    // complete record.
    let completeness = if problems.is_empty() {
        Completeness::Complete
    } else {
        Completeness::FromShape
    };
    for problem in problems {
        if sender.send(Entry::Failed(problem)).is_err() {
            return;
        }
    }
    let region = api.region();
    let batches = batches(target, &region, keys);
    for round in batches.chunks(options.concurrency.max(1)) {
        let fetched = in_order(round, round.len(), |batch| {
            fetch(api, target, batch, options, completeness)
        });
        tally.fetched(round.iter().map(|(_, keys)| keys.len()).sum());
        for entry in fetched.into_iter().flatten() {
            if sender.send(entry).is_err() {
                return;
            }
        }
    }
}

/// The keys of every type, `concurrency` types at a time, and a problem for each cause of
/// failure (naming the types it cost). When a whole round fails and nothing was listed
/// yet, the cause is not the types (no credentials, no network, no permission), so the
/// other types are not tried: they would only fail the same way, slowly.
fn list_every_type(
    api: &dyn ConfigApi,
    target: &Target,
    types: &[String],
    concurrency: usize,
) -> (Vec<ResourceKey>, Vec<Problem>) {
    let mut keys = Vec::new();
    let mut failures: Vec<(&str, Problem)> = Vec::new();
    let mut listed_any = false;
    let mut not_tried: &[String] = &[];
    let rounds: Vec<&[String]> = types.chunks(concurrency.max(1)).collect();
    for (n, round) in rounds.iter().enumerate() {
        let before = failures.len();
        for (resource_type, result) in round
            .iter()
            .zip(in_order(round, round.len(), |t| list_all(api, target, t)))
        {
            match result {
                Ok(found) => {
                    listed_any = true;
                    keys.extend(found);
                }
                Err(problem) => failures.push((resource_type, problem)),
            }
        }
        if !listed_any && failures.len() - before == round.len() {
            let start = ((n + 1) * concurrency.max(1)).min(types.len());
            not_tried = &types[start..];
            break;
        }
    }
    (keys, by_cause(target, &api.region(), failures, not_tried))
}

/// One problem per cause of failure (its message without the request id), in the order
/// first seen: as it was when it cost one type, else named for the read and listing the
/// types it cost, and those not tried because of it.
fn by_cause(
    target: &Target,
    region: &str,
    failures: Vec<(&str, Problem)>,
    not_tried: &[String],
) -> Vec<Problem> {
    let cause = |p: &Problem| {
        p.message
            .split(" (request id ")
            .next()
            .unwrap_or("")
            .to_string()
    };
    let stopped_by = failures.last().map(|(_, p)| cause(p));
    let mut groups: Vec<(String, Vec<(&str, Problem)>)> = Vec::new();
    for (resource_type, problem) in failures {
        let key = cause(&problem);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push((resource_type, problem)),
            None => groups.push((key, vec![(resource_type, problem)])),
        }
    }
    groups
        .into_iter()
        .map(|(key, mut group)| {
            // The types not tried are the cost of the cause that stopped the listing.
            let unlisted = if Some(&key) == stopped_by.as_ref() {
                not_tried
            } else {
                &[]
            };
            if group.len() == 1 && unlisted.is_empty() {
                return group.remove(0).1;
            }
            let types: Vec<&str> = group.iter().map(|(t, _)| *t).collect();
            let (_, mut problem) = group.remove(0);
            problem.source = match target {
                Target::Account => format!("{SCHEME}{region}"),
                Target::Aggregator(_) => target.prefix().trim_end_matches('/').to_string(),
            };
            let skipped = if unlisted.is_empty() {
                String::new()
            } else {
                format!("; the other {} types were not listed", unlisted.len())
            };
            problem.message = format!(
                "{} (for {} types: {}){skipped}",
                problem.message,
                types.len(),
                types.join(", ")
            );
            problem
        })
        .collect()
}

/// `work` on every job, up to `concurrency` at once, the results in the jobs' order.
fn in_order<J: Sync, R: Send>(
    jobs: &[J],
    concurrency: usize,
    work: impl Fn(&J) -> R + Sync,
) -> Vec<R> {
    let mut results = Vec::with_capacity(jobs.len());
    for round in jobs.chunks(concurrency.max(1)) {
        std::thread::scope(|scope| {
            let running: Vec<_> = round.iter().map(|job| scope.spawn(|| work(job))).collect();
            for handle in running {
                match handle.join() {
                    Ok(result) => results.push(result),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
    }
    results
}

/// Every page of the listing of `resource_type`.
fn list_all(
    api: &dyn ConfigApi,
    target: &Target,
    resource_type: &str,
) -> Result<Vec<ResourceKey>, Problem> {
    let origin = match target {
        Target::Account => format!("{SCHEME}{}/{resource_type}", api.region()),
        Target::Aggregator(_) => format!("{}{resource_type}", target.prefix()),
    };
    let mut keys = Vec::new();
    let mut next_token: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = api.list(target, resource_type, next_token.clone(), &origin)?;
        keys.extend(page.keys);
        match page.next_token.filter(|t| !t.is_empty()) {
            None => return Ok(keys),
            // A token that comes back would list forever.
            Some(token) if !seen.insert(token.clone()) => return Err(Problem::new(
                Code::AwsCall,
                origin,
                "the listing returned a next token it had returned before; it was stopped there",
            )),
            Some(token) => next_token = Some(token),
        }
    }
}

/// The resources to fetch together: of one type, account and region, in id order, at most
/// `BATCH_SIZE` each, with the name of the page they will make.
fn batches(
    target: &Target,
    region: &str,
    keys: Vec<ResourceKey>,
) -> Vec<(String, Vec<ResourceKey>)> {
    let mut groups: BTreeMap<(String, String, String), Vec<ResourceKey>> = BTreeMap::new();
    for key in keys {
        let account = key.account.clone().unwrap_or_default();
        let key_region = key.region.clone().unwrap_or_else(|| region.to_string());
        groups
            .entry((key.resource_type.clone(), account, key_region))
            .or_default()
            .push(key);
    }
    let mut batches = Vec::new();
    for ((resource_type, account, region), mut keys) in groups {
        keys.sort();
        keys.dedup_by(|a, b| a.resource_id == b.resource_id);
        let place = match target {
            Target::Account => format!("{SCHEME}{region}/{resource_type}"),
            Target::Aggregator(_) => {
                format!("{}{account}/{region}/{resource_type}", target.prefix())
            }
        };
        for (n, chunk) in keys.chunks(BATCH_SIZE).enumerate() {
            batches.push((format!("{place}/{}", n + 1), chunk.to_vec()));
        }
    }
    batches
}

/// One batch: fetched, with the keys AWS leaves unprocessed asked for again (after a wait
/// that doubles), made into a page; a problem for what could not be had.
fn fetch(
    api: &dyn ConfigApi,
    target: &Target,
    (origin, keys): &(String, Vec<ResourceKey>),
    options: ReadOptions,
    completeness: Completeness,
) -> Vec<Entry> {
    let mut items = Vec::new();
    let mut pending = keys.clone();
    let mut failed = None;
    let mut wait = options.backoff;
    for attempt in 0..=options.unprocessed_retries {
        if attempt > 0 {
            std::thread::sleep(wait);
            wait = wait.saturating_mul(2);
        }
        match api.batch_get(target, &pending, origin) {
            Ok(batch) => {
                items.extend(batch.items);
                pending = batch.unprocessed;
            }
            Err(problem) => {
                failed = Some(problem);
                break;
            }
        }
        if pending.is_empty() {
            break;
        }
    }
    let mut entries = Vec::new();
    if !items.is_empty() {
        entries.push(Entry::Document(page(origin, items, completeness)));
    }
    if let Some(mut problem) = failed {
        problem.message = format!("{}; not read: {}", problem.message, labels(&pending));
        entries.push(Entry::Failed(problem));
    } else if !pending.is_empty() {
        let calls = options.unprocessed_retries + 1;
        entries.extend(pending.iter().map(|key| {
            Entry::Failed(
                Problem::new(
                    Code::AwsCall,
                    origin.as_str(),
                    format!("{} was left unprocessed by AWS in {calls} calls; it is not evaluated", key.label()),
                )
                .with_help("AWS Config is busy: run again later; verdicts that rest on a resource being absent may be wrong in this run"),
            )
        }));
    }
    entries
}

/// The first few keys' labels, and how many there are.
fn labels(keys: &[ResourceKey]) -> String {
    let shown: Vec<String> = keys.iter().take(5).map(|k| k.resource_id.clone()).collect();
    let more = if keys.len() > shown.len() {
        ", ..."
    } else {
        ""
    };
    let resource_type = keys.first().map_or("", |k| k.resource_type.as_str());
    format!(
        "{} {resource_type} ({}{more})",
        keys.len(),
        shown.join(", ")
    )
}

/// A page: the items as BatchGetResourceConfig output, a document like any other.
fn page(origin: &str, items: Vec<serde_json::Value>, completeness: Completeness) -> Document {
    let body = serde_json::json!({ "baseConfigurationItems": items });
    Document {
        origin: Arc::from(origin),
        ndjson: false,
        completeness,
        body: Body::Bytes(body.to_string().into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// An account in memory: `unprocessed_once` keys are left unprocessed the first time
    /// they are asked for; listing `broken` fails.
    #[derive(Default)]
    struct Memory {
        resources: Vec<ResourceKey>,
        unprocessed_once: Mutex<Vec<String>>,
        broken: Option<String>,
        calls: Mutex<Vec<usize>>,
        listings: Mutex<usize>,
    }

    impl ConfigApi for Memory {
        fn region(&self) -> String {
            "eu-west-1".into()
        }

        fn list(
            &self,
            _: &Target,
            resource_type: &str,
            next_token: Option<String>,
            origin: &str,
        ) -> Result<Listing, Problem> {
            let mut listings = self.listings.lock().unwrap();
            *listings += 1;
            if self
                .broken
                .as_deref()
                .is_some_and(|b| b == resource_type || b == "*")
            {
                let message = format!("AccessDenied (request id {listings})");
                return Err(Problem::new(Code::AwsCall, origin, message));
            }
            let of_type: Vec<ResourceKey> = self
                .resources
                .iter()
                .filter(|k| k.resource_type == resource_type)
                .cloned()
                .collect();
            let start: usize = next_token.map_or(0, |t| t.parse().unwrap());
            let end = (start + 7).min(of_type.len());
            Ok(Listing {
                keys: of_type[start..end].to_vec(),
                next_token: (end < of_type.len()).then(|| end.to_string()),
            })
        }

        fn batch_get(&self, _: &Target, keys: &[ResourceKey], _: &str) -> Result<Batch, Problem> {
            assert!(keys.len() <= BATCH_SIZE);
            self.calls.lock().unwrap().push(keys.len());
            let mut once = self.unprocessed_once.lock().unwrap();
            let (unprocessed, processed): (Vec<_>, Vec<_>) =
                keys.iter().partition(|k| once.contains(&k.resource_id));
            once.retain(|id| !unprocessed.iter().any(|k| &k.resource_id == id));
            Ok(Batch {
                items: processed
                    .iter()
                    .map(|k| {
                        serde_json::json!({"resourceType": k.resource_type, "resourceId": k.resource_id,
                            "accountId": "111122223333", "awsRegion": "eu-west-1", "configuration": "{}"})
                    })
                    .collect(),
                unprocessed: unprocessed.into_iter().cloned().collect(),
            })
        }
    }

    fn key(resource_type: &str, id: usize) -> ResourceKey {
        ResourceKey {
            resource_type: resource_type.into(),
            resource_id: format!("r-{id:04}"),
            account: None,
            region: None,
            name: None,
        }
    }

    fn options() -> ReadOptions {
        ReadOptions {
            concurrency: 3,
            unprocessed_retries: 2,
            backoff: Duration::from_millis(1),
        }
    }

    fn read_all(api: Memory, types: &[&str]) -> (Vec<Entry>, Arc<Memory>) {
        let api = Arc::new(api);
        let types = types.iter().map(|t| t.to_string()).collect();
        let tally = Arc::new(crate::source::Untallied);
        let entries = entries(api.clone(), Target::Account, types, options(), tally).collect();
        (entries, api)
    }

    fn documents(entries: &[Entry]) -> Vec<(&str, Completeness, usize)> {
        entries
            .iter()
            .filter_map(|e| match e {
                Entry::Document(d) => {
                    let Body::Bytes(bytes) = &d.body else {
                        panic!("pages are in memory")
                    };
                    let page: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                    let n = page["baseConfigurationItems"].as_array().unwrap().len();
                    Some((&*d.origin, d.completeness, n))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("config://").unwrap(), Target::Account);
        assert_eq!(
            Target::parse("config://aggregator/org-wide").unwrap(),
            Target::Aggregator("org-wide".into())
        );
        for wrong in [
            "config://eu-west-1",
            "config://aggregator/",
            "config://aggregator/a b",
        ] {
            let problem = Target::parse(wrong).unwrap_err();
            assert_eq!(problem.code, Code::InputNotFound, "{wrong}");
        }
    }

    #[test]
    fn every_resource_of_the_listed_types_is_fetched_in_batches_of_100_in_order() {
        let mut resources: Vec<ResourceKey> = (0..230).map(|i| key("AWS::S3::Bucket", i)).collect();
        resources.extend((0..5).map(|i| key("AWS::EC2::VPC", i)));
        resources.extend((0..9).map(|i| key("AWS::KMS::Key", i)));
        let memory = Memory {
            resources,
            ..Memory::default()
        };
        let (entries, api) = read_all(
            memory,
            &[
                "AWS::S3::Bucket",
                "AWS::::Account",
                "AWS::EC2::VPC",
                "AWS::S3::Bucket",
            ],
        );
        assert_eq!(
            documents(&entries),
            [
                (
                    "config://eu-west-1/AWS::EC2::VPC/1",
                    Completeness::Complete,
                    5
                ),
                (
                    "config://eu-west-1/AWS::S3::Bucket/1",
                    Completeness::Complete,
                    100
                ),
                (
                    "config://eu-west-1/AWS::S3::Bucket/2",
                    Completeness::Complete,
                    100
                ),
                (
                    "config://eu-west-1/AWS::S3::Bucket/3",
                    Completeness::Complete,
                    30
                ),
            ]
        );
        // The KMS keys were not asked for: no selected control reads them.
        let mut calls = api.calls.lock().unwrap().clone();
        calls.sort();
        assert_eq!(calls, [5, 30, 100, 100]);
    }

    #[test]
    fn unprocessed_keys_are_asked_for_again_until_none_is_left() {
        let memory = Memory {
            resources: (0..10).map(|i| key("AWS::S3::Bucket", i)).collect(),
            unprocessed_once: Mutex::new(vec!["r-0003".into(), "r-0007".into()]),
            ..Memory::default()
        };
        let (entries, api) = read_all(memory, &["AWS::S3::Bucket"]);
        assert_eq!(
            documents(&entries),
            [(
                "config://eu-west-1/AWS::S3::Bucket/1",
                Completeness::Complete,
                10
            )]
        );
        assert_eq!(*api.calls.lock().unwrap(), [10, 2]);
    }

    #[test]
    fn a_failed_listing_is_a_problem_and_makes_the_pages_partial() {
        let mut resources: Vec<ResourceKey> = (0..3).map(|i| key("AWS::S3::Bucket", i)).collect();
        resources.extend((0..2).map(|i| key("AWS::EC2::VPC", i)));
        let memory = Memory {
            resources,
            broken: Some("AWS::EC2::VPC".into()),
            ..Memory::default()
        };
        let (entries, _) = read_all(memory, &["AWS::S3::Bucket", "AWS::EC2::VPC"]);
        let Entry::Failed(problem) = &entries[0] else {
            panic!("the listing's problem comes first: {entries:?}")
        };
        assert_eq!(problem.source, "config://eu-west-1/AWS::EC2::VPC");
        assert_eq!(
            documents(&entries),
            [(
                "config://eu-west-1/AWS::S3::Bucket/1",
                Completeness::FromShape,
                3
            )]
        );
    }

    #[test]
    fn when_nothing_can_be_listed_one_problem_says_so_after_one_round() {
        let types: Vec<String> = (0..10).map(|i| format!("AWS::T::N{i}")).collect();
        let memory = Memory {
            broken: Some("*".into()),
            ..Memory::default()
        };
        let types: Vec<&str> = types.iter().map(String::as_str).collect();
        let (entries, api) = read_all(memory, &types);
        assert_eq!(*api.listings.lock().unwrap(), 3, "one round of three");
        let [Entry::Failed(problem)] = &entries[..] else {
            panic!("one problem: {entries:?}")
        };
        assert_eq!(problem.source, "config://eu-west-1");
        // The first type's failure, with its request id (whichever call that was).
        let (cause, rest) = problem.message.split_once(" (request id ").unwrap();
        assert_eq!(cause, "AccessDenied");
        assert!(
            rest.ends_with(") (for 3 types: AWS::T::N0, AWS::T::N1, AWS::T::N2); the other 7 types were not listed"),
            "{rest}"
        );
    }
}
