//! `regent lambda invoke --event FILE`: one Config rule event answered as the Lambda
//! handler answers it (`lambda::handle`), without the Lambda runtime: for tests, and for
//! users trying a rule before they deploy it.

use super::{load_pack, print_problems, write_output};
use crate::aws::{AwsSettings, Connection};
use crate::diagnostics::{Code, Problem};
use crate::lambda::{self, Handler};
use crate::model::envelope::ResultToken;
use crate::pipeline;
use crate::sink::put_evaluations::write_requests;
use crate::source::{fs, Document};
use crate::ExitStatus;
use aws_lambda_events::event::config::ConfigEvent;
use std::path::{Path, PathBuf};

pub struct InvokeSettings {
    /// The event file, or `-` for stdin.
    pub event: PathBuf,
    /// Send the evaluations (PutEvaluations); else only print them.
    pub send: bool,
    pub builtin: bool,
    pub policy_dirs: Vec<PathBuf>,
    pub options: pipeline::Options,
    pub aws: AwsSettings,
}

pub fn run(settings: InvokeSettings) -> miette::Result<ExitStatus> {
    let event = match read_event(&settings.event, settings.options.max_input_bytes) {
        Ok(event) => event,
        Err(problem) => {
            print_problems(&[problem]);
            return Ok(ExitStatus::Error);
        }
    };
    let pack = load_pack(settings.builtin, &settings.policy_dirs);
    if pack
        .problems
        .iter()
        .any(|p| p.code == Code::PolicyUnreadable)
    {
        return Ok(ExitStatus::Error);
    }
    let handler = Handler {
        pack,
        aws: Connection::new(settings.aws),
        options: settings.options,
    };
    let handled = match lambda::handle(&handler, &event, settings.send) {
        Ok(handled) => handled,
        Err(problems) => {
            print_problems(&problems);
            return Ok(ExitStatus::Error);
        }
    };
    let test_mode = event.result_token.as_deref() == Some(ResultToken::TEST_MODE);
    write_output(None, |out| {
        write_requests(&handled.evaluations, test_mode, out)
    })?;
    print_problems(&handled.problems);
    eprintln!("{}", handled.summary(settings.send));
    Ok(if handled.failed() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// The event, read whole (at most `max_bytes`) and parsed as a Config rule event.
fn read_event(path: &Path, max_bytes: u64) -> Result<ConfigEvent, Problem> {
    let document: Document = if path.as_os_str() == "-" {
        fs::stdin()
    } else {
        fs::file(path.to_path_buf())
    };
    let origin = document.origin.clone();
    let bytes = document.read(max_bytes)?;
    serde_json::from_slice(&bytes).map_err(|err| {
        Problem::new(
            Code::LambdaEvent,
            &*origin,
            format!("not a Config rule's Lambda event: {err}"),
        )
        .with_help("a Config custom rule's event has configRuleName, resultToken, eventLeftScope and invokingEvent; README \"A Config custom rule\"")
    })
}
