//! The binary end to end: reports, exit codes, determinism, discoverability.

mod common;

use common::{json, regent};

#[test]
fn help_for_every_subcommand() {
    common::settings().bind(|| {
        for args in [
            vec!["--help"],
            vec!["eval", "--help"],
            vec!["controls", "--help"],
            vec!["explain", "--help"],
            vec!["inspect", "--help"],
            vec!["test", "--help"],
            vec!["lambda", "invoke", "--help"],
            vec!["remediate", "--help"],
            vec!["remediate", "export", "--help"],
            vec!["remediate", "apply", "--help"],
            vec!["remediate", "verify", "--help"],
            vec!["remediate", "iam-policy", "--help"],
        ] {
            let run = regent(&args);
            assert_eq!(run.code, 0);
            let name = format!("help_{}", args.join("_").replace("--", ""));
            insta::assert_snapshot!(name.trim_end_matches('_').to_string(), run.stdout);
        }
    });
}

#[test]
fn table_report_for_the_loader_fixtures() {
    let run = regent(&[
        "eval",
        "fixtures/_loader",
        "--control",
        "S3.5,S3.8,EC2.13,EC2.19,EC2.3",
    ]);
    assert_eq!(run.code, 1, "there are failures:\n{}", run.stderr);
    common::settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn json_report_follows_schema_version_1() {
    let run = regent(&[
        "eval",
        "fixtures/_loader",
        "--format",
        "json",
        "--control",
        "S3.5,EC2.13,S3.1",
    ]);
    let report = json(&run);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "regent");
    for key in [
        "items_read",
        "items_evaluated",
        "items_skipped",
        "evaluations",
        "compliant",
        "non_compliant",
        "not_applicable",
        "errors",
    ] {
        assert!(report["summary"][key].is_u64(), "summary.{key}");
    }
    let results = report["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for row in results {
        for key in [
            "control_id",
            "title",
            "severity",
            "resource_type",
            "resource_id",
            "resource_name",
            "arn",
            "aws_account_id",
            "aws_region",
            "compliance_type",
            "annotation",
            "remediation",
        ] {
            assert!(row.get(key).is_some(), "result has {key}: {row}");
        }
    }
    // Natural order of control ids, then account, region, type, id.
    let keys: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            (
                r["control_id"].as_str().unwrap().to_string(),
                r["resource_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| natord::compare(&a.0, &b.0).then(a.1.cmp(&b.1)));
    assert_eq!(keys, sorted);
    common::settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn reports_are_byte_identical_across_runs_and_thread_counts() {
    let external = common::shared_or_skip(
        "fixtures-external",
        "reports_are_byte_identical_across_runs_and_thread_counts",
    );
    let mut inputs = vec![
        "fixtures/_loader",
        "fixtures/S3.1",
        "fixtures/EC2.19",
        "fixtures/S3.5",
    ];
    // With AWS's published items too when they are beside the clone.
    if let Some(external) = external.as_ref().and_then(|p| p.to_str()) {
        inputs.push(external);
    }
    let run_with = |threads: &str| {
        let mut args = vec!["eval", "--format", "json"];
        args.extend_from_slice(&inputs);
        let output = common::command(&args)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let one = run_with("1");
    assert!(one.len() > 1000);
    assert_eq!(one, run_with("2"));
    assert_eq!(one, run_with("2"));
    let table = |threads: &str| {
        let output = common::command(&["eval", "fixtures"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let (first, second) = (table("1"), table("2"));
    if first != second {
        let changed: Vec<_> = first
            .lines()
            .zip(second.lines())
            .filter(|(a, b)| a != b)
            .take(10)
            .collect();
        panic!("the table differs between thread counts: {changed:#?}");
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    // Only medium (S3.5) and high (EC2.13) findings.
    let args = [
        "eval",
        "fixtures/_loader/history_file.json",
        "fixtures/_loader/bare_item.json",
        "fixtures/EC2.13/non_compliant",
    ];
    let code = |extra: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(&["--control", "EC2.13,S3.5"]);
        all.extend_from_slice(extra);
        regent(&all).code
    };
    assert_eq!(code(&[]), 1, "any failure by default");
    assert_eq!(code(&["--fail-on", "high"]), 1);
    assert_eq!(code(&["--fail-on", "critical"]), 0);
    assert_eq!(code(&["--fail-on", "never"]), 0);
    let compliant = regent(&["eval", "fixtures/S3.5/compliant", "--control", "S3.5"]);
    assert_eq!(compliant.code, 0, "{}", compliant.stdout);
}

#[test]
fn selection_by_standard_control_and_exclusion() {
    let ids = |extra: &[&str]| {
        let mut args = vec![
            "eval",
            "fixtures/_loader",
            "--format",
            "json",
            "--fail-on",
            "never",
        ];
        args.extend_from_slice(extra);
        let report = json(&regent(&args));
        let mut ids: Vec<String> = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["control_id"].as_str().unwrap().to_string())
            .collect();
        ids.dedup();
        ids
    };
    assert_eq!(ids(&["--control", "s3.5"]), ["S3.5"]);
    let cis14 = ids(&["--standard", "cis-1.4"]);
    assert!(
        cis14.contains(&"S3.5".to_string()) && !cis14.contains(&"EC2.19".to_string()),
        "{cis14:?}"
    );
    assert!(!ids(&["--exclude-control", "S3.5"]).contains(&"S3.5".to_string()));
    let unknown = regent(&["eval", "fixtures/_loader", "--control", "S3.999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown control `S3.999`"));
}

#[test]
fn regent_toml_overrides_parameters_and_disables_controls() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write(
        dir.path(),
        "regent.toml",
        "[settings]\nremediation_role_arn = \"arn:aws:iam::111122223333:role/fixer\"\n\n[controls.\"EC2.19\"]\nparameters = { blockedPorts = [443] }\n\n[controls.\"S3.8\"]\nenabled = false\n",
    );
    let run = regent(&[
        "eval",
        "fixtures/_loader/snapshot_file.json",
        "--format",
        "json",
        "--config",
        config.to_str().unwrap(),
        "--control",
        "EC2.19,S3.5",
    ]);
    let report = json(&run);
    let results = report["results"].as_array().unwrap();
    let ec2 = results
        .iter()
        .find(|r| r["control_id"] == "EC2.19")
        .unwrap();
    assert_eq!(
        ec2["compliance_type"], "NON_COMPLIANT",
        "443 is blocked by the override: {ec2}"
    );
    assert_eq!(
        ec2["remediation"]["parameters"]["AutomationAssumeRole"],
        "arn:aws:iam::111122223333:role/fixer"
    );

    let disabled = regent(&[
        "eval",
        "fixtures/_loader/snapshot_file.json",
        "--format",
        "json",
        "--config",
        config.to_str().unwrap(),
    ]);
    let report = json(&disabled);
    assert!(report["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["control_id"] != "S3.8"));

    let bad = common::write(
        dir.path(),
        "bad.toml",
        "[controls.\"EC2.19\"]\nparameters = { blockedPorts = [\"ssh\", -1], nope = 1 }\n\n[extra]\n",
    );
    let run = regent(&[
        "eval",
        "fixtures/_loader/snapshot_file.json",
        "--config",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    let stderr = run.stderr.replace(dir.path().to_str().unwrap(), "[DIR]");
    common::settings().bind(|| insta::assert_snapshot!(stderr));
}

#[test]
fn controls_and_explain() {
    let run = regent(&["controls", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let controls = json(&run);
    let ids: Vec<&str> = controls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "S3.1",
        "S3.5",
        "S3.8",
        "EC2.2",
        "EC2.3",
        "EC2.13",
        "EC2.19",
        "RDS.2",
        "RDS.3",
        "CloudTrail.2",
    ] {
        assert!(ids.contains(&id), "{id} is listed");
    }
    // A wide screen (or a file) shows runbooks too; every line fits the screen.
    let wide = common::command(&["controls"])
        .env("COLUMNS", "200")
        .output()
        .expect("regent runs");
    let wide = String::from_utf8_lossy(&wide.stdout);
    assert!(wide.contains("S3.5") && wide.contains("ASR-SetSSLBucketPolicy"));
    let table = regent(&["controls"]);
    for line in table.stdout.lines() {
        assert!(line.chars().count() <= 100, "{line:?} fits 100 columns");
    }
    assert!(
        table.stdout.contains("AFSBP EC2.19"),
        "every standard is shown"
    );

    let explain = regent(&["explain", "s3.5"]);
    assert_eq!(explain.code, 0);
    common::settings().bind(|| insta::assert_snapshot!(explain.stdout));
    let as_json = json(&regent(&["explain", "EC2.19", "--format", "json"]));
    assert_eq!(as_json["parameters"]["blockedPorts"]["default"][0], 20);
    let unknown = regent(&["explain", "NOPE.1"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("no control with id `NOPE.1`"));
}

#[test]
fn a_closed_pipe_exits_quietly() {
    use std::process::Stdio;
    let mut child = common::command(&["eval", "fixtures", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn the_readme_first_command_on_the_demo() {
    let run = regent(&["eval", "fixtures/demo"]);
    assert_eq!(
        run.code, 1,
        "the demo has deliberate failures:\n{}",
        run.stderr
    );
    assert!(run.stderr.is_empty(), "no problems: {}", run.stderr);
    common::settings().bind(|| insta::assert_snapshot!(run.stdout));
}

#[test]
fn the_vm_and_the_interpreter_give_the_same_report_on_the_demo() {
    let report = |engine: &str| {
        regent(&[
            "eval",
            "fixtures/demo",
            "fixtures/_loader",
            "--format",
            "json",
            "--engine",
            engine,
        ])
        .stdout
    };
    let vm = report("auto");
    assert!(vm.len() > 10_000);
    assert_eq!(vm, report("interpreter"));
}

#[test]
fn profile_times_every_control_that_ran_without_changing_the_report() {
    let args = ["eval", "fixtures/demo", "--format", "json"];
    let plain = regent(&args);
    let profiled = regent(&[&args[..], &["--profile-controls"]].concat());
    assert_eq!(profiled.code, plain.code);
    assert_eq!(profiled.stdout, plain.stdout, "the report does not change");

    let report = json(&plain);
    let results = report["results"].as_array().expect("results");
    let evaluations_of = |id: &str| results.iter().filter(|r| r["control_id"] == id).count();
    let lines: Vec<&str> = profiled.stderr.lines().collect();
    assert!(
        lines[0].starts_with("regent: profile: "),
        "{}",
        profiled.stderr
    );
    // Every control with a result has a row whose evaluation count matches the report.
    let mut controls: Vec<&str> = results
        .iter()
        .filter_map(|r| r["control_id"].as_str())
        .collect();
    controls.dedup();
    for id in ["S3.5", "EC2.19", "IAM.18"] {
        assert!(controls.contains(&id), "the demo evaluates {id}");
        let row = lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no profile row for {id}:\n{}", profiled.stderr));
        let count: usize = row.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert_eq!(count, evaluations_of(id), "{row}");
    }
    // Rows are dearest first.
    let totals: Vec<f64> = lines[2..]
        .iter()
        .take_while(|l| !l.starts_with("view "))
        .map(|l| l.split_whitespace().nth(2).unwrap().parse().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    assert!(lines.iter().any(|l| l.starts_with("view iam_entities")));
}
