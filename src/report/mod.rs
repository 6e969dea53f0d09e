//! The report: every result sorted, the controls that ran, the summary that accounts for
//! every item read, the errors. Pure data, everything a sink needs: the sinks render it
//! and never see the pack. `ReportBuilder` makes one.

mod builder;
pub mod merge;
pub mod read;
pub mod remediation;
mod schema;

pub use builder::ReportBuilder;
pub use remediation::{Parameters, ResolvedRemediation};
pub use schema::{reason_kind, OriginText, Report, ResultRow, ShardRecord, Summary};
