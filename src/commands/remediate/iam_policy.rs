//! `regent remediate iam-policy`: the IAM policy the automation role needs for the
//! runbooks of a plan, or of the selected controls (`remediation::iam`).

use crate::commands::{load_pack, print_problems};
use crate::policy::select::Selection;
use crate::remediation::{iam, plan};
use crate::ExitStatus;
use std::path::PathBuf;

/// IAM's limit on a managed policy, counted without white space.
const MANAGED_POLICY_MAX: usize = 6144;

fn compact_size(policy: &serde_json::Value) -> usize {
    policy
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

pub struct IamPolicySettings {
    pub plan: Option<PathBuf>,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
    pub selection: Selection,
}

pub fn run(settings: IamPolicySettings) -> miette::Result<ExitStatus> {
    let mut pack = load_pack(settings.builtin, &settings.policy_dirs);
    if !pack.problems.is_empty() {
        return Ok(ExitStatus::Error);
    }
    let runbooks = match &settings.plan {
        Some(path) => match plan::read(path) {
            Ok(plan) => iam::runbooks_of_plan(&plan),
            Err(problem) => {
                print_problems(&[problem]);
                return Ok(ExitStatus::Error);
            }
        },
        None => {
            if let Err(problems) = settings.selection.apply(&mut pack, &[]) {
                print_problems(&problems);
                return Ok(ExitStatus::Error);
            }
            iam::runbooks_of_controls(&pack)
        }
    };
    match iam::policy(&pack, &runbooks) {
        Ok(policy) => {
            let text = serde_json::to_string_pretty(&policy).unwrap_or_default();
            println!("{text}");
            eprintln!("regent: the policy covers {} runbooks", runbooks.len());
            let size = compact_size(&policy);
            if size > MANAGED_POLICY_MAX {
                eprintln!("regent: warning: the policy is {size} characters without spaces, more than the {MANAGED_POLICY_MAX} an IAM managed policy may have: split it by runbook (--plan of a narrower plan, or --control), or attach its statements as several policies");
            }
            Ok(ExitStatus::Success)
        }
        Err(problems) => {
            print_problems(&problems);
            Ok(ExitStatus::Error)
        }
    }
}
