//! A broken user pack: every problem is reported in one run, with a code and a span in the
//! .rego file, and the sound controls still evaluate.

mod common;

use common::{json, regent, write};

const GOOD: &str = r#"package regent.acme_1

metadata := {
	"id": "ACME.1",
	"title": "Buckets carry an owner tag",
	"severity": "low",
	"resource_types": ["AWS::S3::Bucket"],
}

violation contains "bucket has no owner tag" if not input.tags.owner
"#;

const UNPARSABLE: &str =
    "package regent.acme_2\n\nmetadata := {\"id\": \"ACME.2\"\n\nviolation contains \"x\" if {\n";

const BAD_METADATA: &str = r#"package regent.acme_3

metadata := {
	"id": "ACME.3",
	"title": "Bad metadata",
	"severity": "severe",
	"resource_types": ["S3 bucket"],
	"owner": "team-a",
	"remediation": {"runbook": "AWS-Fix", "parameters": {"Id": "{{resourceUUID}}"}, "error_percentage": 500},
}

violation contains "never" if false
"#;

const FORBIDDEN: &str = r#"package regent.acme_4

metadata := {"id": "ACME.4", "title": "Uses the clock", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

# time.now_ns() in a comment is fine
violation contains "too old" if time.now_ns() > 0
"#;

const WRONG_PACKAGE: &str = r#"package regent.something_else

metadata := {"id": "ACME.5", "title": "Wrong package", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

violation contains "x" if false
"#;

const RUNTIME_ERROR: &str = r#"package regent.acme_6

metadata := {"id": "ACME.6", "title": "Errors at run time", "severity": "high", "resource_types": ["AWS::S3::Bucket"]}

violation contains "bad" if to_number(input.resourceName) > 1
"#;

#[test]
fn every_policy_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/acme_1.rego", GOOD);
    write(dir.path(), "acme/acme_2.rego", UNPARSABLE);
    write(dir.path(), "acme/acme_3.rego", BAD_METADATA);
    write(dir.path(), "acme/acme_4.rego", FORBIDDEN);
    write(dir.path(), "acme/acme_5.rego", WRONG_PACKAGE);
    write(dir.path(), "acme/acme_6.rego", RUNTIME_ERROR);
    let policies = dir.path().to_str().unwrap();
    // The interpreter is strict: a builtin error is an ERROR result. (The VM, like OPA by
    // default, treats it as the rule body not matching; see the README.)
    let run = regent(&[
        "eval",
        "--no-builtin",
        "--policies",
        policies,
        "fixtures/_loader/bare_item.json",
        "--format",
        "json",
        "--engine",
        "interpreter",
    ]);
    assert_eq!(run.code, 2);
    let report = json(&run);
    let codes: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    for code in [
        "policy::parse",
        "policy::metadata",
        "policy::forbidden_builtin",
        "policy::package",
        "eval::runtime",
    ] {
        assert!(codes.contains(&code), "{code} reported: {codes:?}");
    }
    // unknown key, bad severity, bad resource type, bad template, bad percentage
    assert!(
        codes.iter().filter(|c| **c == "policy::metadata").count() >= 5,
        "{codes:?}"
    );
    let results = report["results"].as_array().unwrap();
    let verdict = |id: &str| {
        results
            .iter()
            .find(|r| r["control_id"] == id)
            .map(|r| r["compliance_type"].clone())
    };
    assert_eq!(
        verdict("ACME.1"),
        Some("NON_COMPLIANT".into()),
        "the sound control still ran"
    );
    assert_eq!(
        verdict("ACME.6"),
        Some("ERROR".into()),
        "a runtime error is an ERROR result"
    );
    let stderr = run.stderr.replace(policies, "[PACK]");
    common::settings().bind(|| insta::assert_snapshot!(stderr));
}

#[test]
fn a_user_control_overrides_the_builtin_one_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    let mine = r#"package regent.s3_5

metadata := {"id": "S3.5", "title": "Our own SSL rule", "severity": "critical", "resource_types": ["AWS::S3::Bucket"]}

violation contains "we always fail" if true
"#;
    write(dir.path(), "s3/s3_5.rego", mine);
    let run = regent(&[
        "eval",
        "--policies",
        dir.path().to_str().unwrap(),
        "fixtures/_loader/bare_item.json",
        "--format",
        "json",
        "--control",
        "S3.5",
    ]);
    let report = json(&run);
    let row = &report["results"][0];
    assert_eq!(row["title"], "Our own SSL rule");
    assert_eq!(row["severity"], "critical");
    assert_eq!(row["annotation"], "we always fail");
}

