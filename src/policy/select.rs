//! Choosing which controls run: `--standard`, `--control`, `--exclude-control`, and the
//! controls regent.toml disables.

use super::standards::{standard_key, STANDARDS};
use super::Pack;
use crate::diagnostics::{suggest, Code, Problem};

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
                None => problems.push(unknown_standard("--standard", name)),
            }
        }
        let resolve = |flag: &str, ids: &[String], problems: &mut Vec<Problem>| -> Vec<String> {
            ids.iter()
                .filter_map(|id| match pack.control(id) {
                    Some(control) => Some(control.meta.id.clone()),
                    None => {
                        problems.push(unknown_control(pack, flag, id));
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

/// An unknown standard, with the nearest names.
pub fn unknown_standard(flag: &str, name: &str) -> Problem {
    let names = STANDARDS
        .iter()
        .flat_map(|(key, aliases)| std::iter::once(*key).chain(aliases.iter().copied()));
    let hint = suggest(name, names);
    Problem::new(Code::ConfigInvalid, flag, format!("unknown standard `{name}`")).with_help(format!(
        "{hint}the standards are afsbp, cis-1.2, cis-1.4, cis-3.0 (or their full keys, e.g. cis-aws-foundations-benchmark/v1.4.0)"
    ))
}

/// An unknown control id, with the nearest ids of the pack.
pub fn unknown_control(pack: &Pack, flag: &str, id: &str) -> Problem {
    let ids = pack.controls.iter().map(|c| c.meta.id.as_str());
    let hint = suggest(id, ids);
    Problem::new(Code::ConfigInvalid, flag, format!("unknown control `{id}`"))
        .with_help(format!("{hint}`regent controls` lists the ids"))
}
