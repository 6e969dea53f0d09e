//! SARIF 2.1.0 (`--format sarif`), for code scanning (GitHub's, or any SARIF viewer): one
//! run of the tool `regent`.
//!
//! - **Rules**: one per control that ran (`report.controls`, in natural id order): id, a
//!   friendly name, the title and description, help (what it checks, its standards, the
//!   runbook and its parameters) as text and Markdown, `helpUri` (the control's page in the
//!   Security Hub user guide, when it has one), `defaultConfiguration.level` and the
//!   properties GitHub reads: `security-severity` and `tags` (`security` and the control's
//!   standards).
//! - **Results**: one per NON_COMPLIANT result the view shows, in report order, `kind`
//!   `fail`. COMPLIANT and NOT_APPLICABLE results are no results: code scanning would show
//!   each as an alert, and an organisation has millions.
//! - **Locations**: the input file (relative paths as the report names them, absolute ones
//!   as `file://` URIs, an `s3://bucket/key` object as the key under the uriBaseId
//!   `S3_<bucket>`, which `originalUriBaseIds` resolves to `s3://bucket/`: code scanning
//!   rejects a whole file whose locations have another URI scheme than `file`), with the
//!   line for NDJSON inputs; and the resource as a logical location (its ARN, or
//!   `type/id`). An account-level result has no input of its own: it points at the first
//!   input (in report order) that held its account and region. Items from stdin or the
//!   Config API have the logical location only.
//! - **ERROR results and the report's errors** are no findings about a resource: they are
//!   the invocation's `toolExecutionNotifications` (level `error`), and
//!   `executionSuccessful` is false when the run had any (exit code 2).
//!
//! Nothing comes from the clock or the environment: the same report gives the same bytes.

use super::finding::documentation;
use crate::diagnostics::Problem;
use crate::eval::Compliance;
use crate::model::Origin;
use crate::policy::metadata::ACCOUNT_TYPE;
use crate::policy::{ControlRecord, Severity};
use crate::report::{BaselineState, Report, ResultRow, WaiverNote};
use crate::sink::View;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultKind,
    ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

/// The SARIF version written.
pub const VERSION: &str = "2.1.0";
/// The schema of SARIF 2.1.0 (OASIS, errata 01).
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The key of each result's fingerprint in `partialFingerprints`.
pub const FINGERPRINT: &str = "regentFinding/v1";

/// Characters a path keeps as written in a URI reference (RFC 3986 `pchar` and `/`); the
/// rest, and every non-ASCII byte, is percent-encoded.
const NOT_IN_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A control's severity as GitHub code scanning's `security-severity`, a score it files as
/// critical above 9.0, high from 7.0, medium from 4.0, low from 0.1, and 0.0 as none.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Informational => "0.0",
    }
}

/// A failure's SARIF level: `error` for critical and high, `warning` for medium, `note`
/// for low and informational.
pub fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Informational => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match level(severity) {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        ResultLevel::Note => "note",
        ResultLevel::None => "none",
    }
}

/// `--format sarif`: the log, pretty-printed, ending with a newline.
pub fn render(report: &Report, view: &View, out: &mut dyn Write) -> io::Result<()> {
    let log = log(report, view);
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &log).map_err(|e| match e.io_error_kind() {
        // Keep the kind so a closed pipe is still recognised as one.
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    })?;
    writeln!(out)?;
    out.flush()
}

