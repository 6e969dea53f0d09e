//! `regent eval --cache DIR` (README "Verdict cache"): one file in DIR per pack, parameters,
//! settings and version of regent (`eval::run_key`), read before the evaluation and
//! replaced after it, atomically. What it holds and when a verdict in it stands is
//! `eval::cache`'s. A file that cannot be used is a diagnostic (`cache::invalid`) and the
//! run evaluates everything; a directory that cannot be written is one too
//! (`cache::unwritable`), and the run goes on. Neither is part of the report.

use crate::diagnostics::{Code, Problem};
use crate::eval::{self, Cached, Caching, Digest, EvalOptions, Verdicts};
use crate::policy::Pack;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The cache of one run: its file, what the file held, and what the run says of it.
pub struct Cache {
    store: Store,
    previous: Option<Verdicts>,
    report: CacheReport,
}

impl Cache {
    /// The cache in `dir` for running `pack` with these options, runbook `settings` and
    /// `--complete`, read.
    pub fn open(
        dir: &Path,
        pack: &Pack,
        options: &EvalOptions,
        settings: &BTreeMap<String, Value>,
        complete: bool,
    ) -> Self {
        let parameters = eval::effective_parameters(pack, options);
        let store = Store::new(dir, eval::run_key(pack, &parameters, settings, complete));
        let mut report = CacheReport::default();
        let previous = store.read(pack.controls.len()).unwrap_or_else(|problem| {
            report.problems.push(problem);
            None
        });
        Cache {
            store,
            previous,
            report,
        }
    }

    /// What the evaluation reuses.
    pub fn caching(&self) -> Caching<'_> {
        Caching {
            previous: self.previous.as_ref(),
        }
    }

    /// Keep the verdicts the evaluation `cached` (of `verdicts` in all) for the next run,
    /// written while `build` makes the report; the report, and what the cache did.
    pub fn keep<R>(
        self,
        cached: Option<Cached>,
        verdicts: usize,
        build: impl FnOnce() -> R,
    ) -> (R, CacheReport) {
        let Cache {
            store,
            previous,
            mut report,
        } = self;
        drop(previous);
        report.verdicts = verdicts;
        report.reused = cached.as_ref().map_or(0, |cached| cached.reused);
        let to_keep = cached.as_ref().and_then(|cached| cached.verdicts.as_ref());
        let (built, written) = std::thread::scope(|scope| {
            let writing = to_keep.map(|verdicts| scope.spawn(|| store.write(verdicts)));
            let built = build();
            let written = writing.map(|writing| {
                writing
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            });
            (built, written)
        });
        if let Some(Err(problem)) = written {
            report.problems.push(problem);
        }
        (built, report)
    }
}

/// The cache file of one run.
struct Store {
    path: PathBuf,
    key: Digest,
}

/// What the cache did in a run: verdicts reused of all the run gave, and its problems.
#[derive(Debug, Default)]
pub struct CacheReport {
    pub reused: usize,
    pub verdicts: usize,
    pub problems: Vec<Problem>,
}

impl CacheReport {
    /// One line for stderr, e.g. `cache: 1200 of 1234 verdicts reused`.
    pub fn summary(&self) -> String {
        format!(
            "cache: {} of {} verdicts reused",
            self.reused, self.verdicts
        )
    }
}

impl Store {
    /// The file in `dir` for the run `key` names (`eval::run_key`).
    fn new(dir: &Path, key: Digest) -> Self {
        let name: String = key[..16].iter().map(|b| format!("{b:02x}")).collect();
        Store {
            path: dir.join(format!("{name}.verdicts")),
            key,
        }
    }

    /// The verdicts the file holds: none when there is no file yet, and a problem when it
    /// cannot be used.
    fn read(&self, controls: usize) -> Result<Option<Verdicts>, Problem> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            // No file yet; or no directory, which writing says.
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(None)
            }
            Err(err) => return Err(self.invalid(format!("it could not be read: {err}"))),
        };
        Verdicts::from_bytes(&bytes, &self.key, controls)
            .map(Some)
            .map_err(|why| self.invalid(why))
    }

    fn invalid(&self, why: String) -> Problem {
        Problem::new(
            Code::CacheInvalid,
            self.path.display().to_string(),
            format!("the verdict cache is not used: {why}"),
        )
        .with_help("every verdict was evaluated again, and the file is replaced by this run's; deleting it is always safe")
    }

    /// Replace the file with `verdicts`: written beside it, then renamed into place, so a
    /// reader never sees half a file.
    fn write(&self, verdicts: &Verdicts) -> Result<(), Problem> {
        let bytes = verdicts.to_bytes(&self.key);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let unwritable = |err: std::io::Error| {
            Problem::new(
                Code::CacheUnwritable,
                dir.display().to_string(),
                format!("the verdict cache could not be written: {err}"),
            )
            .with_help("the report is complete; give --cache a directory regent can create and write, or leave --cache out")
        };
        std::fs::create_dir_all(dir).map_err(unwritable)?;
        let mut temp = tempfile::Builder::new()
            .prefix(".regent-verdicts-")
            .tempfile_in(dir)
            .map_err(unwritable)?;
        temp.write_all(&bytes).map_err(unwritable)?;
        temp.persist(&self.path)
            .map_err(|err| unwritable(err.error))?;
        Ok(())
    }
}
