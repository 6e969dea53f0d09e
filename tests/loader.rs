//! The loader, through the real binary: every AWS Config shape and quirk normalises to the
//! same canonical item, and everything AWS and others published loads or is skipped.

mod common;

use common::{json, regent, regent_stdin};
use serde_json::Value;

/// `regent inspect FILE`, parsed: the normalised items.
fn inspect(path: &str) -> Vec<Value> {
    let run = regent(&["inspect", path]);
    assert_eq!(
        run.code, 0,
        "{path} loads without problems:\n{}",
        run.stderr
    );
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("inspect prints one JSON item per line"))
        .collect()
}

#[test]
fn every_loader_fixture_normalises_as_snapshotted() {
    common::settings().bind(|| {
        insta::glob!("../fixtures", "_loader/*.{json,gz,ndjson}", |path| {
            let relative = path.strip_prefix(common::root()).unwrap();
            let run = regent(&["inspect", relative.to_str().unwrap()]);
            insta::assert_snapshot!(run.transcript());
        });
    });
}

#[test]
fn api_dialect_and_snapshot_dialect_give_the_same_item() {
    let snapshot = inspect("fixtures/_loader/snapshot_file.json");
    let api = inspect("fixtures/_loader/api_get_resource_config_history.json");
    let n = &snapshot[0];
    let a = &api[0];
    for field in [
        "awsAccountId",
        "ARN",
        "resourceType",
        "resourceId",
        "resourceName",
        "awsRegion",
        "configurationItemVersion",
        "configurationStateId",
        "configuration",
        "supplementaryConfiguration",
        "relationships",
        "tags",
    ] {
        assert_eq!(n[field], a[field], "{field} is the same in both dialects");
    }
    // API output gives epoch seconds; they become ISO-8601 strings.
    assert_eq!(
        a["configurationItemCaptureTime"],
        "2025-10-30T08:15:02.311Z"
    );
    assert!(a.get("accountId").is_none() && a.get("arn").is_none() && a.get("version").is_none());
}

