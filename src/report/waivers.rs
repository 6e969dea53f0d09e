//! Waivers applied to a report: a NON_COMPLIANT result a waiver in force covers carries
//! it (still a finding, shown as waived everywhere, but it does not fail the run); every
//! waiver is recorded with what became of it (applied, expired, unmatched). Expiry is
//! judged against the run's time (`--as-of`, or the newest capture time), never the
//! clock, so the same input gives the same report.

use super::schema::{Report, ResultRow, WaiverNote, WaiverRecord, WaiverStatus};
use crate::config::waivers::Waiver;
use crate::eval::Compliance;
use crate::model::{ConfigurationItem, Subject};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The tags of the resources a waiver with `tags` may cover, by (account, region, type,
/// id): read from the items before evaluation lets their documents go.
#[derive(Debug, Default)]
pub struct Tags(HashMap<Key, BTreeMap<String, String>>);

/// A resource's (account, region, type, id).
type Key = (Arc<str>, Arc<str>, Arc<str>, Arc<str>);

impl Tags {
    /// Read the tags of the items that a waiver with tags could cover.
    pub fn of(items: &[ConfigurationItem], waivers: &[Waiver]) -> Self {
        let tagged: Vec<&Waiver> = waivers.iter().filter(|w| !w.tags.is_empty()).collect();
        let mut tags = HashMap::new();
        if tagged.is_empty() {
            return Self(tags);
        }
        for item in items {
            let subject = &item.subject;
            if !tagged.iter().any(|w| covers_place(w, subject)) {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(&item.document.json()).unwrap_or_default();
            let of_item = value
                .get("tags")
                .and_then(|t| t.as_object())
                .map(|t| {
                    t.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            tags.insert(key(subject), of_item);
        }
        Self(tags)
    }

    fn get(&self, subject: &Subject) -> Option<&BTreeMap<String, String>> {
        self.0.get(&key(subject))
    }
}

fn key(subject: &Subject) -> Key {
    (
        subject.account.clone(),
        subject.region.clone(),
        subject.resource_type.clone(),
        subject.resource_id.clone(),
    )
}

/// Whether a waiver's resource, account and region match a subject. The resource pattern
/// matches the resource's id, its name or its ARN.
fn covers_place(waiver: &Waiver, subject: &Subject) -> bool {
    let resource = waiver.resource.as_ref().is_none_or(|p| {
        p.matches(&subject.resource_id)
            || subject
                .resource_name
                .as_deref()
                .is_some_and(|n| p.matches(n))
            || subject.arn.as_deref().is_some_and(|a| p.matches(a))
    });
    resource
        && waiver
            .account
            .as_ref()
            .is_none_or(|p| p.matches(&subject.account))
        && waiver
            .region
            .as_ref()
            .is_none_or(|p| p.matches(&subject.region))
}

fn covers(waiver: &Waiver, row: &ResultRow, tags: &Tags) -> bool {
    *row.control_id == *waiver.control
        && covers_place(waiver, &row.subject)
        && (waiver.tags.is_empty()
            || tags.get(&row.subject).is_some_and(|of_item| {
                waiver
                    .tags
                    .iter()
                    .all(|(k, p)| of_item.get(k).is_some_and(|v| p.matches(v)))
            }))
}

/// Apply `waivers` to the report as of `as_of_ns`: the first waiver in force that covers a
/// NON_COMPLIANT result waives it (in the order written).
pub fn apply(report: &mut Report, waivers: &[Waiver], tags: &Tags, as_of_ns: i64) {
    if waivers.is_empty() {
        return;
    }
    let notes: Vec<Arc<WaiverNote>> = waivers
        .iter()
        .map(|w| {
            Arc::new(WaiverNote {
                source: w.source.clone(),
                reason: w.reason.clone(),
                owner: w.owner.clone(),
                expires: w.expires.clone(),
            })
        })
        .collect();
    let in_force: Vec<bool> = waivers.iter().map(|w| w.expires_ns >= as_of_ns).collect();
    let mut counts = vec![0usize; waivers.len()];
    let mut waived = 0;
    for row in &mut report.results {
        if row.compliance_type != Compliance::NonCompliant {
            continue;
        }
        let mut first_in_force = None;
        for (i, waiver) in waivers.iter().enumerate() {
            if covers(waiver, row, tags) {
                counts[i] += 1;
                if in_force[i] && first_in_force.is_none() {
                    first_in_force = Some(i);
                }
            }
        }
        if let Some(i) = first_in_force {
            row.waiver = Some(notes[i].clone());
            waived += 1;
        }
    }
    report.summary.waived = Some(waived);
    report.waivers = waivers
        .iter()
        .zip(counts)
        .zip(in_force)
        .map(|((w, results), in_force)| WaiverRecord {
            source: w.source.clone(),
            control: w.control.clone(),
            reason: w.reason.clone(),
            owner: w.owner.clone(),
            expires: w.expires.clone(),
            status: match (in_force, results) {
                (false, _) => WaiverStatus::Expired,
                (true, 0) => WaiverStatus::Unmatched,
                (true, _) => WaiverStatus::Applied,
            },
            results,
        })
        .collect();
}
