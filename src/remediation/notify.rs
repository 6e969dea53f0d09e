//! The `--notify` summary of a plan, an apply or a verify: a JSON payload Slack incoming
//! webhooks accept (`text`, in Slack's mrkdwn), with the same counts as fields under
//! `regent` for anything else that reads it. Pure: the post is `aws::webhook`'s.

use serde_json::{json, Map, Value};

/// What is summed up.
pub struct Summary<'a> {
    /// `plan`, `apply` or `verify`.
    pub step: &'a str,
    /// One line saying what happened (`12 actions: 10 succeeded, 2 failed`).
    pub headline: String,
    /// The counts, by name.
    pub counts: Vec<(&'a str, usize)>,
    /// Lines worth reading (failures first), at most a few.
    pub details: Vec<String>,
}

/// The most detail lines a message carries.
const MAX_DETAILS: usize = 10;

pub fn payload(summary: &Summary<'_>) -> Value {
    let mut text = format!("*regent remediate {}*: {}", summary.step, summary.headline);
    for line in summary.details.iter().take(MAX_DETAILS) {
        text.push_str("\n• ");
        text.push_str(&escape(line));
    }
    if summary.details.len() > MAX_DETAILS {
        text.push_str(&format!(
            "\n… and {} more",
            summary.details.len() - MAX_DETAILS
        ));
    }
    let counts: Map<String, Value> = summary
        .counts
        .iter()
        .map(|(name, n)| (name.to_string(), json!(n)))
        .collect();
    json!({
        "text": text,
        "regent": {"step": summary.step, "counts": counts},
    })
}

/// Slack's three control characters, escaped as its docs ask.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_has_slack_text_and_the_counts() {
        let summary = Summary {
            step: "apply",
            headline: "3 actions: 2 succeeded, 1 failed".into(),
            counts: vec![("succeeded", 2), ("failed", 1)],
            details: vec!["S3.5 <bucket>: Failed".into()],
        };
        let payload = payload(&summary);
        let text = payload["text"].as_str().unwrap();
        assert!(text.starts_with("*regent remediate apply*: 3 actions"));
        assert!(text.contains("S3.5 &lt;bucket&gt;: Failed"));
        assert_eq!(payload["regent"]["counts"]["failed"], 1);
    }
}
