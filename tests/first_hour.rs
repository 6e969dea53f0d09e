//! What a newcomer meets in the first hour, through the real binary: gates that cannot
//! pass by accident, messages with codes and suggestions, options in any case, a report
//! that fits the screen and can be cut down, `regent controls` filters, completions and
//! a manual page.

mod common;

use common::{flat, regent, write};

fn json(run: &common::Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

// ---------------------------------------------------------------------------------------
// Gates

#[test]
fn no_builtin_without_policies_stops_with_no_controls() {
    let run = regent(&["eval", "fixtures/demo", "--no-builtin"]);
    assert_eq!(run.code, 2);
    assert!(
        flat(&run.stderr).contains("policy::no_controls"),
        "{}",
        run.stderr
    );
    assert!(flat(&run.stderr).contains("--policies"), "says what to do");
    assert!(
        run.stdout.is_empty(),
        "nothing is evaluated: {}",
        run.stdout
    );
}

#[test]
fn s3_selection_flags_without_an_s3_input_are_a_mistake_said() {
    let run = regent(&[
        "eval",
        "fixtures/demo",
        "--accounts",
        "191295367128",
        "--all-snapshots",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let said = flat(&run.stderr);
    assert!(said.contains("config::invalid"), "{said}");
    assert!(said.contains("--all-snapshots, --accounts choose among the objects of s3:// inputs, and no input is one"), "{said}");
    assert!(said.contains("use --account and --region"), "{said}");
    assert!(
        run.stdout.is_empty(),
        "nothing is evaluated: {}",
        run.stdout
    );
}

#[test]
fn a_missing_policy_directory_stops_before_evaluating() {
    let run = regent(&["eval", "fixtures/demo", "--policies", "no/such/pack"]);
    assert_eq!(run.code, 2);
    assert!(
        flat(&run.stderr).contains("policy::unreadable"),
        "{}",
        run.stderr
    );
    assert!(flat(&run.stderr).contains("no/such/pack"), "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "no report of the built-in pack first: {}",
        run.stdout
    );
}

#[test]
fn a_select_without_resource_type_fails_with_the_query_to_use() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "select.json",
        r#"{"QueryInfo":{"SelectFields":[{"Name":"resourceId"},{"Name":"configuration"}]},
            "Results":["{\"resourceId\":\"sg-1\",\"configuration\":{}}","{\"resourceId\":\"sg-2\",\"configuration\":{}}"]}"#,
    );
    let run = regent(&["eval", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        flat(&run.stderr).contains("input::nothing_evaluated"),
        "{}",
        run.stderr
    );
    assert!(
        flat(&run.stderr).contains("SELECT resourceType"),
        "the help gives the query: {}",
        run.stderr
    );
    assert!(run.stdout.contains("2 read: 0 evaluated, 2 skipped"));
    assert!(run.stdout.contains("Result: ERRORS"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("No failing resources"),
        "{}",
        run.stdout
    );
}

#[test]
fn items_no_control_judges_fail_the_run() {
    // Only a volume, and only a bucket control selected.
    let run = regent(&[
        "eval",
        "fixtures/_loader/api_batch_get_resource_config.json",
        "--control",
        "EC2.19",
    ]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        flat(&run.stderr).contains("input::nothing_evaluated"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_directory_is_an_error_not_a_clean_pass() {
    let dir = tempfile::tempdir().unwrap();
    let run = regent(&["eval", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(flat(&run.stderr).contains("input::empty"), "{}", run.stderr);
    assert!(
        !run.stdout.contains("No failing resources"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("Result: ERRORS"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_summary_separates_inputs_from_items_and_ends_with_the_result() {
    let run = regent(&["eval", "fixtures/_loader"]);
    let summary = run.stdout.split("Summary\n").nth(1).expect("a summary");
    let lines: Vec<&str> = summary.lines().collect();
    let inputs = lines
        .iter()
        .position(|l| l.starts_with("  inputs"))
        .unwrap();
    let items = lines.iter().position(|l| l.starts_with("  items")).unwrap();
    // "not a JSON or YAML file" is an input skip: listed under inputs, before the items line.
    let not_json = lines
        .iter()
        .position(|l| l.contains("not a JSON or YAML file"))
        .unwrap();
    assert!(inputs < not_json && not_json < items, "{summary}");
    let superseded = lines
        .iter()
        .position(|l| l.contains("superseded by a newer"))
        .unwrap();
    assert!(superseded > items, "{summary}");
    assert_eq!(run.code, 1);
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("Result: FAILED, ") && last.ends_with(" failed; exit 1"),
        "{last}"
    );
    // Nothing critical fails there.
    let gated = regent(&["eval", "fixtures/_loader", "--fail-on", "critical"]);
    assert_eq!(gated.code, 0);
    assert!(gated
        .stdout
        .ends_with("Result: PASSED, nothing failed at critical or above; exit 0\n"));
}

// ---------------------------------------------------------------------------------------
// Messages

#[test]
fn unknown_ids_and_standards_suggest_the_nearest() {
    let explain = regent(&["explain", "EC2.91"]);
    assert_eq!(explain.code, 2);
    assert!(
        flat(&explain.stderr).contains("explain::unknown_control"),
        "{}",
        explain.stderr
    );
    assert!(
        flat(&explain.stderr).contains("did you mean `EC2.19`"),
        "{}",
        explain.stderr
    );
    let control = regent(&["eval", "fixtures/demo", "--control", "s3.55"]);
    assert_eq!(control.code, 2);
    assert!(
        flat(&control.stderr).contains("`S3.5`"),
        "{}",
        control.stderr
    );
    let standard = regent(&["eval", "fixtures/demo", "--standard", "cis-1.5"]);
    assert_eq!(standard.code, 2);
    assert!(
        flat(&standard.stderr).contains("`cis-1.4`"),
        "{}",
        standard.stderr
    );
    let format = regent(&["eval", "fixtures/demo", "--format", "jsn"]);
    assert_eq!(format.code, 2);
    assert!(flat(&format.stderr).contains("'json'"), "{}", format.stderr);
}

#[test]
fn enumerated_options_accept_any_case() {
    let run = regent(&[
        "eval",
        "fixtures/demo",
        "--fail-on",
        "HIGH",
        "--format",
        "JSON",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(json(&run)["schema_version"], 1);
    let controls = regent(&["controls", "--severity", "Critical", "--format", "Json"]);
    assert_eq!(controls.code, 0, "{}", controls.stderr);
    let listed = json(&controls);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["severity"] == "critical"));
}

#[test]
fn as_of_accepts_a_date_meaning_the_end_of_that_day() {
    // ACM.1 judges certificate expiry against the evaluation time: a day is its last
    // instant in UTC, the same verdicts as that instant written out.
    let by_day = regent(&[
        "eval",
        "fixtures/demo",
        "--as-of",
        "2026-11-10",
        "--format",
        "json",
    ]);
    assert!(by_day.code <= 1, "{}", by_day.stderr);
    let by_time = regent(&[
        "eval",
        "fixtures/demo",
        "--as-of",
        "2026-11-10T23:59:59.999999999Z",
        "--format",
        "json",
    ]);
    assert_eq!(by_day.stdout, by_time.stdout);
    let wrong = regent(&["eval", "fixtures/demo", "--as-of", "2026-13-10"]);
    assert_eq!(wrong.code, 2);
    assert!(
        flat(&wrong.stderr).contains("neither a date"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn an_unwritable_output_fails_before_evaluating_with_a_code() {
    let run = regent(&["eval", "fixtures/demo", "-o", "/nonexistent/dir/out.json"]);
    assert_eq!(run.code, 2);
    assert!(
        flat(&run.stderr).contains("output::unwritable"),
        "{}",
        run.stderr
    );
    assert!(
        flat(&run.stderr).contains("does not exist"),
        "{}",
        run.stderr
    );
    // Before evaluating: no summary was printed anywhere.
    assert!(run.stdout.is_empty());
    // A directory is no report file.
    let dir = tempfile::tempdir().unwrap();
    let run = regent(&["eval", "fixtures/demo", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        flat(&run.stderr).contains("it is a directory"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_report_file_is_written_whole_and_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    std::fs::write(&path, "an older report").unwrap();
    let run = regent(&[
        "eval",
        "fixtures/demo",
        "--format",
        "json",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        regent(&["eval", "fixtures/demo", "--format", "json"]).stdout
    );
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("report.json")]);
}

#[test]
fn regent_test_says_why_nothing_ran() {
    let dir = tempfile::tempdir().unwrap();
    let empty = regent(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(empty.code, 1);
    assert!(
        flat(&empty.stderr).contains("test::nothing_ran"),
        "{}",
        empty.stderr
    );
    assert!(
        flat(&empty.stderr).contains("holds no fixture folders"),
        "{}",
        empty.stderr
    );
    let unmatched = regent(&["test", "--run", "^NOTHING_MATCHES$"]);
    assert_eq!(unmatched.code, 1);
    assert!(
        flat(&unmatched.stderr).contains("--run matched none of the"),
        "{}",
        unmatched.stderr
    );
}

#[test]
fn stdin_on_a_terminal_says_it_is_waiting() {
    // `script` gives the binary a pseudo-terminal for stdin.
    let Some(script) = common::tools::find("script") else {
        eprintln!("notice: stdin_on_a_terminal_says_it_is_waiting skipped: `script` (util-linux) is not installed");
        return;
    };
    let binary = env!("CARGO_BIN_EXE_regent");
    let output = std::process::Command::new(script)
        .args(["-qec", &format!("{binary} eval -"), "/dev/null"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("reading configuration items from stdin (a terminal)"),
        "{text}"
    );
    // Piped stdin says nothing of the kind.
    let piped = common::regent_stdin(&["eval", "-"], b"");
    assert!(
        !flat(&piped.stderr).contains("(a terminal)"),
        "{}",
        piped.stderr
    );
}

/// Progress is drawn on a terminal's stderr once a run has taken a second, never for a
/// shorter run and never on a pipe.
#[test]
fn progress_shows_on_a_terminal_for_runs_longer_than_a_second() {
    let Some(script) = common::tools::find("script") else {
        eprintln!("notice: progress_shows_on_a_terminal_for_runs_longer_than_a_second skipped: `script` (util-linux) is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // About two seconds of work on the one item, whatever the build.
    write(
        dir.path(),
        "acme/acme_1.rego",
        "package regent.acme_1\n\nmetadata := {\"id\": \"ACME.1\", \"title\": \"t\", \"severity\": \"low\", \"resource_types\": [\"AWS::S3::Bucket\"]}\n\nviolation contains \"slow\" if {\n\tcount([i | some i in numbers.range(1, 9000000)]) < 0\n}\n",
    );
    let slow = format!(
        "--no-builtin --policies {} fixtures/_loader/bare_item.json --eval-timeout 120s",
        dir.path().display()
    );
    let on_terminal = |args: &str| {
        let binary = env!("CARGO_BIN_EXE_regent");
        let output = std::process::Command::new(&script)
            .args([
                "-qec",
                &format!("{binary} eval {args} --format json -o /dev/null"),
                "/dev/null",
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let long = on_terminal(&slow);
    assert!(long.contains("evaluating 1 items"), "{long:?}");
    let short = on_terminal("fixtures/_loader/bare_item.json");
    assert!(!short.contains("items"), "{short:?}");
    let args: Vec<&str> = slow.split(' ').collect();
    let piped = regent(
        &[
            &["eval"],
            &args[..],
            &["--format", "json", "-o", "/dev/null"],
        ]
        .concat(),
    );
    assert!(!piped.stderr.contains("evaluating"), "{}", piped.stderr);
}

// ---------------------------------------------------------------------------------------
// Output that fits

#[test]
fn the_table_fits_the_width_and_json_keeps_every_value() {
    for columns in ["60", "100", "160"] {
        let run = common::command(&["eval", "fixtures/demo"])
            .env("COLUMNS", columns)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        let width: usize = columns.parse().unwrap();
        for line in stdout.lines() {
            // A single word longer than the screen (an ARN, a runbook name) stays whole.
            let longest_word = line
                .split(' ')
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            assert!(
                line.chars().count() <= width || longest_word + 8 > width,
                "{line:?} is wider than {columns} columns"
            );
        }
    }
    // Into a pipe without COLUMNS, whole lines: the longest reason is on one line.
    let piped = common::command(&["eval", "fixtures/demo"])
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let piped = String::from_utf8_lossy(&piped.stdout);
    assert!(piped.contains(
        "includes high-risk ports 20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300"
    ));
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let plain = regent(&["eval", "fixtures/demo"]);
    assert!(!plain.stdout.contains('\u{1b}'), "NO_COLOR: no escapes");
    let forced = regent(&["eval", "fixtures/demo", "--color", "always"]);
    assert!(
        forced.stdout.contains("\u{1b}[1m\u{1b}[31mFAILED"),
        "the result in red"
    );
    assert!(forced.stdout.contains("CRITICAL"));
    let auto = common::command(&["eval", "fixtures/demo", "--color", "auto"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&auto.stdout).contains('\u{1b}'),
        "a pipe gets no colour by default"
    );
    let never = regent(&["eval", "fixtures/demo", "--color", "NEVER"]);
    assert!(!never.stdout.contains('\u{1b}'));
}

#[test]
fn summary_only_and_top_cut_a_large_report_down() {
    let full = regent(&["eval", "fixtures/demo"]);
    let summary = regent(&["eval", "fixtures/demo", "--summary"]);
    assert_eq!(summary.code, full.code, "the exit code is the same");
    assert!(
        summary.stdout.starts_with("Summary\n"),
        "{}",
        summary.stdout
    );
    assert!(full.stdout.ends_with(&summary.stdout), "the same summary");

    let top = regent(&["eval", "fixtures/demo", "--top", "2"]);
    let headers = top
        .stdout
        .lines()
        .filter(|l| l.starts_with("CRITICAL") || l.starts_with("HIGH"))
        .count();
    assert_eq!(headers, 2, "{}", top.stdout);
    assert!(
        top.stdout.contains("… and 4 more (--top shows 2"),
        "EC2.19 has 6 failing: {}",
        top.stdout
    );
    assert!(
        top.stdout.contains("more failing controls"),
        "{}",
        top.stdout
    );
}

#[test]
fn filters_cut_what_is_shown_and_the_summary_says_so() {
    let run = regent(&[
        "eval",
        "fixtures/demo",
        "--account",
        "986349127075",
        "--region",
        "eu-west-1",
        "--severity",
        "critical",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "findings elsewhere still fail the run");
    let report = json(&run);
    let results = report["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for row in results {
        assert_eq!(row["aws_account_id"], "986349127075");
        assert_eq!(row["aws_region"], "eu-west-1");
        assert_eq!(row["severity"], "critical");
    }
    // Every result is still counted in the summary.
    assert!(report["summary"]["evaluations"].as_u64().unwrap() > results.len() as u64);
    let shown = report["shown"].to_string();
    assert!(shown.contains("986349127075"), "{shown}");

    let table = regent(&[
        "eval",
        "fixtures/demo",
        "--resource-type",
        "aws::s3::bucket",
    ]);
    let shown_line = table
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("shown"))
        .unwrap_or_else(|| panic!("the summary says what was filtered: {}", table.stdout));
    assert!(
        shown_line.to_lowercase().contains("aws::s3::bucket"),
        "{shown_line}"
    );
    for header in table
        .stdout
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()) && l.contains("failing]"))
    {
        assert!(header.contains(" S3."), "only bucket controls: {header}");
    }
    // A filter that matches nothing says so in those words, not "No failing resources".
    let nothing = regent(&["eval", "fixtures/demo", "--account", "000000000000"]);
    assert_eq!(nothing.code, 1, "the exit code reflects every result");
    assert!(
        nothing
            .stdout
            .starts_with("No failing resources among the results shown."),
        "{}",
        nothing.stdout
    );
    // A type no control reads is a typo, caught before evaluating.
    let typo = regent(&[
        "eval",
        "fixtures/demo",
        "--resource-type",
        "AWS::S3::Buckett",
    ]);
    assert_eq!(typo.code, 2, "{}", typo.transcript());
    assert!(typo.stdout.is_empty(), "{}", typo.stdout);
    let text = flat(&typo.stderr);
    assert!(
        text.contains("no selected control reads `AWS::S3::Buckett`"),
        "{text}"
    );
    assert!(text.contains("did you mean `AWS::S3::Bucket`?"), "{text}");
}

// ---------------------------------------------------------------------------------------
// regent controls, completions, man

#[test]
fn controls_filter_by_standard_service_and_severity() {
    let run = regent(&[
        "controls",
        "--standard",
        "cis-3.0",
        "--service",
        "S3",
        "--severity",
        "high",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("S3.8"), "{}", run.stdout);
    assert!(
        run.stdout.trim_end().ends_with("1 control"),
        "{}",
        run.stdout
    );
    let all = json(&regent(&["controls", "--format", "json"]));
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    // Natural order, whatever the case of the service name.
    let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    assert!(at("AutoScaling.1") < at("Autoscaling.5") || at("Autoscaling.5") < at("AutoScaling.9"));
    assert!(at("EC2.2") < at("EC2.13"));
    // A service no control belongs to is a mistake, not an empty list.
    let typo = regent(&["controls", "--service", "s33"]);
    assert_eq!(typo.code, 2, "{}", typo.transcript());
    let text = flat(&typo.stderr);
    assert!(text.contains("config::invalid"), "{text}");
    assert!(text.contains("unknown service `s33`"), "{text}");
    assert!(text.contains("did you mean `S3`?"), "{text}");
    assert!(typo.stdout.is_empty(), "{}", typo.stdout);
}

#[test]
fn completions_and_the_manual_page() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = regent(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("eval"), "{shell}");
        assert!(run.stdout.contains("fail-on"), "{shell}");
    }
    let man = regent(&["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH regent 1"), "{}", man.stdout);
    assert!(man.stdout.contains("completions"));
}
