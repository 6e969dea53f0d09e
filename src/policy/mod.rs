//! The policy pack: find the `.rego` files (embedded and the user's), check the controls
//! compile (all in one engine; each in its own when one does not, to say which), read and
//! validate their metadata, and reject forbidden builtins.
//! This is the only place, with `eval`, that talks to regorus.

pub mod forbidden;
pub mod metadata;
pub mod param_type;
mod record;
pub mod runbooks;
pub mod select;
pub mod standards;

use crate::diagnostics::{Code, Problem};
pub use metadata::{Metadata, Severity};
pub use record::ControlRecord;
pub use runbooks::{Runbook, Runbooks};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_pack.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Control,
    Library,
    Test,
    Data,
    /// `remediation/runbooks.json`: what each runbook's automation role needs.
    Runbooks,
}

/// One file of a pack.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// Shown in diagnostics: the repository path for the embedded pack, else as found.
    pub path: String,
    pub text: String,
    pub kind: FileKind,
    /// The user's pack rather than the embedded one.
    pub user: bool,
}

fn classify(relative: &str) -> Option<FileKind> {
    let relative = relative.replace('\\', "/");
    let name = relative.rsplit('/').next().unwrap_or(&relative);
    if relative == runbooks::RUNBOOKS_FILE
        || relative.ends_with(&format!("/{}", runbooks::RUNBOOKS_FILE))
    {
        return Some(FileKind::Runbooks);
    }
    let in_dir = |dir: &str| {
        relative.starts_with(&format!("{dir}/")) || relative.contains(&format!("/{dir}/"))
    };
    if name.ends_with(".json") {
        return in_dir("data").then_some(FileKind::Data);
    }
    if !name.ends_with(".rego") {
        return None;
    }
    if name.ends_with("_test.rego") {
        Some(FileKind::Test)
    } else if in_dir("lib") || in_dir("views") {
        // Views are libraries whose rules regent evaluates once per run (see `Pack::views`).
        Some(FileKind::Library)
    } else {
        Some(FileKind::Control)
    }
}

/// The pack compiled into the binary.
pub fn embedded_files() -> Vec<PackFile> {
    EMBEDDED_PACK
        .iter()
        .filter_map(|(path, text)| {
            let relative = path.strip_prefix("policies/").unwrap_or(path);
            classify(relative).map(|kind| PackFile {
                path: (*path).to_string(),
                text: (*text).to_string(),
                kind,
                user: false,
            })
        })
        .collect()
}

/// A user's pack directory (same layout as `policies/`), or a single `.rego` file.
pub fn files_in(dir: &Path) -> Result<Vec<PackFile>, Problem> {
    let mut paths: Vec<PathBuf> = Vec::new();
    if dir.is_file() {
        paths.push(dir.to_path_buf());
    } else if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Problem::new(
                    Code::PolicyUnreadable,
                    dir.display().to_string(),
                    e.to_string(),
                )
            })?;
            if entry.file_type().is_file() {
                paths.push(entry.into_path());
            }
        }
    } else {
        return Err(Problem::new(
            Code::PolicyUnreadable,
            dir.display().to_string(),
            "no such policy directory or file",
        ));
    }
    let mut files = Vec::new();
    for path in paths {
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .to_string();
        let relative = if relative.is_empty() {
            path.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        } else {
            relative
        };
        let Some(kind) = classify(&relative) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Problem::new(
                Code::PolicyUnreadable,
                path.display().to_string(),
                e.to_string(),
            )
        })?;
        files.push(PackFile {
            path: path.display().to_string(),
            text,
            kind,
            user: true,
        });
    }
    Ok(files)
}

/// One loaded control.
#[derive(Debug, Clone)]
pub struct Control {
    pub meta: Metadata,
    /// e.g. `regent.s3_5`
    pub package: String,
    pub file: PackFile,
    pub has_applicable: bool,
}

impl Control {
    pub fn rule(&self, name: &str) -> String {
        format!("data.{}.{}", self.package, name)
    }

    /// What `regent controls`, `regent explain` and the report say about this control.
    pub fn record(&self) -> ControlRecord {
        ControlRecord {
            meta: self.meta.clone(),
            source: self.file.path.clone(),
        }
    }

