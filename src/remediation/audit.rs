//! The audit log of `regent remediate apply`: append-only JSON lines, one per step of an
//! action (`intent` before an execution is asked for, `started` with its id, `finished`
//! with its final status, `skipped` with why), each written whole and flushed to disk
//! before the next step. It is also the run's memory: a rerun after a crash (kill -9
//! included) reads it and goes on where the log ends, and never starts an action the log
//! says was started.

use crate::diagnostics::{Code, Problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What one line says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// About to ask SSM for an execution with `client_token`: if the run dies before
    /// `started`, the rerun asks again with the same token, which SSM answers with the
    /// execution it made (if it made one) rather than a second.
    Intent,
    Started,
    Finished,
    Skipped,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// When it was written (the clock: an audit trail, not an evaluation).
    pub time: String,
    pub event: Event,
    /// The action's identity: the same finding fixed by the same runbook with the same
    /// parameters has the same id in every plan.
    pub action_id: String,
    pub control_id: String,
    pub runbook: String,
    pub resource_type: String,
    pub resource_id: String,
    pub aws_account_id: String,
    pub aws_region: String,
    /// 1 for the first execution of the action, then one more per retry.
    pub attempt: u32,
    /// The identity the execution was asked for by (STS GetCallerIdentity's ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// The runbook's parameters as SSM was given them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// SSM's final status (`Success`, `Failed`, `TimedOut`, `Cancelled`, ...), or
    /// `NotStarted` when the execution could not be asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Why it failed or was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where an action stands, by the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Asked for (maybe): ask again with the same token.
    Intended { attempt: u32, client_token: String },
    /// Running: follow it.
    Started { attempt: u32, execution_id: String },
    /// Over, with SSM's final status.
    Finished { attempt: u32, status: String },
}

impl Stage {
    pub fn attempt(&self) -> u32 {
        match self {
            Stage::Intended { attempt, .. }
            | Stage::Started { attempt, .. }
            | Stage::Finished { attempt, .. } => *attempt,
        }
    }
}

/// What an earlier run of the log left: each action's last stage.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub stages: BTreeMap<String, Stage>,
    /// Lines that could not be read (a line cut short by a crash is the usual one); the
    /// rest of the log still counts.
    pub problems: Vec<Problem>,
}

impl Ledger {
    /// The log at `path`; nothing when it does not exist yet.
    pub fn read(path: &Path) -> Result<Ledger, Problem> {
        if !path.exists() {
            return Ok(Ledger::default());
        }
        let (records, problems) = records(path)?;
        let mut ledger = Ledger {
            problems,
            ..Ledger::default()
        };
        for record in &records {
            ledger.note(record);
        }
        Ok(ledger)
    }

    /// The stage `record` moves its action to.
    pub fn note(&mut self, record: &Record) {
        let stage = match record.event {
            Event::Intent => Stage::Intended {
                attempt: record.attempt,
                client_token: record.client_token.clone().unwrap_or_default(),
            },
            Event::Started => Stage::Started {
                attempt: record.attempt,
                execution_id: record.execution_id.clone().unwrap_or_default(),
            },
            Event::Finished => Stage::Finished {
                attempt: record.attempt,
                status: record.status.clone().unwrap_or_default(),
            },
            Event::Skipped => return,
        };
        self.stages.insert(record.action_id.clone(), stage);
    }
}

/// The log, open for appending.
pub struct AuditLog {
    path: PathBuf,
    file: File,
}

impl AuditLog {
    pub fn open(path: &Path) -> Result<AuditLog, Problem> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|err| {
                Problem::new(
                    Code::RemediationAudit,
                    path.display().to_string(),
                    format!("cannot open the audit log for appending: {err}"),
                )
            })?;
        Ok(AuditLog {
            path: path.to_path_buf(),
            file,
        })
    }

    /// `record` as one line, on disk before this returns: nothing is asked of AWS that the
    /// log does not already say.
    pub fn append(&mut self, record: &Record) -> Result<(), Problem> {
        let mut line = serde_json::to_vec(record).map_err(|err| self.failed(err.to_string()))?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
            .map_err(|err| self.failed(err.to_string()))
    }

    fn failed(&self, why: String) -> Problem {
        Problem::new(
            Code::RemediationAudit,
            self.path.display().to_string(),
            format!("cannot write the audit log: {why}"),
        )
        .with_help("nothing more is started without a record of it; free space or fix permissions, then run again to resume")
    }
}

/// Every record of the log at `path` that can be read, in order.
pub fn records(path: &Path) -> Result<(Vec<Record>, Vec<Problem>), Problem> {
    let name = path.display().to_string();
    let text = std::fs::read(path).map_err(|err| {
        Problem::new(
            Code::RemediationAudit,
            &name,
            format!("cannot read the audit log: {err}"),
        )
    })?;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(record) => records.push(record),
            Err(err) => problems.push(
                Problem::new(
                    Code::RemediationAudit,
                    format!("{name}:{}", index + 1),
                    format!("line {} of the audit log is not a record: {err}", index + 1),
                )
                .with_help("a line cut short by a crash is left as it is; the actions of the other lines still count"),
            ),
        }
    }
    Ok((records, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(event: Event, attempt: u32) -> Record {
        Record {
            time: "2026-12-07T00:00:00Z".into(),
            event,
            action_id: "a1".into(),
            control_id: "S3.5".into(),
            runbook: "AWSConfigRemediation-RestrictBucketSSLRequestsOnly".into(),
            resource_type: "AWS::S3::Bucket".into(),
            resource_id: "logs".into(),
            aws_account_id: "111122223333".into(),
            aws_region: "us-east-1".into(),
            attempt,
            identity: None,
            parameters: BTreeMap::new(),
            client_token: Some("t1".into()),
            execution_id: Some("e1".into()),
            status: Some("Failed".into()),
            reason: None,
        }
    }

    #[test]
    fn a_line_cut_short_is_a_problem_and_the_lines_before_it_still_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        log.append(&record(Event::Intent, 1)).unwrap();
        log.append(&record(Event::Started, 1)).unwrap();
        drop(log);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"time\":\"2026-12-07T00:00:01Z\",\"event\":\"fini");
        std::fs::write(&path, text).unwrap();
        let ledger = Ledger::read(&path).unwrap();
        assert_eq!(
            ledger.stages["a1"],
            Stage::Started {
                attempt: 1,
                execution_id: "e1".into()
            }
        );
        assert_eq!(ledger.problems.len(), 1);
        assert!(ledger.problems[0].source.ends_with(":3"));
    }

    #[test]
    fn the_last_record_of_an_action_decides_its_stage() {
        let mut ledger = Ledger::default();
        ledger.note(&record(Event::Finished, 1));
        ledger.note(&record(Event::Intent, 2));
        assert_eq!(
            ledger.stages["a1"],
            Stage::Intended {
                attempt: 2,
                client_token: "t1".into()
            }
        );
    }
}