/// The SARIF log of the results the view shows.
pub fn log(report: &Report, view: &View) -> Sarif {
    let shown: Vec<&ResultRow> = view
        .results(report)
        .filter(|row| {
            matches!(
                row.compliance_type,
                Compliance::NonCompliant | Compliance::Error
            )
        })
        .collect();
    let rules = Rules::of(report, &shown);
    let mut places = Places::of(report, &shown);

    let mut results = Vec::new();
    let mut notifications: Vec<Notification> = report
        .errors
        .iter()
        .map(|problem| problem_notification(problem, &mut places))
        .collect();
    for row in &shown {
        let location = places.location(row);
        match row.compliance_type {
            Compliance::NonCompliant => results.push(result(row, &rules, location)),
            _ => notifications.push(error_notification(row, &rules, location)),
        }
    }

    let mut invocation = Invocation::builder()
        .execution_successful(!report.has_errors())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }

    let driver = ToolComponent::builder()
        .name("regent")
        .version(report.version.clone())
        .semantic_version(report.version.clone())
        .rules(rules.descriptors)
        .build();
    let mut run_properties = BTreeMap::from([(
        "summary".to_string(),
        serde_json::to_value(&report.summary).unwrap_or(Value::Null),
    )]);
    if !view.filter.is_empty() {
        run_properties.insert(
            "shown".to_string(),
            json!({"results": results.len(), "filter": view.filter}),
        );
    }
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .properties(properties(None, run_properties))
        .build();
    if !places.buckets.is_empty() {
        run.original_uri_base_ids = Some(
            places
                .buckets
                .iter()
                .map(|bucket| {
                    let base = ArtifactLocation::builder()
                        .uri(format!(
                            "s3://{}/",
                            utf8_percent_encode(bucket, NOT_IN_PATH)
                        ))
                        .description(message(format!("The S3 bucket {bucket}")))
                        .build();
                    (bucket_base_id(bucket), base)
                })
                .collect(),
        );
    }

    Sarif::builder()
        .schema(SCHEMA)
        .version(json!(VERSION))
        .runs(vec![run])
        .build()
}

/// The rules: every control that ran, then (should a result name a control the report does
/// not record) one made from the result.
struct Rules<'r> {
    descriptors: Vec<ReportingDescriptor>,
    index: HashMap<&'r str, usize>,
}

impl<'r> Rules<'r> {
    fn of(report: &'r Report, shown: &[&'r ResultRow]) -> Self {
        let mut rules = Rules {
            descriptors: Vec::new(),
            index: HashMap::new(),
        };
        for control in &report.controls {
            rules.add(&control.meta.id, || rule(control));
        }
        for row in shown {
            rules.add(&row.control_id, || bare_rule(row));
        }
        rules
    }

    fn add(&mut self, id: &'r str, make: impl FnOnce() -> ReportingDescriptor) {
        if !self.index.contains_key(id) {
            self.index.insert(id, self.descriptors.len());
            self.descriptors.push(make());
        }
    }

    /// The rule's index (every shown row's control has a rule; -1 is SARIF's "none").
    fn index_of(&self, id: &str) -> i64 {
        self.index.get(id).map_or(-1, |&i| i as i64)
    }
}

fn text(text: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn message(text: impl Into<String>) -> Message {
    Message::builder().text(text).build()
}

fn properties(tags: Option<Vec<String>>, values: BTreeMap<String, Value>) -> PropertyBag {
    let mut bag = PropertyBag::builder().additional_properties(values).build();
    bag.tags = tags;
    bag
}

/// Tags GitHub keeps of a rule (it rejects a log with a rule of more than 20).
const MAX_TAGS: usize = 10;

/// What GitHub reads of a rule besides its texts: the score and the tags (`security`, then
/// the standards).
fn rule_properties<'a>(
    severity: Severity,
    standards: impl Iterator<Item = &'a String>,
) -> PropertyBag {
    let tags = std::iter::once("security".to_string())
        .chain(standards.cloned())
        .take(MAX_TAGS)
        .collect();
    properties(
        Some(tags),
        BTreeMap::from([(
            "security-severity".to_string(),
            json!(security_severity(severity)),
        )]),
    )
}

fn default_configuration(severity: Severity) -> ReportingConfiguration {
    ReportingConfiguration::builder()
        .level(json!(level_name(severity)))
        .build()
}

fn rule(control: &ControlRecord) -> ReportingDescriptor {
    let meta = &control.meta;
    let mut rule = ReportingDescriptor::builder()
        .id(meta.id.clone())
        .name(friendly_name(
            meta.config_rule.as_deref().unwrap_or(&meta.title),
        ))
        .short_description(text(meta.title.clone()))
        .full_description(text(checks(control)))
        .help(
            MultiformatMessageString::builder()
                .text(help_text(control))
                .markdown(help_markdown(control))
                .build(),
        )
        .default_configuration(default_configuration(meta.severity))
        .properties(rule_properties(meta.severity, meta.standards.keys()))
        .build();
    rule.help_uri = documentation(&meta.id);
    rule
}

