//! Policy tests: fixture folders (`fixtures/<ID>/<verdict>/<case>.json`) and Rego unit
//! tests (`test_*` rules in `*_test.rego`). Used by `regent test` and by our own test suite.

use crate::diagnostics::Code;
use crate::eval::{self, rests_on_absence, Compliance, EngineKind, EvalOptions, PARTIAL_INPUT};
use crate::pipeline::{self, Options, Quiet};
use crate::policy::{declared_package, Pack, PackFile};
use crate::report::ResultRow;
use crate::source::{self, Completeness, Entry};
use regorus::coverage::Report as CoverageReport;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One fixture file and the verdict its folder promises.
#[derive(Debug, Clone)]
pub struct FixtureCase {
    pub control_id: String,
    pub expected: Compliance,
    pub path: PathBuf,
    /// `<ID>/<verdict>/<file>`, what `--run` matches.
    pub name: String,
}

/// The outcome of one test.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: String,
    pub passed: bool,
    pub expected: String,
    pub actual: String,
    /// Why it failed, or the annotations of the results.
    pub detail: String,
}

fn verdict_folder(name: &str) -> Option<Compliance> {
    match name {
        "compliant" => Some(Compliance::Compliant),
        "non_compliant" => Some(Compliance::NonCompliant),
        "not_applicable" => Some(Compliance::NotApplicable),
        _ => None,
    }
}

/// The fixture cases under `dir`, sorted; folders starting with `_` and `demo` are not
/// control fixtures.
pub fn fixture_cases(dir: &Path) -> Vec<FixtureCase> {
    let mut cases = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(3)
        .max_depth(3)
        .sort_by_file_name();
    for entry in walker.into_iter().flatten() {
        let path = entry.path();
        if !entry.file_type().is_file()
            || !(source::is_json_name(&entry.file_name().to_string_lossy())
                || source::is_yaml_name(&entry.file_name().to_string_lossy()))
        {
            continue;
        }
        let relative = path.strip_prefix(dir).unwrap_or(path);
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let [control_id, verdict, file] = parts.as_slice() else {
            continue;
        };
        if control_id.starts_with('_') || control_id == "demo" || control_id == "templates" {
            continue;
        }
        let Some(expected) = verdict_folder(verdict) else {
            continue;
        };
        cases.push(FixtureCase {
            control_id: control_id.clone(),
            expected,
            path: path.to_path_buf(),
            name: format!("{control_id}/{verdict}/{file}"),
        });
    }
    cases
}

/// Every case, in parallel (each is two or three whole runs), with the coverage of all
/// of them when asked; the results come back in the cases' order. `done` is called as
/// each case finishes (for a progress display).
pub fn run_fixtures(
    pack: &Pack,
    cases: &[&FixtureCase],
    coverage: bool,
    budget: Duration,
    done: &(dyn Fn() + Sync),
) -> (Vec<(CaseResult, Vec<ResultRow>)>, Option<Coverage>) {
    use rayon::prelude::*;
    let runs: Vec<_> = cases
        .par_iter()
        .map(|case| {
            let mut covered = coverage.then(Coverage::default);
            let outcome = run_fixture(pack, case, covered.as_mut(), budget);
            done();
            (outcome, covered)
        })
        .collect();
    let mut total = coverage.then(Coverage::default);
    let mut outcomes = Vec::with_capacity(runs.len());
    for (outcome, covered) in runs {
        if let (Some(total), Some(covered)) = (total.as_mut(), covered) {
            total.merge(covered);
        }
        outcomes.push(outcome);
    }
    (outcomes, total)
}

