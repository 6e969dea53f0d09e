//! Sharded runs (README "Sharded runs"): `regent eval --shard K/N` judges a share of the
//! accounts, and `regent merge` makes the shards' JSON reports, byte for byte, the report of
//! one run over everything; shards that do not make up one run are refused.

mod common;

use common::{regent, write, Run};
use regent::pipeline::shard::Shard;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `regent eval <args> --format json`, written to `out`; the exit code.
fn eval_json(args: &[&str], out: &Path) -> Run {
    let mut all: Vec<&str> = vec!["eval"];
    all.extend_from_slice(args);
    all.extend(["--format", "json", "-o", out.to_str().unwrap()]);
    let run = regent(&all);
    assert!(
        run.stdout.is_empty(),
        "the report went to {}",
        out.display()
    );
    run
}

/// The report's bytes.
fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The N shards of a run over `args`, in `dir`: their report files and exit codes.
fn shards(args: &[&str], n: u32, dir: &Path) -> Vec<(PathBuf, i32)> {
    (0..n)
        .map(|k| {
            let path = dir.join(format!("shard-{k}-of-{n}.json"));
            let shard = format!("{k}/{n}");
            let mut all = args.to_vec();
            all.extend(["--shard", shard.as_str()]);
            let run = eval_json(&all, &path);
            assert!(
                !run.stderr.contains("merge::") && run.code != -1,
                "{}",
                run.transcript()
            );
            (path, run.code)
        })
        .collect()
}

/// `regent merge <reports> <extra>`.
fn merge(reports: &[PathBuf], extra: &[&str]) -> Run {
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(reports.iter().map(|p| p.to_str().unwrap()));
    args.extend_from_slice(extra);
    regent(&args)
}

fn results(report: &[u8]) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_slice(report).expect("a JSON report");
    report["results"].as_array().expect("results").clone()
}

/// For N = 1, 2 and 3: the shards' reports merged are the single run's, byte for byte, with
/// its exit code; their results together are the single run's, and no account is judged by
/// two shards. Returns the shards' reports for N = 3.
fn merged_equals_one_run(args: &[&str], dir: &Path) -> Vec<(PathBuf, i32)> {
    let single_path = dir.join("single.json");
    let single = eval_json(args, &single_path);
    let single_bytes = read(&single_path);
    let mut last = Vec::new();
    for n in 1..=3 {
        let shards = shards(args, n, dir);
        let paths: Vec<PathBuf> = shards.iter().map(|(p, _)| p.clone()).collect();
        let merged = merge(&paths, &["--format", "json"]);
        assert_eq!(merged.code, single.code, "N={n}: {}", merged.stderr);
        assert!(
            merged.stdout.as_bytes() == single_bytes.as_slice(),
            "N={n}: the merged report differs from the single run's"
        );

        let mut union: Vec<String> = Vec::new();
        let mut judged_by: BTreeMap<String, usize> = BTreeMap::new();
        for (k, (path, _)) in shards.iter().enumerate() {
            let rows = results(&read(path));
            let accounts: BTreeSet<String> = rows
                .iter()
                .map(|r| r["aws_account_id"].as_str().unwrap().to_string())
                .collect();
            for account in accounts {
                let other = judged_by.insert(account.clone(), k);
                assert!(other.is_none(), "N={n}: account {account} in two shards");
            }
            union.extend(rows.iter().map(|r| r.to_string()));
        }
        let mut expected: Vec<String> = results(&single_bytes)
            .iter()
            .map(|r| r.to_string())
            .collect();
        union.sort();
        expected.sort();
        assert_eq!(
            union, expected,
            "N={n}: the shards' results are not the run's"
        );
        last = shards;
    }
    last
}

