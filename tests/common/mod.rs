//! Shared helpers for the integration tests: run the real binary, bind insta settings.
#![allow(dead_code)]

pub mod config_endpoint;
pub mod http;
pub mod ssm_endpoint;
pub mod tools;
pub mod webhook;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the clone (CI has it there).
pub fn shared() -> PathBuf {
    root().join("..").join("shared")
}

/// `../shared/<relative>`, or `None` with a notice on stderr when it is not beside the
/// clone: those tests skip on a bare clone. CI sets `REGENT_REQUIRE_SHARED=1`, which turns
/// the absence into a failure, so CI still proves them.
pub fn shared_or_skip(relative: &str, test: &str) -> Option<PathBuf> {
    let path = shared().join(relative);
    if path.exists() {
        return Some(path);
    }
    if std::env::var_os("REGENT_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!(
            "{test}: {} is required (REGENT_REQUIRE_SHARED=1) but absent",
            path.display()
        );
    }
    // Written to the stream itself: libtest captures `eprintln!` of a passing test, and
    // the notice must be seen.
    let notice = format!(
        "notice: {test} skipped: {} is not beside the clone (set REGENT_REQUIRE_SHARED=1 to make this a failure)\n",
        path.display()
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
    None
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one block, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_regent"));
    cmd.args(args)
        .current_dir(root())
        // Plain, stable diagnostics whatever terminal runs the tests.
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE");
    isolate_from_aws(&mut cmd);
    cmd
}

/// No test reaches an address outside 127.0.0.1 or reads the developer's AWS set-up: no
/// instance metadata, no profiles or config files, no ambient credentials or endpoint. A
/// test that talks to a local endpoint sets what it needs after this.
pub fn isolate_from_aws(cmd: &mut Command) {
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/regent-tests/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/regent-tests/credentials",
        );
}

/// Run `regent` with these arguments from the repository root.
pub fn regent(args: &[&str]) -> Run {
    finish(command(args).output().expect("the regent binary runs"))
}

/// Run `regent` with credentials for a local endpoint (key id `testing`, this secret,
/// region us-east-1) and `env` on top.
pub fn regent_with_local_aws(args: &[&str], secret: &str, env: &[(&str, &str)]) -> Run {
    let output = command(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_REGION", "us-east-1")
        .envs(env.iter().copied())
        .output()
        .expect("the regent binary runs");
    finish(output)
}

/// Run `regent` against a local endpoint at `url` for every service, with its credentials
/// (`regent_with_local_aws`) and a retry policy that cannot hang a test: four attempts,
/// 10 ms apart at first.
pub fn regent_at_local_endpoint(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.extend([
        "--endpoint-url",
        url,
        "--aws-max-attempts",
        "4",
        "--aws-backoff",
        "10ms",
    ]);
    regent_with_local_aws(&all, "testing", env)
}

/// A diagnostic's text with miette's line wrapping undone, for substring checks.
pub fn flat(text: &str) -> String {
    text.split('\n')
        .map(|line| line.trim().trim_start_matches('│').trim())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run `regent` with `stdin` as standard input.
pub fn regent_stdin(args: &[&str], stdin: &[u8]) -> Run {
    use std::io::Write;
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the regent binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("stdin accepts the input");
    finish(child.wait_with_output().expect("regent finishes"))
}

/// insta settings: snapshots in the top-level `snapshots/` folder.
pub fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("snapshots"));
    settings.set_prepend_module_to_snapshot(true);
    settings.set_omit_expression(true);
    settings
}

pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}):\n{}", run.stdout))
}

pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("temp dir is writable");
    }
    std::fs::write(&path, content).expect("temp dir is writable");
    path
}
