//! Waivers: an accepted risk, for a while. Each names a control, which resources it
//! covers (an id, name or ARN glob, account, region, tags), why, who owns it and when it
//! expires; written as `[[waivers]]` in `regent.toml` or in a `--waivers FILE`:
//!
//! ```toml
//! [[waivers]]
//! control = "S3.5"
//! resource = "arn:aws:s3:::legacy-*"   # id, name or ARN; * matches any run, / included
//! account = "111122223333"             # optional, a glob too
//! region = "eu-*"                      # optional
//! tags = { Environment = "sandbox" }   # optional: every tag must match (values are globs)
//! reason = "Legacy clients cannot send TLS; replaced by the Q3 migration"
//! owner = "platform-team@example.com"
//! expires = 2027-03-31                 # the end of that day, UTC (or a full RFC 3339 time)
//! ```
//!
//! `*` matches any run of characters including `/`, as in the resource ARNs of IAM
//! policies, so `arn:aws:iam::111122223333:role/*` covers roles under every path.

use crate::diagnostics::{Code, Problem};
use crate::policy::Pack;
use globset::{Glob, GlobBuilder, GlobMatcher};
use std::collections::BTreeMap;

/// One waiver, validated.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Its place: `regent.toml` waiver 3 (1-based), for messages and the report.
    pub source: String,
    pub control: String,
    pub resource: Option<Pattern>,
    pub account: Option<Pattern>,
    pub region: Option<Pattern>,
    pub tags: BTreeMap<String, Pattern>,
    pub reason: String,
    pub owner: String,
    /// As written (a date or a time), and the instant it ends, in nanoseconds since the
    /// epoch (a date: the end of that day, UTC).
    pub expires: String,
    pub expires_ns: i64,
}

impl PartialEq for Waiver {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// A glob as written and compiled.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    matcher: GlobMatcher,
}

impl Pattern {
    pub fn matches(&self, text: &str) -> bool {
        self.matcher.is_match(text)
    }
}

fn pattern(text: &str) -> Result<Pattern, String> {
    let glob: Glob = GlobBuilder::new(text)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map_err(|err| format!("`{text}` is not a valid pattern: {}", err.kind()))?;
    Ok(Pattern {
        text: text.to_string(),
        matcher: glob.compile_matcher(),
    })
}

/// Read the `[[waivers]]` of a TOML document. `name` is the file's name for messages.
pub fn read(name: &str, value: &toml::Value, pack: &Pack) -> Result<Vec<Waiver>, Vec<Problem>> {
    let toml::Value::Array(entries) = value else {
        return Err(vec![problem(
            name,
            "`waivers` must be an array of tables".into(),
        )]);
    };
    let mut waivers = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let source = format!("{name} waiver {}", i + 1);
        match waiver(&source, entry, pack) {
            Ok(waiver) => waivers.push(waiver),
            Err(mut more) => problems.append(&mut more),
        }
    }
    if problems.is_empty() {
        Ok(waivers)
    } else {
        Err(problems)
    }
}

/// Read a `--waivers FILE`: only `[[waivers]]`.
pub fn load(path: &std::path::Path, pack: &Pack) -> Result<Vec<Waiver>, Vec<Problem>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![problem(&name, format!("cannot read the waivers: {e}"))])?;
    let table: toml::Table = text.parse().map_err(|err: toml::de::Error| {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().to_string();
        vec![Problem::new(
            Code::ConfigInvalid,
            &name,
            format!("invalid TOML: {message}"),
        )
        .at_span(&text, span.start, span.len().max(1), message)]
    })?;
    let mut problems = Vec::new();
    for key in table.keys().filter(|k| *k != "waivers") {
        problems.push(problem(
            &name,
            format!("unknown key `{key}`: a waivers file holds only [[waivers]]"),
        ));
    }
    let waivers = match table.get("waivers") {
        Some(value) => read(&name, value, pack).unwrap_or_else(|mut more| {
            problems.append(&mut more);
            Vec::new()
        }),
        None => Vec::new(),
    };
    if problems.is_empty() {
        Ok(waivers)
    } else {
        Err(problems)
    }
}

fn problem(source: &str, message: String) -> Problem {
    Problem::new(Code::ConfigInvalid, source, message).with_help(
        "a waiver has control, reason, owner and expires, and optionally resource, account, region and tags (README \"Waivers\")",
    )
}

