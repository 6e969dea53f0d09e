//! A JSON report (schema version 1, as `sink::json` writes it) read back into a `Report`,
//! for `regent merge`. Streamed: a report of millions of results is never held as a JSON
//! tree. Strict: a field the schema does not have, or a value of the wrong kind, is an
//! error, since the merge must render exactly what a single run would. Strings that repeat
//! (ids, titles, accounts, inputs) are shared, as in the report a run builds.

use super::remediation::{Parameters, ResolvedRemediation};
use super::schema::{BaselineState, Report, ResultRow, ShardRecord, Summary, WaiverNote};
use crate::diagnostics::{Code, Problem, Skip};
use crate::eval::Compliance;
use crate::model::{Origin, Subject};
use crate::policy::metadata::{Metadata, NeedsComplete, Parameter, Remediation, Severity};
use crate::policy::ControlRecord;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// The schema version this regent writes and reads.
const SCHEMA_VERSION: u64 = 1;

/// Read the JSON report `reader` holds (`name` says where it came from, in problems).
pub fn read(name: &str, reader: impl std::io::Read) -> Result<Report, Problem> {
    let mut reading = Reading {
        name,
        strings: HashSet::new(),
        subjects: HashMap::new(),
        refusal: None,
    };
    let mut json = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let report = (&mut reading)
        .deserialize(&mut json)
        .and_then(|report| json.end().map(|()| report));
    report.map_err(|err| match reading.refusal.take() {
        Some(problem) => problem,
        None => unreadable(name, &err),
    })
}

/// A report that is not JSON, is cut short, or does not follow the schema.
fn unreadable(name: &str, err: &serde_json::Error) -> Problem {
    let help = match err.classify() {
        serde_json::error::Category::Eof => {
            "the report ends early: did its run stop before it finished writing it?"
        }
        serde_json::error::Category::Io => "check that the file exists and is readable",
        _ => {
            "`regent merge` reads the reports of `regent eval --shard K/N --format json`, as they were written"
        }
    };
    Problem::new(
        Code::MergeUnreadable,
        name,
        format!("not a regent JSON report: {err}"),
    )
    .with_help(help)
}

/// A resource: account, region, type, id.
type ResourceKey = (Arc<str>, Arc<str>, Arc<str>, Arc<str>);

/// The state of one report's reading.
struct Reading<'a> {
    name: &'a str,
    /// Every string of a subject, an id or a title, once.
    strings: HashSet<Arc<str>>,
    /// Subjects by resource, shared by their rows (a resource has one row per control).
    subjects: HashMap<ResourceKey, Arc<Subject>>,
    /// Why the report is refused, when it is read but cannot be merged (its version, a
    /// filter): a clearer problem than the parse error that stops the reading.
    refusal: Option<Problem>,
}