/// A rule for a control known only from its results (GitHub requires both descriptions
/// and help of every rule).
fn bare_rule(row: &ResultRow) -> ReportingDescriptor {
    let mut rule = ReportingDescriptor::builder()
        .id(row.control_id.to_string())
        .name(friendly_name(&row.title))
        .short_description(text(row.title.to_string()))
        .full_description(text(row.title.to_string()))
        .help(text(format!(
            "{}\n\nThe report does not record this control; `regent explain {}` shows a control of the pack in full.",
            row.title, row.control_id
        )))
        .default_configuration(default_configuration(row.severity))
        .properties(rule_properties(row.severity, std::iter::empty()))
        .build();
    rule.help_uri = documentation(&row.control_id);
    rule
}

/// A rule's friendly name, one Pascal-case word as SARIF recommends: from the AWS Config
/// rule (`S3_BUCKET_SSL_REQUESTS_ONLY` -> `S3BucketSslRequestsOnly`), else the title.
fn friendly_name(words: &str) -> String {
    words
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + &chars.as_str().to_lowercase()
        })
        .collect()
}

/// A runbook parameter's value as written (a string without its quotes).
fn value_text(value: &Value) -> String {
    match value.as_str() {
        Some(text) => text.to_string(),
        None => value.to_string(),
    }
}

fn standards_text(control: &ControlRecord) -> Vec<String> {
    control
        .meta
        .standards
        .iter()
        .map(|(standard, requirements)| match requirements.as_slice() {
            [] => standard.clone(),
            _ => format!("{standard}: {}", requirements.join(", ")),
        })
        .collect()
}

/// What the control checks: its description, else its title.
fn checks(control: &ControlRecord) -> String {
    match control.meta.description.trim() {
        "" => control.meta.title.clone(),
        described => described.to_string(),
    }
}

fn help_text(control: &ControlRecord) -> String {
    let meta = &control.meta;
    let mut out = String::new();
    out.push_str(&checks(control));
    out.push_str(&format!(
        "\n\nSeverity: {}. Resource types: {}.",
        meta.severity,
        meta.resource_types.join(", ")
    ));
    if let Some(rule) = &meta.config_rule {
        out.push_str(&format!(" AWS Config rule: {rule}."));
    }
    let standards = standards_text(control);
    if !standards.is_empty() {
        out.push_str("\nStandards: ");
        out.push_str(&standards.join("; "));
        out.push('.');
    }
    if !meta.parameters.is_empty() {
        out.push_str("\nParameters:");
        for (name, parameter) in &meta.parameters {
            out.push_str(&format!(
                "\n  {name} (default {}): {}",
                parameter.default, parameter.description
            ));
        }
    }
    match &meta.remediation {
        Some(remediation) => {
            out.push_str(&format!(
                "\n\nRemediation: the SSM Automation runbook {}",
                remediation.runbook
            ));
            if remediation.parameters.is_empty() {
                out.push('.');
            } else {
                out.push_str(", with");
                for (name, value) in &remediation.parameters {
                    out.push_str(&format!("\n  {name} = {}", value_text(value)));
                }
            }
        }
        None => out.push_str("\n\nRemediation: change the resource so the control passes."),
    }
    out.push_str(&format!(
        "\n\n`regent explain {}` shows the control in full (policy {}).",
        meta.id, control.source
    ));
    out
}

