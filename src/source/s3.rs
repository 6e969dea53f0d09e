//! `s3://bucket[/prefix]`: the objects of a bucket, read as AWS Config delivers them
//! (`[<prefix>/]AWSLogs/<account>/Config/<region>/<Y>/<M>/<D>/ConfigSnapshot|ConfigHistory/
//! <file>.json.gz`, config-format.md §3). By default the latest snapshot of each (account,
//! region) is read; the options select others. Every listed object is accounted for: read,
//! or skipped with the reason. S3 itself is behind `ObjectStore` (src/aws/s3.rs implements
//! it with the SDK), so this module only lists, chooses and hands the bytes on.

use super::{is_json_name, too_large, Document, Entry, Tally};
use crate::diagnostics::{Code, Problem, Skip};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which objects of an `s3://` input are read (README "Reading from S3").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Options {
    /// Every snapshot, not only the latest per (account, region).
    pub all_snapshots: bool,
    /// ConfigHistory files too: those at or after the latest snapshot of their (account,
    /// region), or every one with `all_snapshots`.
    pub history: bool,
    /// Only delivery files of these accounts (empty: all).
    pub accounts: Vec<String>,
    /// Only delivery files of these regions (empty: all).
    pub regions: Vec<String>,
    /// Only delivery files whose timestamp is at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Only delivery files whose timestamp is at or before this.
    pub until: Option<DateTime<Utc>>,
    /// ListObjectsV2's page size (S3's default, 1,000, when `None`).
    pub page_size: Option<u32>,
}

impl S3Options {
    /// The flags given that choose among S3 objects (they mean nothing for other inputs).
    pub fn flags_given(&self) -> Vec<&'static str> {
        let given = [
            ("--all-snapshots", self.all_snapshots),
            ("--history", self.history),
            ("--accounts", !self.accounts.is_empty()),
            ("--regions", !self.regions.is_empty()),
            ("--since", self.since.is_some()),
            ("--until", self.until.is_some()),
        ];
        given
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(flag, _)| flag)
            .collect()
    }

    /// Whether a flag narrows the delivery files: objects outside the layout have no
    /// account, region or time to match, so they are then left out.
    fn narrows(&self) -> bool {
        !self.accounts.is_empty()
            || !self.regions.is_empty()
            || self.since.is_some()
            || self.until.is_some()
    }
}

/// What the S3 source needs of S3.
pub trait ObjectStore: Send + Sync {
    /// One page of the listing of `bucket` under `prefix`, from `token` on (ListObjectsV2).
    /// A problem names `s3://bucket/prefix`.
    fn list_page(&self, bucket: &str, prefix: &str, token: Option<&str>) -> Result<Page, Problem>;

    /// The bytes of each of `keys` (at most `max_bytes` each, as stored: gzip stays gzip),
    /// in the order of `keys`, fetched some at a time ahead of the caller so that fetching
    /// and loading overlap. A problem names `s3://bucket/key`; the others still come.
    fn fetch(
        &self,
        bucket: &str,
        keys: Vec<String>,
        max_bytes: u64,
    ) -> Box<dyn Iterator<Item = Result<Vec<u8>, Problem>> + Send>;
}

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub objects: Vec<Listed>,
    /// The continuation token of the next page, if there is one.
    pub next: Option<String>,
}

/// A listed object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub key: String,
    pub size: u64,
}

/// Whether an input names S3.
pub fn is_s3_url(text: &str) -> bool {
    text.starts_with(SCHEME)
}

const SCHEME: &str = "s3://";

/// A bucket and a prefix (empty for the whole bucket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub bucket: String,
    pub prefix: String,
}

