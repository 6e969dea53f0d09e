//! Files, directories (walked recursively, in name order) and stdin (`-`).

use super::{is_json_name, is_ndjson_name, Body, Document, Entry};
use crate::diagnostics::{Code, Problem, Skip};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The entries the command-line arguments name, lazily: `-` is stdin, a file is read
/// whatever its name, a directory is walked recursively in name order and only JSON files
/// in it are read.
pub fn entries(args: Vec<PathBuf>) -> impl Iterator<Item = Entry> + Send + 'static {
    args.into_iter().flat_map(expand)
}

/// The documents the arguments name, leaving out what cannot be read (for tools that
/// want only the documents: the benchmarks' floor, the naive comparison).
pub fn documents(args: &[PathBuf]) -> Vec<Document> {
    entries(args.to_vec())
        .filter_map(|entry| match entry {
            Entry::Document(document) => Some(document),
            Entry::Ignored(_) | Entry::Failed(_) => None,
        })
        .collect()
}

/// What one argument names.
fn expand(arg: PathBuf) -> Box<dyn Iterator<Item = Entry> + Send> {
    if arg.as_os_str() == "-" {
        return Box::new(std::iter::once(Entry::Document(stdin())));
    }
    match std::fs::metadata(&arg) {
        Err(err) => Box::new(std::iter::once(Entry::Failed(
            Problem::new(
                Code::InputNotFound,
                arg.display().to_string(),
                err.to_string(),
            )
            .with_help("pass a snapshot file, a directory of them, or - for stdin"),
        ))),
        Ok(metadata) if metadata.is_dir() => Box::new(walk(arg)),
        Ok(_) => Box::new(std::iter::once(Entry::Document(file(arg)))),
    }
}

/// A directory's JSON files, in name order; the other files are ignored with a reason.
fn walk(dir: PathBuf) -> impl Iterator<Item = Entry> + Send {
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name();
    walker.into_iter().filter_map(move |entry| match entry {
        Ok(entry) if entry.file_type().is_dir() => None,
        Ok(entry) if is_json_name(&entry.file_name().to_string_lossy()) => {
            Some(Entry::Document(file(entry.into_path())))
        }
        Ok(entry) => Some(Entry::Ignored(Skip {
            source: entry.path().display().to_string(),
            reason: "not a JSON file (only .json, .ndjson, .jsonl and their .gz are read from directories)".into(),
        })),
        Err(err) => {
            let place = err
                .path()
                .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
            Some(Entry::Failed(Problem::new(
                Code::InputUnreadable,
                place,
                err.to_string(),
            )))
        }
    })
}

/// A file, read when a worker gets to it.
pub fn file(path: PathBuf) -> Document {
    let origin: Arc<str> = Arc::from(path.display().to_string());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let read_origin = origin.clone();
    Document {
        ndjson: name.as_deref().is_some_and(is_ndjson_name),
        origin,
        body: Body::Deferred(Box::new(move || read_file(&path, &read_origin))),
    }
}

fn read_file(path: &Path, origin: &str) -> Result<Vec<u8>, Problem> {
    std::fs::read(path).map_err(|err| Problem::new(Code::InputUnreadable, origin, err.to_string()))
}

/// Standard input, read when a worker gets to it.
pub fn stdin() -> Document {
    Document {
        origin: Arc::from(STDIN),
        ndjson: false,
        body: Body::Deferred(Box::new(|| {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|err| Problem::new(Code::InputUnreadable, STDIN, err.to_string()))
        })),
    }
}

/// How stdin is named in reports and diagnostics.
pub const STDIN: &str = "<stdin>";