    pub fn is_account_level(&self) -> bool {
        self.meta
            .resource_types
            .iter()
            .any(|t| t == metadata::ACCOUNT_TYPE)
    }
}

/// The validated pack: controls sorted by id, the libraries, the reference data.
#[derive(Debug, Clone, Default)]
pub struct Pack {
    pub controls: Vec<Control>,
    pub libraries: Vec<PackFile>,
    pub tests: Vec<PackFile>,
    /// `data.reference`: the pack's JSON files under `data/`, by file stem.
    pub reference: serde_json::Map<String, Value>,
    /// `remediation/runbooks.json`, the user's entries over the embedded ones: the IAM
    /// actions each runbook needs (never part of `data`).
    pub runbooks: Runbooks,
    /// What loading found wrong, all of it; the controls above are the sound ones.
    pub problems: Vec<Problem>,
    /// The libraries parsed once, for every run to clone (`engine`): a run of one control
    /// (each fixture of `regent test`) then parses only that control.
    parsed_libraries: Option<ParsedLibraries>,
}

/// An engine holding the libraries of these paths, in order (checked before use, since
/// `Pack::libraries` is public).
#[derive(Clone)]
struct ParsedLibraries(Vec<String>, regorus::Engine);

impl std::fmt::Debug for ParsedLibraries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParsedLibraries")
    }
}

/// How long loading may spend evaluating one control's `metadata` (a rule of the policy,
/// so a hostile one could loop).
const LOAD_BUDGET: std::time::Duration = std::time::Duration::from_secs(30);

/// How long loading may spend trying a control's rules on an empty item.
const CHECK_BUDGET: std::time::Duration = std::time::Duration::from_secs(1);

/// regorus's timer for a budget: checked every few hundred steps, so a runaway evaluation
/// stops within a moment of its budget and a normal one pays next to nothing.
pub fn timer(budget: std::time::Duration) -> regorus::utils::limits::ExecutionTimerConfig {
    regorus::utils::limits::ExecutionTimerConfig {
        limit: budget,
        check_interval: std::num::NonZeroU32::new(256).unwrap_or(std::num::NonZeroU32::MIN),
    }
}

/// A fresh engine with Rego v1, strict builtin errors and a budget for each evaluation.
pub fn new_engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.set_strict_builtin_errors(true);
    engine.set_execution_timer_config(timer(LOAD_BUDGET));
    engine
}

/// Turn a regorus error (pre-rendered text with `--> file:line:col`) into a diagnostic
/// pointing into whichever of `files` it names (the first one if none).
pub fn regorus_problem(code: Code, files: &[&PackFile], err: &dyn std::fmt::Display) -> Problem {
    let text = err.to_string();
    let mut location = None;
    for line in text.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("--> ") {
            let mut parts = rest.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.trim().parse::<usize>().ok());
            let line_no = parts.next().and_then(|l| l.trim().parse::<usize>().ok());
            let path = parts.next().unwrap_or_default().to_string();
            if let (Some(l), Some(c)) = (line_no, col) {
                location = Some((path, l, c));
                break;
            }
        }
    }
    // The last line is "error: <message>"; keep it, without the rendered excerpt.
    let message = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(&text)
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    let Some(&first) = files.first() else {
        return Problem::new(code, "policies", message);
    };
    match location {
        Some((path, line, column)) => {
            let file = files
                .iter()
                .copied()
                .find(|f| f.path == path)
                .unwrap_or(first);
            Problem::new(code, &file.path, message.clone()).at(&file.text, line, column, message)
        }
        None => Problem::new(code, &first.path, message),
    }
}

fn rule_is_defined(text: &str, rule: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("default ").unwrap_or(line).trim_start();
        line.strip_prefix(rule).is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_whitespace() || c == '[' || c == ':' || c == '=')
        })
    })
}

/// Natural order for control ids: EC2.2 before EC2.13.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    natord::compare(a, b).then_with(|| a.cmp(b))
}

/// The package a module declares (`package regent.s3_5` -> `regent.s3_5`).
pub fn declared_package(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| p.trim().to_string())
}

