//! The one pipeline every door calls (`regent eval`, `regent test`, the benchmarks, the
//! tests, and next the Lambda handler): entries from any source → documents loaded in
//! parallel → the inventory → the evaluation → the report. Synchronous; rayon does the
//! parallel work. The doors keep only their own concerns (where the entries come from,
//! which sink, printing, the exit code).
//!
//! ```
//! use regent::pipeline::{self, Options, Quiet};
//! use regent::source::{Document, Entry};
//!
//! let pack = regent::policy::Pack::load(true, &[]);
//! let item = br#"{"resourceType": "AWS::S3::Bucket", "resourceId": "logs",
//!   "awsAccountId": "111122223333", "awsRegion": "eu-west-1", "configuration": {},
//!   "supplementaryConfiguration": {}}"#;
//! let entry = Entry::Document(Document::from_bytes("s3://audit/item.json", item.to_vec()));
//! let run = pipeline::run(&pack, std::iter::once(entry), &Options::default(), &Quiet);
//! let s3_5 = run.report.results.iter().find(|r| &*r.control_id == "S3.5").unwrap();
//! assert_eq!(s3_5.compliance_type.as_str(), "NON_COMPLIANT");
//! let origin = s3_5.subject.origin.as_ref().unwrap();
//! assert_eq!(origin.to_string(), "s3://audit/item.json");
//! ```

use crate::config::waivers::Waiver;
use crate::diagnostics::{Code, Problem, Skip};
use crate::eval::{self, EvalOptions, Profile};
use crate::model::inventory::Inventory;
use crate::model::load::{self, Loaded};
use crate::model::template::TemplateOptions;
use crate::model::ConfigurationItem;
use crate::policy::Pack;
use crate::report::baseline::{self, Findings};
use crate::report::waivers::{self, Tags};
use crate::report::{Report, ReportBuilder, ShardRecord};
use crate::source::{Document, Entry};
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

pub mod cache;
pub mod shard;

use cache::{Cache, CacheReport};
use shard::Shard;

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub eval: EvalOptions,
    /// `{{settings.<name>}}` values for the runbook templates.
    pub settings: BTreeMap<String, Value>,
    /// When set (to how the user named the inputs), inputs that hold no configuration
    /// item at all are an error (`input::empty`): a wrong path must not pass a gate. A
    /// Lambda event of a periodic rule holds none, and that is fine there.
    pub require_items: Option<String>,
    /// The most bytes one document may have, read and inflated (`input::too_large`).
    pub max_input_bytes: u64,
    /// `--complete`: treat the inputs as a complete record of every (account, region)
    /// they hold, so the absence of a resource counts (README "Partial inputs").
    pub assume_complete: bool,
    /// `--shard K/N`: judge only this shard's accounts (README "Sharded runs").
    pub shard: Option<Shard>,
    /// `--parameter`: what templates and plans cannot say themselves.
    pub template: TemplateOptions,
    /// `[[waivers]]` and `--waivers` (README "Waivers").
    pub waivers: Vec<Waiver>,
    /// `--baseline`: the findings of an earlier report (README "Baselines").
    pub baseline: Option<Findings>,
    /// `--cache DIR`: reuse the verdicts of items unchanged since an earlier run, and keep
    /// this run's (README "Verdict cache").
    pub cache: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            eval: EvalOptions::default(),
            settings: BTreeMap::new(),
            require_items: None,
            max_input_bytes: crate::source::DEFAULT_MAX_INPUT_BYTES,
            assume_complete: false,
            shard: None,
            template: TemplateOptions::default(),
            waivers: Vec::new(),
            baseline: None,
            cache: None,
        }
    }
}

/// Told as a run goes: each document loaded (from the loading workers, hence `Sync`), and
/// each phase that ends (`load`, `inventory`, `evaluate` with the steps it took,
/// `report`): for timings, memory figures and progress. Does nothing by default.
pub trait Observer: Sync {
    fn document_loaded(&self, _items_read: usize) {}
    fn phase(&self, _name: &'static str, _steps: &[(&'static str, Duration)]) {}
}

/// An observer that does nothing.
pub struct Quiet;

impl Observer for Quiet {}

/// What a run gives: the report, and what the evaluation measured when asked.
pub struct Run {
    pub report: Report,
    /// With `EvalOptions::profile`: the time of each control (in the pack's order) and
    /// view.
    pub profile: Option<Profile>,
    /// With `EvalOptions::coverage`: the policy lines that ran.
    pub coverage: Option<regorus::coverage::Report>,
    /// Controls that ran on the interpreter instead of the VM, with the reason.
    pub interpreted: Vec<(String, String)>,
    /// With `Options::cache`: what the cache did (its problems are not the report's).
    pub cache: Option<CacheReport>,
}