/// Inline code that holds any text (a backtick inside takes a longer fence).
fn code(text: &str) -> String {
    let text = text.replace('\n', " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A table cell: pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn help_markdown(control: &ControlRecord) -> String {
    let meta = &control.meta;
    let mut out = String::new();
    out.push_str(&checks(control));
    let types: Vec<String> = meta.resource_types.iter().map(|t| code(t)).collect();
    out.push_str(&format!(
        "\n\n**Severity** {} · **Resource types** {}",
        meta.severity,
        types.join(", ")
    ));
    if let Some(rule) = &meta.config_rule {
        out.push_str(&format!(" · **AWS Config rule** {}", code(rule)));
    }
    let standards = standards_text(control);
    if !standards.is_empty() {
        out.push_str("\n\n**Standards**\n");
        for standard in standards {
            out.push_str(&format!("\n- {standard}"));
        }
    }
    if !meta.parameters.is_empty() {
        out.push_str("\n\n**Parameters**\n\n| name | default | description |\n| --- | --- | --- |");
        for (name, parameter) in &meta.parameters {
            out.push_str(&format!(
                "\n| {} | {} | {} |",
                cell(&code(name)),
                cell(&code(&parameter.default.to_string())),
                cell(&parameter.description.replace('\n', " "))
            ));
        }
    }
    out.push_str("\n\n## Remediation\n\n");
    match &meta.remediation {
        Some(remediation) => {
            out.push_str(&format!(
                "Run the SSM Automation runbook {}",
                code(&remediation.runbook)
            ));
            if remediation.parameters.is_empty() {
                out.push('.');
            } else {
                out.push_str(" with:\n\n| parameter | value |\n| --- | --- |");
                for (name, value) in &remediation.parameters {
                    out.push_str(&format!(
                        "\n| {} | {} |",
                        cell(&code(name)),
                        cell(&code(&value_text(value)))
                    ));
                }
                out.push_str(
                    "\n\nEach result's `remediation` property holds the values for its resource.",
                );
            }
        }
        None => out.push_str("Change the resource so the control passes."),
    }
    out.push_str(&format!(
        "\n\n{} shows the control in full; its policy is {}.",
        code(&format!("regent explain {}", meta.id)),
        code(&control.source)
    ));
    out
}

/// The resource in a message: its ARN, or its type and id (an account and its region).
fn resource(row: &ResultRow) -> String {
    let s = &*row.subject;
    match &s.arn {
        Some(arn) => arn.to_string(),
        None if &*s.resource_type == ACCOUNT_TYPE => {
            format!("account {} in {}", s.account, s.region)
        }
        None => format!("{} {}", s.resource_type, s.resource_id),
    }
}

/// Why it failed (or errored): the annotation, else the control's title.
fn why(row: &ResultRow) -> &str {
    row.annotation
        .as_deref()
        .filter(|a| !a.is_empty())
        .unwrap_or(&row.title)
}

/// Stable per control and resource (and per region for an account-level result, or a
/// resource without an ARN): GitHub matches alerts across runs by it. FNV-1a, 64 bits.
fn fingerprint(row: &ResultRow) -> String {
    let s = &*row.subject;
    let identity = match &s.arn {
        Some(arn) => format!("{}\n{arn}", row.control_id),
        None => format!(
            "{}\n{}\n{}\n{}\n{}",
            row.control_id, s.account, s.region, s.resource_type, s.resource_id
        ),
    };
    let hash = identity.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn result(row: &ResultRow, rules: &Rules, location: Location) -> SarifResult {
    let s = &*row.subject;
    let mut values = BTreeMap::from([
        ("awsAccountId".to_string(), json!(&*s.account)),
        ("awsRegion".to_string(), json!(&*s.region)),
        ("resourceType".to_string(), json!(&*s.resource_type)),
        ("resourceId".to_string(), json!(&*s.resource_id)),
        ("severity".to_string(), json!(row.severity)),
    ]);
    if let Some(name) = &s.resource_name {
        values.insert("resourceName".to_string(), json!(&**name));
    }
    if let Some(origin) = &s.origin {
        values.insert("source".to_string(), json!(origin.to_string()));
    }
    if let Some(time) = &s.capture_time {
        values.insert("captureTime".to_string(), json!(&**time));
    }
    if let Some(remediation) = &row.remediation {
        values.insert(
            "remediation".to_string(),
            serde_json::to_value(remediation).unwrap_or(Value::Null),
        );
    }
    let mut result = SarifResult::builder()
        .rule_id(row.control_id.to_string())
        .rule_index(rules.index_of(&row.control_id))
        .kind(ResultKind::Fail)
        .level(level(row.severity))
        .message(message(format!("{}: {}", resource(row), why(row))))
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT.to_string(),
            fingerprint(row),
        )]))
        .properties(properties(None, values))
        .build();
    // With --baseline: SARIF's own baselineState, as code scanning reads it.
    result.baseline_state = match row.baseline {
        Some(BaselineState::New) => Some(json!("new")),
        Some(BaselineState::Persisting) => Some(json!("unchanged")),
        None => None,
    };
    result.suppressions = row.waiver.as_deref().map(|w| vec![suppression(w)]);
    result
}

/// A waived result's suppression: accepted outside the code (in regent.toml or a
/// waivers file), with the waiver's reason, owner and expiry; code scanning shows it as
/// dismissed.
fn suppression(waiver: &WaiverNote) -> Suppression {
    Suppression::builder()
        .kind(json!("external"))
        .status(json!("accepted"))
        .justification(format!(
            "{} (owner {}, expires {}; {})",
            waiver.reason, waiver.owner, waiver.expires, waiver.source
        ))
        .build()
}