impl Pack {
    /// Load the embedded pack (unless `builtin` is false) and the user's directories;
    /// a user control with the id of one of ours replaces it. Problems come back
    /// together in `problems`; the controls that are sound are still usable.
    pub fn load(builtin: bool, user_dirs: &[PathBuf]) -> Pack {
        let mut problems = Vec::new();
        let mut files = if builtin {
            embedded_files()
        } else {
            Vec::new()
        };
        for dir in user_dirs {
            match files_in(dir) {
                Ok(found) => files.extend(found),
                Err(problem) => problems.push(problem),
            }
        }
        let mut pack = Pack::from_files(files);
        problems.append(&mut pack.problems);
        pack.problems = problems;
        pack
    }

    /// The pack these files make, with every problem found in `problems`.
    pub fn from_files(files: Vec<PackFile>) -> Pack {
        let mut problems = Vec::new();
        let mut pack = Pack::default();
        let mut controls = Vec::new();
        for file in files {
            match file.kind {
                FileKind::Library => {
                    // A user library replaces ours when it declares the same package.
                    let package = declared_package(&file.text);
                    pack.libraries
                        .retain(|l| !(file.user && declared_package(&l.text) == package));
                    pack.libraries.push(file);
                }
                FileKind::Test => pack.tests.push(file),
                FileKind::Control => controls.push(file),
                FileKind::Runbooks => {
                    problems.extend(runbooks::merge(&mut pack.runbooks, &file.path, &file.text))
                }
                FileKind::Data => {
                    let stem = file
                        .path
                        .rsplit('/')
                        .next()
                        .unwrap_or(&file.path)
                        .trim_end_matches(".json")
                        .to_string();
                    match serde_json::from_str::<Value>(&file.text) {
                        Ok(value) => {
                            pack.reference.insert(stem, value);
                        }
                        Err(err) => problems.push(
                            Problem::new(
                                Code::PolicyParse,
                                &file.path,
                                format!("invalid JSON: {err}"),
                            )
                            .at(
                                &file.text,
                                err.line().max(1),
                                err.column().max(1),
                                "here",
                            ),
                        ),
                    }
                }
            }
        }
        // A file that calls a forbidden builtin is left out, not just reported.
        let mut forbidden_files = Vec::new();
        for file in pack.libraries.iter().chain(&controls) {
            let found = forbidden::check(file);
            if !found.is_empty() {
                forbidden_files.push(file.path.clone());
            }
            problems.extend(found);
        }
        pack.libraries
            .retain(|f| !forbidden_files.contains(&f.path));
        controls.retain(|f| !forbidden_files.contains(&f.path));
        // Libraries must compile on their own first; a control's own problems are then its own.
        let mut base = new_engine();
        let mut broken_libraries = Vec::new();
        for library in &pack.libraries {
            if let Err(err) = base.add_policy(library.path.clone(), library.text.clone()) {
                problems.push(regorus_problem(Code::PolicyParse, &[library], &err));
                broken_libraries.push(library.path.clone());
            }
        }
        // A library that does not parse is left out; controls importing it report that.
        pack.libraries
            .retain(|l| !broken_libraries.contains(&l.path));
        pack.parsed_libraries = parse_libraries(&pack.libraries).map(|engine| {
            ParsedLibraries(
                pack.libraries.iter().map(|l| l.path.clone()).collect(),
                engine,
            )
        });
        if let Err(err) = base.add_data(Value::Object(pack.reference.clone()).into()) {
            problems.push(Problem::new(
                Code::PolicyParse,
                "policies/data",
                err.to_string(),
            ));
        }

        let mut by_id: BTreeMap<String, Control> = BTreeMap::new();
        let libraries: Vec<&PackFile> = pack.libraries.iter().collect();
        for loaded in load_controls(&base, &controls, &libraries) {
            match loaded {
                Ok(control) => {
                    if let Some(existing) = by_id.get(&control.meta.id) {
                        if existing.file.user == control.file.user {
                            problems.push(
                                Problem::new(
                                    Code::PolicyDuplicateId,
                                    &control.file.path,
                                    format!(
                                        "control id `{}` is also declared by {}",
                                        control.meta.id, existing.file.path
                                    ),
                                )
                                .with_help("ids are unique within a pack; rename one of them"),
                            );
                            continue;
                        }
                        if !control.file.user {
                            continue; // the user's control overrides ours
                        }
                    }
                    by_id.insert(control.meta.id.clone(), control);
                }
                Err(more) => problems.extend(more),
            }
        }
        pack.controls = by_id.into_values().collect();
        pack.controls
            .sort_by(|a, b| natural_cmp(&a.meta.id, &b.meta.id));
        pack.problems = problems;
        pack
    }

