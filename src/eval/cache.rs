//! What the verdict cache keeps and when a kept verdict stands (`regent eval --cache DIR`,
//! README "Verdict cache"); `pipeline::cache` reads and writes its file. No I/O here.
//!
//! The file is named by `run_key`: the regent version, the pack's every file, the controls
//! selected, their effective parameters, the runbook settings and `--complete`. Within it, a
//! verdict is kept per item digest (`item_digests`: the item's normalised document, its
//! status, its unknowns and whether its account and region are a complete record) and is
//! reused only when the control's context is the same too:
//!
//! - a control that reads the run's time (`data.context`, in its file or in a library, view
//!   or control it refers to; `reads_run_time`): the as-of time;
//! - a control that reads the inventory (`requires`, so `data.inventory` and the views):
//!   the digest of every item `data.inventory` holds (`inventory_digest`).
//!
//! ERROR verdicts are never kept (a budget is a matter of time, a broken view of the run),
//! nor is anything of a run whose evaluation had a problem. Rows are rebuilt from the kept
//! verdict with this run's subject and order, exactly as an evaluation builds them.

use super::item::account_subject;
use super::judge::status_reason;
use super::pending::Pending;
use super::plan::Plan;
use super::verdict::{Captured, Compliance, Evaluation};
use crate::model::inventory::{Inventory, GLOBAL_REGION};
use crate::model::{ConfigurationItem, Subject};
use crate::policy::metadata::ACCOUNT_TYPE;
use crate::policy::{declared_package, Pack};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// The version of the file's layout (`Verdicts::to_bytes`); part of the key.
const FORMAT_VERSION: u32 = 1;

/// How a cache file starts.
const MAGIC: &[u8; 16] = b"regent-verdicts\n";

/// Length-prefixed fields into a SHA-256, so that no two sequences of fields hash alike.
struct Hasher(Sha256);

impl Hasher {
    fn new(domain: &str) -> Self {
        let mut hasher = Hasher(Sha256::new());
        hasher.field(domain.as_bytes());
        hasher
    }

    fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    fn finish(self) -> Digest {
        let mut digest = [0; 32];
        digest.copy_from_slice(&self.0.finalize());
        digest
    }
}

/// What every verdict of a run depends on besides its item, the time and the inventory:
/// the regent version, the pack (every control selected, in order, every library and view,
/// the reference data), the effective parameters, the runbook settings (the report fills
/// the templates from them) and `--complete`. The engine does not count: the VM and the
/// interpreter agree (`regent test` checks every fixture on both).
pub fn run_key(
    pack: &Pack,
    parameters: &Map<String, Value>,
    settings: &BTreeMap<String, Value>,
    complete: bool,
) -> Digest {
    let mut hasher = Hasher::new("regent verdict cache");
    hasher
        .field(&FORMAT_VERSION.to_le_bytes())
        .field(env!("CARGO_PKG_VERSION").as_bytes());
    for control in &pack.controls {
        hasher
            .field(control.meta.id.as_bytes())
            .field(control.file.path.as_bytes())
            .field(control.file.text.as_bytes());
    }
    hasher.field(b"libraries");
    for library in &pack.libraries {
        hasher
            .field(library.path.as_bytes())
            .field(library.text.as_bytes());
    }
    hasher
        .field(&json(&pack.reference))
        .field(&json(parameters))
        .field(&json(settings))
        .field(&[u8::from(complete)]);
    hasher.finish()
}

/// A map as JSON text (its keys in order).
fn json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// Each item's digest (same order as `inventory.items`), from its document (`documents`,
/// taken out of the items already) and what else its verdicts read of it: its status, its
/// unknowns, and whether its account and region, and the account's global record, are
/// complete (a verdict that rests on absence depends on it).
pub fn item_digests(inventory: &Inventory, documents: &[Pending]) -> Vec<Digest> {
    let global: Arc<str> = Arc::from(GLOBAL_REGION);
    inventory
        .items
        .par_iter()
        .zip(documents.par_iter())
        .map(|(item, document)| item_digest(inventory, item, document, &global))
        .collect()
}