impl Location {
    /// `s3://bucket[/prefix]`.
    pub fn parse(url: &str) -> Result<Location, Problem> {
        let rest = url.strip_prefix(SCHEME).unwrap_or(url);
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(Problem::new(Code::InputNotFound, url, "no bucket is named")
                .with_help("write s3://bucket, s3://bucket/prefix or s3://bucket/key"));
        }
        Ok(Location {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }

    /// How an object is named in reports and diagnostics.
    pub fn origin(&self, key: &str) -> String {
        format!("{SCHEME}{}/{key}", self.bucket)
    }
}

/// The entries `url` names, lazily: nothing is listed until the first is asked for. The
/// listing is read whole first (the latest snapshot is known only then); then the chosen
/// objects are fetched, ahead of the caller, in delivery order (by the file's timestamp,
/// then key), followed by the objects outside the layout (by key). Skipped objects come
/// in the same order.
pub fn entries(
    store: Arc<dyn ObjectStore>,
    url: String,
    options: S3Options,
    max_bytes: u64,
    tally: Arc<dyn Tally>,
) -> impl Iterator<Item = Entry> + Send + 'static {
    std::iter::once(())
        .flat_map(move |()| open(store.clone(), &url, &options, max_bytes, tally.clone()))
}

/// List, choose, and start fetching.
fn open(
    store: Arc<dyn ObjectStore>,
    url: &str,
    options: &S3Options,
    max_bytes: u64,
    tally: Arc<dyn Tally>,
) -> Box<dyn Iterator<Item = Entry> + Send> {
    let failed = |problem| -> Box<dyn Iterator<Item = Entry> + Send> {
        Box::new(std::iter::once(Entry::Failed(problem)))
    };
    let location = match Location::parse(url) {
        Ok(location) => location,
        Err(problem) => return failed(problem),
    };
    let listed = match list_all(&*store, &location, &*tally) {
        Ok(listed) => listed,
        Err(problem) => return failed(problem),
    };
    let steps = match named(&location, listed) {
        Named::Object(object) => vec![read_step(&location, object, max_bytes)],
        Named::Folder(objects) if objects.is_empty() => return failed(nothing_under(url)),
        Named::Folder(objects) => plan(&location, objects, options, max_bytes),
    };
    let keys: Vec<String> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Read(key) => Some(key.clone()),
            Step::Skip(_) | Step::Fail(_) => None,
        })
        .collect();
    let mut fetched = if keys.is_empty() {
        Box::new(std::iter::empty())
    } else {
        store.fetch(&location.bucket, keys, max_bytes)
    };
    Box::new(steps.into_iter().map(move |step| match step {
        Step::Read(key) => {
            let origin = location.origin(&key);
            let next = fetched.next();
            tally.fetched(1);
            match next {
                Some(Ok(bytes)) => Entry::Document(Document::from_bytes(origin, bytes)),
                Some(Err(problem)) => Entry::Failed(problem),
                // The store ended early (its runtime stopped): say so rather than lose it.
                None => Entry::Failed(Problem::new(
                    Code::InputUnreadable,
                    origin,
                    "the object was listed but never fetched",
                )),
            }
        }
        Step::Skip(skip) => Entry::Ignored(skip),
        Step::Fail(problem) => Entry::Failed(problem),
    }))
}

/// Every page of the listing under the location's prefix.
fn list_all(
    store: &dyn ObjectStore,
    location: &Location,
    tally: &dyn Tally,
) -> Result<Vec<Listed>, Problem> {
    let mut objects = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = store.list_page(&location.bucket, &location.prefix, token.as_deref())?;
        tally.listed(page.objects.len());
        objects.extend(page.objects);
        match page.next {
            // A token that does not move would list forever.
            Some(next) if token.as_deref() != Some(next.as_str()) => token = Some(next),
            _ => return Ok(objects),
        }
    }
}

/// What an input names: one object (its key is the whole prefix), or the objects under a
/// folder (`s3://bucket/logs` is `logs/...`, not `logs-old/...`).
enum Named {
    Object(Listed),
    Folder(Vec<Listed>),
}

fn named(location: &Location, listed: Vec<Listed>) -> Named {
    let prefix = &location.prefix;
    if prefix.is_empty() || prefix.ends_with('/') {
        return Named::Folder(listed);
    }
    let folder = format!("{prefix}/");
    let mut under = Vec::new();
    for object in listed {
        if &object.key == prefix {
            return Named::Object(object);
        }
        if object.key.starts_with(&folder) {
            under.push(object);
        }
    }
    Named::Folder(under)
}