/// An ERROR result: the control could not judge the resource.
fn error_notification(row: &ResultRow, rules: &Rules, location: Location) -> Notification {
    Notification::builder()
        .level(json!("error"))
        .message(message(format!(
            "{} could not be evaluated on {}: {}",
            row.control_id,
            resource(row),
            why(row)
        )))
        .associated_rule(
            ReportingDescriptorReference::builder()
                .id(row.control_id.to_string())
                .index(rules.index_of(&row.control_id))
                .build(),
        )
        .locations(vec![location])
        .build()
}

/// A problem of the run (an unreadable input, a policy that does not compile, a control
/// that raised errors), with its file and line when it points at one.
fn problem_notification(problem: &Problem, places: &mut Places) -> Notification {
    let mut notification = Notification::builder()
        .level(json!("error"))
        .message(message(format!("{}: {}", problem.source, problem.message)))
        .descriptor(
            ReportingDescriptorReference::builder()
                .id(problem.code.as_str())
                .build(),
        )
        .build();
    if let Some(at) = problem.location() {
        if let Some(physical) = places.physical(&problem.source, Some(at.line)) {
            notification.locations = Some(vec![Location::builder()
                .physical_location(physical)
                .build()]);
        }
    }
    if let Some(help) = &problem.help {
        notification.properties = Some(properties(
            None,
            BTreeMap::from([("help".to_string(), json!(help))]),
        ));
    }
    notification
}

/// Where results are: inputs as artifact locations (collecting the S3 buckets named), and
/// for account-level results the input their account and region came from.
struct Places<'r> {
    /// The first input (in report order) of each account and region.
    accounts: HashMap<(&'r str, &'r str), &'r Origin>,
    /// The buckets of `s3://` inputs, each a uriBaseId.
    buckets: BTreeSet<String>,
}

impl<'r> Places<'r> {
    fn of(report: &'r Report, shown: &[&ResultRow]) -> Self {
        let mut accounts = HashMap::new();
        if shown.iter().any(|row| row.subject.origin.is_none()) {
            for row in &report.results {
                if let Some(origin) = &row.subject.origin {
                    accounts
                        .entry((&*row.subject.account, &*row.subject.region))
                        .or_insert(origin);
                }
            }
        }
        Places {
            accounts,
            buckets: BTreeSet::new(),
        }
    }

    /// A row's location: its input (and line), and the resource.
    fn location(&mut self, row: &ResultRow) -> Location {
        let s = &*row.subject;
        let physical = match &s.origin {
            Some(origin) => {
                let (file, line) = origin.file_and_line();
                self.physical(file, line)
            }
            None => match self.accounts.get(&(&*s.account, &*s.region)).copied() {
                Some(anchor) => self.physical(anchor.file_and_line().0, None),
                None => None,
            },
        };
        let name = match &s.arn {
            Some(arn) => arn.to_string(),
            None => format!("{}/{}", s.resource_type, s.resource_id),
        };
        let logical = LogicalLocation::builder()
            .name(s.resource_id.to_string())
            .fully_qualified_name(name)
            .kind("resource")
            .build();
        let mut location = Location::builder().logical_locations(vec![logical]).build();
        location.physical_location = physical;
        location
    }

    /// The input named `source` as an artifact location, or `None` when it is no file or
    /// S3 object (stdin, a Config API page).
    fn physical(&mut self, source: &str, line: Option<usize>) -> Option<PhysicalLocation> {
        let artifact = match source.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, key) = rest.split_once('/')?;
                if bucket.is_empty() || key.is_empty() {
                    return None;
                }
                self.buckets.insert(bucket.to_string());
                ArtifactLocation::builder()
                    .uri(relative_uri(key))
                    .uri_base_id(bucket_base_id(bucket))
                    .build()
            }
            None => ArtifactLocation::builder().uri(file_uri(source)?).build(),
        };
        let mut physical = PhysicalLocation::builder()
            .artifact_location(artifact)
            .build();
        if let Some(line) = line.filter(|&l| l >= 1) {
            physical.region = Some(Region::builder().start_line(line as i64).build());
        }
        Some(physical)
    }
}