fn waiver(source: &str, entry: &toml::Value, pack: &Pack) -> Result<Waiver, Vec<Problem>> {
    let toml::Value::Table(table) = entry else {
        return Err(vec![problem(source, "a waiver must be a table".into())]);
    };
    let mut problems = Vec::new();
    let mut text = |key: &str, required: bool| -> Option<String> {
        match table.get(key) {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(toml::Value::String(_)) | None => {
                if required {
                    problems.push(problem(source, format!("`{key}` is required")));
                }
                None
            }
            Some(other) => {
                problems.push(problem(
                    source,
                    format!("`{key}` must be a string, found {}", other.type_str()),
                ));
                None
            }
        }
    };
    let control = text("control", true);
    let reason = text("reason", true);
    let owner = text("owner", true);
    let resource = text("resource", false);
    let account = text("account", false);
    let region = text("region", false);
    for key in table.keys() {
        let known = [
            "control", "reason", "owner", "resource", "account", "region", "tags", "expires",
        ];
        if !known.contains(&key.as_str()) {
            problems.push(problem(source, format!("unknown key `{key}`")));
        }
    }
    let expires = match table.get("expires") {
        Some(value) => match expiry(value) {
            Ok(expires) => Some(expires),
            Err(message) => {
                problems.push(problem(source, message));
                None
            }
        },
        None => {
            problems.push(problem(
                source,
                "`expires` is required: a waiver accepts a risk for a while, not forever".into(),
            ));
            None
        }
    };
    if let Some(id) = &control {
        if pack.control(id).is_none() {
            let ids = pack.controls.iter().map(|c| c.meta.id.as_str());
            let hint = crate::diagnostics::suggest(id, ids);
            problems.push(
                Problem::new(
                    Code::ConfigInvalid,
                    source,
                    format!("the waiver names an unknown control `{id}`"),
                )
                .with_help(format!("{hint}`regent controls` lists the ids")),
            );
        }
    }
    let mut compile = |text: Option<String>| {
        text.and_then(|t| {
            pattern(&t)
                .map_err(|message| problems.push(problem(source, message)))
                .ok()
        })
    };
    let (resource, account, region) = (compile(resource), compile(account), compile(region));
    let tags = match table.get("tags") {
        None => BTreeMap::new(),
        Some(toml::Value::Table(tags)) => tags
            .iter()
            .filter_map(|(key, value)| match value.as_str().map(pattern) {
                Some(Ok(pattern)) => Some((key.clone(), pattern)),
                Some(Err(message)) => {
                    problems.push(problem(source, message));
                    None
                }
                None => {
                    problems.push(problem(
                        source,
                        format!("tag `{key}` must be a string (a glob)"),
                    ));
                    None
                }
            })
            .collect(),
        Some(other) => {
            problems.push(problem(
                source,
                format!("`tags` must be a table, found {}", other.type_str()),
            ));
            BTreeMap::new()
        }
    };
    match (control, reason, owner, expires) {
        (Some(control), Some(reason), Some(owner), Some((expires, expires_ns)))
            if problems.is_empty() =>
        {
            Ok(Waiver {
                source: source.to_string(),
                control,
                resource,
                account,
                region,
                tags,
                reason,
                owner,
                expires,
                expires_ns,
            })
        }
        _ => Err(problems),
    }
}

/// `expires`: a TOML date (the end of that day, UTC), a TOML date-time with an offset, or
/// the same written as a string.
fn expiry(value: &toml::Value) -> Result<(String, i64), String> {
    let text = match value {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(format!(
                "`expires` must be a date such as 2027-03-31, found {}",
                other.type_str()
            ))
        }
    };
    if let Ok(date) = chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        let end = date
            .and_hms_nano_opt(23, 59, 59, 999_999_999)
            .map(|t| t.and_utc().timestamp_nanos_opt().unwrap_or(i64::MAX));
        return end.map(|ns| (text, ns)).ok_or_else(|| "not a date".into());
    }
    chrono::DateTime::parse_from_rfc3339(&text)
        .map(|t| (text.clone(), t.timestamp_nanos_opt().unwrap_or(i64::MAX)))
        .map_err(|_| {
            format!("`expires` = `{text}` is neither a date (2027-03-31) nor an RFC 3339 time")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> Pack {
        Pack::load(true, &[])
    }

    fn parse(text: &str) -> Result<Vec<Waiver>, Vec<Problem>> {
        let table: toml::Table = text.parse().expect("TOML");
        read("regent.toml", &table["waivers"], &pack())
    }

    #[test]
    fn a_waiver_reads_with_its_globs_and_a_date_ends_at_the_end_of_that_day() {
        let waivers = parse(
            "[[waivers]]\ncontrol = \"S3.5\"\nresource = \"arn:aws:s3:::legacy-*\"\nregion = \"eu-*\"\ntags = { Environment = \"sand*\" }\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-03-31\n",
        )
        .expect("valid");
        let w = &waivers[0];
        assert!(w
            .resource
            .as_ref()
            .unwrap()
            .matches("arn:aws:s3:::legacy-logs"));
        assert!(!w
            .resource
            .as_ref()
            .unwrap()
            .matches("arn:aws:s3:::new-logs"));
        assert!(w.region.as_ref().unwrap().matches("eu-west-1"));
        assert!(w.tags["Environment"].matches("sandbox"));
        let end = chrono::DateTime::parse_from_rfc3339("2027-03-31T23:59:59.999999999Z")
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap();
        assert_eq!(w.expires_ns, end);
        assert_eq!(w.source, "regent.toml waiver 1");
    }

    #[test]
    fn a_star_crosses_slashes_as_in_iam_arns() {
        let p = pattern("arn:aws:iam::111122223333:role/*").unwrap();
        assert!(p.matches("arn:aws:iam::111122223333:role/service-role/deploy"));
        assert!(!p.matches("arn:aws:iam::444455556666:role/deploy"));
    }

    #[test]
    fn every_problem_of_every_waiver_is_reported_at_once() {
        let problems = parse(
            "[[waivers]]\ncontrol = \"S3.55\"\nreason = \"\"\nowner = \"o\"\nexpires = \"soon\"\ncolour = \"red\"\n\n[[waivers]]\ncontrol = \"S3.5\"\nreason = \"r\"\nowner = \"o\"\n",
        )
        .expect_err("invalid");
        let text: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.source, p.message))
            .collect();
        let all = text.join("\n");
        assert!(all.contains("waiver 1: `reason` is required"), "{all}");
        assert!(all.contains("waiver 1: unknown key `colour`"), "{all}");
        assert!(all.contains("neither a date"), "{all}");
        assert!(all.contains("unknown control `S3.55`"), "{all}");
        assert!(all.contains("waiver 2: `expires` is required"), "{all}");
    }
}