fn item_digest(
    inventory: &Inventory,
    item: &ConfigurationItem,
    document: &Pending,
    global: &Arc<str>,
) -> Digest {
    let mut hasher = Hasher::new("item");
    if let Pending::Text(document) = document {
        document.with_bytes(|bytes| {
            hasher.field(bytes);
        });
    }
    hasher
        .field(status_reason(item).unwrap_or_default().as_bytes())
        .field(item.status_text.as_bytes())
        .field(&[u8::from(item.left_scope)])
        .field(&(item.unknowns.len() as u64).to_le_bytes());
    for unknown in &item.unknowns {
        hasher.field(unknown.as_bytes());
    }
    let account = &item.subject.account;
    hasher.field(&completeness(
        inventory,
        account,
        &item.subject.region,
        global,
    ));
    hasher.finish()
}

/// Whether the account's region, and its global record, are complete.
fn completeness(
    inventory: &Inventory,
    account: &Arc<str>,
    region: &Arc<str>,
    global: &Arc<str>,
) -> [u8; 2] {
    [
        u8::from(inventory.is_complete(account, region)),
        u8::from(inventory.is_complete(account, global)),
    ]
}

/// Each (account, region)'s digest, for its account-level verdicts.
pub fn account_digests(inventory: &Inventory, accounts: &[(Arc<str>, Arc<str>)]) -> Vec<Digest> {
    let global: Arc<str> = Arc::from(GLOBAL_REGION);
    accounts
        .iter()
        .map(|(account, region)| {
            let mut hasher = Hasher::new("account");
            hasher
                .field(account.as_bytes())
                .field(region.as_bytes())
                .field(&completeness(inventory, account, region, &global));
            hasher.finish()
        })
        .collect()
}

/// The digest of `data.inventory` over the `required` types: every item it holds, with
/// its place, in the inventory's order (a superset of what the controls read: an entry is
/// projected to the fields they declare).
pub fn inventory_digest(
    inventory: &Inventory,
    required: &BTreeSet<String>,
    items: &[Digest],
) -> Digest {
    let mut hasher = Hasher::new("inventory");
    for (item, digest) in inventory.items.iter().zip(items) {
        if !Inventory::in_document(item, required) {
            continue;
        }
        let subject = &item.subject;
        hasher
            .field(subject.resource_type.as_bytes())
            .field(subject.account.as_bytes())
            .field(subject.region.as_bytes())
            .field(subject.resource_id.as_bytes())
            .field(digest);
    }
    hasher.finish()
}

/// Per control (pack order), whether its verdict may depend on the run's time: its file,
/// or a library, view or control it refers to however deep (`import data.x`, `data.x.y`,
/// `data.views.v`), reads `data.context`, or reads `data` whole or by a computed key
/// (which could reach it). Comments do not count for the latter.
pub fn reads_run_time(pack: &Pack) -> Vec<bool> {
    let files: Vec<(Option<String>, &str)> = pack
        .libraries
        .iter()
        .map(|l| l.text.as_str())
        .chain(pack.controls.iter().map(|c| c.file.text.as_str()))
        .map(|text| (declared_package(text), text))
        .collect();
    let refers: Vec<BTreeSet<usize>> = files
        .iter()
        .map(|(_, text)| packages_referred(text, &files))
        .collect();
    let timed: Vec<bool> = files.iter().map(|(_, text)| reads_time(text)).collect();
    let libraries = pack.libraries.len();
    (0..pack.controls.len())
        .map(|control| {
            let mut seen = BTreeSet::new();
            let mut queue = vec![libraries + control];
            while let Some(file) = queue.pop() {
                if !seen.insert(file) {
                    continue;
                }
                if timed[file] {
                    return true;
                }
                queue.extend(refers[file].iter().copied());
            }
            false
        })
        .collect()
}

/// Whether a policy text reads `data.context`, or `data` whole or by a computed key.
fn reads_time(text: &str) -> bool {
    static WHOLE_OR_COMPUTED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?m)\bdata\s*(\[|$|[,)\]}])").expect("a valid pattern")
    });
    static COMMENT: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"(?m)#.*$").expect("a valid pattern"));
    text.contains("data.context") || WHOLE_OR_COMPUTED.is_match(&COMMENT.replace_all(text, ""))
}

