//! `regent remediate export`: the selected controls as AWS Config rules and remediation
//! configurations (`remediation::export`), printed for review or deployment.

use crate::commands::{print_problems, selected_pack, Output};
use crate::policy::select::Selection;
use crate::remediation::export::{self, ExportOptions, Format};
use crate::ExitStatus;
use std::path::PathBuf;

pub struct ExportSettings {
    pub format: Format,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
    pub selection: Selection,
    pub config: Option<PathBuf>,
    pub set: Vec<(String, String)>,
    pub custom_rule: bool,
    pub rule_prefix: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub output: Option<PathBuf>,
}

pub fn run(settings: ExportSettings) -> miette::Result<ExitStatus> {
    let output = Output::open(settings.output.as_deref())?;
    let (pack, config) = match selected_pack(
        settings.builtin,
        &settings.policy_dirs,
        settings.config.as_deref(),
        &settings.selection,
        true,
    ) {
        Ok(selected) => selected,
        Err(status) => return Ok(status),
    };
    let mut options = ExportOptions::new(settings.format);
    options.rule_prefix = settings.rule_prefix;
    options.custom_rule = settings.custom_rule;
    options.account = settings.account;
    options.region = settings.region;
    options.parameters = config.parameters;
    options.settings = config.settings;
    for (name, value) in settings.set {
        options
            .settings
            .insert(name, serde_json::Value::String(value));
    }
    match export::export(&pack, &options) {
        Ok(made) => {
            output.write(|out| {
                out.write_all(made.text.as_bytes())?;
                if !made.text.ends_with('\n') {
                    out.write_all(b"\n")?;
                }
                Ok(())
            })?;
            for left in &made.left_out {
                eprintln!(
                    "regent: {}: remediation not exported: {}",
                    left.control_id, left.reason
                );
            }
            let with_runbook = pack
                .controls
                .iter()
                .filter(|c| c.meta.remediation.is_some())
                .count();
            eprintln!(
                "regent: {} rules exported; of the {with_runbook} controls with a runbook, {} with their remediation and {} without (above)",
                pack.controls.len(),
                with_runbook - made.left_out.len(),
                made.left_out.len()
            );
            Ok(ExitStatus::Success)
        }
        Err(problems) => {
            print_problems(&problems);
            Ok(ExitStatus::Error)
        }
    }
}