/// A user's view is evaluated once and published under `data.views`; a control reads it.
#[test]
fn a_user_view_is_published_to_controls() {
    let dir = tempfile::tempdir().unwrap();
    let view = r#"package regent.views.acme_buckets

# How many buckets each account has, from the inventory.
per_account[account] := n if {
	some account, regions in data.inventory["AWS::S3::Bucket"]
	n := count([id | some region, ids in regions; some id, _ in ids])
}
"#;
    let control = r#"package regent.acme_7

metadata := {
	"id": "ACME.7",
	"title": "Accounts keep few buckets",
	"severity": "low",
	"resource_types": ["AWS::S3::Bucket"],
	"requires": ["AWS::S3::Bucket"],
}

violation contains sprintf("account has %d buckets", [n]) if {
	n := data.views.acme_buckets.per_account[input.awsAccountId]
	n >= 1
}
"#;
    write(dir.path(), "views/acme_buckets.rego", view);
    write(dir.path(), "acme/acme_7.rego", control);
    let run = regent(&[
        "eval",
        "--no-builtin",
        "--policies",
        dir.path().to_str().unwrap(),
        "fixtures/_loader/bare_item.json",
        "--format",
        "json",
    ]);
    let report = json(&run);
    let row = &report["results"][0];
    assert_eq!(row["control_id"], "ACME.7", "{}", run.transcript());
    assert_eq!(row["compliance_type"], "NON_COMPLIANT");
    assert_eq!(row["annotation"], "account has 1 buckets");
}

