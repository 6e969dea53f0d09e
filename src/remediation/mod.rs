//! From finding to fix (README "Remediation"): the plan of what would run, reviewed before
//! anything does; the export that hands the controls' runbooks to AWS Config; the run of a
//! confirmed plan through SSM Automation with its audit log. Dry run is the default
//! everywhere.

pub mod apply;
pub mod audit;
pub mod export;
pub mod iam;
pub mod notify;
pub mod plan;
