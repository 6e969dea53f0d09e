//! Choosing which controls run: `--standard`, `--control`, `--exclude-control`, and the
//! controls regent.toml disables.

use super::standards::standard_key;
use super::Pack;
use crate::diagnostics::{Code, Problem};

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
