//! Where documents come from. A source yields entries: a document to read (an origin that
//! names it, and its bytes or how to get them), an input it found but will not read, or a
//! problem. Files, directories and stdin are here (`fs`); an S3 object, a Config API page
//! or a Lambda event is a document like any other, named by its origin (`s3://bucket/key`,
//! `config://...`). Nothing here parses JSON; gzip is undone here so the loader only ever
//! sees text.

pub mod config_api;
pub mod fs;
mod gzip;
mod limits;
pub mod s3;

pub use gzip::gunzip_if_needed;
pub use limits::{read_bounded, too_large, DEFAULT_MAX_INPUT_BYTES};

use crate::diagnostics::{Problem, Skip};
use std::sync::Arc;

/// How a document's bytes are had.
pub enum Body {
    /// Already in memory (a Lambda event, a fetched object, a test's text).
    Bytes(Vec<u8>),
    /// Read when a worker gets to it, so that reading and loading run in parallel and a
    /// document's bytes are held only while it is loaded. Given the most bytes to read: a
    /// longer stream is an error, not a longer read.
    Deferred(Box<dyn FnOnce(u64) -> Result<Vec<u8>, Problem> + Send>),
}

/// Whether a document is a complete record of the accounts and regions its items belong
/// to: only then does the absence of a resource from it mean the resource does not exist
/// (README "Partial inputs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Completeness {
    /// As its shape says: a snapshot file is complete, every other shape partial.
    #[default]
    FromShape,
    /// Complete whatever its shape: a source that lists every resource of an account and
    /// region (a `config://` listing) vouches so for each page it yields.
    Complete,
    /// Partial whatever its shape (`regent test` runs a fixture as partial so).
    Partial,
}

/// One document to load.
pub struct Document {
    /// What names it in reports and diagnostics: a path, `<stdin>`, `s3://bucket/key`.
    pub origin: Arc<str>,
    /// Its name says it is newline-delimited JSON (`.ndjson`, `.jsonl`).
    pub ndjson: bool,
    /// Whether it is a complete record, when the source knows better than its shape.
    pub completeness: Completeness,
    pub body: Body,
}

impl Document {
    /// A document whose bytes are in hand.
    pub fn from_bytes(origin: impl Into<Arc<str>>, bytes: Vec<u8>) -> Self {
        let origin = origin.into();
        Document {
            ndjson: is_ndjson_name(&origin),
            origin,
            completeness: Completeness::FromShape,
            body: Body::Bytes(bytes),
        }
    }

    /// Its bytes, gunzipped when they are gzip (whatever the name says), when neither
    /// they nor what they inflate to exceed `max_bytes`.
    pub fn read(self, max_bytes: u64) -> Result<Vec<u8>, Problem> {
        let raw = match self.body {
            Body::Bytes(bytes) => bytes,
            Body::Deferred(read) => read(max_bytes)?,
        };
        if raw.len() as u64 > max_bytes {
            return Err(too_large(&self.origin, max_bytes, "is"));
        }
        gunzip_if_needed(&self.origin, raw, max_bytes)
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("origin", &self.origin)
            .field("ndjson", &self.ndjson)
            .field("completeness", &self.completeness)
            .finish_non_exhaustive()
    }
}

/// Told as a remote source works, for a progress display: objects or resources listed,
/// and fetched. Does nothing by default.
pub trait Tally: Send + Sync {
    fn listed(&self, _count: usize) {}
    fn fetched(&self, _count: usize) {}
}

/// A tally nobody reads.
pub struct Untallied;

impl Tally for Untallied {}

/// What a source yields, in the order the run accounts for them.
#[derive(Debug)]
pub enum Entry {
    Document(Document),
    /// Found but not read, and why (a file in a directory that is not JSON).
    Ignored(Skip),
    /// Could not be found or read.
    Failed(Problem),
}

/// Whether a name says the content is newline-delimited JSON (`.ndjson`, `.jsonl`,
/// optionally gzipped).
pub fn is_ndjson_name(name: &str) -> bool {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.ends_with(".ndjson") || name.ends_with(".jsonl")
}

/// Whether a name says the content is JSON (optionally gzipped): what a directory walk or
/// a bucket listing reads.
pub fn is_json_name(name: &str) -> bool {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    [".json", ".ndjson", ".jsonl"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// Whether a name says the content is YAML (a CloudFormation template): `.yaml`, `.yml`,
/// `.template`, and their `.gz`.
pub fn is_yaml_name(name: &str) -> bool {
    let name = name
        .strip_suffix(".gz")
        .unwrap_or(name)
        .to_ascii_lowercase();
    [".yaml", ".yml", ".template"]
        .iter()
        .any(|suffix| name.len() > suffix.len() && name.ends_with(suffix))
}
