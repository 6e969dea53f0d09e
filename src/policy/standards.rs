//! The standards the pack's controls map to, with the names users may give them.

/// Each standard's key (as metadata writes it) and its aliases (as `--standard` takes it).
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
