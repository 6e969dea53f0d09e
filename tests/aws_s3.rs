//! `regent eval s3://...` against moto's S3 server on 127.0.0.1: the delivery layout and
//! the selection flags, pagination, verdicts equal to the same files read from disk, and
//! failures (a corrupt gzip, a missing bucket, an object over the size bound, a denied
//! object and a bucket in another region, the last two through a small fault-injecting
//! proxy in front of moto) as diagnostics naming the `s3://` key while the rest is read.

mod common;

use common::tools::{moto, Server};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// Never to be printed: the tests check that it is not.
const SECRET: &str = "regent-s3-test-secret-never-printed";

/// `regent <args>` with credentials for a local endpoint.
fn regent(args: &[&str]) -> common::Run {
    regent_with(args, &[])
}

/// `regent <args>` with credentials for a local endpoint, and `env` set.
fn regent_with(args: &[&str], env: &[(&str, &str)]) -> common::Run {
    let run = common::regent_with_local_aws(args, SECRET, env);
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "the secret key was printed:\n{}",
        run.transcript()
    );
    run
}

/// `regent eval <inputs> --endpoint-url <moto> --format json` plus `extra`.
fn eval(endpoint: &str, inputs: &[&str], extra: &[&str]) -> common::Run {
    let mut args = vec!["eval"];
    args.extend(inputs);
    args.extend([
        "--endpoint-url",
        endpoint,
        "--format",
        "json",
        "--aws-max-attempts",
        "2",
        "--aws-backoff",
        "10ms",
    ]);
    args.extend(extra);
    regent(&args)
}

/// One plain HTTP/1.1 request to 127.0.0.1:`port`; the status and the body.
fn http(port: u16, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the endpoint listens");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let status = std::str::from_utf8(&response[9..12])
        .unwrap()
        .parse()
        .unwrap();
    let at = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (status, response[at..].to_vec())
}

