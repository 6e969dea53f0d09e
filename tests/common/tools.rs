//! External tools the tests run (moto's server, cargo-lambda, cfn-lint, ...): found on
//! `PATH` or in the venv `.ci/run` makes (`$REGENT_TOOLS_DIR/venv/bin`, by default
//! `~/.cache/regent-tools/venv/bin`). Missing, a test skips with a notice; with
//! `REGENT_REQUIRE_TOOLS=1` (set by `.ci/run`) it fails instead, so CI proves it ran.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where `.ci/run` installs the Python tools.
pub fn venv_bin() -> PathBuf {
    let base = std::env::var_os("REGENT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache")
                .join("regent-tools")
        });
    base.join("venv").join("bin")
}

/// The tool in the venv, else on `PATH`.
pub fn find(tool: &str) -> Option<PathBuf> {
    let in_venv = venv_bin().join(tool);
    if in_venv.is_file() {
        return Some(in_venv);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(tool))
        .find(|path| path.is_file())
}

/// The tool's path, or `None` with a notice on the terminal (a failure when
/// `REGENT_REQUIRE_TOOLS=1`).
pub fn tool_or_skip(tool: &str, test: &str) -> Option<PathBuf> {
    let found = find(tool);
    if found.is_some() {
        return found;
    }
    if std::env::var_os("REGENT_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{test}: `{tool}` is required (REGENT_REQUIRE_TOOLS=1) but not installed; .ci/run installs it");
    }
    let notice = format!(
        "notice: {test} skipped: `{tool}` is not installed (bash .ci/run installs it; set REGENT_REQUIRE_TOOLS=1 to make this a failure)\n"
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
    None
}

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A child process killed when dropped (a local endpoint for one test).
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until something listens on `port` (at most `limit`).
pub fn wait_for_port(port: u16, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// moto's server on a free loopback port, or `None` (skipped) when moto is not installed.
pub fn moto(test: &str) -> Option<Server> {
    let program = tool_or_skip("moto_server", test)?;
    let port = free_port();
    let child = Command::new(program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let server = Server { child, port };
    assert!(
        wait_for_port(port, Duration::from_secs(30)),
        "moto_server listens on 127.0.0.1:{port}"
    );
    Some(server)
}

/// Microsoft's SARIF Multitool as `.ci/run` installs it from npm (under
/// `$REGENT_TOOLS_DIR/npm`), else `Sarif.Multitool` in the venv or on `PATH`; `None`
/// (skipped, or a failure with `REGENT_REQUIRE_TOOLS=1`) when it is not installed.
pub fn sarif_multitool_or_skip(test: &str) -> Option<PathBuf> {
    let tools = venv_bin()
        .parent()
        .and_then(|venv| venv.parent())
        .map(PathBuf::from)
        .unwrap_or_default();
    let installed = tools
        .join("npm")
        .join("node_modules")
        .join("@microsoft")
        .join("sarif-multitool-linux")
        .join("Sarif.Multitool");
    if installed.is_file() {
        return Some(installed);
    }
    tool_or_skip("Sarif.Multitool", test)
}

/// The account an access key acts as, by STS GetCallerIdentity at `sts` (moto's server:
/// it reads the key from `Authorization` and checks no signature). How a test learns
/// which account an execution started with keys from moto's AssumeRole ran in.
pub fn account_of_key(sts: &str, access_key_id: &str) -> Option<String> {
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={access_key_id}/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0"
    );
    let answer = super::http::send(
        sts,
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", &authorization),
        ],
        b"Action=GetCallerIdentity&Version=2011-06-15",
    );
    let after = answer.body.split("<Account>").nth(1)?;
    Some(after.split("</Account>").next()?.to_string())
}