/// Evaluate one fixture with only its control and check every result against the folder.
/// A fixture describes the whole account, so it is judged as a complete record; when the
/// control declares that the folder's verdict rests on a resource being absent
/// (`needs_complete`), the fixture is run again as a partial record, as a history file or a
/// single piped item would be, and every result must then be NOT_APPLICABLE for that.
pub fn run_fixture(
    pack: &Pack,
    case: &FixtureCase,
    coverage: Option<&mut Coverage>,
    budget: Duration,
) -> (CaseResult, Vec<ResultRow>) {
    let fail = |actual: &str, detail: String| CaseResult {
        name: case.name.clone(),
        passed: false,
        expected: case.expected.as_str().to_string(),
        actual: actual.to_string(),
        detail,
    };
    let Some(control) = pack.control(&case.control_id) else {
        return (
            fail(
                "no such control",
                format!("no control with id {} in the pack", case.control_id),
            ),
            Vec::new(),
        );
    };
    let only = pack.only(&control.meta.id);
    // The VM runs the fixture as `regent eval` would; the interpreter runs it again (with
    // coverage when asked) and both must agree, so a VM compiler difference cannot hide.
    let run = |eval: EvalOptions| {
        let entries = std::iter::once(Entry::Document(source::fs::file(case.path.clone())));
        let options = Options {
            eval,
            assume_complete: true,
            ..Options::default()
        };
        pipeline::run(&only, entries, &options, &Quiet)
    };
    let outcome = run(EvalOptions {
        eval_timeout: budget,
        ..EvalOptions::default()
    });
    let reference = run(EvalOptions {
        coverage: coverage.is_some(),
        engine: EngineKind::Interpreter,
        eval_timeout: budget,
        ..EvalOptions::default()
    });
    if let (Some(total), Some(report)) = (coverage, reference.coverage.as_ref()) {
        total.add(report);
    }
    let (report, reference) = (outcome.report, reference.report);
    let problems = report.errors.iter().chain(&reference.errors);
    if let Some(problem) = problems
        .clone()
        .find(|p| p.code.as_str().starts_with("input::"))
    {
        return (fail("unloadable", problem.to_string()), Vec::new());
    }
    // An ERROR result is a verdict like the others (shown below); any other problem is not.
    if report.summary.errors + reference.summary.errors == 0 {
        if let Some(problem) = problems.clone().next() {
            return (fail("error", problem.to_string()), report.results);
        }
    }
    let annotations = summary(&report.results);
    if annotations != summary(&reference.results) {
        let detail = format!(
            "the VM and the interpreter disagree\nVM:\n  {}\ninterpreter:\n  {}",
            annotations.join("\n  "),
            summary(&reference.results).join("\n  ")
        );
        return (fail("engines disagree", detail), report.results);
    }
    let verdicts: BTreeSet<&str> = report
        .results
        .iter()
        .map(|r| r.compliance_type.as_str())
        .collect();
    let actual = if verdicts.is_empty() {
        "no result".to_string()
    } else {
        verdicts.into_iter().collect::<Vec<_>>().join(", ")
    };
    let passed = !report.results.is_empty()
        && report
            .results
            .iter()
            .all(|r| r.compliance_type == case.expected);
    let mut result = CaseResult {
        name: case.name.clone(),
        passed,
        expected: case.expected.as_str().to_string(),
        actual,
        detail: annotations.join("\n"),
    };
    if passed && rests_on_absence(control, case.expected) {
        if let Some((actual, detail)) = judged_as_partial(&only, case, budget) {
            result.passed = false;
            result.actual = actual;
            result.detail = detail;
        }
    }
    (result, report.results)
}

/// Run `case` as a partial record (a snapshot file too): every result must be
/// NOT_APPLICABLE for the input being partial. What came out instead, and the results, if
/// not.
fn judged_as_partial(
    only: &Pack,
    case: &FixtureCase,
    budget: Duration,
) -> Option<(String, String)> {
    let mut document = source::fs::file(case.path.clone());
    document.completeness = Completeness::Partial;
    let options = Options {
        eval: EvalOptions {
            eval_timeout: budget,
            ..EvalOptions::default()
        },
        ..Options::default()
    };
    let run = pipeline::run(
        only,
        std::iter::once(Entry::Document(document)),
        &options,
        &Quiet,
    );
    let withheld = |r: &ResultRow| {
        r.compliance_type == Compliance::NotApplicable
            && r.annotation
                .as_deref()
                .is_some_and(|a| a.starts_with(PARTIAL_INPUT))
    };
    let results = &run.report.results;
    if !results.is_empty() && results.iter().all(withheld) {
        return None;
    }
    let verdicts: BTreeSet<&str> = results.iter().map(|r| r.compliance_type.as_str()).collect();
    let actual = format!(
        "{} as a partial record",
        verdicts.into_iter().collect::<Vec<_>>().join(", ")
    );
    let detail = format!(
        "the control's needs_complete lists {}, so as a partial record (a history file, a single item) every result must be NOT_APPLICABLE ({PARTIAL_INPUT} ...):\n  {}",
        case.expected.as_str(),
        summary(results).join("\n  ")
    );
    Some((actual, detail))
}

