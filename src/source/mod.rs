//! Where input bytes come from: files, directories (walked recursively, sorted) and stdin.
//! Nothing here parses JSON; gzip is undone here so the loader only ever sees text.

use crate::diagnostics::Problem;
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// The name used in reports and diagnostics.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    /// Whether the file name says the content is newline-delimited JSON.
    pub fn is_ndjson(&self) -> bool {
        let Input::File(path) = self else {
            return false;
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let name = name.strip_suffix(".gz").unwrap_or(name);
        name.ends_with(".ndjson") || name.ends_with(".jsonl")
    }
}

/// A file that was found but not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub source: String,
    pub reason: String,
}

/// What the arguments expand to.
#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub ignored: Vec<Ignored>,
    pub problems: Vec<Problem>,
}

const JSON_SUFFIXES: &[&str] = &[".json", ".ndjson", ".jsonl"];

/// Whether a file found while walking a directory holds JSON (optionally gzipped).
pub fn is_json_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    JSON_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}

/// Expand the command-line arguments: `-` is stdin, a file is read whatever its name, a
/// directory is walked recursively in name order and only JSON files in it are read.
pub fn discover(args: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for arg in args {
        if arg.as_os_str() == "-" {
            found.inputs.push(Input::Stdin);
            continue;
        }
        let metadata = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(err) => {
                found.problems.push(
                    Problem::new(
                        "input::not_found",
                        arg.display().to_string(),
                        err.to_string(),
                    )
                    .with_help("pass a snapshot file, a directory of them, or - for stdin"),
                );
                continue;
            }
        };
        if !metadata.is_dir() {
            found.inputs.push(Input::File(arg.clone()));
            continue;
        }
        let walker = walkdir::WalkDir::new(arg)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) if is_json_name(entry.path()) => {
                    found.inputs.push(Input::File(entry.into_path()));
                }
                Ok(entry) => found.ignored.push(Ignored {
                    source: entry.path().display().to_string(),
                    reason: "not a JSON file (only .json, .ndjson, .jsonl and their .gz are read from directories)".into(),
                }),
                Err(err) => {
                    let place = err
                        .path()
                        .map_or_else(|| arg.display().to_string(), |p| p.display().to_string());
                    found
                        .problems
                        .push(Problem::new("input::unreadable", place, err.to_string()));
                }
            }
        }
    }
    found
}

/// Read one input completely, undoing gzip when the bytes start with its magic number
/// (so a `.gz` without the suffix, or a plain file named `.gz`, both work).
pub fn read(input: &Input) -> Result<Vec<u8>, Problem> {
    let name = input.name();
    let raw = match input {
        Input::File(path) => std::fs::read(path),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
    }
    .map_err(|err| Problem::new("input::unreadable", &name, err.to_string()))?;
    gunzip_if_needed(&name, raw)
}

pub fn gunzip_if_needed(name: &str, raw: Vec<u8>) -> Result<Vec<u8>, Problem> {
    if raw.len() < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
        return Ok(raw);
    }
    let mut out = Vec::with_capacity(raw.len() * 8);
    MultiGzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|err| {
            Problem::new(
                "input::gzip",
                name,
                format!(
                    "corrupt or truncated gzip stream after {} decompressed bytes: {err}",
                    out.len()
                ),
            )
            .with_help("the file was probably cut short while downloading; fetch it again")
        })?;
    Ok(out)
}
