//! `regent remediate`: plan (an evaluation that writes the plan), export, apply, verify,
//! iam-policy. Each holds only the command line's part; the steps are `remediation::*`.

mod apply;
mod export;
mod iam_policy;
mod verify;

pub use apply::ApplySettings;
pub use export::ExportSettings;
pub use iam_policy::IamPolicySettings;
pub use verify::VerifySettings;

use super::eval::EvalSettings;
use crate::ExitStatus;

pub enum RemediateSettings {
    Plan(Box<EvalSettings>),
    Export(ExportSettings),
    Apply(Box<ApplySettings>),
    Verify(Box<VerifySettings>),
    IamPolicy(IamPolicySettings),
}

pub fn run(settings: RemediateSettings) -> miette::Result<ExitStatus> {
    match settings {
        RemediateSettings::Plan(settings) => super::eval::run(*settings),
        RemediateSettings::Export(settings) => export::run(settings),
        RemediateSettings::Apply(settings) => apply::run(*settings),
        RemediateSettings::Verify(settings) => verify::run(*settings),
        RemediateSettings::IamPolicy(settings) => iam_policy::run(settings),
    }
}
