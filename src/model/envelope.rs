//! What an envelope carries besides its configuration items: a custom-rule Lambda event's
//! rule and answer token, a notification's type and time. Kept so a handler can answer
//! AWS Config (PutEvaluations needs the token, and a periodic rule's `OrderingTimestamp`
//! is the notification's time).

use std::sync::Arc;

/// The envelope of one document (or one NDJSON line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    /// The input it came from.
    pub source: Arc<str>,
    /// `messageType` of the notification (`ConfigurationItemChangeNotification`,
    /// `ScheduledNotification`, ...), from the invoking event, the SNS message, the
    /// EventBridge detail or the bare notification.
    pub message_type: Option<String>,
    /// `notificationCreationTime`, as written.
    pub notification_creation_time: Option<String>,
    /// A custom-rule Lambda event's `resultToken`: what PutEvaluations answers with.
    pub result_token: Option<ResultToken>,
    /// A custom-rule Lambda event's `ruleParameters`, decoded from its JSON text.
    pub rule_parameters: Option<serde_json::Value>,
    pub event_left_scope: Option<bool>,
    pub config_rule_name: Option<String>,
    pub config_rule_arn: Option<String>,
    pub config_rule_id: Option<String>,
    /// The account the rule runs in (`accountId` of the Lambda event).
    pub account_id: Option<String>,
    pub execution_role_arn: Option<String>,
    /// `evaluationMode` (DETECTIVE or PROACTIVE), when given.
    pub evaluation_mode: Option<String>,
}

impl Envelope {
    pub fn new(source: Arc<str>) -> Self {
        Envelope {
            source,
            ..Envelope::default()
        }
    }

    /// Whether it says anything (a document without an envelope makes none).
    pub fn is_empty(&self) -> bool {
        *self == Envelope::new(self.source.clone())
    }
}

/// A custom-rule event's `resultToken`. It lets whoever holds it write evaluations for the
/// rule, so it never appears in logs, reports or diagnostics: `Debug` redacts it, it has
/// no `Display` and no `Serialize`, and only `expose` gives the text (to PutEvaluations).
#[derive(Clone, PartialEq, Eq)]
pub struct ResultToken(String);

impl ResultToken {
    /// AWS Config's test token.
    pub const TEST_MODE: &'static str = "TESTMODE";

    pub fn new(token: impl Into<String>) -> Self {
        ResultToken(token.into())
    }

    /// The token itself, for the PutEvaluations call and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// AWS Config's test token: evaluations answered with it are not recorded.
    pub fn is_test_mode(&self) -> bool {
        self.0 == Self::TEST_MODE
    }
}

impl std::fmt::Debug for ResultToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResultToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let envelope = Envelope {
            result_token: Some(ResultToken::new("eyJzZWNyZXQiOiJ0b2tlbiJ9")),
            ..Envelope::new(Arc::from("event.json"))
        };
        let shown = format!("{envelope:?} {envelope:#?}");
        assert!(!shown.contains("eyJzZWNyZXQ"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert_eq!(
            envelope.result_token.as_ref().map(ResultToken::expose),
            Some("eyJzZWNyZXQiOiJ0b2tlbiJ9")
        );
    }
}