#[test]
fn json_inside_strings_is_decoded() {
    let batch = inspect("fixtures/_loader/api_batch_get_resource_config.json");
    let supplementary = &batch[0]["supplementaryConfiguration"];
    // Double-encoded in the API dialect.
    assert_eq!(
        supplementary["AccessControlList"]["grantList"][0]["permission"],
        "FullControl"
    );
    assert_eq!(
        supplementary["BucketPolicy"]["policyText"]["Statement"][0]["Effect"],
        "Deny"
    );
    assert_eq!(supplementary["IsRequesterPaysEnabled"], false);
    assert_eq!(
        supplementary["PublicAccessBlockConfiguration"]["blockPublicAcls"],
        true
    );

    let role = inspect("fixtures/_loader/iam_role_url_encoded_documents.json");
    let configuration = &role[0]["configuration"];
    assert_eq!(
        configuration["assumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    assert_eq!(
        configuration["rolePolicyList"][0]["policyDocument"]["Statement"][0]["Action"],
        "*"
    );
}

#[test]
fn every_container_yields_its_items() {
    let count = |path: &str| inspect(path).len();
    assert_eq!(count("fixtures/_loader/snapshot_file.json"), 2);
    assert_eq!(count("fixtures/_loader/snapshot_file_gzipped.json.gz"), 1);
    assert_eq!(count("fixtures/_loader/history_file.json"), 3);
    assert_eq!(count("fixtures/_loader/array_of_items.json"), 2);
    assert_eq!(count("fixtures/_loader/items.ndjson"), 2);
    assert_eq!(count("fixtures/_loader/bare_item.json"), 1);
    assert_eq!(count("fixtures/_loader/change_notification.json"), 1);
    assert_eq!(count("fixtures/_loader/sns_envelope.json"), 1);
    assert_eq!(count("fixtures/_loader/eventbridge_event.json"), 1);
    assert_eq!(count("fixtures/_loader/lambda_event.json"), 1);
    assert_eq!(
        count("fixtures/_loader/api_batch_get_aggregate_resource_config.json"),
        1
    );
    assert_eq!(count("fixtures/_loader/api_select_resource_config.json"), 1);
    assert_eq!(count("fixtures/_loader/oversized_notification.json"), 0);
    assert_eq!(
        count("fixtures/_loader/snapshot_delivery_completed.json"),
        0
    );

    let legacy = inspect("fixtures/_loader/legacy_spellings.json");
    assert_eq!(legacy[0]["availabilityZone"], "us-east-1b");
    assert_eq!(legacy[0]["awsAccountId"], "111122223333");
    assert_eq!(
        legacy[0]["awsRegion"], "us-east-1",
        "region derived from the ARN"
    );

    let select = inspect("fixtures/_loader/api_select_resource_config.json");
    assert_eq!(
        select[0]["tags"]["env"], "prod",
        "Select tags as a list become an object"
    );
}

#[test]
fn stdin_is_read_and_gzip_is_detected_by_content() {
    let bytes =
        std::fs::read(common::root().join("fixtures/_loader/snapshot_file_gzipped.json.gz"))
            .unwrap();
    let run = regent_stdin(&["inspect", "-"], &bytes);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn history_keeps_the_latest_state_and_deleted_resources_are_not_applicable() {
    let run = regent(&[
        "eval",
        "fixtures/_loader/history_file.json",
        "--format",
        "json",
        "--control",
        "EC2.13",
    ]);
    let report = json(&run);
    let summary = &report["summary"];
    assert_eq!(summary["items_read"], 3);
    assert_eq!(
        summary["items_skipped"], 1,
        "the older state of the group is superseded"
    );
    assert_eq!(summary["items_evaluated"], 2);
    let results = report["results"].as_array().unwrap();
    let by_id = |id: &str| results.iter().find(|r| r["resource_id"] == id).unwrap();
    // The older state opened 22 to the world; the latest does not.
    assert_eq!(
        by_id("sg-0a1b2c3d4e5f60718")["compliance_type"],
        "COMPLIANT"
    );
    assert_eq!(
        by_id("sg-0deadbeef0000001")["compliance_type"],
        "NOT_APPLICABLE"
    );
}

#[test]
fn an_event_that_left_scope_is_not_applicable() {
    let run = regent(&[
        "eval",
        "fixtures/_loader/lambda_event_left_scope.json",
        "--format",
        "json",
        "--control",
        "EC2.19",
    ]);
    let report = json(&run);
    assert_eq!(report["results"][0]["compliance_type"], "NOT_APPLICABLE");
    assert_eq!(run.code, 0);
}

/// Every file AWS and others published either loads or is reported as skipped with a
/// reason; none fails.
#[test]
fn every_published_external_fixture_loads_or_is_skipped() {
    let Some(dir) = common::shared_or_skip(
        "fixtures-external",
        "every_published_external_fixture_loads_or_is_skipped",
    ) else {
        return;
    };
    let run = regent(&[
        "eval",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    let report = json(&run);
    assert_eq!(report["errors"], serde_json::json!([]), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = &report["summary"];
    assert_eq!(summary["inputs_failed"], 0);
    assert_eq!(summary["items_failed"], 0);
    let items = |k: &str| summary[k].as_u64().unwrap();
    assert_eq!(
        items("items_read"),
        items("items_evaluated") + items("items_skipped") + items("items_failed"),
        "every item read is accounted for"
    );

    // File by file: items on stdout, or a reason on stderr.
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "json") {
            continue;
        }
        files += 1;
        let run = regent(&["inspect", entry.path().to_str().unwrap()]);
        assert_eq!(
            run.code,
            0,
            "{} loads: {}",
            entry.path().display(),
            run.stderr
        );
        assert!(
            !run.stdout.trim().is_empty() || run.stderr.contains("skipped"),
            "{} yields items or a skip reason",
            entry.path().display()
        );
    }
    assert!(files >= 30, "walked the published fixtures ({files})");
    // The two .published.txt files are not JSON and are ignored with a reason.
    let ignored: Vec<&Value> = report["skipped_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["reason"]
                .as_str()
                .unwrap()
                .starts_with("not a JSON or YAML file")
        })
        .collect();
    assert!(ignored.len() >= 2);
}

/// The loader keeps an input's items in resource order (the order evaluation reads them in),
/// but `inspect` shows them as the file has them, and every verdict is on its own item.
#[test]
fn items_out_of_resource_order_keep_their_texts_and_their_file_order() {
    let dir = tempfile::tempdir().unwrap();
    // Buckets named z, a, m, in that order; only "a" blocks public access at bucket level.
    let bucket = |name: &str, blocked: bool| {
        serde_json::json!({
            "configurationItemStatus": "OK",
            "resourceType": "AWS::S3::Bucket",
            "resourceId": name,
            "resourceName": name,
            "awsAccountId": "111122223333",
            "awsRegion": "eu-west-1",
            "ARN": format!("arn:aws:s3:::{name}"),
            "configurationItemCaptureTime": "2026-11-01T00:00:00.000Z",
            "configuration": {"name": name},
            "supplementaryConfiguration": {"PublicAccessBlockConfiguration": {
                "blockPublicAcls": blocked, "ignorePublicAcls": blocked,
                "blockPublicPolicy": blocked, "restrictPublicBuckets": blocked}},
        })
    };
    let snapshot = serde_json::json!({
        "fileVersion": "1.0",
        "configSnapshotId": "out-of-order",
        "configurationItems": [bucket("z-bucket", false), bucket("a-bucket", true), bucket("m-bucket", false)],
    });
    let path = common::write(dir.path(), "snapshot.json", snapshot.to_string());
    let path = path.to_str().unwrap();

    let names: Vec<String> = inspect(path)
        .iter()
        .map(|item| item["resourceName"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["z-bucket", "a-bucket", "m-bucket"], "file order");

    let report = json(&regent(&[
        "eval",
        path,
        "--control",
        "S3.8",
        "--format",
        "json",
    ]));
    let verdicts: Vec<(String, String)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resource_id"].as_str().unwrap().to_string(),
                r["compliance_type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("a-bucket".to_string(), "COMPLIANT".to_string()),
            ("m-bucket".to_string(), "NON_COMPLIANT".to_string()),
            ("z-bucket".to_string(), "NON_COMPLIANT".to_string()),
        ]
    );
}