/// Run `pack` over `entries`.
pub fn run(
    pack: &Pack,
    entries: impl Iterator<Item = Entry> + Send,
    options: &Options,
    observer: &dyn Observer,
) -> Run {
    let mut builder = ReportBuilder::new(pack.problems.clone());
    let mut items = Vec::new();
    // `--shard`: the items of other shards' accounts are set aside as they load.
    let mut split = options.shard.map(shard::Split::new);
    for read in load_entries(entries, options, observer) {
        let loaded_from = items.len();
        account(read, &mut builder, &mut items);
        if let Some(split) = &mut split {
            split.set_aside(&mut items, loaded_from);
        }
    }
    if let Some(names) = &options.require_items {
        check_some_items(&mut builder, names);
    }
    observer.phase("load", &[]);
    let (mut inventory, superseded) = Inventory::build(items);
    inventory.assume_complete = options.assume_complete;
    builder.superseded(superseded);
    if let Some(split) = split {
        split.add_to(&mut inventory, &mut builder, pack);
    }
    let shard_record = options
        .shard
        .map(|shard| shard_record(shard, options, &inventory, &builder));
    observer.phase("inventory", &[]);
    // Waivers are judged at the run's time, never the clock's.
    let as_of = waiver_time(options, &inventory, &mut builder);
    let tags = Tags::of(&inventory.items, &options.waivers);
    let cache = options.cache.as_deref().map(|dir| {
        Cache::open(
            dir,
            pack,
            &options.eval,
            &options.settings,
            options.assume_complete,
        )
    });
    let caching = cache.as_ref().map(Cache::caching);
    let mut outcome = eval::evaluate_caching(pack, inventory, &options.eval, caching);
    options.eval.release_memory.call();
    observer.phase("evaluate", &outcome.phases);
    let profile = outcome.profile.take();
    let coverage = outcome.coverage.take();
    let interpreted = std::mem::take(&mut outcome.interpreted);
    let cached = outcome.cached.take();
    let verdicts = outcome.evaluations.len();
    let build = || builder.finish(pack, outcome, &options.settings);
    let (mut report, cache_report) = match cache {
        Some(cache) => {
            let (report, done) = cache.keep(cached, verdicts, build);
            (report, Some(done))
        }
        None => (build(), None),
    };
    report.shard = shard_record;
    if let Some(as_of) = as_of {
        waivers::apply(&mut report, &options.waivers, &tags, as_of);
    }
    if let Some(baseline) = &options.baseline {
        baseline::compare(&mut report, baseline);
    }
    observer.phase("report", &[]);
    Run {
        report,
        profile,
        coverage,
        interpreted,
        cache: cache_report,
    }
}

/// The time waivers expire against: `--as-of`, else the newest capture time. Without
/// either (templates have no capture time), waivers cannot be judged: an error, rather
/// than waivers that never expire.
fn waiver_time(
    options: &Options,
    inventory: &Inventory,
    builder: &mut ReportBuilder,
) -> Option<i64> {
    if options.waivers.is_empty() {
        return None;
    }
    let parsed = eval::run_time(&options.eval, inventory)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    match parsed {
        Some(time) => Some(time.timestamp_nanos_opt().unwrap_or(i64::MAX)),
        None => {
            builder.input_problem(
                Problem::new(
                    Code::WaiverNoTime,
                    "--as-of",
                    "the waivers' expiry cannot be judged: the run has no time (no --as-of, and no capture time in the inputs)",
                )
                .with_help("pass --as-of, e.g. --as-of \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" in a pipeline that judges templates"),
            );
            None
        }
    }
}

/// What a shard's report says of its run, for `regent merge`.
fn shard_record(
    shard: Shard,
    options: &Options,
    inventory: &Inventory,
    builder: &ReportBuilder,
) -> ShardRecord {
    let as_of = eval::run_time(&options.eval, inventory);
    let run = shard::RunOptions {
        eval: &options.eval,
        settings: &options.settings,
        max_input_bytes: options.max_input_bytes,
        complete: options.assume_complete,
    };
    shard::record(shard, as_of, run, builder.shared())
}

/// What one entry became.
pub enum Read {
    Loaded(Loaded),
    Ignored(Skip),
    Failed(Problem),
}

/// Read and load every entry in parallel; the results keep the entries' order (a later
/// input wins a tie between two states of one resource, so order is part of the verdict).
pub fn load_entries(
    entries: impl Iterator<Item = Entry> + Send,
    options: &Options,
    observer: &dyn Observer,
) -> Vec<Read> {
    let mut read: Vec<(usize, Read)> = entries
        .enumerate()
        .par_bridge()
        .map(|(index, entry)| {
            let read = match entry {
                Entry::Document(document) => {
                    let loaded = load_document(document, options);
                    observer.document_loaded(loaded.items_read);
                    Read::Loaded(loaded)
                }
                Entry::Ignored(skip) => Read::Ignored(skip),
                Entry::Failed(problem) => Read::Failed(problem),
            };
            (index, read)
        })
        .collect();
    read.sort_unstable_by_key(|(index, _)| *index);
    read.into_iter().map(|(_, read)| read).collect()
}

/// One document read (gunzipped, at most `--max-input-size`) and loaded.
pub fn load_document(document: Document, options: &Options) -> Loaded {
    let origin = document.origin.clone();
    let (ndjson, completeness) = (document.ndjson, document.completeness);
    match document.read(options.max_input_bytes) {
        Ok(bytes) => {
            let mut loaded = load::load_with(&origin, &bytes, ndjson, &options.template);
            loaded.set_completeness(completeness);
            loaded
        }
        Err(problem) => Loaded::failed(problem),
    }
}

/// Account for one entry in the report; its items join `items`.
fn account(read: Read, builder: &mut ReportBuilder, items: &mut Vec<ConfigurationItem>) {
    match read {
        Read::Loaded(loaded) => items.extend(builder.document(loaded)),
        Read::Ignored(skip) => builder.input_ignored(skip),
        Read::Failed(problem) => builder.input_failed(problem),
    }
}

/// Evaluating nothing must not pass a gate: inputs without any item (and no other problem
/// to explain it) are an error.
fn check_some_items(builder: &mut ReportBuilder, names: &str) {
    if builder.items_read() == 0 && !builder.has_input_problems() {
        builder.input_problem(
            Problem::new(
                Code::InputEmpty,
                names,
                "no configuration items were read from the inputs",
            )
            .with_help("point regent at snapshot files, a directory of them, or - for stdin; see the skipped inputs in the summary"),
        );
    }
}
