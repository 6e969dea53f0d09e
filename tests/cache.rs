//! The verdict cache (README "Verdict cache"): `regent eval --cache DIR` reuses the verdicts
//! of unchanged items, and its report is the same, byte for byte, as a run without it.
//! Through the real binary, on the demo and on packs and inputs written here; what was
//! reused is read from the line `cache: N of M verdicts reused` on stderr, and what ran
//! from `--profile-controls`.

mod common;

use common::{regent, write, Run};
use std::path::{Path, PathBuf};

/// `regent eval <inputs> <extra> --format <format>`, the report to `out`.
fn eval_to(inputs: &Path, extra: &[&str], format: &str, out: &Path) -> Run {
    let mut args = vec!["eval", inputs.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend(["--format", format, "-o", out.to_str().unwrap()]);
    let run = regent(&args);
    assert!(
        run.code == 0 || run.code == 1,
        "the run completes\n{}",
        run.transcript()
    );
    run
}

/// A JSON report of `inputs` with `extra` options, and the run.
fn report(inputs: &Path, extra: &[&str], out: &Path) -> (Vec<u8>, Run) {
    let run = eval_to(inputs, extra, "json", out);
    (std::fs::read(out).unwrap(), run)
}

/// (reused, verdicts) from the run's `cache:` line.
fn reused(run: &Run) -> (usize, usize) {
    let line = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("regent: cache: "))
        .unwrap_or_else(|| panic!("a cache line on stderr\n{}", run.transcript()));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[1..], ["of", words[2], "verdicts", "reused"], "{line}");
    (words[0].parse().unwrap(), words[2].parse().unwrap())
}

/// The one `.verdicts` file in `dir`.
fn cache_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "verdicts"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

fn demo() -> PathBuf {
    common::root().join("fixtures/demo")
}

/// A copy of the demo to change.
fn demo_copy(dir: &Path) -> PathBuf {
    let to = dir.join("demo");
    for entry in walk(&demo()) {
        let relative = entry.strip_prefix(demo()).unwrap();
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
    to
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files
}

/// Change the items of the snapshots under `dir` that `pick` accepts with `change`.
fn change_items(
    dir: &Path,
    pick: impl Fn(&serde_json::Value) -> bool,
    change: impl Fn(&mut serde_json::Value),
) -> usize {
    let mut changed = 0;
    for file in walk(dir) {
        let mut snapshot: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let Some(items) = snapshot["configurationItems"].as_array_mut() else {
            continue;
        };
        let before = changed;
        for item in items.iter_mut().filter(|item| pick(item)) {
            change(item);
            changed += 1;
        }
        if changed > before {
            std::fs::write(&file, serde_json::to_vec(&snapshot).unwrap()).unwrap();
        }
    }
    changed
}

/// The report's results about resource `id`.
fn results_of(report: &[u8], id: &str) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_slice(report).unwrap();
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["resource_id"] == id)
        .cloned()
        .collect()
}

/// The controls `--profile-controls` says ran, with their evaluations.
fn controls_run(run: &Run) -> Vec<(String, u64)> {
    run.stderr
        .lines()
        .skip_while(|l| !l.starts_with("control "))
        .skip(1)
        .take_while(|l| !l.starts_with("view "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.parse().ok()?))
        })
        .collect()
}

#[test]
fn warm_cold_and_uncached_reports_are_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    let out = |name: &str| dir.path().join(name);
    for format in ["json", "table"] {
        let plain = eval_to(&demo(), &[], format, &out("plain"));
        let cold = eval_to(&demo(), &["--cache", cache_arg], format, &out("cold"));
        let warm = eval_to(&demo(), &["--cache", cache_arg], format, &out("warm"));
        // Another engine reads the same cache: the VM and the interpreter agree.
        let other_engine = eval_to(
            &demo(),
            &["--cache", cache_arg, "--engine", "interpreter"],
            format,
            &out("interpreter"),
        );
        let bytes = |name: &str| std::fs::read(out(name)).unwrap();
        assert!(!bytes("plain").is_empty());
        for name in ["cold", "warm", "interpreter"] {
            assert!(bytes(name) == bytes("plain"), "{format}: {name} differs");
        }
        assert_eq!(cold.code, plain.code);
        assert_eq!(warm.code, plain.code);
        let (none, total) = reused(&cold);
        assert!(total > 1000, "the demo gives over a thousand verdicts");
        if format == "json" {
            assert_eq!(none, 0, "the first run finds no cache");
        }
        assert_eq!(reused(&warm), (total, total));
        assert_eq!(reused(&other_engine), (total, total));
        assert!(!plain.stderr.contains("cache:"));
    }
    let profiled = regent(&[
        "eval",
        demo().to_str().unwrap(),
        "--cache",
        cache_arg,
        "--profile-controls",
        "--format",
        "json",
        "-o",
        out("profiled").to_str().unwrap(),
    ]);
    assert_eq!(controls_run(&profiled), vec![], "{}", profiled.stderr);
}