#[test]
fn the_shards_of_the_demo_merged_are_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let shards = merged_equals_one_run(&["fixtures/demo"], dir.path());
    // The demo has two accounts: of three shards, one judges nothing. It reads the inputs
    // as the others do, counts no item, and is not an error.
    let empty: Vec<&(PathBuf, i32)> = shards
        .iter()
        .filter(|(path, _)| results(&read(path)).is_empty())
        .collect();
    assert!(!empty.is_empty(), "two accounts in three shards");
    for (path, code) in empty {
        let report: serde_json::Value = serde_json::from_slice(&read(path)).unwrap();
        assert_eq!(*code, 0, "an empty shard passes");
        assert_eq!(report["summary"]["items_read"], 0);
        assert_eq!(report["summary"]["inputs_read"], 5);
        assert_eq!(report["errors"], serde_json::json!([]));
    }
}

/// `regent-gen`'s export of 3000 items, 5 accounts and 3 regions (built in its own target
/// directory, so this cargo never waits for the one running the tests).
fn generated_export(dir: &Path) -> PathBuf {
    let out = dir.join("export");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(common::root())
        .args(["run", "--quiet", "-p", "regent-gen", "--target-dir"])
        .arg(common::root().join("target").join("regent-gen"))
        .args(["--", "--items", "3000", "--accounts", "5", "--regions", "3"])
        .args(["--seed", "7", "--out"])
        .arg(&out)
        .status()
        .expect("cargo runs regent-gen");
    assert!(status.success(), "regent-gen failed");
    out
}