/// The files (indices into `files`) whose package a `data.` path of `text` names, lies
/// under or holds (`data.views.v` is package `regent.views.v`).
fn packages_referred(text: &str, files: &[(Option<String>, &str)]) -> BTreeSet<usize> {
    static PATH: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\bdata((?:\.[A-Za-z_][A-Za-z0-9_]*)+)").expect("a valid pattern")
    });
    let mut found = BTreeSet::new();
    for path in PATH.captures_iter(text) {
        let path = &path[1][1..];
        let path = match path.strip_prefix("views.") {
            Some(view) => format!("regent.views.{view}"),
            None => path.to_string(),
        };
        for (index, (package, _)) in files.iter().enumerate() {
            let Some(package) = package else { continue };
            let under = |outer: &str, inner: &str| {
                inner == outer
                    || inner.starts_with(outer) && inner.as_bytes().get(outer.len()) == Some(&b'.')
            };
            if under(package, &path) || under(&path, package) {
                found.insert(index);
            }
        }
    }
    found
}

/// One kept verdict that is not the default (COMPLIANT with nothing to say): strings and
/// captured values are indices + 1 into the tables of `Verdicts` (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    control: u32,
    annotation: u32,
    captured: u32,
    compliance: Compliance,
}

/// The verdicts kept for one digest: `rows[start..start + len]`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    digest: Digest,
    start: u32,
    len: u32,
}

/// The context a run's verdicts were judged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The as-of time, as `data.context.as_of` holds it.
    pub as_of: String,
    /// `inventory_digest`, or zeroes when no control reads the inventory.
    pub inventory: Digest,
}

/// The verdicts of a run, per item (and per account and region) digest: what the cache
/// file holds. Compact: only verdicts other than COMPLIANT are listed, annotations once.
#[derive(Debug)]
pub struct Verdicts {
    context: Context,
    strings: Vec<Box<str>>,
    captured: Vec<Captured>,
    /// Sorted by digest, each once.
    entries: Vec<Entry>,
    rows: Vec<Row>,
    /// Where the entries of each bucket start (`bucket`), and last how many there are: a
    /// digest is looked for among the dozen of its bucket, side by side in memory, instead
    /// of by a binary search over a million (a cache miss and a compare each step).
    buckets: Vec<u32>,
}

/// The number of buckets: a million entries give about fifteen per bucket.
const BUCKETS: usize = 1 << 16;

/// A digest's bucket: its first two bytes.
fn bucket(digest: &Digest) -> usize {
    usize::from(u16::from_be_bytes([digest[0], digest[1]]))
}

/// Not kept (an index no entry has).
const NOT_KEPT: u32 = u32::MAX;

impl Verdicts {
    fn new(
        context: Context,
        (strings, captured): (Vec<Box<str>>, Vec<Captured>),
        entries: Vec<Entry>,
        rows: Vec<Row>,
    ) -> Self {
        let mut buckets = vec![0u32; BUCKETS + 1];
        for entry in &entries {
            buckets[bucket(&entry.digest) + 1] += 1;
        }
        for at in 0..BUCKETS {
            buckets[at + 1] += buckets[at];
        }
        Verdicts {
            context,
            strings,
            captured,
            entries,
            rows,
            buckets,
        }
    }

    /// The index of the entry of `digest`, if one was kept.
    fn find(&self, digest: &Digest) -> Option<u32> {
        let at = bucket(digest);
        let (start, end) = (*self.buckets.get(at)?, *self.buckets.get(at + 1)?);
        let candidates = self.entries.get(start as usize..end as usize)?;
        let position = candidates.iter().position(|e| e.digest == *digest)?;
        u32::try_from(start as usize + position).ok()
    }

    /// The verdicts of entry `at` (`find`).
    fn kept(&self, at: u32) -> Option<&[Row]> {
        let entry = self.entries.get(at as usize)?;
        let start = entry.start as usize;
        self.rows.get(start..start.checked_add(entry.len as usize)?)
    }

