//! `regent-lambda`: regent as an AWS Config custom rule, on the Lambda custom runtime
//! (`provided.al2023`, the binary deployed as `bootstrap`). Each invocation is one Config
//! rule event, answered by `regent::lambda::handle` (the pipeline `regent eval` runs) with
//! PutEvaluations. README "A Config custom rule" builds, packages and deploys it.
//!
//! Environment: what Lambda sets (credentials, `AWS_REGION`, the Runtime API), and
//! optionally `REGENT_POLICIES`, directories of your own policies (separated by `:`) to
//! load beside the built-in pack.

use aws_lambda_events::event::config::ConfigEvent;
use lambda_runtime::{service_fn, Diagnostic, LambdaEvent};
use regent::aws::{AwsSettings, Connection};
use regent::lambda::{handle, Handler};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// As the `regent` binary: the engines recurse on nested values and calls.
const WORKER_STACK: usize = 64 << 20;

fn main() -> Result<(), lambda_runtime::Error> {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build_global();
    // Once per cold start: the pack, and the connection to AWS (made at the first call,
    // with its own runtime, on which the handler's calls block; the Runtime API's loop
    // runs on another).
    let handler = Arc::new(Handler {
        pack: load_pack(),
        aws: Connection::new(AwsSettings::default()),
        options: regent::pipeline::Options::default(),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(lambda_runtime::run(service_fn(
        move |event: LambdaEvent<Value>| {
            let handler = handler.clone();
            async move {
                // The pipeline is synchronous and blocks on AWS calls: off the event loop.
                tokio::task::spawn_blocking(move || answer(&handler, event.payload))
                    .await
                    .map_err(|err| diagnostic("regent::panic", err.to_string()))?
            }
        },
    )))
}

/// The built-in pack and `REGENT_POLICIES`; problems go to the log.
fn load_pack() -> regent::policy::Pack {
    let dirs: Vec<PathBuf> = std::env::var_os("REGENT_POLICIES")
        .map(|dirs| std::env::split_paths(&dirs).collect())
        .unwrap_or_default();
    let pack = regent::policy::Pack::load(true, &dirs);
    log_problems(&pack.problems);
    pack
}

/// One event answered; an error (logged) makes AWS Config invoke the rule again.
fn answer(handler: &Handler, payload: Value) -> Result<Value, Diagnostic> {
    let event: ConfigEvent = serde_json::from_value(payload).map_err(|err| {
        eprintln!("lambda::event: not a Config rule's Lambda event: {err}");
        diagnostic(
            "lambda::event",
            format!("not a Config rule's Lambda event: {err}"),
        )
    })?;
    let handled = handle(handler, &event, true).map_err(|problems| {
        log_problems(&problems);
        let first = problems
            .first()
            .map_or("lambda::event", |p| p.code.as_str());
        diagnostic(first, format!("{} problems; see the log", problems.len()))
    })?;
    log_problems(&handled.problems);
    let summary = handled.summary(true);
    eprintln!("{summary}");
    if let Some(problem) = handled.problems.first() {
        return Err(diagnostic(problem.code.as_str(), summary));
    }
    Ok(json!({
        "rule": handled.rule,
        "messageType": handled.message_type,
        "evaluations": handled.evaluation_count(),
        "accepted": handled.sent.accepted,
    }))
}

fn diagnostic(code: &str, message: String) -> Diagnostic {
    Diagnostic {
        error_type: code.to_string(),
        error_message: message,
    }
}

/// Each problem on stderr (CloudWatch Logs), plain.
fn log_problems(problems: &[regent::diagnostics::Problem]) {
    for problem in problems {
        eprintln!("{:?}", miette::Report::new(problem.clone()));
    }
}