/// One line per result: resource, verdict, annotation.
fn summary(results: &[ResultRow]) -> Vec<String> {
    results
        .iter()
        .map(|r| {
            format!(
                "{} {}: {}",
                r.subject.resource_id,
                r.compliance_type.as_str(),
                r.annotation.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// A Rego unit test: a `test_*` rule in a `*_test.rego` file.
#[derive(Debug, Clone)]
pub struct RegoTest {
    pub package: String,
    pub rule: String,
    pub file: PackFile,
}

impl RegoTest {
    pub fn name(&self) -> String {
        format!("{}.{}", self.package, self.rule)
    }
}

/// The `test_*` rules declared in the pack's test files.
pub fn rego_tests(pack: &Pack) -> Vec<RegoTest> {
    let mut tests = Vec::new();
    for file in &pack.tests {
        let Some(package) = declared_package(&file.text) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for line in file.text.lines() {
            if !line.starts_with("test_") {
                continue;
            }
            let rule: String = line
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if seen.insert(rule.clone()) {
                tests.push(RegoTest {
                    package: package.clone(),
                    rule,
                    file: file.clone(),
                });
            }
        }
    }
    tests
}

/// Run the Rego unit tests with every library and control loaded, one engine per file.
pub fn run_rego_tests(
    pack: &Pack,
    tests: &[RegoTest],
    coverage: Option<&mut Coverage>,
    budget: Duration,
) -> Vec<CaseResult> {
    let mut results = Vec::new();
    let mut coverage = coverage;
    let mut by_file: BTreeMap<&str, Vec<&RegoTest>> = BTreeMap::new();
    for test in tests {
        by_file
            .entry(test.file.path.as_str())
            .or_default()
            .push(test);
    }
    // The pack is compiled once; each test file is added to a clone of it.
    let data = pack.data_document(serde_json::json!({
        "parameters": eval::effective_parameters(pack, &EvalOptions::default())
    }));
    let base = pack.engine(&data).map(|mut engine| {
        // Each test rule is one evaluation with the same budget as a control's.
        engine.set_execution_timer_config(eval::timer(budget));
        engine
    });
    for tests in by_file.values() {
        let file = &tests[0].file;
        let mut engine = match &base {
            Ok(engine) => engine.clone(),
            Err(problem) => {
                results.extend(
                    tests
                        .iter()
                        .map(|t| failed(t, "error", problem.to_string())),
                );
                continue;
            }
        };
        if let Err(err) = engine.add_policy(file.path.clone(), file.text.clone()) {
            let problem = crate::policy::regorus_problem(Code::PolicyParse, &[file], &err);
            results.extend(
                tests
                    .iter()
                    .map(|t| failed(t, "error", problem.to_string())),
            );
            continue;
        }
        engine.set_enable_coverage(coverage.is_some());
        for test in tests {
            let outcome = engine.eval_rule(format!("data.{}.{}", test.package, test.rule));
            results.push(match outcome {
                Ok(regorus::Value::Bool(true)) => CaseResult {
                    name: test.name(),
                    passed: true,
                    expected: "true".into(),
                    actual: "true".into(),
                    detail: String::new(),
                },
                Ok(regorus::Value::Undefined) => {
                    failed(test, "undefined", "the rule's body did not hold".into())
                }
                Ok(other) => failed(
                    test,
                    &other.to_json_str().unwrap_or_default(),
                    String::new(),
                ),
                Err(err) => {
                    let problem = crate::policy::regorus_problem(Code::EvalRuntime, &[file], &err);
                    failed(test, "error", problem.to_string())
                }
            });
        }
        if let (Some(total), Ok(report)) = (coverage.as_deref_mut(), engine.get_coverage_report()) {
            total.add(&report);
        }
    }
    results
}

fn failed(test: &RegoTest, actual: &str, detail: String) -> CaseResult {
    CaseResult {
        name: test.name(),
        passed: false,
        expected: "true".into(),
        actual: actual.to_string(),
        detail,
    }
}

/// Line coverage merged over many engines: a line is covered if any run covered it.
#[derive(Debug, Default)]
pub struct Coverage {
    files: BTreeMap<String, (BTreeSet<u32>, BTreeSet<u32>)>,
}

impl Coverage {
    /// Another run's lines, as if they had been added here.
    pub fn merge(&mut self, other: Coverage) {
        for (path, (covered, not_covered)) in other.files {
            let entry = self.files.entry(path).or_default();
            entry.0.extend(covered);
            entry.1.extend(not_covered);
        }
    }

    pub fn add(&mut self, report: &CoverageReport) {
        for file in &report.files {
            let entry = self.files.entry(file.path.clone()).or_default();
            entry.0.extend(file.covered.iter().copied());
            entry.1.extend(file.not_covered.iter().copied());
        }
    }

    /// (covered, coverable) lines of one file.
    pub fn lines(&self, path: &str) -> Option<(usize, usize)> {
        let (covered, not_covered) = self.files.get(path)?;
        let missed = not_covered.difference(covered).count();
        Some((covered.len(), covered.len() + missed))
    }

    /// The line numbers of `path` that no run reached.
    pub fn missed(&self, path: &str) -> Vec<u32> {
        self.files
            .get(path)
            .map(|(covered, not_covered)| not_covered.difference(covered).copied().collect())
            .unwrap_or_default()
    }
}