    /// The row of `control` on `subject` from what was kept for it.
    fn evaluation(
        &self,
        control: usize,
        kept: &[Row],
        subject: &Arc<Subject>,
        order: u32,
    ) -> Evaluation {
        let row = kept.iter().find(|row| row.control as usize == control);
        let text = |index: u32| {
            Some(
                self.strings
                    .get(index.checked_sub(1)? as usize)?
                    .to_string(),
            )
        };
        let captured = |index: u32| {
            Some(Box::new(
                self.captured.get(index.checked_sub(1)? as usize)?.clone(),
            ))
        };
        Evaluation {
            control,
            subject: subject.clone(),
            order,
            compliance: row.map_or(Compliance::Compliant, |r| r.compliance),
            annotation: row.and_then(|r| text(r.annotation)),
            captured: row.and_then(|r| captured(r.captured)),
        }
    }

    /// The verdicts of a run (`evaluations`, over `items` items and the (account, region)
    /// pairs after them), by the digests of `reuse`. An item with an ERROR verdict is left
    /// out, and so is an item nothing judged (another shard's).
    fn record(evaluations: &[Evaluation], reuse: &Reuse, items: usize) -> Verdicts {
        let slots = items + reuse.accounts.len();
        let slot = |e: &Evaluation| match e.subject.resource_type.as_ref() {
            ACCOUNT_TYPE => items + e.order as usize,
            _ => e.order as usize,
        };
        // Per slot: how many rows, how many to list, whether one is an ERROR.
        let mut judged = vec![0u32; slots];
        let mut listed = vec![0u32; slots + 1];
        let mut failed = vec![false; slots];
        for evaluation in evaluations {
            let Some(at) = Some(slot(evaluation)).filter(|&at| at < slots) else {
                continue;
            };
            judged[at] += 1;
            failed[at] |= evaluation.compliance == Compliance::Error;
            listed[at + 1] += u32::from(!is_default(evaluation));
        }
        for at in 0..slots {
            listed[at + 1] += listed[at];
        }
        let mut strings = Interned::default();
        let mut captured = Vec::new();
        let placeholder = Row {
            control: 0,
            annotation: 0,
            captured: 0,
            compliance: Compliance::Compliant,
        };
        let mut rows = vec![placeholder; listed[slots] as usize];
        let mut next = listed.clone();
        for evaluation in evaluations.iter().filter(|e| !is_default(e)) {
            let Some(at) = Some(slot(evaluation)).filter(|&at| at < slots && !failed[at]) else {
                continue;
            };
            let captured_index = match &evaluation.captured {
                Some(values) => {
                    captured.push((**values).clone());
                    captured.len() as u32
                }
                None => 0,
            };
            rows[next[at] as usize] = Row {
                control: evaluation.control as u32,
                annotation: evaluation
                    .annotation
                    .as_deref()
                    .map_or(0, |a| strings.index(a)),
                captured: captured_index,
                compliance: evaluation.compliance,
            };
            next[at] += 1;
        }
        let mut entries: Vec<Entry> = (0..slots)
            .filter(|&at| judged[at] > 0 && !failed[at])
            .map(|at| Entry {
                digest: reuse.digest(at, items),
                start: listed[at],
                len: listed[at + 1] - listed[at],
            })
            .collect();
        entries.sort_unstable_by_key(|entry| entry.digest);
        // Two items alike in every way the digest covers have the same verdicts.
        entries.dedup_by(|a, b| a.digest == b.digest);
        let tables = (strings.table, captured);
        Verdicts::new(reuse.context.clone(), tables, entries, rows)
    }

