//! The malformed corpus (fixtures/_malformed/, made by its generate.py) and the hostile
//! inputs that cannot be files in a repository (a FIFO, /dev/zero, a gzip bomb, an endless
//! stream), each through the real binary beside a good input, with a time limit: never an
//! abort or a hang, exit code 0 to 2, a diagnostic naming the input, the summary accounting
//! for every item, and the good input judged exactly as when it is alone.

mod common;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);
const GOOD: &str = "fixtures/_malformed/good/snapshot.json";

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run `regent` with a time limit, feeding `stdin` from a thread (which may write forever:
/// it stops when regent closes the pipe).
fn run(args: &[&str], stdin: Option<Box<dyn FnOnce(std::process::ChildStdin) + Send>>) -> Outcome {
    let mut command = common::command(args);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = command.spawn().expect("regent starts");
    let feeder = match (stdin, child.stdin.take()) {
        (Some(feed), Some(pipe)) => Some(std::thread::spawn(move || feed(pipe))),
        _ => None,
    };
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("regent can be waited for") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("regent {args:?} ran past {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    let outcome = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    };
    for abort in [
        "panicked",
        "overflowed its stack",
        "fatal runtime error",
        "Aborted",
    ] {
        assert!(
            !outcome.stderr.contains(abort),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    assert!(
        (0..=2).contains(&outcome.code),
        "{args:?} exited {}: {}",
        outcome.code,
        outcome.stderr
    );
    outcome
}

fn report(outcome: &Outcome) -> Value {
    serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| {
        panic!(
            "a JSON report ({e}): {}\n{}",
            outcome.stdout, outcome.stderr
        )
    })
}

/// The rows about the good input's buckets.
fn good_rows(report: &Value) -> Vec<String> {
    let mut rows: Vec<String> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            r["resource_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("good-bucket"))
        })
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["control_id"], r["resource_id"], r["compliance_type"], r["annotation"]
            )
        })
        .collect();
    rows.sort();
    rows
}

fn assert_accounts(report: &Value, context: &str) {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        n("items_read"),
        n("items_evaluated") + n("items_skipped") + n("items_failed"),
        "{context}: {s}"
    );
    assert_eq!(
        n("evaluations"),
        report["results"].as_array().map_or(0, |r| r.len() as u64)
    );
}

fn alone() -> Vec<String> {
    let outcome = run(&["eval", GOOD, "--format", "json"], None);
    let rows = good_rows(&report(&outcome));
    assert!(rows.len() > 10, "the good input is judged: {rows:?}");
    rows
}

fn names(report: &Value) -> String {
    format!("{} {}", report["errors"], report["skipped_inputs"])
}

fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(common::root().join(dir))
        .expect("the corpus is there")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_malformed_file_is_named_and_costs_only_itself() {
    let good = alone();
    let files = corpus("fixtures/_malformed");
    assert!(files.len() >= 12, "{files:?}");
    for file in files {
        let path = file
            .strip_prefix(common::root())
            .expect("inside the repository");
        let path = path.to_str().expect("UTF-8 path");
        let outcome = run(&["eval", path, GOOD, "--format", "json"], None);
        let report = report(&outcome);
        assert_eq!(outcome.code, 2, "{path}: {}", outcome.stderr);
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert!(
            names(&report).contains(name),
            "{path} is named: {}",
            names(&report)
        );
        assert!(
            outcome.stderr.contains(name),
            "{path} on stderr: {}",
            outcome.stderr
        );
        assert_accounts(&report, path);
        assert_eq!(
            good_rows(&report),
            good,
            "{path}: the good input is judged as alone"
        );
    }
}

#[test]
fn every_odd_item_is_judged_alone() {
    let good = alone();
    for file in corpus("fixtures/_malformed/odd") {
        let path = file
            .strip_prefix(common::root())
            .expect("inside the repository");
        let path = path.to_str().expect("UTF-8 path");
        let outcome = run(&["eval", path, GOOD, "--format", "json"], None);
        let report = report(&outcome);
        assert!(
            report["errors"].as_array().is_some_and(Vec::is_empty),
            "{path}: {}",
            report["errors"]
        );
        let judged = report["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["source"].as_str().is_some_and(|s| s.contains(path)))
            .count();
        assert!(judged > 0, "{path}: its item is judged");
        assert_accounts(&report, path);
        assert_eq!(good_rows(&report), good, "{path}");
        // Nothing from an item reaches a terminal raw.
        let table = run(&["eval", path, GOOD, "--fail-on", "never"], None);
        for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(
                !table.stdout.contains(raw) && !table.stderr.contains(raw),
                "{path}"
            );
        }
    }
}