#[test]
fn changing_one_field_of_one_item_evaluates_only_that_items_controls() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = demo_copy(dir.path());
    let cache = dir.path().join("cache");
    let with_cache = ["--cache", cache.to_str().unwrap()];
    let (before, _) = report(&inputs, &with_cache, &dir.path().join("before.json"));
    let table = "web-shared-locks";
    let pitr = |item: &mut serde_json::Value| {
        item["supplementaryConfiguration"]["ContinuousBackupsDescription"]
            ["pointInTimeRecoveryDescription"]["pointInTimeRecoveryStatus"] = "DISABLED".into();
    };
    let changed = change_items(&inputs, |item| item["resourceId"] == table, pitr);
    assert_eq!(changed, 1);

    let (after, run) = report(&inputs, &with_cache, &dir.path().join("after.json"));
    let (uncached, _) = report(&inputs, &[], &dir.path().join("uncached.json"));
    assert!(after == uncached, "the warm report is the uncached one");
    let its_rows = results_of(&after, table);
    assert!(!its_rows.is_empty());
    let (reused_now, total) = reused(&run);
    assert_eq!(
        total - reused_now,
        its_rows.len(),
        "only the changed table's controls ran"
    );
    let verdict = |report: &[u8]| {
        results_of(report, table)
            .into_iter()
            .find(|r| r["control_id"] == "DynamoDB.2")
            .map(|r| r["compliance_type"].clone())
    };
    assert_eq!(verdict(&before), Some("COMPLIANT".into()));
    assert_eq!(verdict(&after), Some("NON_COMPLIANT".into()));
}

#[test]
fn a_new_as_of_time_evaluates_again_what_reads_the_time() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    let at = |time: &'static str| ["--cache", cache_arg, "--as-of", time, "--profile-controls"];
    let (_, first) = report(&demo(), &at("2026-11-10"), &dir.path().join("a.json"));
    assert_eq!(reused(&first).0, 0);
    let (later, run) = report(&demo(), &at("2027-06-01"), &dir.path().join("b.json"));
    let (uncached, _) = report(
        &demo(),
        &["--as-of", "2027-06-01"],
        &dir.path().join("c.json"),
    );
    assert!(later == uncached);
    let (reused_now, total) = reused(&run);
    assert!(
        0 < reused_now && reused_now < total,
        "{reused_now} of {total}"
    );
    let ran: Vec<String> = controls_run(&run).into_iter().map(|(id, _)| id).collect();
    // EC2.4 judges how long an instance has been stopped, Lambda.2 the runtime's end of
    // support (through a view): both read the time.
    for timed in ["EC2.4", "Lambda.2"] {
        assert!(ran.iter().any(|id| id == timed), "{timed} ran: {ran:?}");
    }
    // Buckets and tables have no control that reads the time.
    assert!(
        !ran.iter()
            .any(|id| id.starts_with("S3.") || id.starts_with("DynamoDB.")),
        "{ran:?}"
    );
    // The same time again: everything is reused.
    let (_, again) = report(&demo(), &at("2027-06-01"), &dir.path().join("d.json"));
    assert_eq!(reused(&again), (total, total));
}

/// A pack of one control over DynamoDB tables, with a parameter: its reason says `word`.
fn pack(dir: &Path, word: &str) -> PathBuf {
    let policies = dir.join("pack");
    let rego = format!(
        r#"package regent.acme_1

metadata := {{
	"id": "ACME.1",
	"title": "Tables must carry a tag",
	"description": "Every table has the tag the parameter names.",
	"severity": "low",
	"resource_types": ["AWS::DynamoDB::Table"],
	"parameters": {{"tag": {{"default": "Environment", "description": "the tag every table needs"}}}},
}}

tag := data.parameters["ACME.1"].tag

violation contains sprintf("table {word}: no %s tag", [tag]) if {{
	not some_tag
}}

some_tag if {{
	some t in input.tags
	t.key == tag
}}

some_tag if input.tags[tag]
"#
    );
    write(&policies.join("acme"), "acme_1.rego", rego);
    policies
}

