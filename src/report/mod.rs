//! The report: every result sorted, the controls that ran, the summary that accounts for
//! every item read, the errors. Pure data, everything a sink needs: the sinks render it
//! and never see the pack. `ReportBuilder` makes one.

pub mod baseline;
mod builder;
pub mod merge;
pub mod read;
pub mod remediation;
mod schema;
pub mod waivers;

pub use builder::ReportBuilder;
pub use remediation::{Parameters, ResolvedRemediation};
pub use schema::{
    reason_kind, BaselineCounts, BaselineState, OriginText, Report, ResolvedFinding, ResultRow,
    ShardRecord, Summary, WaiverNote, WaiverRecord, WaiverStatus,
};
