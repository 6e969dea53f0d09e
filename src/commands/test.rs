//! `regent test`: run a pack's fixture folders and its Rego `test_*` rules, with line
//! coverage per policy. The counterpart of `opa test` for regent packs.

use super::{load_pack, write_output};
use crate::diagnostics::printable;
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
    for case in testing::fixture_cases(&fixtures) {
        if selected(&case.name) {
            results
                .push(testing::run_fixture(&pack, &case, Some(&mut coverage), settings.budget).0);
        }
    }
    let tests: Vec<_> = testing::rego_tests(&pack)
        .into_iter()
        .filter(|t| t.file.user && selected(&t.name()))
        .collect();
    results.extend(testing::run_rego_tests(
        &pack,
        &tests,
        Some(&mut coverage),
        settings.budget,
    ));

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
        if !user_files.is_empty() {
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