fn nothing_under(url: &str) -> Problem {
    Problem::new(Code::InputNotFound, url, "no object is listed under it").with_help(
        "check the bucket and the prefix: Config delivers to [prefix/]AWSLogs/<account>/Config/<region>/...",
    )
}

/// What becomes of one listed object.
enum Step {
    Read(String),
    Skip(Skip),
    Fail(Problem),
}

/// A Config delivery file, from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFile {
    pub account: String,
    pub region: String,
    pub kind: Kind,
    /// The time in the file's name (a history file's: the end of the span it covers), or
    /// the start of the day of its folder when the name has none.
    pub time: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Snapshot,
    History,
}

/// Where a key sits in the delivery layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A snapshot or history file.
    Delivery(DeliveryFile),
    /// Under `AWSLogs/<account>/` but not a snapshot or history file: an oversized change
    /// notification, `ConfigWritabilityCheckFile`, another service's logs.
    OtherDelivery,
    /// Not under `AWSLogs/<account>/` at all.
    Outside,
}

/// The class of a key: `[any prefix/]AWSLogs/<account digits>/Config/<region>/<Y>/<M>/<D>/
/// ConfigSnapshot|ConfigHistory/<file .json or .json.gz>` (month and day with or without
/// a leading zero).
pub fn classify(key: &str) -> Class {
    let parts: Vec<&str> = key.split('/').collect();
    let logs = parts.windows(2).rposition(|pair| {
        pair[0] == "AWSLogs" && !pair[1].is_empty() && pair[1].bytes().all(|b| b.is_ascii_digit())
    });
    let Some(at) = logs else {
        return Class::Outside;
    };
    let [account, "Config", region, year, month, day, folder, file] = &parts[at + 1..] else {
        return Class::OtherDelivery;
    };
    let kind = match *folder {
        "ConfigSnapshot" => Kind::Snapshot,
        "ConfigHistory" => Kind::History,
        _ => return Class::OtherDelivery,
    };
    let Some(date) = folder_date(year, month, day) else {
        return Class::OtherDelivery;
    };
    if region.is_empty() || !is_json_name(file) {
        return Class::OtherDelivery;
    }
    let time = time_in_name(file).unwrap_or_else(|| date.and_time(chrono::NaiveTime::MIN));
    Class::Delivery(DeliveryFile {
        account: account.to_string(),
        region: region.to_string(),
        kind,
        time: time.and_utc(),
    })
}

/// The date of a `<Y>/<M>/<D>` folder.
fn folder_date(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    let number = |text: &str| {
        (!text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)
}

/// The last `YYYYMMDDTHHMMSSZ` among the `_`-separated parts of a file name.
fn time_in_name(file: &str) -> Option<NaiveDateTime> {
    file.split(['_', '.'])
        .filter(|part| part.len() == 16)
        .filter_map(|part| NaiveDateTime::parse_from_str(part, "%Y%m%dT%H%M%SZ").ok())
        .next_back()
}

/// The steps for the objects under a folder, in reading order.
fn plan(
    location: &Location,
    objects: Vec<Listed>,
    options: &S3Options,
    max_bytes: u64,
) -> Vec<Step> {
    let mut classified: Vec<(Listed, Class)> = objects
        .into_iter()
        .map(|object| {
            let class = classify(&object.key);
            (object, class)
        })
        .collect();
    // Delivery files oldest first (a later input wins a tie between two states of one
    // resource), then the rest by key: the same listing always gives the same order.
    classified.sort_by(|(a, x), (b, y)| {
        let time = |class: &Class| match class {
            Class::Delivery(file) => Some(file.time),
            Class::OtherDelivery | Class::Outside => None,
        };
        let (tx, ty) = (time(x), time(y));
        (tx.is_none(), tx, &a.key).cmp(&(ty.is_none(), ty, &b.key))
    });
    let latest = latest_snapshots(&classified, options);
    classified
        .iter()
        .map(
            |(object, class)| match choose(location, object, class, &latest, options) {
                Ok(()) => read_step(location, object.clone(), max_bytes),
                Err(reason) => Step::Skip(Skip {
                    source: location.origin(&object.key),
                    reason,
                }),
            },
        )
        .collect()
}

/// Read an object, unless its listed size is already over the bound.
fn read_step(location: &Location, object: Listed, max_bytes: u64) -> Step {
    if object.size > max_bytes {
        return Step::Fail(too_large(&location.origin(&object.key), max_bytes, "is"));
    }
    Step::Read(object.key)
}

/// The newest selected snapshot of each (account, region): its time and key.
type Latest<'a> = BTreeMap<(&'a str, &'a str), (DateTime<Utc>, &'a str)>;

