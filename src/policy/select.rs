//! Choosing which controls run: `--standard`, `--control`, `--exclude-control`, and the
//! controls regent.toml disables.

use super::Pack;
use crate::diagnostics::{Code, Problem};

pub const STANDARDS: &[(&str, &[&str])] = &[
    (
        "aws-foundational-security-best-practices/v1.0.0",
        &["afsbp", "fsbp", "aws-foundational-security-best-practices"],
    ),
    (
        "cis-aws-foundations-benchmark/v1.2.0",
        &["cis-1.2", "cis1.2", "cis-1.2.0", "cis-aws-1.2"],
    ),
    (
        "cis-aws-foundations-benchmark/v1.4.0",
        &["cis-1.4", "cis1.4", "cis-1.4.0", "cis-aws-1.4"],
    ),
    (
        "cis-aws-foundations-benchmark/v3.0.0",
        &["cis-3.0", "cis3.0", "cis-3.0.0", "cis-aws-3.0", "cis-3"],
    ),
];

/// The standard key for a name or alias (`cis-1.4`, `CIS 1.4`, `afsbp`, the full key).
pub fn standard_key(name: &str) -> Option<&'static str> {
    let wanted = name.trim().to_ascii_lowercase().replace(' ', "-");
    STANDARDS
        .iter()
        .find(|(key, aliases)| *key == wanted || aliases.contains(&wanted.as_str()))
        .map(|(key, _)| *key)
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub standards: Vec<String>,
    pub controls: Vec<String>,
    pub excluded: Vec<String>,
}

impl Selection {
    /// Keep only the selected controls. Unknown ids and standards are errors: a typo must
    /// not silently evaluate nothing.
    pub fn apply(&self, pack: &mut Pack, disabled: &[String]) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        let mut standards = Vec::new();
        for name in &self.standards {
            match standard_key(name) {
                Some(key) => standards.push(key),
                None => problems.push(
                    Problem::new(Code::ConfigInvalid, "--standard", format!("unknown standard `{name}`"))
                        .with_help("one of afsbp, cis-1.2, cis-1.4, cis-3.0 (or the full key, e.g. cis-aws-foundations-benchmark/v1.4.0)"),
                ),
            }
        }
        let resolve = |flag: &str, ids: &[String], problems: &mut Vec<Problem>| -> Vec<String> {
            ids.iter()
                .filter_map(|id| match pack.control(id) {
                    Some(control) => Some(control.meta.id.clone()),
                    None => {
                        problems.push(
                            Problem::new(
                                Code::ConfigInvalid,
                                flag,
                                format!("unknown control `{id}`"),
                            )
                            .with_help("`regent controls` lists the ids"),
                        );
                        None
                    }
                })
                .collect()
        };
        let controls = resolve("--control", &self.controls, &mut problems);
        let excluded = resolve("--exclude-control", &self.excluded, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        pack.retain(|c| {
            (standards.is_empty() || standards.iter().any(|s| c.meta.standards.contains_key(*s)))
                && (controls.is_empty() || controls.contains(&c.meta.id))
                && !excluded.contains(&c.meta.id)
                && !disabled.contains(&c.meta.id)
        });
        Ok(())
    }
}
