//! From finding to fix (README "Remediation"): the plan of what would run, reviewed before
//! anything does. Dry run is the default everywhere.

pub mod plan;