    /// The same pack with only the controls `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Control) -> bool) {
        self.controls.retain(|c| keep(c));
    }

    /// A copy holding only the control with this id (and none of the load's problems).
    pub fn only(&self, id: &str) -> Pack {
        let mut pack = self.clone();
        pack.retain(|c| c.meta.id == id);
        pack.problems.clear();
        pack
    }

    /// Every resource type a control reads (its own, and those it `requires`): what a
    /// `config://` input lists.
    pub fn resource_types_read(&self) -> Vec<String> {
        self.controls
            .iter()
            .flat_map(|c| c.meta.resource_types.iter().chain(&c.meta.requires))
            .cloned()
            .collect()
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls
            .iter()
            .find(|c| c.meta.id.eq_ignore_ascii_case(id))
    }

    /// The view packages (`package regent.views.<name>`): rules over `data.inventory` that
    /// regent evaluates once per run and publishes as `data.views.<name>`, so a control
    /// looks a cross-resource fact up instead of scanning the inventory for every item.
    /// Returns (name, package path, file).
    pub fn views(&self) -> Vec<(String, String, &PackFile)> {
        self.libraries
            .iter()
            .filter_map(|file| {
                let package = declared_package(&file.text)?;
                let name = package.strip_prefix("regent.views.")?.to_string();
                Some((name, package, file))
            })
            .collect()
    }

    /// For each view the pack's controls and libraries read, the rules they read by name
    /// (`data.views.<name>.<rule>`); `None` for a view also read another way (whole, by a
    /// computed key, through an import), whose every rule may be read.
    pub fn view_reads(&self) -> BTreeMap<String, Option<BTreeSet<String>>> {
        static READ: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"data\.views\.([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)?")
                .expect("a valid pattern")
        });
        let mut reads: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
        let texts = self.controls.iter().map(|c| &c.file.text);
        for text in texts.chain(self.libraries.iter().map(|l| &l.text)) {
            for found in READ.captures_iter(text) {
                let entry = reads
                    .entry(found[1].to_string())
                    .or_insert_with(|| Some(BTreeSet::new()));
                match (found.get(2), entry) {
                    (Some(rule), Some(rules)) => {
                        rules.insert(rule.as_str()[1..].to_string());
                    }
                    (None, entry) => *entry = None,
                    (Some(_), None) => {}
                }
            }
        }
        reads
    }

    /// Per control (in pack order), the views it reads: by name in its own file, or
    /// through the libraries it refers to (`import data.regent.lib.x`, or `data.regent...`
    /// inline), however deep. A control must not be judged when a view it reads failed.
    pub fn views_read_by_controls(&self) -> Vec<BTreeSet<String>> {
        static VIEW: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"data\.views\.([A-Za-z_][A-Za-z0-9_]*)").expect("a valid pattern")
        });
        static PACKAGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"data\.((?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z_][A-Za-z0-9_]*)")
                .expect("a valid pattern")
        });
        let libraries: BTreeMap<String, &str> = self
            .libraries
            .iter()
            .filter_map(|l| Some((declared_package(&l.text)?, l.text.as_str())))
            .collect();
        // The libraries a text refers to: the longest library package each `data.` path
        // starts with (a view package's own name counts as reading the view).
        let refers = |text: &str| -> BTreeSet<String> {
            let mut found = BTreeSet::new();
            for path in PACKAGE.captures_iter(text) {
                let path = &path[1];
                let library = libraries
                    .keys()
                    .filter(|p| path == p.as_str() || path.starts_with(&format!("{p}.")))
                    .max_by_key(|p| p.len());
                if let Some(library) = library {
                    found.insert(library.clone());
                }
            }
            found
        };
        let views_in = |text: &str| -> BTreeSet<String> {
            let mut views: BTreeSet<String> =
                VIEW.captures_iter(text).map(|c| c[1].to_string()).collect();
            for package in refers(text) {
                if let Some(view) = package.strip_prefix("regent.views.") {
                    views.insert(view.to_string());
                }
            }
            views
        };
        self.controls
            .iter()
            .map(|control| {
                let mut views = views_in(&control.file.text);
                let mut seen: BTreeSet<String> = BTreeSet::new();
                let mut queue: Vec<String> = refers(&control.file.text).into_iter().collect();
                while let Some(package) = queue.pop() {
                    if !seen.insert(package.clone()) {
                        continue;
                    }
                    if let Some(text) = libraries.get(&package) {
                        views.extend(views_in(text));
                        queue.extend(refers(text));
                    }
                }
                views
            })
            .collect()
    }

    /// The `data` document a run evaluates with: the pack's reference data plus `extra`.
    pub fn data_document(&self, extra: Value) -> regorus::Value {
        let mut root = serde_json::Map::new();
        root.insert("reference".into(), Value::Object(self.reference.clone()));
        if let Value::Object(extra) = extra {
            root.extend(extra);
        }
        Value::Object(root).into()
    }

    /// One engine holding every library and control and the `data` document, ready to
    /// clone per worker.
    pub fn engine(&self, data: &regorus::Value) -> Result<regorus::Engine, Problem> {
        let (mut engine, rest): (_, Box<dyn Iterator<Item = &PackFile>>) =
            match &self.parsed_libraries {
                Some(ParsedLibraries(paths, parsed))
                    if paths.iter().eq(self.libraries.iter().map(|l| &l.path)) =>
                {
                    (parsed.clone(), Box::new(std::iter::empty()))
                }
                _ => (new_engine(), Box::new(self.libraries.iter())),
            };
        for file in rest.chain(self.controls.iter().map(|c| &c.file)) {
            engine
                .add_policy(file.path.clone(), file.text.clone())
                .map_err(|err| regorus_problem(Code::PolicyParse, &[file], &err))?;
        }
        engine
            .add_data(data.clone())
            .map_err(|err| Problem::new(Code::PolicyParse, "data", err.to_string()))?;
        Ok(engine)
    }
}