/// A view that fails at run time is a diagnostic naming its file and line; the controls
/// that read it (directly or through a library) get ERROR, not a verdict (an empty view
/// would pass or fail them wrongly), and every other control is judged as usual.
#[test]
fn a_failing_view_is_reported_with_its_file_and_costs_only_its_readers() {
    let dir = tempfile::tempdir().unwrap();
    let view = r#"package regent.views.acme_broken

broken := to_number("not a number")
"#;
    let library = r#"package regent.lib.acme_reads

broken := data.views.acme_broken.broken
"#;
    let reader = r#"package regent.acme_7

import data.regent.lib.acme_reads

metadata := {"id": "ACME.7", "title": "Reads a broken view", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

violation contains "broken" if acme_reads.broken
"#;
    write(dir.path(), "views/acme_broken.rego", view);
    write(dir.path(), "lib/acme_reads.rego", library);
    write(dir.path(), "acme/acme_1.rego", GOOD);
    write(dir.path(), "acme/acme_7.rego", reader);
    let run = regent(&[
        "eval",
        "--no-builtin",
        "--policies",
        dir.path().to_str().unwrap(),
        "fixtures/_loader/bare_item.json",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    let report = json(&run);
    let error = &report["errors"][0];
    assert_eq!(error["code"], "eval::runtime", "{}", run.transcript());
    assert_eq!(error["line"], 3);
    assert!(
        error["source"]
            .as_str()
            .unwrap_or("")
            .ends_with("views/acme_broken.rego"),
        "{}",
        run.transcript()
    );
    let verdict = |id: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["control_id"] == id)
            .map(|r| (r["compliance_type"].clone(), r["annotation"].clone()))
            .unwrap_or_else(|| panic!("{id} has a result: {}", run.transcript()))
    };
    assert_eq!(verdict("ACME.1").0, "NON_COMPLIANT");
    let (reader_verdict, why) = verdict("ACME.7");
    assert_eq!(reader_verdict, "ERROR");
    assert!(
        why.as_str()
            .unwrap_or("")
            .contains("the view `acme_broken` it reads failed"),
        "{why}"
    );
}

/// A control the VM compiler does not support runs on the interpreter under the default
/// engine, next to the VM-compiled controls of its type, and `--engine vm` names it.
#[test]
fn a_control_the_vm_cannot_compile_falls_back_to_the_interpreter() {
    let dir = tempfile::tempdir().unwrap();
    let control = r#"package regent.acme_8

metadata := {"id": "ACME.8", "title": "Buckets are named", "severity": "low", "resource_types": ["AWS::S3::Bucket"]}

# A partial object rule with a constant key: not supported by the VM compiler yet.
_names["bucket"] := input.resourceName

violation contains "bucket has no name" if not _names.bucket
"#;
    write(dir.path(), "acme/acme_8.rego", control);
    let pack = dir.path().to_str().unwrap();
    let input = "fixtures/_loader/bare_item.json";
    let auto = regent(&["eval", "--policies", pack, input, "--format", "json"]);
    let report = json(&auto);
    let rows = report["results"].as_array().unwrap();
    let mine = rows.iter().find(|r| r["control_id"] == "ACME.8");
    assert_eq!(
        mine.map(|r| r["compliance_type"].clone()),
        Some("COMPLIANT".into()),
        "{}",
        auto.transcript()
    );
    assert!(
        rows.iter().any(|r| r["control_id"] == "S3.5"),
        "the VM-compiled controls of the type still run: {}",
        auto.transcript()
    );

    let vm = regent(&["eval", "--policies", pack, input, "--engine", "vm"]);
    assert_eq!(vm.code, 2, "{}", vm.transcript());
    assert!(vm.stderr.contains("ACME.8"), "{}", vm.transcript());
}

/// A control that reports which keys of the account's network interfaces it can see in
/// `data.inventory`, given its `requires` entry for them.
fn inventory_reader(requires: &str) -> String {
    format!(
        r#"package regent.acme_1

metadata := {{
	"id": "ACME.1",
	"title": "Reports what it sees of network interfaces",
	"severity": "low",
	"resource_types": ["AWS::EC2::SecurityGroup"],
	"requires": [{requires}],
}}

violation contains msg if {{
	some eni in data.inventory["AWS::EC2::NetworkInterface"][input.awsAccountId][input.awsRegion]
	configuration := object.get(eni, "configuration", {{}})
	msg := sprintf("%v %v", [sort(object.keys(eni)), sort(object.keys(configuration))])
}}
"#
    )
}

const SECURITY_GROUP_AND_INTERFACE: &str = r#"{"fileVersion": "1.0", "configurationItems": [
  {"resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-1", "awsAccountId": "111122223333",
   "awsRegion": "us-east-1", "configurationItemCaptureTime": "2026-11-01T00:00:00.000Z",
   "configurationItemStatus": "OK", "configuration": {"groupId": "sg-1", "groupName": "web"}},
  {"resourceType": "AWS::EC2::NetworkInterface", "resourceId": "eni-1", "awsAccountId": "111122223333",
   "awsRegion": "us-east-1", "configurationItemCaptureTime": "2026-11-01T00:00:00.000Z",
   "configurationItemStatus": "OK", "ARN": "arn:aws:ec2:us-east-1:111122223333:network-interface/eni-1",
   "tags": {"Name": "web"}, "relationships": [],
   "configuration": {"groups": [{"groupId": "sg-1"}], "status": "in-use", "description": "web server"}}
]}"#;

/// What ACME.1 reports when `requires` reads network interfaces as given.
fn seen_with(requires: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "acme/acme_1.rego", inventory_reader(requires));
    let input = write(dir.path(), "input.json", SECURITY_GROUP_AND_INTERFACE);
    let run = regent(&[
        "eval",
        "--no-builtin",
        "--policies",
        dir.path().join("acme").to_str().unwrap(),
        input.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "one finding expected:\n{}", run.stderr);
    let report = json(&run);
    report["results"][0]["annotation"]
        .as_str()
        .expect("an annotation")
        .to_string()
}

