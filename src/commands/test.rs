//! `regent test`: run a pack's fixture folders and its Rego `test_*` rules, with line
//! coverage per policy. The counterpart of `opa test` for regent packs.

use super::progress::Progress;
use super::{load_pack, print_problems, write_output};
use crate::diagnostics::printable;
use crate::diagnostics::{Code, Problem};
use crate::testing::{self, CaseResult, Coverage};
use crate::ExitStatus;
use std::path::PathBuf;

pub struct TestSettings {
    /// Holds `policies/` and `fixtures/` (or is itself the policy directory).
    pub dir: PathBuf,
    pub policies: Option<PathBuf>,
    pub fixtures: Option<PathBuf>,
    pub run: Option<regex::Regex>,
    pub verbose: bool,
    /// The budget of one evaluation (a fixture item's control, a Rego test).
    pub budget: std::time::Duration,
    /// Show progress on stderr.
    pub progress: bool,
}

pub fn run(settings: TestSettings) -> miette::Result<ExitStatus> {
    let dir = if settings.dir == std::path::Path::new(".") {
        PathBuf::new()
    } else {
        settings.dir.clone()
    };
    let policies = settings.policies.clone().unwrap_or_else(|| {
        let nested = dir.join("policies");
        if nested.is_dir() {
            nested
        } else {
            settings.dir.clone()
        }
    });
    let fixtures = settings
        .fixtures
        .clone()
        .unwrap_or_else(|| dir.join("fixtures"));
    // The built-in pack stays loaded so user policies can import regent.lib.*; a user
    // control with a built-in id replaces ours.
    let pack = load_pack(true, std::slice::from_ref(&policies));
    let selected = |name: &str| settings.run.as_ref().is_none_or(|re| re.is_match(name));

    let mut coverage = Coverage::default();
    let mut results: Vec<CaseResult> = Vec::new();
    let all_cases = testing::fixture_cases(&fixtures);
    let all_tests: Vec<_> = testing::rego_tests(&pack)
        .into_iter()
        .filter(|t| t.file.user)
        .collect();
    let cases: Vec<_> = all_cases.iter().filter(|c| selected(&c.name)).collect();
    let tests: Vec<_> = all_tests
        .iter()
        .filter(|t| selected(&t.name()))
        .cloned()
        .collect();
    let progress = Progress::new(settings.progress);
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let (outcomes, fixture_coverage) =
        testing::run_fixtures(&pack, &cases, true, settings.budget, &|| {
            let done = finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress.step(done, cases.len(), "fixtures");
        });
    results.extend(outcomes.into_iter().map(|(result, _)| result));
    if let Some(covered) = fixture_coverage {
        coverage.merge(covered);
    }
    progress.say(format!("{} Rego tests", tests.len()));
    results.extend(testing::run_rego_tests(
        &pack,
        &tests,
        Some(&mut coverage),
        settings.budget,
    ));
    progress.finish();
    if results.is_empty() {
        let (what, help) = if all_cases.is_empty() && all_tests.is_empty() {
            (
                format!(
                    "no tests ran: {} holds no fixture folders and {} no *_test.rego files",
                    fixtures.display(),
                    policies.display()
                ),
                "a fixture is <ID>/compliant|non_compliant|not_applicable/<name>.json under the fixtures directory; a Rego test is a test_* rule in a *_test.rego file",
            )
        } else {
            (
                format!(
                    "no tests ran: --run matched none of the {} fixtures and {} Rego tests",
                    all_cases.len(),
                    all_tests.len()
                ),
                "fixture names are <ID>/<verdict>/<file>, Rego tests <package>.<rule>; --verbose without --run lists them all",
            )
        };
        print_problems(&[Problem::new(Code::TestNothingRan, "regent test", what).with_help(help)]);
    }

    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    write_output(None, |out| {
        for result in &results {
            if result.passed {
                if settings.verbose {
                    writeln!(out, "PASS  {}", printable(&result.name))?;
                }
                continue;
            }
            writeln!(out, "FAIL  {}", printable(&result.name))?;
            writeln!(
                out,
                "      expected {}, got {}",
                result.expected, result.actual
            )?;
            for line in result.detail.lines() {
                writeln!(out, "      {}", printable(line))?;
            }
        }
        let user_files: Vec<_> = pack
            .controls
            .iter()
            .map(|c| &c.file)
            .chain(&pack.libraries)
            .filter(|f| f.user)
            .collect();
        if !user_files.is_empty() && !results.is_empty() {
            writeln!(out, "\nCoverage (policy lines run by the tests)")?;
            let mut paths: Vec<&str> = user_files.iter().map(|f| f.path.as_str()).collect();
            paths.sort();
            for path in paths {
                match coverage.lines(path) {
                    Some((covered, total)) if total > 0 => {
                        let missed = coverage.missed(path);
                        let missed_text = if missed.is_empty() {
                            String::new()
                        } else {
                            let list: Vec<String> =
                                missed.iter().take(12).map(u32::to_string).collect();
                            format!(
                                "  not run: {}{}",
                                list.join(", "),
                                if missed.len() > 12 { ", ..." } else { "" }
                            )
                        };
                        writeln!(
                            out,
                            "  {:>6.1}%  {path} ({covered}/{total}){missed_text}",
                            100.0 * covered as f64 / total as f64
                        )?;
                    }
                    _ => writeln!(out, "  {:>6}   {path} (not run by any test)", "-")?,
                }
            }
        }
        writeln!(out, "\n{passed} passed, {failed} failed")
    })?;
    Ok(if !pack.problems.is_empty() {
        ExitStatus::Error
    } else if failed > 0 || results.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