impl Reading<'_> {
    fn share(&mut self, text: String) -> Arc<str> {
        if let Some(shared) = self.strings.get(text.as_str()) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.strings.insert(shared.clone());
        shared
    }

    fn share_some(&mut self, text: Option<String>) -> Option<Arc<str>> {
        text.map(|t| self.share(t))
    }

    /// Stop the reading with `problem`.
    fn refuse<E: de::Error>(&mut self, code: Code, message: String, help: &str) -> E {
        let problem = Problem::new(code, self.name, message.clone()).with_help(help);
        self.refusal = Some(problem);
        E::custom(message)
    }

    fn row(&mut self, row: RowText) -> Result<ResultRow, String> {
        let severity = Severity::parse(&row.severity)
            .ok_or_else(|| format!("unknown severity `{}`", row.severity))?;
        let compliance_type = compliance(&row.compliance_type)?;
        let subject = Subject {
            resource_type: self.share(row.resource_type),
            resource_id: self.share(row.resource_id),
            resource_name: self.share_some(row.resource_name),
            arn: self.share_some(row.arn),
            account: self.share(row.aws_account_id),
            region: self.share(row.aws_region),
            capture_time: self.share_some(row.capture_time),
            state_id: row.state_id,
            origin: row.source.map(|text| self.origin(text)),
        };
        let remediation = row.remediation.map(|r| ResolvedRemediation {
            runbook: self.share(r.runbook),
            // A map iterates in name order.
            parameters: Parameters::from_sorted(
                r.parameters
                    .into_iter()
                    .map(|(name, value)| (self.share(name), value))
                    .collect(),
            ),
        });
        Ok(ResultRow {
            control_id: self.share(row.control_id),
            title: self.share(row.title),
            severity,
            subject: self.subject(subject),
            compliance_type,
            annotation: row.annotation,
            remediation,
            waiver: row.waiver.map(Arc::new),
            baseline: row.baseline,
        })
    }

    /// `file#index` (or `file`) as the origin it was written from: written again, it is
    /// the same text whichever way a `#` in the name is read.
    fn origin(&mut self, text: String) -> Origin {
        if let Some((source, digits)) = text.rsplit_once('#') {
            if let Some(index) = digits
                .parse::<usize>()
                .ok()
                .filter(|i| i.to_string() == digits)
            {
                return Origin {
                    source: self.share(source.to_string()),
                    index: Some(index),
                };
            }
        }
        Origin {
            source: self.share(text),
            index: None,
        }
    }

    /// The subject, shared with the rows read before about the same resource.
    fn subject(&mut self, subject: Subject) -> Arc<Subject> {
        let key = (
            subject.account.clone(),
            subject.region.clone(),
            subject.resource_type.clone(),
            subject.resource_id.clone(),
        );
        match self.subjects.get(&key) {
            Some(known) if **known == subject => known.clone(),
            _ => {
                let subject = Arc::new(subject);
                self.subjects.insert(key, subject.clone());
                subject
            }
        }
    }
}

fn compliance(text: &str) -> Result<Compliance, String> {
    [
        Compliance::Compliant,
        Compliance::NonCompliant,
        Compliance::NotApplicable,
        Compliance::Error,
    ]
    .into_iter()
    .find(|c| c.as_str() == text)
    .ok_or_else(|| format!("unknown compliance_type `{text}`"))
}