fn create_bucket(moto: &Server, bucket: &str) {
    let (status, body) = http(moto.port, "PUT", &format!("/{bucket}"), b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

fn put(moto: &Server, bucket: &str, key: &str, body: &[u8]) {
    let (status, response) = http(moto.port, "PUT", &format!("/{bucket}/{key}"), body);
    assert_eq!(status, 200, "{key}: {}", String::from_utf8_lossy(&response));
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A bucket configuration item; its id names the file it is in.
fn bucket_item(id: &str, account: &str, region: &str) -> String {
    format!(
        r#"{{"resourceType":"AWS::S3::Bucket","resourceId":"{id}","resourceName":"{id}","awsAccountId":"{account}","awsRegion":"{region}","configurationItemCaptureTime":"2026-11-09T00:00:00.000Z","configurationItemStatus":"OK","configurationStateId":1,"configuration":{{"name":"{id}"}},"supplementaryConfiguration":{{}}}}"#
    )
}

fn snapshot(id: &str, account: &str, region: &str) -> Vec<u8> {
    gzip(
        format!(
            r#"{{"fileVersion":"1.0","configSnapshotId":"{id}","configurationItems":[{}]}}"#,
            bucket_item(id, account, region)
        )
        .as_bytes(),
    )
}

fn history(id: &str, account: &str, region: &str) -> Vec<u8> {
    gzip(
        format!(
            r#"{{"fileVersion":"1.0","configurationItems":[{}]}}"#,
            bucket_item(id, account, region)
        )
        .as_bytes(),
    )
}

/// The `s3://` objects whose items were evaluated: the results' `source` without `#n`.
fn origins_read(report: &Value) -> BTreeSet<String> {
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["source"].as_str())
        .map(|s| s.split('#').next().unwrap().to_string())
        .collect()
}

fn skipped(report: &Value) -> BTreeSet<String> {
    report["skipped_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap().to_string())
        .collect()
}

fn set(origins: &[&str]) -> BTreeSet<String> {
    origins
        .iter()
        .map(|o| format!("s3://audit-trail/{o}"))
        .collect()
}

const OLD: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/9/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20261109T010000Z_0c2d.json.gz";
const NEW: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/10/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_20261110T010000Z_7e1f.json.gz";
const EU: &str = "AWSLogs/111111111111/Config/eu-west-1/2026/11/9/ConfigSnapshot/111111111111_Config_eu-west-1_ConfigSnapshot_20261109T020000Z_5a9b.json.gz";
const HISTORY: &str = "AWSLogs/111111111111/Config/us-east-1/2026/11/10/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_AWS::S3::Bucket_20261110T030000Z_20261110T040000Z_1.json.gz";
const ORG: &str = "o-abc123/AWSLogs/222222222222/Config/us-east-1/2026/11/10/ConfigSnapshot/222222222222_Config_us-east-1_ConfigSnapshot_20261110T050000Z_9d3e.json.gz";
const CHECK: &str = "AWSLogs/111111111111/Config/ConfigWritabilityCheckFile";
const EXPORT: &str = "exports/item.json";
/// A local file beside the `s3://` inputs.
const LOCAL: &str = "fixtures/S3.5/non_compliant/no_bucket_policy.json";

/// A delivery bucket: two snapshots of one account and region on different days (11/9 and
/// 11/10: the later one sorts first as text), one of another region, a history file, an
/// organisation prefix, Config's writability check, and an object outside the layout.
fn audit_trail(moto: &Server) {
    create_bucket(moto, "audit-trail");
    let (one, two) = ("111111111111", "222222222222");
    let objects = [
        (OLD, snapshot("old", one, "us-east-1")),
        (NEW, snapshot("new", one, "us-east-1")),
        (EU, snapshot("eu", one, "eu-west-1")),
        (HISTORY, history("history", one, "us-east-1")),
        (ORG, snapshot("org", two, "us-east-1")),
        (CHECK, Vec::new()),
        (
            EXPORT,
            bucket_item("export", "333333333333", "us-east-1").into_bytes(),
        ),
    ];
    for (key, body) in objects {
        put(moto, "audit-trail", key, &body);
    }
}

#[test]
fn the_delivery_layout_and_the_selection_flags_choose_the_objects_read() {
    let Some(moto) = moto("the_delivery_layout_and_the_selection_flags_choose_the_objects_read")
    else {
        return;
    };
    audit_trail(&moto);
    let url = moto.url();
    let read = |inputs: &[&str], extra: &[&str]| {
        let mut args = vec!["--control", "S3.5"];
        args.extend(extra);
        let run = eval(&url, inputs, &args);
        assert_eq!(run.code, 1, "{}", run.transcript());
        common::json(&run)
    };

    // The latest snapshot of each account and region, and what is outside the layout; every
    // other object is accounted for as skipped.
    let report = read(&["s3://audit-trail"], &[]);
    assert_eq!(origins_read(&report), set(&[NEW, EU, ORG, EXPORT]));
    assert_eq!(skipped(&report), set(&[OLD, HISTORY, CHECK]));
    assert_eq!(report["summary"]["inputs_read"], 7);
    assert_eq!(report["summary"]["inputs_skipped"], 3);
    let reasons = &report["summary"]["skipped_reasons"];
    assert_eq!(reasons["an older snapshot"], 1, "{reasons}");
    assert_eq!(reasons["a history file"], 1, "{reasons}");

    let report = read(&["s3://audit-trail"], &["--history"]);
    assert_eq!(origins_read(&report), set(&[NEW, EU, HISTORY, ORG, EXPORT]));
    let report = read(&["s3://audit-trail"], &["--all-snapshots"]);
    assert_eq!(origins_read(&report), set(&[OLD, NEW, EU, ORG, EXPORT]));

    // Selection flags pick delivery files; an object outside the layout matches none.
    let report = read(&["s3://audit-trail"], &["--accounts", "222222222222"]);
    assert_eq!(origins_read(&report), set(&[ORG]));
    let report = read(
        &["s3://audit-trail"],
        &["--regions", "eu-west-1,ap-south-1"],
    );
    assert_eq!(origins_read(&report), set(&[EU]));
    let report = read(&["s3://audit-trail"], &["--since", "2026-11-10"]);
    assert_eq!(origins_read(&report), set(&[NEW, ORG]));
    // The latest as of the end of 11/9 is the older snapshot.
    let report = read(&["s3://audit-trail"], &["--until", "2026-11-09"]);
    assert_eq!(origins_read(&report), set(&[OLD, EU]));
    let report = read(
        &["s3://audit-trail"],
        &[
            "--all-snapshots",
            "--since",
            "2026-11-09T01:30:00Z",
            "--until",
            "2026-11-10T01:00:00Z",
        ],
    );
    assert_eq!(origins_read(&report), set(&[EU, NEW]));

    // A key names one object, a prefix its folder; the inputs' order is kept and a local
    // path mixes in.
    let report = read(
        &[
            "s3://audit-trail/exports/item.json",
            "s3://audit-trail/o-abc123",
            LOCAL,
        ],
        &[],
    );
    let mut expected = set(&[EXPORT, ORG]);
    expected.insert(LOCAL.to_string());
    assert_eq!(origins_read(&report), expected);
}

#[test]
fn an_export_in_s3_gives_the_verdicts_it_gives_on_disk() {
    let Some(moto) = moto("an_export_in_s3_gives_the_verdicts_it_gives_on_disk") else {
        return;
    };
    create_bucket(&moto, "demo-export");
    let demo = common::root().join("fixtures/demo");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(demo.join("AWSLogs")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    assert_eq!(
        files.len(),
        4,
        "the demo has one snapshot per account and region"
    );
    for file in &files {
        let key = file.strip_prefix(&demo).unwrap().display().to_string();
        put(
            &moto,
            "demo-export",
            &format!("{key}.gz"),
            &gzip(&std::fs::read(file).unwrap()),
        );
    }

    let local = common::regent(&["eval", "fixtures/demo/AWSLogs", "--format", "json"]);
    assert_eq!(local.code, 1, "{}", local.transcript());
    // A page of one key at a time: four pages, three continuation tokens.
    let paged = eval(&moto.url(), &["s3://demo-export"], &["--s3-page-size", "1"]);
    assert_eq!(paged.code, 1, "{}", paged.transcript());
    let whole = eval(&moto.url(), &["s3://demo-export/AWSLogs/"], &[]);
    assert_eq!(
        paged.stdout, whole.stdout,
        "the same objects give a byte-identical report, however they are paged"
    );

    // The same results, item for item, but for where they were read from.
    let on_disk = local
        .stdout
        .replace("\"fixtures/demo/AWSLogs/", "\"s3://demo-export/AWSLogs/")
        .replace(".json#", ".json.gz#");
    let (on_disk, in_s3) = (
        serde_json::from_str::<Value>(&on_disk).unwrap(),
        common::json(&paged),
    );
    assert_eq!(in_s3["summary"]["inputs_read"], 4);
    assert_eq!(in_s3["summary"]["items_read"], 360);
    assert_eq!(in_s3["summary"], on_disk["summary"]);
    assert_eq!(in_s3["errors"], on_disk["errors"]);
    assert_eq!(in_s3["results"], on_disk["results"]);
    let s3_sources = origins_read(&in_s3);
    assert_eq!(s3_sources.len(), 4);
    assert!(s3_sources
        .iter()
        .all(|s| s.starts_with("s3://demo-export/AWSLogs/") && s.ends_with(".json.gz")));

    // AWS_ENDPOINT_URL does what --endpoint-url does.
    let url = moto.url();
    let run = regent_with(
        &["eval", "s3://demo-export", "--format", "json"],
        &[("AWS_ENDPOINT_URL", url.as_str())],
    );
    assert_eq!(run.stdout, whole.stdout);
}

#[test]
fn a_corrupt_gzip_a_missing_bucket_and_an_object_too_large_are_named_and_the_rest_is_read() {
    let Some(moto) = moto(
        "a_corrupt_gzip_a_missing_bucket_and_an_object_too_large_are_named_and_the_rest_is_read",
    ) else {
        return;
    };
    create_bucket(&moto, "damaged-trail");
    let corrupt = "AWSLogs/444444444444/Config/us-east-1/2026/11/10/ConfigSnapshot/444444444444_Config_us-east-1_ConfigSnapshot_20261110T010000Z_bad.json.gz";
    let sound = "AWSLogs/555555555555/Config/us-east-1/2026/11/10/ConfigSnapshot/555555555555_Config_us-east-1_ConfigSnapshot_20261110T010000Z_ok.json.gz";
    let mut damaged = gzip(bucket_item("damaged", "444444444444", "us-east-1").as_bytes());
    let middle = damaged.len() / 2;
    damaged[middle..].iter_mut().for_each(|b| *b ^= 0x5a);
    put(&moto, "damaged-trail", corrupt, &damaged);
    put(
        &moto,
        "damaged-trail",
        sound,
        &snapshot("sound", "555555555555", "us-east-1"),
    );
    let large = "exports/large.json";
    let padding = "x".repeat(4096);
    let item = bucket_item("large", "666666666666", "us-east-1").replace(
        r#""name":"large""#,
        &format!(r#""name":"large","padding":"{padding}""#),
    );
    put(&moto, "damaged-trail", large, item.as_bytes());

    let run = eval(
        &moto.url(),
        &["s3://damaged-trail", "s3://no-such-trail/AWSLogs"],
        &["--control", "S3.5", "--max-input-size", "2KiB"],
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    let report = common::json(&run);
    let errors: Vec<(&str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["source"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "input::gzip",
                format!("s3://damaged-trail/{corrupt}").as_str()
            ),
            (
                "input::too_large",
                format!("s3://damaged-trail/{large}").as_str()
            ),
            ("aws::call", "s3://no-such-trail/AWSLogs"),
        ]
    );
    let missing = &report["errors"][2]["message"];
    assert!(
        missing
            .as_str()
            .unwrap()
            .contains("ListObjectsV2 failed: NoSuchBucket"),
        "{missing}"
    );
    assert_eq!(
        origins_read(&report),
        BTreeSet::from([format!("s3://damaged-trail/{sound}")])
    );
    assert_eq!(report["summary"]["inputs_read"], 4);
    assert_eq!(report["summary"]["inputs_failed"], 3);
}

/// A proxy in front of `upstream` that answers some requests itself: `faults` maps a
/// fragment of the request line to a whole HTTP response. Everything else goes to moto.
fn fault_proxy(upstream: u16, faults: Vec<(&'static str, String)>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let faults = faults.clone();
            std::thread::spawn(move || {
                let Some(request) = read_request(&mut client) else {
                    return;
                };
                let line = String::from_utf8_lossy(
                    &request[..request.iter().position(|&b| b == b'\r').unwrap_or(0)],
                )
                .into_owned();
                let answer = match faults.iter().find(|(fragment, _)| line.contains(fragment)) {
                    Some((_, response)) => response.clone().into_bytes(),
                    None => {
                        // moto closes each connection after its answer, so the answer is
                        // everything it sends.
                        let mut moto = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                        moto.write_all(&request).unwrap();
                        let mut answer = Vec::new();
                        let _ = moto.read_to_end(&mut answer);
                        answer
                    }
                };
                let _ = client.write_all(&answer);
            });
        }
    });
    port
}

/// One request, head and body (by Content-Length), with `Connection: close`.
fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).ok()? == 0 {
            return None;
        }
        request.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&request).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |n| n.trim().parse().unwrap_or(0));
    let mut body = vec![0u8; length];
    client.read_exact(&mut body).ok()?;
    request.extend(body);
    Some(request)
}