#[test]
fn a_control_sees_of_the_inventory_the_fields_it_declares_and_the_identity() {
    let declared =
        seen_with(r#"{"type": "AWS::EC2::NetworkInterface", "fields": ["configuration.groups"]}"#);
    assert_eq!(
        declared,
        r#"["ARN", "awsAccountId", "awsRegion", "configuration", "resourceId", "resourceType"] ["groups"]"#
    );
    let whole = seen_with(r#""AWS::EC2::NetworkInterface""#);
    for key in [
        "tags",
        "relationships",
        "configurationItemCaptureTime",
        "\"status\"",
        "\"description\"",
    ] {
        assert!(whole.contains(key), "{key} in {whole}");
    }
    let identity_only = seen_with(r#"{"type": "AWS::EC2::NetworkInterface", "fields": []}"#);
    assert!(identity_only.ends_with(" []"), "{identity_only}");
    assert!(
        !identity_only.contains("configuration\""),
        "{identity_only}"
    );
}

/// A policy from someone else: a loop that would run for minutes, a function that calls
/// itself (always, or only for some items), division and modulo by zero, a rule with two
/// values, literals nested thousands deep. Each is stopped or refused, on the default
/// engine as on the interpreter: never a hang, an abort or an ordinary verdict; the sound
/// control beside them is judged.
#[test]
fn hostile_policies_are_stopped_or_refused_and_their_errors_are_never_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let control = |n: u32, body: &str| {
        format!(
            "package regent.acme_{n}\n\nmetadata := {{\"id\": \"ACME.{n}\", \"title\": \"t\", \"severity\": \"low\", \"resource_types\": [\"AWS::S3::Bucket\"]}}\n\n{body}\n"
        )
    };
    write(dir.path(), "acme/acme_1.rego", GOOD);
    let cases = [
        (2, "violation contains \"loop\" if {\n\tsome i in numbers.range(1, 100000)\n\tsome j in numbers.range(1, 100000)\n\ti + j < 0\n}"),
        (3, "f(x) := f(x + 1)\n\nviolation contains \"x\" if f(1) > 0"),
        (4, "f(x) := f(x + 1) if input.resourceId\n\nviolation contains \"x\" if f(1) > 0"),
        (5, "violation contains \"div\" if count(input.tags) / 0 > 0"),
        (6, "violation contains \"mod\" if count(input.tags) % 0 == 0"),
        (7, "name := \"a\" if input.resourceId\n\nname := \"b\" if input.resourceId\n\nviolation contains name if true"),
    ];
    for (n, body) in cases {
        write(dir.path(), &format!("acme/acme_{n}.rego"), control(n, body));
    }
    // Refused by the parser, in time and without exhausting the stack: literals nested
    // thousands deep, and brackets whose every level might open a comprehension.
    let deep_braces = format!("x := {}1{}", "{\n".repeat(4500), "}\n".repeat(4500));
    write(dir.path(), "acme/acme_8.rego", control(8, &deep_braces));
    let deep_brackets = format!("x := {}1{}", "[".repeat(40), "]".repeat(40));
    write(dir.path(), "acme/acme_9.rego", control(9, &deep_brackets));
    for engine in ["auto", "interpreter"] {
        let start = std::time::Instant::now();
        let run = regent(&[
            "eval",
            "--no-builtin",
            "--policies",
            dir.path().to_str().unwrap(),
            "fixtures/_loader/bare_item.json",
            "--format",
            "json",
            "--engine",
            engine,
            "--eval-timeout",
            "1s",
        ]);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{engine}: stopped in time"
        );
        assert_eq!(run.code, 2, "{engine}: {}", run.transcript());
        let report = json(&run);
        let verdict = |id: &str| {
            report["results"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["control_id"] == id)
                .map(|r| r["compliance_type"].as_str().unwrap_or("").to_string())
        };
        assert_eq!(
            verdict("ACME.1").as_deref(),
            Some("NON_COMPLIANT"),
            "{engine}"
        );
        // Refused when the pack loads: it recurses on any item, or nests too deep.
        for id in ["ACME.3", "ACME.8", "ACME.9"] {
            assert_eq!(verdict(id), None, "{engine}: {id}");
        }
        let codes: Vec<(&str, &str)> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["code"].as_str().unwrap_or(""),
                    e["source"].as_str().unwrap_or(""),
                )
            })
            .collect();
        for file in ["acme_3.rego", "acme_8.rego", "acme_9.rego"] {
            assert!(
                codes
                    .iter()
                    .any(|(code, source)| *code == "policy::parse" && source.ends_with(file)),
                "{engine}: {file} {codes:?}"
            );
        }
        assert!(
            codes.contains(&("eval::timeout", "ACME.2")),
            "{engine}: {codes:?}"
        );
        for id in ["ACME.2", "ACME.4", "ACME.5", "ACME.6", "ACME.7"] {
            assert_eq!(
                verdict(id).as_deref(),
                Some("ERROR"),
                "{engine}: {id} {}",
                run.transcript()
            );
        }
    }
}