/// A result as the schema writes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowText {
    control_id: String,
    title: String,
    severity: String,
    resource_type: String,
    resource_id: String,
    resource_name: Option<String>,
    arn: Option<String>,
    aws_account_id: String,
    aws_region: String,
    compliance_type: String,
    annotation: Option<String>,
    remediation: Option<ResolvedText>,
    capture_time: Option<String>,
    state_id: Option<i64>,
    #[serde(default)]
    waiver: Option<WaiverNote>,
    #[serde(default)]
    baseline: Option<BaselineState>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResolvedText {
    runbook: String,
    parameters: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ToolText {
    name: String,
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorText {
    code: String,
    source: String,
    message: String,
    line: Option<usize>,
    column: Option<usize>,
}

impl ErrorText {
    fn problem(self) -> Result<Problem, String> {
        let code = Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == self.code)
            .ok_or_else(|| format!("unknown diagnostic code `{}`", self.code))?;
        let problem = Problem::new(code, self.source, self.message);
        Ok(match (self.line, self.column) {
            // The place is what the report keeps; the excerpt it pointed into is not.
            (Some(line), Some(column)) => problem.at("", line, column, ""),
            (None, None) => problem,
            _ => return Err("an error has a line without a column, or the reverse".into()),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SkipText {
    source: String,
    reason: String,
}

/// A control's record as the schema writes it (`ControlRecord`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlText {
    id: String,
    title: String,
    description: String,
    severity: String,
    resource_types: Vec<String>,
    requires: Vec<String>,
    #[serde(default)]
    requires_fields: BTreeMap<String, Vec<String>>,
    standards: BTreeMap<String, Vec<String>>,
    config_rule: Option<String>,
    parameters: BTreeMap<String, ParameterText>,
    remediation: Option<RemediationText>,
    #[serde(default)]
    needs_complete: Vec<String>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterText {
    default: Value,
    description: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    minimum: Option<f64>,
    #[serde(default)]
    maximum: Option<f64>,
    #[serde(default)]
    values: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemediationText {
    runbook: String,
    parameters: BTreeMap<String, Value>,
    automatic: bool,
    maximum_automatic_attempts: u32,
    retry_attempt_seconds: u32,
    concurrent_execution_rate_percentage: u32,
    error_percentage: u32,
}

/// A control's record from its JSON, which it must give back exactly when written again.
fn control(value: Value) -> Result<ControlRecord, String> {
    let text: ControlText = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let id = text.id.clone();
    let severity = Severity::parse(&text.severity)
        .ok_or_else(|| format!("control {id}: unknown severity `{}`", text.severity))?;
    let needs_complete = NeedsComplete {
        compliant: text.needs_complete.iter().any(|v| v == "COMPLIANT"),
        non_compliant: text.needs_complete.iter().any(|v| v == "NON_COMPLIANT"),
    };
    let record = ControlRecord {
        meta: Metadata {
            id: text.id,
            title: text.title,
            description: text.description,
            severity,
            resource_types: text.resource_types,
            requires: text.requires,
            requires_fields: text.requires_fields,
            standards: text.standards,
            config_rule: text.config_rule,
            parameters: text
                .parameters
                .into_iter()
                .map(|(name, p)| {
                    let parameter = Parameter {
                        default: p.default,
                        description: p.description,
                        kind: p.kind,
                        minimum: p.minimum,
                        maximum: p.maximum,
                        values: p.values,
                    };
                    (name, parameter)
                })
                .collect(),
            remediation: text.remediation.map(|r| Remediation {
                runbook: Arc::from(r.runbook),
                parameters: r
                    .parameters
                    .into_iter()
                    .map(|(name, value)| (Arc::from(name), value))
                    .collect(),
                automatic: r.automatic,
                maximum_automatic_attempts: r.maximum_automatic_attempts,
                retry_attempt_seconds: r.retry_attempt_seconds,
                concurrent_execution_rate_percentage: r.concurrent_execution_rate_percentage,
                error_percentage: r.error_percentage,
            }),
            needs_complete,
        },
        source: text.source,
    };
    // Anything the record does not keep (a duplicate verdict, a default written out)
    // would be lost when the merge writes it again.
    match serde_json::to_value(&record) {
        Ok(again) if again == value => Ok(record),
        _ => Err(format!(
            "control {id}: its record is not one this regent writes"
        )),
    }
}

/// The whole report.
impl<'de> DeserializeSeed<'de> for &mut Reading<'_> {
    type Value = Report;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Report, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Reading<'_> {
    type Value = Report;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a regent JSON report")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Report, A::Error> {
        let mut version = None;
        let mut summary: Option<Summary> = None;
        let mut results = None;
        let mut errors = None;
        let mut skipped_inputs = None;
        let mut shard: Option<ShardRecord> = None;
        let mut controls = None;
        let mut waivers = Vec::new();
        let mut resolved = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("the key `{key}` appears twice")));
            }
            match key.as_str() {
                "schema_version" => {
                    let schema: u64 = map.next_value()?;
                    if schema != SCHEMA_VERSION {
                        return Err(self.refuse(
                            Code::MergeVersion,
                            format!("the report is of schema version {schema}; this regent reads version {SCHEMA_VERSION}"),
                            "merge with the regent version that wrote the shards' reports",
                        ));
                    }
                }
                "tool" => {
                    let tool: ToolText = map.next_value()?;
                    let ours = env!("CARGO_PKG_VERSION");
                    if tool.name != "regent" {
                        return Err(de::Error::custom(format!(
                            "written by `{}`, not regent",
                            tool.name
                        )));
                    }
                    if tool.version != ours {
                        return Err(self.refuse(
                            Code::MergeVersion,
                            format!("the report was written by regent {}; this is regent {ours}", tool.version),
                            "merge with the regent version that wrote the shards' reports: another version may judge or write differently",
                        ));
                    }
                    version = Some(tool.version);
                }
                "summary" => summary = Some(map.next_value()?),
                "results" => results = Some(map.next_value_seed(Rows(&mut *self))?),
                "errors" => {
                    let texts: Vec<ErrorText> = map.next_value()?;
                    let problems: Result<Vec<Problem>, String> =
                        texts.into_iter().map(ErrorText::problem).collect();
                    errors = Some(problems.map_err(de::Error::custom)?);
                }
                "skipped_inputs" => {
                    let texts: Vec<SkipText> = map.next_value()?;
                    let skips = texts.into_iter().map(|s| Skip {
                        source: s.source,
                        reason: s.reason,
                    });
                    skipped_inputs = Some(skips.collect::<Vec<_>>());
                }
                "shown" => {
                    let _: de::IgnoredAny = map.next_value()?;
                    return Err(self.refuse(
                        Code::MergeUnreadable,
                        "the report shows only some of its results (--account, --region, --resource-type or --severity)".into(),
                        "merge the reports of shards run without those filters; filter the merged report instead",
                    ));
                }
                "shard" => shard = Some(map.next_value()?),
                "controls" => {
                    let values: Vec<Value> = map.next_value()?;
                    let records: Result<Vec<ControlRecord>, String> =
                        values.into_iter().map(control).collect();
                    controls = Some(records.map_err(de::Error::custom)?);
                }
                "waivers" => waivers = map.next_value()?,
                "resolved" => resolved = map.next_value()?,
                other => {
                    return Err(de::Error::custom(format!("unknown key `{other}`")));
                }
            }
        }
        let missing = |key: &'static str| de::Error::missing_field(key);
        Ok(Report {
            version: version.ok_or_else(|| missing("tool"))?,
            summary: summary.ok_or_else(|| missing("summary"))?,
            controls: controls.ok_or_else(|| missing("controls"))?,
            results: results.ok_or_else(|| missing("results"))?,
            errors: errors.ok_or_else(|| missing("errors"))?,
            skipped_inputs: skipped_inputs.ok_or_else(|| missing("skipped_inputs"))?,
            envelopes: Vec::new(),
            shard,
            waivers,
            resolved,
        })
    }
}