fn s3_error(status: &str, headers: &str, code: &str, message: &str, request_id: &str) -> String {
    let body = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId><HostId>host</HostId></Error>"#
    );
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nx-amz-request-id: {request_id}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn a_denied_object_and_a_bucket_in_another_region_are_named_and_the_rest_is_read() {
    let Some(moto) =
        moto("a_denied_object_and_a_bucket_in_another_region_are_named_and_the_rest_is_read")
    else {
        return;
    };
    create_bucket(&moto, "guarded-trail");
    let denied = "AWSLogs/777777777777/Config/us-east-1/2026/11/10/ConfigSnapshot/777777777777_Config_us-east-1_ConfigSnapshot_20261110T010000Z_no.json.gz";
    let allowed = "AWSLogs/888888888888/Config/us-east-1/2026/11/10/ConfigSnapshot/888888888888_Config_us-east-1_ConfigSnapshot_20261110T010000Z_yes.json.gz";
    put(
        &moto,
        "guarded-trail",
        denied,
        &snapshot("denied", "777777777777", "us-east-1"),
    );
    put(
        &moto,
        "guarded-trail",
        allowed,
        &snapshot("allowed", "888888888888", "us-east-1"),
    );
    let proxy = fault_proxy(
        moto.port,
        vec![
            (
                "GET /guarded-trail/AWSLogs/777777777777/",
                s3_error("403 Forbidden", "", "AccessDenied", "Access Denied", "DENIED0REQUEST0ID"),
            ),
            (
                "GET /faraway-trail",
                s3_error(
                    "301 Moved Permanently",
                    "x-amz-bucket-region: eu-west-1\r\n",
                    "PermanentRedirect",
                    "The bucket you are attempting to access must be addressed using the specified endpoint.",
                    "MOVED0REQUEST0ID",
                ),
            ),
        ],
    );
    let endpoint = format!("http://127.0.0.1:{proxy}");
    let run = eval(
        &endpoint,
        &["s3://faraway-trail", "s3://guarded-trail"],
        &["--control", "S3.5"],
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    let report = common::json(&run);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["code"], "aws::call");
    assert_eq!(errors[0]["source"], "s3://faraway-trail");
    let moved = errors[0]["message"].as_str().unwrap();
    assert!(
        moved.contains("ListObjectsV2 failed: PermanentRedirect"),
        "{moved}"
    );
    assert!(moved.contains("(the bucket is in eu-west-1)"), "{moved}");
    assert!(
        run.stderr.contains("pass --aws-region eu-west-1"),
        "{}",
        run.stderr
    );
    assert_eq!(errors[1]["code"], "aws::call");
    assert_eq!(errors[1]["source"], format!("s3://guarded-trail/{denied}"));
    let refused = errors[1]["message"].as_str().unwrap();
    assert!(
        refused.contains("GetObject failed: AccessDenied"),
        "{refused}"
    );
    assert!(refused.contains("DENIED0REQUEST0ID"), "{refused}");
    assert_eq!(
        origins_read(&report),
        BTreeSet::from([format!("s3://guarded-trail/{allowed}")])
    );
}