#[test]
fn special_files_and_endless_streams_are_refused_not_waited_for() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let good = alone();
    // A FIFO in a directory is skipped; named, it is refused (reading it would block).
    let fifo = dir.path().join("events.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        std::fs::copy(common::root().join(GOOD), dir.path().join("good.json")).expect("copied");
        let walked = run(
            &["eval", dir.path().to_str().unwrap(), "--format", "json"],
            None,
        );
        let report = report(&walked);
        assert!(
            names(&report).contains("not a regular file (a FIFO"),
            "{}",
            names(&report)
        );
        assert_eq!(good_rows(&report), good);
        let named = run(
            &["eval", fifo.to_str().unwrap(), GOOD, "--format", "json"],
            None,
        );
        assert!(
            named.stderr.contains("not a regular file (a FIFO)"),
            "{}",
            named.stderr
        );
        std::fs::remove_file(dir.path().join("good.json")).expect("removed");
    }
    // A device that never ends.
    let zero = run(&["eval", "/dev/zero", GOOD, "--format", "json"], None);
    assert!(zero.stderr.contains("/dev/zero") && zero.stderr.contains("not a regular file"));
    assert_eq!(good_rows(&report(&zero)), good);

    // A small gzip that inflates past the bound.
    let bomb = dir.path().join("bomb.json.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..16 {
        encoder.write_all(&spaces).expect("compressed");
    }
    std::fs::write(&bomb, encoder.finish().expect("compressed")).expect("written");
    let bombed = run(
        &[
            "eval",
            bomb.to_str().unwrap(),
            GOOD,
            "--format",
            "json",
            "--max-input-size",
            "8MiB",
        ],
        None,
    );
    let bombed_report = report(&bombed);
    assert!(
        names(&bombed_report).contains("input::too_large"),
        "{}",
        names(&bombed_report)
    );
    assert!(bombed.stderr.contains("bomb.json.gz"));
    assert_eq!(good_rows(&bombed_report), good);

    // A file over the bound is refused before it is read.
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; (9 << 20) + 1]).expect("written");
    let refused = run(
        &[
            "eval",
            big.to_str().unwrap(),
            GOOD,
            "--format",
            "json",
            "--max-input-size",
            "8MiB",
        ],
        None,
    );
    assert!(refused.stderr.contains("input::too_large") && refused.stderr.contains("big.json"));

    // An endless stream on stdin stops at the bound.
    let endless: Box<dyn FnOnce(std::process::ChildStdin) + Send> = Box::new(|mut pipe| {
        let chunk = vec![b'['; 1 << 16];
        while pipe.write_all(&chunk).is_ok() {}
    });
    let stream = run(
        &[
            "eval",
            "-",
            GOOD,
            "--format",
            "json",
            "--max-input-size",
            "4MiB",
        ],
        Some(endless),
    );
    assert!(
        stream.stderr.contains("<stdin>") && stream.stderr.contains("input::too_large"),
        "{}",
        stream.stderr
    );
    assert_eq!(good_rows(&report(&stream)), good);
}

#[test]
fn a_settings_value_never_reaches_the_terminal() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("regent.toml");
    std::fs::write(
        &config,
        "[settings]\nwebhook_token = \"xoxb-not-to-be-printed\"\nremediation_role_arn = 42x\n",
    )
    .expect("written");
    let outcome = run(&["eval", GOOD, "--config", config.to_str().unwrap()], None);
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("config::invalid"),
        "{}",
        outcome.stderr
    );
    assert!(
        !outcome.stderr.contains("xoxb-not-to-be-printed"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn the_corpus_is_what_its_script_writes() {
    // generate.py documents every case; a file changed by hand would no longer match it.
    let script = std::fs::read_to_string(common::root().join("fixtures/_malformed/generate.py"))
        .expect("the generator is there");
    for file in corpus("fixtures/_malformed")
        .into_iter()
        .chain(corpus("fixtures/_malformed/odd"))
    {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert!(script.contains(name), "generate.py writes {name}");
    }
    assert!(Path::new(&common::root().join(GOOD)).is_file());
}