/// An engine with these libraries (all parse: broken ones were left out), or `None` if
/// one does not after all.
fn parse_libraries(libraries: &[PackFile]) -> Option<regorus::Engine> {
    let mut engine = new_engine();
    for library in libraries {
        engine
            .add_policy(library.path.clone(), library.text.clone())
            .ok()?;
    }
    Some(engine)
}

/// Load the controls, in order. Controls in distinct packages load together
/// (`load_controls_together`); when a package is declared again (a user's control
/// overriding ours), each repetition goes to the next group, so an override costs one
/// more engine, not one per control.
fn load_controls(
    base: &regorus::Engine,
    controls: &[PackFile],
    libraries: &[&PackFile],
) -> Vec<Result<Control, Vec<Problem>>> {
    let mut declared: BTreeMap<Option<String>, usize> = BTreeMap::new();
    let group: Vec<usize> = controls
        .iter()
        .map(|file| {
            let count = declared.entry(declared_package(&file.text)).or_default();
            *count += 1;
            *count - 1
        })
        .collect();
    let mut loaded: Vec<Option<Result<Control, Vec<Problem>>>> = vec![None; controls.len()];
    for current in 0..group.iter().max().map_or(0, |last| last + 1) {
        let members: Vec<usize> = (0..controls.len())
            .filter(|&i| group[i] == current)
            .collect();
        let files: Vec<&PackFile> = members.iter().map(|&i| &controls[i]).collect();
        let results: Vec<Result<Control, Vec<Problem>>> =
            match load_controls_together(base, &files, libraries) {
                Some(controls) => controls.into_iter().map(Ok).collect(),
                None => files
                    .iter()
                    .map(|file| load_control(base, file, libraries))
                    .collect(),
            };
        for (index, result) in members.into_iter().zip(results) {
            loaded[index] = Some(result);
        }
    }
    loaded.into_iter().flatten().collect()
}