#[test]
fn the_shards_of_a_generated_export_merged_are_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let export = generated_export(dir.path());
    let shards = merged_equals_one_run(&[export.to_str().unwrap()], dir.path());
    // Every item is counted by exactly one shard.
    let read_by_shards: u64 = shards
        .iter()
        .map(|(path, _)| {
            let report: serde_json::Value = serde_json::from_slice(&read(path)).unwrap();
            report["summary"]["items_read"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(read_by_shards, 3000);
    let judging = shards
        .iter()
        .filter(|(path, _)| !results(&read(path)).is_empty())
        .count();
    assert!(
        judging >= 2,
        "the five accounts fall into one shard of three"
    );
    // The merge takes its reports in any order.
    let reversed: Vec<PathBuf> = shards.iter().rev().map(|(p, _)| p.clone()).collect();
    let merged = merge(&reversed, &["--format", "json"]);
    assert!(merged.stdout.as_bytes() == read(&dir.path().join("single.json")).as_slice());
}

/// A trail whose log bucket is in another account (a log-archive account), and a
/// distribution whose origin bucket is: sharded so the accounts fall in different shards,
/// each trail and distribution is judged as in one run, since every shard reads the other
/// accounts' buckets (without counting them).
#[test]
fn controls_that_read_other_accounts_judge_as_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    for (control, file) in [
        (
            "CloudTrail.6",
            "compliant/api_dialect_bucket_in_log_archive_account.json",
        ),
        (
            "CloudFront.12",
            "compliant/bucket_in_other_account_and_region.json",
        ),
    ] {
        let text = read(&common::root().join("fixtures").join(control).join(file));
        write(&input, &format!("{control}.json"), text);
    }
    let (trails, buckets) = ("123456789012", "210987654321");
    let n = (2..16)
        .find(|&count| {
            (0..count).any(|index| {
                let shard = Shard { index, count };
                shard.owns(trails) && !shard.owns(buckets)
            })
        })
        .expect("some N parts the two accounts");
    let args = [input.to_str().unwrap(), "--complete"];
    let single_path = dir.path().join("single.json");
    eval_json(&args, &single_path);
    let shards = shards(&args, n, dir.path());
    let paths: Vec<PathBuf> = shards.iter().map(|(p, _)| p.clone()).collect();
    let merged = merge(&paths, &["--format", "json"]);
    assert!(
        merged.stdout.as_bytes() == read(&single_path).as_slice(),
        "N={n}: {}",
        merged.stderr
    );
    let verdict = |control: &str| {
        results(merged.stdout.as_bytes())
            .into_iter()
            .find(|r| r["control_id"] == control && r["aws_account_id"] == trails)
            .map(|r| r["compliance_type"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict("CloudTrail.6").as_deref(), Some("COMPLIANT"));
    assert_eq!(verdict("CloudFront.12").as_deref(), Some("COMPLIANT"));
    // The trails' shard read the other account's buckets, and counted only its own items.
    let own = shards
        .iter()
        .map(|(path, _)| serde_json::from_slice::<serde_json::Value>(&read(path)).unwrap())
        .find(|r| {
            r["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|row| row["aws_account_id"] == trails)
        })
        .expect("a shard judges the trail");
    assert_eq!(own["summary"]["items_read"], 3, "{}", own["summary"]);
    assert!(own["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["aws_account_id"] == trails));
}

/// A broken input (every shard reads it, the merge reports it once) and a control that
/// raises errors (each shard reports its own; the merge counts them over all results).
#[test]
fn errors_merge_as_one_run_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    let demo = common::root().join("fixtures/demo/AWSLogs");
    for entry in walkdir::WalkDir::new(&demo) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&demo).unwrap();
            write(&input, relative.to_str().unwrap(), read(entry.path()));
        }
    }
    write(&input, "broken.json", "{\"configurationItems\": [{,}]}\n");
    let policies = dir.path().join("policies");
    write(
        &policies,
        "acme/acme_5.rego",
        "package regent.acme_5\n\nmetadata := {\"id\": \"ACME.5\", \"title\": \"t\", \"severity\": \"low\", \"resource_types\": [\"AWS::S3::Bucket\"]}\n\nviolation contains \"div\" if count(input.tags) / 0 > 0\n",
    );
    let args = [
        input.to_str().unwrap(),
        "--policies",
        policies.to_str().unwrap(),
    ];
    let shards = merged_equals_one_run(&args, dir.path());
    let single: serde_json::Value =
        serde_json::from_slice(&read(&dir.path().join("single.json"))).unwrap();
    let codes: Vec<&str> = single["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["input::invalid_json", "eval::runtime"]);
    // Each shard with buckets reports the runtime error of its own; all report the input.
    for (path, code) in &shards {
        let report: serde_json::Value = serde_json::from_slice(&read(path)).unwrap();
        assert_eq!(*code, 2);
        assert_eq!(report["errors"][0]["code"], "input::invalid_json");
    }
}

/// Each way shards can fail to make up one run, refused with its own code and a message
/// that says which report and why; nothing is written.
#[test]
fn shards_that_do_not_make_up_one_run_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = ["fixtures/demo"];
    let two = shards(&demo, 2, d);
    let (s0, s1) = (two[0].0.clone(), two[1].0.clone());
    let variant = |name: &str, extra: &[&str]| {
        let path = d.join(name);
        let mut args = vec!["fixtures/demo"];
        args.extend_from_slice(extra);
        eval_json(&args, &path);
        path
    };
    let as_of = variant("as-of.json", &["--shard", "1/2", "--as-of", "2026-12-01"]);
    let controls = variant(
        "controls.json",
        &["--shard", "1/2", "--exclude-control", "S3.5"],
    );
    let complete = variant("complete.json", &["--shard", "1/2", "--complete"]);
    let budget = variant("budget.json", &["--shard", "1/2", "--eval-timeout", "9s"]);
    let inputs = {
        let path = d.join("inputs.json");
        eval_json(&["fixtures/demo/AWSLogs", "--shard", "1/2"], &path);
        path
    };
    let of_three = variant("of-three.json", &["--shard", "1/3"]);
    let whole = variant("whole.json", &[]);
    let filtered = variant("filtered.json", &["--shard", "1/2", "--severity", "high"]);
    let edit = |name: &str, from: &str, to: &str| {
        let text = String::from_utf8(read(&s1)).unwrap();
        assert!(text.contains(from), "{from}");
        write(d, name, text.replacen(from, to, 1))
    };
    let schema = edit(
        "schema.json",
        "\"schema_version\":1",
        "\"schema_version\":2",
    );
    let version = edit("version.json", "\"version\":\"", "\"version\":\"9.9.9-");
    let truncated = {
        let text = read(&s1);
        write(d, "truncated.json", &text[..text.len() / 2])
    };
    let miscounted = edit("miscounted.json", "\"compliant\":", "\"compliant\":1");
    let missing = d.join("missing.json");

    let cases: Vec<(&str, Vec<&PathBuf>, &str)> = vec![
        (
            "a shard given twice",
            vec![&s0, &s0, &s1],
            "merge::incomplete",
        ),
        ("a shard missing", vec![&s0], "merge::incomplete"),
        ("another --as-of", vec![&s0, &as_of], "merge::mismatch"),
        ("other controls", vec![&s0, &controls], "merge::mismatch"),
        ("--complete on one", vec![&s0, &complete], "merge::mismatch"),
        ("other options", vec![&s0, &budget], "merge::mismatch"),
        ("other inputs", vec![&s0, &inputs], "merge::mismatch"),
        ("another N", vec![&s0, &of_three], "merge::mismatch"),
        ("a whole run's report", vec![&whole], "merge::mismatch"),
        (
            "a filtered report",
            vec![&s0, &filtered],
            "merge::unreadable",
        ),
        (
            "another schema version",
            vec![&s0, &schema],
            "merge::version",
        ),
        ("another regent", vec![&s0, &version], "merge::version"),
        (
            "a truncated report",
            vec![&s0, &truncated],
            "merge::unreadable",
        ),
        (
            "a summary that does not count its results",
            vec![&s0, &miscounted],
            "merge::unreadable",
        ),
        ("no such file", vec![&s0, &missing], "merge::unreadable"),
    ];
    // Where a cut report ends, and what the demo counts, move with the pack; the message is
    // what counts.
    let places = regex::Regex::new(r"line \d+ column \d+").unwrap();
    let counts = regex::Regex::new(r"\(\d+, \d+, \d+, \d+, \d+\)").unwrap();
    let mut transcript = String::new();
    for (what, reports, code) in cases {
        // Run in the reports' directory, so that messages name them as given.
        let mut args = vec!["merge"];
        args.extend(
            reports
                .iter()
                .map(|p| p.file_name().unwrap().to_str().unwrap()),
        );
        args.extend(["--format", "json", "-o", "merged.json"]);
        let output = common::command(&args).current_dir(d).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(output.stdout.is_empty(), "{what}");
        assert!(stderr.contains(code), "{what}: {stderr}");
        assert!(
            !d.join("merged.json").exists(),
            "{what}: a report was written"
        );
        let stderr = places.replace_all(&stderr, "line L column C");
        let stderr = counts.replace_all(&stderr, "(n, n, n, n, n)");
        transcript.push_str(&format!("## {what}\n{stderr}\n"));
    }
    common::settings().bind(|| insta::assert_snapshot!(transcript));
}

#[test]
fn the_cli_rejects_a_shard_that_is_not_k_of_n() {
    for (shard, says) in [
        ("3/3", "there is no shard 3 of 3: shards count from 0 to 2"),
        ("x", "`x` is not K/N"),
        ("1/0", "at least one shard"),
        ("2/x", "`2/x` is not K/N"),
    ] {
        let run = regent(&["eval", "fixtures/demo", "--shard", shard]);
        assert_eq!(run.code, 2, "{shard}: {}", run.transcript());
        assert!(run.stdout.is_empty());
        assert!(run.stderr.contains(says), "{shard}: {}", run.stderr);
    }
}

/// `regent merge` renders as `regent eval` does: the table of the merged report is the
/// single run's table, with its exit code.
#[test]
fn the_merged_table_is_the_single_runs_table() {
    let dir = tempfile::tempdir().unwrap();
    let single = regent(&["eval", "fixtures/demo", "--fail-on", "critical"]);
    let paths: Vec<PathBuf> = shards(&["fixtures/demo"], 2, dir.path())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let merged = merge(&paths, &["--fail-on", "critical"]);
    assert_eq!(merged.stdout, single.stdout);
    assert_eq!(merged.code, single.code);
    assert!(
        merged.stdout.contains("Result: FAILED"),
        "{}",
        merged.stdout
    );
}

#[test]
fn merge_help() {
    let run = regent(&["merge", "--help"]);
    assert_eq!(run.code, 0);
    common::settings().bind(|| insta::assert_snapshot!(run.stdout));
}