/// The uriBaseId of an S3 bucket's objects.
fn bucket_base_id(bucket: &str) -> String {
    format!("S3_{bucket}")
}

/// A local path as a URI reference: relative as given (a leading `./` dropped), absolute as
/// a `file://` URI. `None` for what is no local path (`<stdin>`, `config://...`).
fn file_uri(path: &str) -> Option<String> {
    if path.is_empty() || path.starts_with('<') || path.contains("://") {
        return None;
    }
    if path.starts_with('/') {
        return Some(format!("file://{}", utf8_percent_encode(path, NOT_IN_PATH)));
    }
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    (!path.is_empty()).then(|| relative_uri(path))
}

/// A relative path as a URI reference: percent-encoded, and a first segment with a colon
/// (which would read as a scheme) behind `./`.
fn relative_uri(path: &str) -> String {
    let encoded = utf8_percent_encode(path, NOT_IN_PATH).to_string();
    let first = encoded.split('/').next().unwrap_or_default();
    if first.contains(':') {
        format!("./{encoded}")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ci::split_line;

    #[test]
    fn the_ndjson_line_is_split_off_an_input_name() {
        assert_eq!(
            split_line("dir/items.ndjson:12"),
            ("dir/items.ndjson", Some(12))
        );
        assert_eq!(
            split_line("s3://b/k.ndjson:3"),
            ("s3://b/k.ndjson", Some(3))
        );
        assert_eq!(
            split_line("export/snapshot.json"),
            ("export/snapshot.json", None)
        );
        assert_eq!(split_line("s3://bucket/key"), ("s3://bucket/key", None));
        assert_eq!(
            split_line("config://eu-west-1/AWS::S3::Bucket/1"),
            ("config://eu-west-1/AWS::S3::Bucket/1", None)
        );
        assert_eq!(split_line(":3"), (":3", None));
    }

    #[test]
    fn local_paths_become_uri_references() {
        assert_eq!(
            file_uri("export/snapshot.json").as_deref(),
            Some("export/snapshot.json")
        );
        assert_eq!(file_uri("./a/b c.json").as_deref(), Some("a/b%20c.json"));
        assert_eq!(
            file_uri("/tmp/x#1.json").as_deref(),
            Some("file:///tmp/x%231.json")
        );
        assert_eq!(file_uri("a:b/c.json").as_deref(), Some("./a:b/c.json"));
        assert_eq!(file_uri("é.json").as_deref(), Some("%C3%A9.json"));
        assert_eq!(file_uri("<stdin>"), None);
        assert_eq!(file_uri("config://eu-west-1/AWS::S3::Bucket/1"), None);
    }

    #[test]
    fn s3_objects_are_keys_under_their_bucket() {
        let mut places = Places {
            accounts: HashMap::new(),
            buckets: BTreeSet::new(),
        };
        let physical = places
            .physical("s3://logs/AWSLogs/1/Config/x y.json.gz", Some(2))
            .expect("an S3 object has a location");
        let artifact = physical.artifact_location.expect("an artifact");
        assert_eq!(
            artifact.uri.as_deref(),
            Some("AWSLogs/1/Config/x%20y.json.gz")
        );
        assert_eq!(artifact.uri_base_id.as_deref(), Some("S3_logs"));
        assert_eq!(physical.region.and_then(|r| r.start_line), Some(2));
        assert!(places.physical("s3://logs", None).is_none());
        assert_eq!(places.buckets.iter().collect::<Vec<_>>(), ["logs"]);
    }

    #[test]
    fn friendly_names_are_pascal_case() {
        assert_eq!(
            friendly_name("S3_BUCKET_SSL_REQUESTS_ONLY"),
            "S3BucketSslRequestsOnly"
        );
        assert_eq!(
            friendly_name("Buckets should block \"public\" access"),
            "BucketsShouldBlockPublicAccess"
        );
    }

    #[test]
    fn severities_map_as_github_files_them() {
        let scores: Vec<f64> = Severity::ALL
            .iter()
            .map(|&s| security_severity(s).parse().expect("a number"))
            .collect();
        // critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9, informational none.
        assert_eq!(scores, [9.5, 8.0, 5.5, 3.0, 0.0]);
        assert_eq!(level_name(Severity::High), "error");
        assert_eq!(level_name(Severity::Medium), "warning");
        assert_eq!(level_name(Severity::Informational), "note");
    }
}