/// Load every control in one engine holding the libraries and all the controls, so the
/// pack is analysed once instead of once per control (most of the start-up time of a small
/// run). Only when every control loads cleanly there: a compile error can surface while
/// evaluating another control's rule in a shared engine, so on any problem (or two
/// controls in one package) `None` says to load them one by one, each reporting its own
/// problems.
fn load_controls_together(
    base: &regorus::Engine,
    controls: &[&PackFile],
    libraries: &[&PackFile],
) -> Option<Vec<Control>> {
    let mut engine = base.clone();
    let mut packages = Vec::with_capacity(controls.len());
    for file in controls {
        let package = engine
            .add_policy(file.path.clone(), file.text.clone())
            .ok()?;
        packages.push(package);
    }
    let distinct: BTreeSet<&String> = packages.iter().collect();
    if distinct.len() != packages.len() {
        return None;
    }
    controls
        .iter()
        .zip(packages)
        .map(|(file, package)| check_control(&mut engine, file, libraries, package).ok())
        .collect()
}

/// Load one control in an engine of its own (the libraries and it), so its problems are
/// its own.
fn load_control(
    base: &regorus::Engine,
    file: &PackFile,
    libraries: &[&PackFile],
) -> Result<Control, Vec<Problem>> {
    let mut files = vec![file];
    files.extend_from_slice(libraries);
    let mut engine = base.clone();
    let package = engine
        .add_policy(file.path.clone(), file.text.clone())
        .map_err(|err| vec![regorus_problem(Code::PolicyParse, &files, &err)])?;
    check_control(&mut engine, file, libraries, package)
}

/// A control file without a `metadata` object, pointed at its package line.
fn no_metadata(file: &PackFile) -> Problem {
    let at = file.text.find("package").unwrap_or(0);
    Problem::new(
        Code::PolicyMetadata,
        &file.path,
        "control has no `metadata` object",
    )
    .at_span(&file.text, at, "package".len(), "no `metadata := {...}` in this package")
    .with_help("every control declares `metadata := {\"id\": ..., \"title\": ..., ...}`; helpers belong in policies/lib/")
}

