//! A local webhook for `--notify URL` tests, on 127.0.0.1: it records every request and
//! answers as a Slack incoming webhook does: `200 ok` for a JSON object with a non-empty
//! `text` or `blocks`, `400 invalid_payload` for a body that is not JSON, `400 no_text`
//! for one with neither. A test can make it fail (`fail_with`) or answer slowly (`hang`).
//!
//! ```ignore
//! let hook = Webhook::start();
//! let url = format!("{}/services/T000/B000/XXXX", hook.url());
//! hook.fail_with(500);                     // notifying fails; remediation must go on
//! // ... run regent with --notify <url> ...
//! assert_eq!(hook.posts()[0].path, "/services/T000/B000/XXXX");
//! ```

use super::http::{listen, Incoming, Listening, Reply};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// One request the webhook received.
#[derive(Debug, Clone)]
pub struct Post {
    pub method: String,
    pub path: String,
    /// Names lower-cased.
    pub headers: BTreeMap<String, String>,
    /// The body as JSON (`Null` when it is not JSON).
    pub body: Value,
    /// The body as sent.
    pub text: String,
    /// The HTTP status answered.
    pub status: u16,
}

struct State {
    posts: Vec<Post>,
    /// What to answer instead of Slack's answer, when set.
    failure: Option<u16>,
    delay: Duration,
}

/// The webhook; it stops listening when dropped.
pub struct Webhook {
    server: Listening,
    state: Arc<Mutex<State>>,
}

impl Webhook {
    /// Listening on a free port of 127.0.0.1, answering as Slack does.
    pub fn start() -> Webhook {
        let state = Arc::new(Mutex::new(State {
            posts: Vec::new(),
            failure: None,
            delay: Duration::ZERO,
        }));
        let served = state.clone();
        let server = listen(move |incoming| receive(&served, incoming));
        Webhook { server, state }
    }

    /// `http://127.0.0.1:PORT`; any path under it is served.
    pub fn url(&self) -> String {
        self.server.url()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Every request so far, in arrival order.
    pub fn posts(&self) -> Vec<Post> {
        self.state().posts.clone()
    }

    /// Answer every later request with this status (`500`, say).
    pub fn fail_with(&self, status: u16) {
        self.state().failure = Some(status);
    }

    /// Answer as Slack does again.
    pub fn succeed(&self) {
        self.state().failure = None;
    }

    /// Wait this long before answering each later request.
    pub fn hang(&self, delay: Duration) {
        self.state().delay = delay;
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Record a request, then answer it (after the delay, holding no lock meanwhile).
fn receive(state: &Mutex<State>, incoming: &Incoming) -> Reply {
    let text = String::from_utf8_lossy(&incoming.body).into_owned();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let (reply, delay) = {
        let mut state = lock(state);
        let reply = match state.failure {
            Some(status) => Reply::new(status, "text/plain", "injected failure"),
            None => as_slack_answers(&incoming.method, &body),
        };
        state.posts.push(Post {
            method: incoming.method.clone(),
            path: incoming.path.clone(),
            headers: incoming.headers.clone(),
            body,
            text,
            status: reply.status,
        });
        (reply, state.delay)
    };
    std::thread::sleep(delay);
    reply
}

/// Slack's answer to a message: `ok`, or why it was refused.
fn as_slack_answers(method: &str, body: &Value) -> Reply {
    if method != "POST" {
        return Reply::new(405, "text/plain", "invalid_method");
    }
    if !body.is_object() {
        return Reply::new(400, "text/plain", "invalid_payload");
    }
    let has_text = body["text"].as_str().is_some_and(|t| !t.trim().is_empty());
    let has_blocks = body["blocks"].as_array().is_some_and(|b| !b.is_empty());
    if !has_text && !has_blocks {
        return Reply::new(400, "text/plain", "no_text");
    }
    Reply::new(200, "text/plain", "ok")
}