/// The results, converted one by one as they are read.
struct Rows<'r, 'a>(&'r mut Reading<'a>);

impl<'de> DeserializeSeed<'de> for Rows<'_, '_> {
    type Value = Vec<ResultRow>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_, '_> {
    type Value = Vec<ResultRow>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(text) = seq.next_element::<RowText>()? {
            rows.push(self.0.row(text).map_err(de::Error::custom)?);
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading() -> Reading<'static> {
        Reading {
            name: "test.json",
            strings: HashSet::new(),
            subjects: HashMap::new(),
            refusal: None,
        }
    }

    #[test]
    fn an_origin_reads_back_as_the_text_it_was_written_as() {
        let mut reading = reading();
        for text in [
            "a.json#12",
            "a.json",
            "dir#x/a.json",
            "a#b#3",
            "a.json#012",
            "a.json#",
        ] {
            let origin = reading.origin(text.to_string());
            assert_eq!(origin.to_string(), text);
        }
        assert_eq!(reading.origin("s3://b/k.json#7".into()).index, Some(7));
    }

    #[test]
    fn a_report_of_another_schema_version_is_refused_as_such() {
        let text = r#"{"schema_version":2,"tool":{"name":"regent","version":"9"}}"#;
        let problem = read("old.json", text.as_bytes()).unwrap_err();
        assert_eq!(problem.code, Code::MergeVersion);
        assert!(
            problem.message.contains("schema version 2"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn a_truncated_report_says_it_ends_early() {
        let text = r#"{"schema_version":1,"tool":{"name":"regent","version":"#;
        let problem = read("cut.json", text.as_bytes()).unwrap_err();
        assert_eq!(problem.code, Code::MergeUnreadable);
        assert!(problem.help.unwrap().contains("ends early"));
    }
}