/// Read and validate a control's metadata and evaluate its rules once, in `engine`, which
/// holds it (declared as `package`) and the libraries.
fn check_control(
    engine: &mut regorus::Engine,
    file: &PackFile,
    libraries: &[&PackFile],
    package: String,
) -> Result<Control, Vec<Problem>> {
    let mut files = vec![file];
    files.extend_from_slice(libraries);
    let package = package
        .strip_prefix("data.")
        .unwrap_or(&package)
        .to_string();
    if !rule_is_defined(&file.text, "metadata") {
        return Err(vec![no_metadata(file)]);
    }
    let value = engine
        .eval_rule(format!("data.{package}.metadata"))
        .map_err(|err| vec![regorus_problem(Code::PolicyParse, &files, &err)])?;
    if value == regorus::Value::Undefined {
        return Err(vec![no_metadata(file)]);
    }
    let json: Value = serde_json::to_value(&value).map_err(|err| {
        vec![Problem::new(
            Code::PolicyMetadata,
            &file.path,
            err.to_string(),
        )]
    })?;
    let meta = metadata::validate(&json, &file.path, &file.text)?;
    let mut problems = Vec::new();
    let expected = metadata::package_for_id(&meta.id);
    if package != expected {
        let at = file.text.find("package").unwrap_or(0);
        problems.push(
            Problem::new(
                Code::PolicyPackage,
                &file.path,
                format!(
                    "control `{}` must be in package `{expected}`, not `{package}`",
                    meta.id
                ),
            )
            .at_span(
                &file.text,
                at,
                format!("package {package}").len(),
                format!("expected `package {expected}`"),
            )
            .with_help(
                "the package is `regent.` + the id lower-cased with non-alphanumerics as `_`",
            ),
        );
    }
    if !rule_is_defined(&file.text, "violation") {
        problems.push(
            Problem::new(
                Code::PolicyMetadata,
                &file.path,
                "control defines no `violation` rule",
            )
            .with_help(
                "write `violation contains \"reason\" if { ... }`; an empty set means COMPLIANT",
            ),
        );
    }
    // Evaluate the rules once against an empty item to surface compile errors now
    // (unsafe variables, unknown functions, rules or functions that call themselves)
    // instead of on every configuration item. With a short budget of its own: a rule that
    // loops must not hold the loading of the pack (evaluation stops it item by item).
    engine.set_input(regorus::Value::new_object());
    engine.set_execution_timer_config(timer(CHECK_BUDGET));
    for rule in ["violation", "applicable"] {
        if rule == "applicable" && !rule_is_defined(&file.text, "applicable") {
            continue;
        }
        if let Err(err) = engine.eval_rule(format!("data.{package}.{rule}")) {
            let text = err.to_string();
            let over_budget = text.to_ascii_lowercase().contains("exceeded time limit");
            // Runtime errors on an empty input are expected; compile errors are not.
            if !over_budget
                && !text.contains("undefined")
                && text.contains("-->")
                && !text.contains("runtime")
            {
                problems.push(regorus_problem(Code::PolicyParse, &files, &err));
            }
        }
    }
    engine.set_execution_timer_config(timer(LOAD_BUDGET));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Control {
        has_applicable: rule_is_defined(&file.text, "applicable"),
        meta,
        package,
        file: file.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded pack's libraries in an engine, and its controls' files.
    fn embedded() -> (regorus::Engine, Vec<PackFile>, Vec<PackFile>) {
        let files = embedded_files();
        let libraries: Vec<PackFile> = files
            .iter()
            .filter(|f| f.kind == FileKind::Library)
            .cloned()
            .collect();
        let controls = files
            .into_iter()
            .filter(|f| f.kind == FileKind::Control)
            .collect();
        let mut base = new_engine();
        for library in &libraries {
            base.add_policy(library.path.clone(), library.text.clone())
                .unwrap();
        }
        (base, libraries, controls)
    }

    fn summary(control: &Control) -> String {
        format!(
            "{} {} {} {:?}",
            control.package, control.file.path, control.has_applicable, control.meta
        )
    }

    #[test]
    fn controls_loaded_together_are_those_loaded_one_by_one() {
        let (base, libraries, controls) = embedded();
        let libraries: Vec<&PackFile> = libraries.iter().collect();
        let files: Vec<&PackFile> = controls.iter().collect();
        let together = load_controls_together(&base, &files, &libraries)
            .expect("the embedded pack loads in one engine");
        assert_eq!(together.len(), controls.len());
        for (file, loaded) in controls.iter().zip(together) {
            let alone = load_control(&base, file, &libraries).unwrap();
            assert_eq!(summary(&loaded), summary(&alone), "{}", file.path);
        }
    }

    #[test]
    fn a_control_with_a_problem_sends_every_control_to_its_own_engine() {
        let (base, libraries, mut controls) = embedded();
        let libraries: Vec<&PackFile> = libraries.iter().collect();
        let sound = controls[0].clone();
        // Parses, but its violation rule calls a function nothing defines: only evaluating
        // it finds that.
        controls[0].text = sound.text.replacen(
            "violation contains",
            "violation contains \"x\" if no_such_function(input)\n\nviolation contains",
            1,
        );
        assert!(load_control(&base, &controls[0], &libraries).is_err());
        let files: Vec<&PackFile> = controls.iter().collect();
        assert!(load_controls_together(&base, &files, &libraries).is_none());
        // Two controls in one package cannot share an engine.
        assert!(load_controls_together(&base, &[&sound, &sound], &libraries).is_none());
    }

    #[test]
    fn a_package_declared_twice_loads_in_a_second_group() {
        let (base, libraries, controls) = embedded();
        let libraries: Vec<&PackFile> = libraries.iter().collect();
        // The pack, then a copy of it: as when a user's pack overrides every control.
        let twice: Vec<PackFile> = controls.iter().chain(&controls).cloned().collect();
        let loaded = load_controls(&base, &twice, &libraries);
        assert_eq!(loaded.len(), twice.len());
        for (file, loaded) in twice.iter().zip(&loaded) {
            let control = loaded.as_ref().unwrap();
            assert_eq!(control.file.path, file.path);
            assert_eq!(
                summary(control),
                summary(&load_control(&base, file, &libraries).unwrap())
            );
        }
    }
}
