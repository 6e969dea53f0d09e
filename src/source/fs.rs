//! Files, directories (walked recursively, in name order) and stdin (`-`).

use super::limits::{read_bounded, too_large};
use super::{is_json_name, is_ndjson_name, is_yaml_name, Body, Completeness, Document, Entry};
use crate::diagnostics::{Code, Problem, Skip};
use std::fs::FileType;
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
        Ok(metadata) if metadata.is_file() => Box::new(std::iter::once(Entry::Document(file(arg)))),
        // A FIFO would block the run until someone writes to it, a device may never end.
        Ok(metadata) => Box::new(std::iter::once(Entry::Failed(
            Problem::new(
                Code::InputUnreadable,
                arg.display().to_string(),
                format!("not a regular file ({})", kind_of(metadata.file_type())),
            )
            .with_help("to read a stream, pipe it into `regent eval -`"),
        ))),
    }
}

/// What a file system entry that is not a regular file is, for messages.
fn kind_of(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// A directory's JSON files, in name order; the other files are ignored with a reason.
fn walk(dir: PathBuf) -> impl Iterator<Item = Entry> + Send {
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name();
    walker.into_iter().filter_map(move |entry| match entry {
        Ok(entry) if entry.file_type().is_dir() => None,
        Ok(entry) if !entry.file_type().is_file() => Some(Entry::Ignored(Skip {
            source: entry.path().display().to_string(),
            reason: format!(
                "not a regular file ({}; only regular files are read from directories)",
                kind_of(entry.file_type())
            ),
        })),
        Ok(entry)
            if is_json_name(&entry.file_name().to_string_lossy())
                || is_yaml_name(&entry.file_name().to_string_lossy()) =>
        {
            Some(Entry::Document(file(entry.into_path())))
        }
        Ok(entry) => Some(Entry::Ignored(Skip {
            source: entry.path().display().to_string(),
            reason: "not a JSON or YAML file (only .json, .ndjson, .jsonl, .yaml, .yml, .template and their .gz are read from directories)".into(),
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
        completeness: Completeness::FromShape,
        body: Body::Deferred(Box::new(move |max_bytes| {
            read_file(&path, &read_origin, max_bytes)
        })),
    }
}

/// A file's bytes, when there are at most `max_bytes` of them (checked before reading, and
/// while reading in case it grows).
fn read_file(path: &Path, origin: &str, max_bytes: u64) -> Result<Vec<u8>, Problem> {
    let unreadable =
        |err: std::io::Error| Problem::new(Code::InputUnreadable, origin, err.to_string());
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let length = file.metadata().map_err(unreadable)?.len();
    if length > max_bytes {
        return Err(too_large(origin, max_bytes, "is"));
    }
    read_bounded(origin, file, max_bytes)
}

/// Standard input, read when a worker gets to it.
pub fn stdin() -> Document {
    Document {
        origin: Arc::from(STDIN),
        ndjson: false,
        completeness: Completeness::FromShape,
        body: Body::Deferred(Box::new(|max_bytes| {
            read_bounded(STDIN, std::io::stdin().lock(), max_bytes)
        })),
    }
}

/// How stdin is named in reports and diagnostics.
pub const STDIN: &str = "<stdin>";