    /// The file's bytes: a header (magic, format version, `key`, the body's length and
    /// SHA-256), then the body, lz4-compressed.
    pub fn to_bytes(&self, key: &Digest) -> Vec<u8> {
        let mut body = Vec::new();
        put_bytes(&mut body, self.context.as_of.as_bytes());
        body.extend_from_slice(&self.context.inventory);
        put_u32(&mut body, self.strings.len());
        for text in &self.strings {
            put_bytes(&mut body, text.as_bytes());
        }
        put_u32(&mut body, self.captured.len());
        for values in &self.captured {
            let pairs: Vec<(&str, &Value)> = values.iter().map(|(p, v)| (p.as_ref(), v)).collect();
            // MessagePack keeps every number exactly (JSON text could move a float).
            put_bytes(&mut body, &rmp_serde::to_vec(&pairs).unwrap_or_default());
        }
        put_u32(&mut body, self.entries.len());
        for entry in &self.entries {
            body.extend_from_slice(&entry.digest);
            put_u32(&mut body, entry.len as usize);
            let rows = &self.rows[entry.start as usize..(entry.start + entry.len) as usize];
            for row in rows {
                put_u32(&mut body, row.control as usize);
                body.push(compliance_byte(row.compliance));
                put_u32(&mut body, row.annotation as usize);
                put_u32(&mut body, row.captured as usize);
            }
        }
        let compressed = lz4_flex::block::compress_prepend_size(&body);
        let mut bytes = Vec::with_capacity(compressed.len() + 96);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        bytes.extend_from_slice(key);
        bytes.extend_from_slice(&(compressed.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&Sha256::digest(&compressed));
        bytes.extend_from_slice(&compressed);
        bytes
    }

    /// The verdicts a file holds, when it is whole and was written for `key` (a pack of
    /// `controls` controls); else why not. Every length and index is checked.
    pub fn from_bytes(bytes: &[u8], key: &Digest, controls: usize) -> Result<Verdicts, String> {
        let mut header = Reader(bytes);
        if header.take(MAGIC.len())? != MAGIC {
            return Err("it is not a regent verdict cache".into());
        }
        let version = header.u32()?;
        if version != FORMAT_VERSION {
            return Err(format!(
                "its format is version {version}, not {FORMAT_VERSION}"
            ));
        }
        if header.take(32)? != key {
            return Err("it was written for another pack, options or version of regent".into());
        }
        let length = header.u64()?;
        let checksum = header.take(32)?;
        if length != header.0.len() as u64 || Sha256::digest(header.0).as_slice() != checksum {
            return Err("it is truncated or corrupt (its checksum does not match)".into());
        }
        let body = decompress(header.0)?;
        decode_body(&mut Reader(&body), controls)
    }
}

/// lz4 with its size first, at most 255 times the compressed size (lz4's own limit).
fn decompress(compressed: &[u8]) -> Result<Vec<u8>, String> {
    let corrupt = || "its body does not decompress".to_string();
    let size = Reader(compressed).u32().map_err(|_| corrupt())? as usize;
    if size > compressed.len().saturating_mul(255) {
        return Err(corrupt());
    }
    lz4_flex::block::decompress_size_prepended(compressed).map_err(|_| corrupt())
}

fn decode_body(body: &mut Reader, controls: usize) -> Result<Verdicts, String> {
    let as_of = body.text()?;
    let mut inventory = [0; 32];
    inventory.copy_from_slice(body.take(32)?);
    let strings = (0..body.count(4)?)
        .map(|_| body.text().map(String::into_boxed_str))
        .collect::<Result<Vec<_>, _>>()?;
    let captured = (0..body.count(4)?)
        .map(|_| {
            let pairs: Vec<(String, Value)> = rmp_serde::from_slice(body.bytes()?)
                .map_err(|e| format!("a captured value does not decode: {e}"))?;
            Ok(pairs.into_iter().map(|(p, v)| (Arc::from(p), v)).collect())
        })
        .collect::<Result<Vec<Captured>, String>>()?;
    let count = body.count(36)?;
    let mut entries = Vec::with_capacity(count);
    let mut rows = Vec::new();
    for _ in 0..count {
        let mut digest = [0; 32];
        digest.copy_from_slice(body.take(32)?);
        if entries
            .last()
            .is_some_and(|last: &Entry| last.digest >= digest)
        {
            return Err("its entries are out of order".into());
        }
        let start = rows.len() as u32;
        let len = body.count(13)?;
        for _ in 0..len {
            rows.push(decode_row(body, controls, strings.len(), captured.len())?);
        }
        entries.push(Entry {
            digest,
            start,
            len: len as u32,
        });
    }
    if !body.0.is_empty() {
        return Err("it has bytes after its last entry".into());
    }
    let context = Context { as_of, inventory };
    Ok(Verdicts::new(context, (strings, captured), entries, rows))
}

fn decode_row(
    body: &mut Reader,
    controls: usize,
    strings: usize,
    captured: usize,
) -> Result<Row, String> {
    let control = body.u32()?;
    let compliance = match body.take(1)?[0] {
        1 => Compliance::NonCompliant,
        2 => Compliance::NotApplicable,
        0 => Compliance::Compliant,
        other => return Err(format!("a verdict has the unknown kind {other}")),
    };
    let (annotation, captured_index) = (body.u32()?, body.u32()?);
    if control as usize >= controls
        || annotation as usize > strings
        || captured_index as usize > captured
    {
        return Err("a verdict names a control, annotation or value it does not hold".into());
    }
    Ok(Row {
        control,
        annotation,
        captured: captured_index,
        compliance,
    })
}

fn compliance_byte(compliance: Compliance) -> u8 {
    match compliance {
        Compliance::Compliant => 0,
        Compliance::NonCompliant => 1,
        Compliance::NotApplicable => 2,
        // Never kept (`record`).
        Compliance::Error => 3,
    }
}

/// COMPLIANT with nothing to say: the verdict a kept item's control has when none is
/// listed.
fn is_default(evaluation: &Evaluation) -> bool {
    evaluation.compliance == Compliance::Compliant
        && evaluation.annotation.is_none()
        && evaluation.captured.is_none()
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Each distinct string once, by index + 1.
#[derive(Default)]
struct Interned<'a> {
    index: FxHashMap<&'a str, u32>,
    table: Vec<Box<str>>,
}

impl<'a> Interned<'a> {
    fn index(&mut self, text: &'a str) -> u32 {
        *self.index.entry(text).or_insert_with(|| {
            self.table.push(Box::from(text));
            self.table.len() as u32
        })
    }
}

/// The bytes not read yet; every read checks there are enough.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("it ends early".into());
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(taken)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let mut bytes = [0; 4];
        bytes.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(bytes))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let mut bytes = [0; 8];
        bytes.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(bytes))
    }

    /// A count of things at least `size` bytes each, which the rest must have room for.
    fn count(&mut self, size: usize) -> Result<usize, String> {
        let n = self.u32()? as usize;
        if n.saturating_mul(size) > self.0.len() {
            return Err("it ends early".into());
        }
        Ok(n)
    }

    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    fn text(&mut self) -> Result<String, String> {
        let bytes = self.bytes()?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "a string is not UTF-8".to_string())
    }
}