/// The latest snapshot per (account, region) among those the options select; a tie in
/// time goes to the greater key. `classified` is in (time, key) order, so the last wins.
fn latest_snapshots<'a>(classified: &'a [(Listed, Class)], options: &S3Options) -> Latest<'a> {
    let mut latest = Latest::new();
    for (object, class) in classified {
        if let Class::Delivery(file) = class {
            if file.kind == Kind::Snapshot && selected(file, options).is_ok() {
                latest.insert(
                    (file.account.as_str(), file.region.as_str()),
                    (file.time, object.key.as_str()),
                );
            }
        }
    }
    latest
}

/// Whether a delivery file passes `--accounts`, `--regions`, `--since` and `--until`; if
/// not, why.
fn selected(file: &DeliveryFile, options: &S3Options) -> Result<(), String> {
    if !options.accounts.is_empty() && !options.accounts.contains(&file.account) {
        return Err(format!(
            "another account (--accounts {}; this file is of {})",
            options.accounts.join(","),
            file.account
        ));
    }
    if !options.regions.is_empty() && !options.regions.contains(&file.region) {
        return Err(format!(
            "another region (--regions {}; this file is of {})",
            options.regions.join(","),
            file.region
        ));
    }
    let stamp = |time: DateTime<Utc>| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if let Some(since) = options.since.filter(|since| file.time < *since) {
        return Err(format!(
            "before --since (the file is of {}, --since {})",
            stamp(file.time),
            stamp(since)
        ));
    }
    if let Some(until) = options.until.filter(|until| file.time > *until) {
        return Err(format!(
            "after --until (the file is of {}, --until {})",
            stamp(file.time),
            stamp(until)
        ));
    }
    Ok(())
}