#[test]
fn a_changed_parameter_or_pack_evaluates_everything_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let policies = pack(dir.path(), "lacks");
    let base = [
        "--cache",
        cache.to_str().unwrap(),
        "--policies",
        policies.to_str().unwrap(),
    ];
    let out = |name: &str| dir.path().join(name);
    let (_, cold) = report(&demo(), &base, &out("cold.json"));
    let (_, warm) = report(&demo(), &base, &out("warm.json"));
    let total = reused(&cold).1;
    assert_eq!(reused(&warm), (total, total));

    // A parameter in regent.toml.
    let config = write(
        dir.path(),
        "regent.toml",
        "[controls.\"ACME.1\"]\nparameters = { tag = \"Team\" }\n",
    );
    let mut with_config = base.to_vec();
    with_config.extend(["--config", config.to_str().unwrap()]);
    let (changed, run) = report(&demo(), &with_config, &out("param.json"));
    assert_eq!(reused(&run).0, 0, "another parameter, another cache");
    let (uncached, _) = report(&demo(), &with_config[2..], &out("param-uncached.json"));
    assert!(changed == uncached);
    let reason_of = |report: &[u8]| {
        let report: serde_json::Value = serde_json::from_slice(report).unwrap();
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["control_id"] == "ACME.1" && r["compliance_type"] == "NON_COMPLIANT")
            .filter_map(|r| r["annotation"].as_str().map(str::to_string))
            .collect::<Vec<String>>()
    };
    assert!(
        reason_of(&changed)
            .iter()
            .all(|r| r.contains("no Team tag"))
            && !reason_of(&changed).is_empty()
    );
    // The first parameters' verdicts are still kept.
    let (_, back) = report(&demo(), &base, &out("back.json"));
    assert_eq!(reused(&back), (total, total));

    // The control's policy changes.
    pack(dir.path(), "still lacks");
    let (edited, run) = report(&demo(), &base, &out("edited.json"));
    assert_eq!(reused(&run).0, 0, "another pack, another cache");
    let (uncached, _) = report(&demo(), &base[2..], &out("edited-uncached.json"));
    assert!(edited == uncached);
    assert!(reason_of(&edited)
        .iter()
        .all(|r| r.starts_with("table still lacks:")));
}

#[test]
fn a_corrupt_or_foreign_cache_file_is_a_diagnostic_and_a_cold_run() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let with_cache = ["--cache", cache.to_str().unwrap()];
    let out = dir.path().join("report.json");
    let (uncached, plain) = report(&demo(), &[], &dir.path().join("uncached.json"));
    let (_, cold) = report(&demo(), &with_cache, &out);
    let total = reused(&cold).1;
    let file = cache_file(&cache);
    let good = std::fs::read(&file).unwrap();

    // Another run's file, under this one's name.
    let other = dir.path().join("other");
    report(
        &demo(),
        &[
            "--cache",
            other.to_str().unwrap(),
            "--as-of",
            "2027-01-01",
            "--complete",
        ],
        &dir.path().join("other.json"),
    );
    let foreign = std::fs::read(cache_file(&other)).unwrap();

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    let truncated = good[..good.len() - 100].to_vec();
    let header_only = good[..40].to_vec();
    let stranger = b"not a cache at all".to_vec();
    for (what, bytes) in [
        ("a flipped byte", flipped),
        ("a truncated file", truncated),
        ("a header alone", header_only),
        ("another file", stranger),
        ("another run's cache", foreign),
    ] {
        std::fs::write(&file, &bytes).unwrap();
        let (warm, run) = report(&demo(), &with_cache, &out);
        assert!(warm == uncached, "{what}: the report is the uncached one");
        assert_eq!(run.code, plain.code, "{what}");
        assert!(
            run.stderr.contains("cache::invalid"),
            "{what}: {}",
            run.stderr
        );
        assert_eq!(reused(&run), (0, total), "{what}");
        // The run replaced the file with its own.
        assert_eq!(std::fs::read(&file).unwrap(), good, "{what}");
    }
    let (_, healed) = report(&demo(), &with_cache, &out);
    assert_eq!(reused(&healed), (total, total));
    assert!(!healed.stderr.contains("cache::"));
}

#[test]
fn an_unwritable_cache_directory_is_a_diagnostic_and_the_run_completes() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be: unwritable even for root.
    let not_a_dir = write(dir.path(), "cache", "a file");
    let (uncached, plain) = report(&demo(), &[], &dir.path().join("uncached.json"));
    let (cached, run) = report(
        &demo(),
        &["--cache", not_a_dir.to_str().unwrap()],
        &dir.path().join("cached.json"),
    );
    assert!(cached == uncached);
    assert_eq!(run.code, plain.code);
    assert!(run.stderr.contains("cache::unwritable"), "{}", run.stderr);
    assert_eq!(reused(&run).0, 0);
    assert_eq!(std::fs::read_to_string(&not_a_dir).unwrap(), "a file");
}