/// What a run reuses: the earlier run's verdicts, which controls may reuse theirs, and the
/// digest of every item and (account, region) of this run.
pub struct Reuse<'a> {
    previous: Option<&'a Verdicts>,
    /// Per control: its context is the earlier run's.
    reusable: Vec<bool>,
    items: Vec<Digest>,
    accounts: Vec<Digest>,
    /// Per item, and per (account, region): its entry in `previous`, or `NOT_KEPT`.
    items_kept: Vec<u32>,
    accounts_kept: Vec<u32>,
    context: Context,
    reused: AtomicUsize,
}

/// What caching gave a run: how many verdicts were reused, and the verdicts to keep for
/// the next (`None` when the evaluation had a problem).
#[derive(Debug, Default)]
pub struct Cached {
    pub reused: usize,
    pub verdicts: Option<Verdicts>,
}

impl<'a> Reuse<'a> {
    /// `reads_inventory` says which controls read `data.inventory` and the views.
    pub fn new(
        pack: &Pack,
        previous: Option<&'a Verdicts>,
        context: Context,
        digests: (Vec<Digest>, Vec<Digest>),
        reads_inventory: impl Fn(usize) -> bool,
    ) -> Self {
        let reads_time = reads_run_time(pack);
        let reusable = (0..pack.controls.len())
            .map(|control| {
                previous.is_some_and(|kept| {
                    (!reads_time[control] || kept.context.as_of == context.as_of)
                        && (!reads_inventory(control)
                            || kept.context.inventory == context.inventory)
                })
            })
            .collect();
        let (items, accounts) = digests;
        let find = |digests: &[Digest]| -> Vec<u32> {
            digests
                .par_iter()
                .map(|digest| {
                    previous
                        .and_then(|kept| kept.find(digest))
                        .unwrap_or(NOT_KEPT)
                })
                .collect()
        };
        Reuse {
            previous,
            reusable,
            items_kept: find(&items),
            accounts_kept: find(&accounts),
            items,
            accounts,
            context,
            reused: AtomicUsize::new(0),
        }
    }