/// Whether to read an object; if not, why (the reason's words before ` (` are what the
/// summary counts by).
fn choose(
    location: &Location,
    object: &Listed,
    class: &Class,
    latest: &Latest<'_>,
    options: &S3Options,
) -> Result<(), String> {
    match class {
        Class::Delivery(file) => {
            selected(file, options)?;
            let newest = latest.get(&(file.account.as_str(), file.region.as_str()));
            match file.kind {
                Kind::Snapshot if options.all_snapshots => Ok(()),
                Kind::Snapshot => match newest {
                    Some((_, key)) if *key == object.key => Ok(()),
                    Some((_, key)) => Err(format!(
                        "an older snapshot (the latest of {} {} is {}; --all-snapshots reads every one)",
                        file.account,
                        file.region,
                        location.origin(key)
                    )),
                    None => Ok(()),
                },
                Kind::History if !options.history => {
                    Err("a history file (--history reads them)".to_string())
                }
                Kind::History if options.all_snapshots => Ok(()),
                Kind::History => match newest {
                    Some((time, key)) if file.time < *time => Err(format!(
                        "a history file older than the latest snapshot ({}; --all-snapshots reads every one)",
                        location.origin(key)
                    )),
                    _ => Ok(()),
                },
            }
        }
        Class::OtherDelivery => Err(
            "not a Config snapshot or history file (under AWSLogs/, only ConfigSnapshot and ConfigHistory files are read)"
                .to_string(),
        ),
        Class::Outside if options.narrows() => Err(
            "outside the Config delivery layout (--accounts, --regions, --since and --until select delivery files only)"
                .to_string(),
        ),
        Class::Outside if !is_json_name(&object.key) => Err(
            "not a JSON object (outside AWSLogs/, only .json, .ndjson, .jsonl and their .gz are read)"
                .to_string(),
        ),
        Class::Outside => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A bucket in memory: pages of `page` keys, and a record of what was fetched.
    struct Bucket {
        objects: Vec<(String, Vec<u8>)>,
        page: usize,
        fetched: Mutex<Vec<String>>,
    }

    impl Bucket {
        fn new(keys: &[&str], page: usize) -> Arc<Bucket> {
            let mut objects: Vec<(String, Vec<u8>)> = keys
                .iter()
                .map(|key| {
                    (
                        key.to_string(),
                        format!("{{\"key\":\"{key}\"}}").into_bytes(),
                    )
                })
                .collect();
            objects.sort();
            Arc::new(Bucket {
                objects,
                page,
                fetched: Mutex::new(Vec::new()),
            })
        }
    }

    impl ObjectStore for Bucket {
        fn list_page(&self, _: &str, prefix: &str, token: Option<&str>) -> Result<Page, Problem> {
            let start: usize = token.map_or(0, |t| t.parse().unwrap());
            let under: Vec<_> = self
                .objects
                .iter()
                .filter(|(key, _)| key.starts_with(prefix))
                .collect();
            let end = (start + self.page).min(under.len());
            Ok(Page {
                objects: under[start..end]
                    .iter()
                    .map(|(key, bytes)| Listed {
                        key: key.clone(),
                        size: bytes.len() as u64,
                    })
                    .collect(),
                next: (end < under.len()).then(|| end.to_string()),
            })
        }

        fn fetch(
            &self,
            _: &str,
            keys: Vec<String>,
            _: u64,
        ) -> Box<dyn Iterator<Item = Result<Vec<u8>, Problem>> + Send> {
            self.fetched.lock().unwrap().extend(keys.iter().cloned());
            let bytes: Vec<_> = keys
                .iter()
                .map(|key| {
                    let found = self.objects.iter().find(|(k, _)| k == key);
                    Ok(found.unwrap().1.clone())
                })
                .collect();
            Box::new(bytes.into_iter())
        }
    }

    const OLD: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/9/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20261109T010000Z_a.json.gz";
    const NEW: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/10/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20261110T010000Z_b.json.gz";
    const EU: &str = "AWSLogs/111111111111/Config/eu-west-1/2026/11/9/ConfigSnapshot/111111111111_Config_eu-west-1_ConfigSnapshot_20261109T020000Z_c.json.gz";
    const HISTORY_BEFORE: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/9/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20261109T030000Z_20261109T040000Z_1.json.gz";
    const HISTORY_AFTER: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/10/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20261110T030000Z_20261110T040000Z_1.json.gz";
    const ORG: &str = "o-abc123/AWSLogs/222222222222/Config/us-east-1/2026/11/10/ConfigSnapshot/222222222222_Config_us-east-1_ConfigSnapshot_20261110T050000Z_d.json.gz";
    const CHECK: &str = "AWSLogs/111111111111/Config/ConfigWritabilityCheckFile";
    const EXPORT: &str = "exports/item.json";
    const NOTES: &str = "exports/notes.txt";
    const ALL: &[&str] = &[
        OLD,
        NEW,
        EU,
        HISTORY_BEFORE,
        HISTORY_AFTER,
        ORG,
        CHECK,
        EXPORT,
        NOTES,
    ];

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    /// What `url` reads and skips (keys, in order), with these options.
    fn run(url: &str, options: S3Options) -> (Vec<String>, Vec<String>) {
        let bucket = Bucket::new(ALL, 2);
        let (mut read, mut skipped) = (Vec::new(), Vec::new());
        let tally = Arc::new(crate::source::Untallied);
        for entry in entries(bucket, url.to_string(), options, 1 << 20, tally) {
            match entry {
                Entry::Document(document) => read.push(document.origin.to_string()),
                Entry::Ignored(skip) => skipped.push(skip.source),
                Entry::Failed(problem) => panic!("unexpected problem: {problem:?}"),
            }
        }
        let key = |origin: String| origin.trim_start_matches("s3://audit/").to_string();
        (
            read.into_iter().map(key).collect(),
            skipped.into_iter().map(key).collect(),
        )
    }

    #[test]
    fn the_layout_is_recognised_with_and_without_padding_and_prefixes() {
        let Class::Delivery(file) = classify(NEW) else {
            panic!("a snapshot")
        };
        assert_eq!(file.account, "111111111111");
        assert_eq!(file.region, "us-east-1");
        assert_eq!(file.kind, Kind::Snapshot);
        assert_eq!(file.time, time("2026-11-10T01:00:00Z"));
        let Class::Delivery(file) = classify(HISTORY_AFTER) else {
            panic!("a history file")
        };
        assert_eq!(file.kind, Kind::History);
        // The end of the span it covers.
        assert_eq!(file.time, time("2026-11-10T04:00:00Z"));
        assert!(matches!(classify(ORG), Class::Delivery(f) if f.account == "222222222222"));
        let padded = "a/b/AWSLogs/1/Config/eu-west-1/2026/01/02/ConfigSnapshot/x.json";
        assert!(
            matches!(classify(padded), Class::Delivery(f) if f.time == time("2026-01-02T00:00:00Z"))
        );
        assert_eq!(classify(CHECK), Class::OtherDelivery);
        assert_eq!(
            classify("AWSLogs/1/CloudTrail/us-east-1/2026/11/10/1_CloudTrail_x.json.gz"),
            Class::OtherDelivery
        );
        assert_eq!(
            classify("AWSLogs/1/Config/us-east-1/2026/13/10/ConfigSnapshot/x.json.gz"),
            Class::OtherDelivery,
            "month 13"
        );
        assert_eq!(
            classify("AWSLogs/1/Config/us-east-1/2026/11/10/OversizedChangeNotification/AWS::EC2::Instance/i-1/x.json.gz"),
            Class::OtherDelivery
        );
        assert_eq!(classify(EXPORT), Class::Outside);
        assert_eq!(classify("AWSLogs/notes.json"), Class::Outside);
    }

    #[test]
    fn by_default_the_latest_snapshot_of_each_account_and_region_is_read() {
        let (read, skipped) = run("s3://audit", S3Options::default());
        // Oldest first (11/9 sorts after 11/10 as text), the objects outside the layout last.
        assert_eq!(read, [EU, NEW, ORG, EXPORT]);
        assert_eq!(skipped, [OLD, HISTORY_BEFORE, HISTORY_AFTER, CHECK, NOTES]);
    }

    #[test]
    fn history_files_since_the_latest_snapshot_join_with_history() {
        let options = S3Options {
            history: true,
            ..S3Options::default()
        };
        let (read, _) = run("s3://audit", options.clone());
        assert_eq!(read, [EU, NEW, HISTORY_AFTER, ORG, EXPORT]);
        let every = S3Options {
            all_snapshots: true,
            ..options
        };
        let (read, skipped) = run("s3://audit", every);
        assert_eq!(
            read,
            [OLD, EU, HISTORY_BEFORE, NEW, HISTORY_AFTER, ORG, EXPORT]
        );
        assert_eq!(skipped, [CHECK, NOTES]);
    }

    #[test]
    fn accounts_regions_and_times_select_and_leave_out_what_is_outside_the_layout() {
        let accounts = S3Options {
            accounts: vec!["222222222222".into()],
            ..S3Options::default()
        };
        assert_eq!(run("s3://audit", accounts).0, [ORG]);
        let regions = S3Options {
            regions: vec!["eu-west-1".into()],
            ..S3Options::default()
        };
        assert_eq!(run("s3://audit", regions).0, [EU]);
        // The latest as of the end of 11/9 is the older snapshot.
        let until = S3Options {
            until: Some(time("2026-11-09T23:59:59Z")),
            ..S3Options::default()
        };
        assert_eq!(run("s3://audit", until).0, [OLD, EU]);
        let since = S3Options {
            since: Some(time("2026-11-10T00:00:00Z")),
            all_snapshots: true,
            ..S3Options::default()
        };
        assert_eq!(run("s3://audit", since).0, [NEW, ORG]);
    }

    #[test]
    fn a_key_names_one_object_and_a_prefix_a_folder() {
        assert_eq!(
            run("s3://audit/exports/item.json", S3Options::default()).0,
            [EXPORT]
        );
        // Named, it is read whatever its name.
        assert_eq!(
            run("s3://audit/exports/notes.txt", S3Options::default()).0,
            [NOTES]
        );
        assert_eq!(run("s3://audit/o-abc123", S3Options::default()).0, [ORG]);
        assert_eq!(run("s3://audit/o-abc123/", S3Options::default()).0, [ORG]);
        // `exports` is a folder; `export` is no folder, and not the name of an object.
        let bucket = Bucket::new(ALL, 2);
        let entries: Vec<Entry> = entries(
            bucket,
            "s3://audit/export".into(),
            S3Options::default(),
            100,
            Arc::new(crate::source::Untallied),
        )
        .collect();
        assert!(
            matches!(&entries[..], [Entry::Failed(p)] if p.code == Code::InputNotFound && p.source == "s3://audit/export")
        );
    }

    /// Counts what a progress display is told.
    #[derive(Default)]
    struct Counted(
        std::sync::atomic::AtomicUsize,
        std::sync::atomic::AtomicUsize,
    );

    impl crate::source::Tally for Counted {
        fn listed(&self, count: usize) {
            self.0
                .fetch_add(count, std::sync::atomic::Ordering::Relaxed);
        }
        fn fetched(&self, count: usize) {
            self.1
                .fetch_add(count, std::sync::atomic::Ordering::Relaxed);
        }
    }

    #[test]
    fn every_page_is_listed_and_every_object_told() {
        let keys: Vec<String> = (0..7).map(|n| format!("exports/{n}.json")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let bucket = Bucket::new(&keys, 3);
        let tally = Arc::new(Counted::default());
        let read = entries(
            bucket,
            "s3://audit".into(),
            S3Options::default(),
            100,
            tally.clone(),
        )
        .count();
        assert_eq!(read, 7);
        let told =
            |n: &std::sync::atomic::AtomicUsize| n.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!((told(&tally.0), told(&tally.1)), (7, 7));
    }

    #[test]
    fn an_object_over_the_bound_fails_before_it_is_fetched() {
        let bucket = Bucket::new(&[EXPORT, "exports/a-much-longer-name-than-that.json"], 10);
        let entries: Vec<Entry> = entries(
            bucket.clone(),
            "s3://audit".into(),
            S3Options::default(),
            30,
            Arc::new(crate::source::Untallied),
        )
        .collect();
        assert!(
            matches!(&entries[0], Entry::Failed(p) if p.code == Code::InputTooLarge && p.source == "s3://audit/exports/a-much-longer-name-than-that.json")
        );
        assert!(
            matches!(&entries[1], Entry::Document(d) if &*d.origin == "s3://audit/exports/item.json")
        );
        assert_eq!(*bucket.fetched.lock().unwrap(), [EXPORT]);
    }

    #[test]
    fn a_url_without_a_bucket_is_refused() {
        assert!(Location::parse("s3://").is_err());
        assert!(Location::parse("s3:///key").is_err());
        assert_eq!(
            Location::parse("s3://b/p/q").unwrap(),
            Location {
                bucket: "b".into(),
                prefix: "p/q".into()
            }
        );
    }
}