    /// The digest of slot `at`: an item, or past `items` an (account, region).
    fn digest(&self, at: usize, items: usize) -> Digest {
        match at.checked_sub(items) {
            Some(account) => self.accounts[account],
            None => self.items[at],
        }
    }

    /// What entry `at` of the earlier run kept, when every one of `controls` can be
    /// reused.
    fn kept(&self, at: u32, controls: &[usize]) -> Option<&'a [Row]> {
        if !controls.iter().all(|&c| self.reusable[c]) {
            return None;
        }
        self.previous?.kept(at)
    }

    /// The rows of `controls` on `subject` (at `order`) from entry `at`, when every one can
    /// be reused.
    fn rows(
        &self,
        at: u32,
        subject: &Arc<Subject>,
        order: u32,
        controls: &[usize],
    ) -> Option<Vec<Evaluation>> {
        let previous = self.previous?;
        let kept = self.kept(at, controls)?;
        self.reused.fetch_add(controls.len(), Ordering::Relaxed);
        Some(
            controls
                .iter()
                .map(|&control| previous.evaluation(control, kept, subject, order))
                .collect(),
        )
    }

    /// The rows of item `index` for `controls`, when every one can be reused.
    pub fn item_rows(
        &self,
        index: usize,
        item: &ConfigurationItem,
        controls: &[usize],
    ) -> Option<Vec<Evaluation>> {
        let order = super::item::order_of(index);
        self.rows(*self.items_kept.get(index)?, &item.subject, order, controls)
    }

    /// The rows of (account, region) `index` for `controls`, when every one can be reused.
    pub fn account_rows(
        &self,
        index: usize,
        (account, region): &(Arc<str>, Arc<str>),
        controls: &[usize],
    ) -> Option<Vec<Evaluation>> {
        let at = *self.accounts_kept.get(index)?;
        let order = super::item::order_of(index);
        self.rows(at, &account_subject(account, region), order, controls)
    }

    /// Every row of a pass (`plan`) when all of them can be reused, so that the pass need
    /// not be prepared at all; `None` as soon as one cannot.
    pub fn whole_pass(
        &self,
        plan: &Plan,
        inventory: &Inventory,
        accounts: &[(Arc<str>, Arc<str>)],
    ) -> Option<Vec<Evaluation>> {
        self.previous?;
        let scope = |item: &ConfigurationItem| {
            plan.scope(&item.subject.resource_type)
                .filter(|_| inventory.judges(item))
                .map(|scope| plan.scopes[scope].as_slice())
        };
        let account_controls = plan.scopes[plan.account_scope].as_slice();
        let accounts = if account_controls.is_empty() {
            &[]
        } else {
            accounts
        };
        let items_hit = inventory.items.par_iter().enumerate().all(|(index, item)| {
            scope(item).is_none_or(|controls| self.kept(self.items_kept[index], controls).is_some())
        });
        let accounts_hit = (0..accounts.len())
            .all(|i| self.kept(self.accounts_kept[i], account_controls).is_some());
        if !items_hit || !accounts_hit {
            return None;
        }
        let mut rows: Vec<Evaluation> = inventory
            .items
            .par_iter()
            .enumerate()
            .flat_map_iter(|(index, item)| {
                scope(item)
                    .and_then(|controls| self.item_rows(index, item, controls))
                    .unwrap_or_default()
            })
            .collect();
        for (index, pair) in accounts.iter().enumerate() {
            rows.extend(self.account_rows(index, pair, account_controls)?);
        }
        Some(rows)
    }

    /// What caching gave the run whose rows are `evaluations` (over `items` items); the
    /// verdicts are kept only when `sound` (the evaluation had no problem).
    pub fn finish(self, evaluations: &[Evaluation], items: usize, sound: bool) -> Cached {
        Cached {
            reused: self.reused.load(Ordering::Relaxed),
            verdicts: sound.then(|| Verdicts::record(evaluations, &self, items)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(pack: &Pack) -> BTreeSet<&str> {
        pack.controls
            .iter()
            .zip(reads_run_time(pack))
            .filter(|(_, timed)| *timed)
            .map(|(control, _)| control.meta.id.as_str())
            .collect()
    }

    #[test]
    fn controls_that_read_the_time_are_found_in_their_files_libraries_and_views() {
        let pack = Pack::load(true, &[]);
        let timed = timed(&pack);
        // Its own file (EC2.4), through the lambda_runtimes view (Lambda.2).
        for id in ["EC2.4", "ACM.1", "Lambda.2"] {
            assert!(timed.contains(id), "{id} reads the time: {timed:?}");
        }
        for id in ["S3.5", "DynamoDB.2", "EC2.2", "IAM.1"] {
            assert!(!timed.contains(id), "{id} does not read the time");
        }
        assert!(timed.len() < pack.controls.len() / 4, "{timed:?}");
    }

    #[test]
    fn data_read_whole_or_by_a_computed_key_counts_as_reading_the_time() {
        assert!(reads_time("x := data[\"context\"].as_of"));
        assert!(reads_time("x := object.get(data, \"context\", {})"));
        assert!(reads_time("import data.context"));
        assert!(!reads_time(
            "x := data.parameters[\"A.1\"].max # all of data\n"
        ));
        assert!(!reads_time("x := metadata.id"));
    }

    fn verdicts() -> Verdicts {
        let rows = vec![
            Row {
                control: 1,
                annotation: 1,
                captured: 1,
                compliance: Compliance::NonCompliant,
            },
            Row {
                control: 0,
                annotation: 2,
                captured: 0,
                compliance: Compliance::NotApplicable,
            },
        ];
        let context = Context {
            as_of: "2026-11-10T23:59:59.999Z".into(),
            inventory: [7; 32],
        };
        let strings = vec!["no tag".into(), "out of scope".into()];
        let captured = vec![vec![(Arc::from("name"), serde_json::json!(0.1 + 0.2))]];
        let entries = vec![
            Entry {
                digest: [1; 32],
                start: 0,
                len: 1,
            },
            Entry {
                digest: [2; 32],
                start: 1,
                len: 1,
            },
            Entry {
                digest: [3; 32],
                start: 2,
                len: 0,
            },
        ];
        Verdicts::new(context, (strings, captured), entries, rows)
    }

    #[test]
    fn the_file_reads_back_as_written_and_nothing_else_does() {
        let key = [9; 32];
        let bytes = verdicts().to_bytes(&key);
        let back = Verdicts::from_bytes(&bytes, &key, 2).expect("it reads back");
        assert_eq!(back.context, verdicts().context);
        assert_eq!(back.rows, verdicts().rows);
        assert_eq!(back.strings, verdicts().strings);
        assert_eq!(back.captured, verdicts().captured, "floats kept exactly");
        let kept = |digest: Digest| back.find(&digest).and_then(|at| back.kept(at));
        assert_eq!(kept([3; 32]), Some(&[][..]));
        assert_eq!(kept([1; 32]), Some(&verdicts().rows[..1]));
        assert_eq!(kept([2; 32]), Some(&verdicts().rows[1..]));
        assert_eq!(kept([4; 32]), None);
        assert_eq!(back.kept(NOT_KEPT), None);
        assert!(
            Verdicts::from_bytes(&bytes, &[8; 32], 2).is_err(),
            "another key"
        );
        assert!(
            Verdicts::from_bytes(&bytes, &key, 1).is_err(),
            "a control the pack lacks"
        );
        for cut in 0..bytes.len() {
            assert!(Verdicts::from_bytes(&bytes[..cut], &key, 2).is_err());
        }
        for at in (0..bytes.len()).step_by(7) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x20;
            assert!(
                Verdicts::from_bytes(&flipped, &key, 2).is_err(),
                "byte {at}"
            );
        }
    }

    #[test]
    fn a_body_that_lies_about_its_lengths_is_refused_without_allocating_them() {
        let mut body = Vec::new();
        put_bytes(&mut body, b"2026-01-01T00:00:00.000Z");
        body.extend_from_slice(&[0; 32]);
        put_u32(&mut body, u32::MAX as usize);
        assert!(decode_body(&mut Reader(&body), 1).is_err());
        let huge = [255u8, 255, 255, 255, 0];
        assert!(decompress(&huge).is_err());
    }
}
