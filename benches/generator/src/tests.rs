//! End-to-end checks of the generator: determinism, counts, coverage and output shape.

use crate::plan::{self, holds, Kind, Spec, REQUIRED};
use crate::write_snapshot;
use serde_json::Value;

fn spec(items: usize, accounts: usize, regions: usize, seed: u64) -> Spec {
    Spec {
        items,
        accounts,
        regions,
        seed,
        fail_rate: 0.15,
        shape: plan::Shape::Enterprise,
    }
}

/// Every file's bytes, in plan order.
fn render_all(spec: &Spec) -> Vec<Vec<u8>> {
    let estate = plan::plan(spec);
    estate
        .files
        .iter()
        .map(|f| {
            let mut out = Vec::new();
            write_snapshot(&estate, f, &mut out).unwrap();
            out
        })
        .collect()
}

fn items(files: &[Vec<u8>]) -> Vec<Value> {
    files
        .iter()
        .flat_map(|bytes| {
            let doc: Value = serde_json::from_slice(bytes).expect("valid JSON");
            assert_eq!(doc["fileVersion"], "1.0");
            assert!(doc["configSnapshotId"].is_string());
            doc["configurationItems"].as_array().unwrap().clone()
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn same_arguments_same_bytes() {
    let s = spec(1500, 3, 2, 11);
    assert_eq!(render_all(&s), render_all(&s));
    assert_ne!(render_all(&s), render_all(&spec(1500, 3, 2, 12)));
}

#[test]
fn writes_the_requested_number_of_items() {
    for s in [
        spec(360, 2, 2, 7),
        spec(1000, 1, 1, 3),
        spec(2345, 4, 3, 9),
        spec(500, 5, 1, 1),
    ] {
        assert_eq!(items(&render_all(&s)).len(), s.items, "{s:?}");
    }
}

#[test]
fn demo_covers_every_required_case() {
    for seed in [7, 1, 2, 3] {
        let mut estate = plan::plan(&spec(360, 2, 2, seed));
        for &(kind, mode) in REQUIRED {
            assert!(
                holds(&mut estate, kind, Some(mode)),
                "seed {seed}: no {kind:?} with {mode:?}"
            );
            assert!(
                holds(&mut estate, kind, None),
                "seed {seed}: no compliant {kind:?}"
            );
        }
    }
}

#[test]
fn fail_rate_bounds_are_respected() {
    let mut estate = plan::plan(&Spec {
        fail_rate: 0.0,
        ..spec(3000, 2, 2, 5)
    });
    for kind in Kind::ALL {
        assert!(
            !Kind::ALL.is_empty()
                && kind
                    .modes()
                    .iter()
                    .all(|&m| !holds(&mut estate, kind, Some(m)))
        );
    }
    let mut estate = plan::plan(&Spec {
        fail_rate: 1.0,
        ..spec(3000, 2, 2, 5)
    });
    for kind in [Kind::Bucket, Kind::Sg, Kind::Rds, Kind::Volume] {
        assert!(
            !holds(&mut estate, kind, None),
            "{kind:?} has a compliant resource"
        );
    }
    // The default rate lands near 15% failing resources.
    let mut estate = plan::plan(&spec(20_000, 4, 3, 8));
    let failing: usize = Kind::ALL
        .iter()
        .filter(|k| !k.modes().is_empty() && **k != Kind::Apab)
        .map(|&k| plan::count(&mut estate, k).1)
        .sum();
    let total: usize = Kind::ALL
        .iter()
        .filter(|k| !k.modes().is_empty() && **k != Kind::Apab)
        .map(|&k| plan::count(&mut estate, k).0)
        .sum();
    let share = failing as f64 / total as f64;
    assert!((0.12..0.18).contains(&share), "{share}");
}

#[test]
fn items_have_the_snapshot_file_shape() {
    let s = spec(2000, 2, 3, 21);
    let estate = plan::plan(&s);
    let all = items(&render_all(&s));
    let mut types = std::collections::BTreeSet::new();
    for c in &all {
        let t = c["resourceType"].as_str().unwrap();
        types.insert(t.to_string());
        assert_eq!(c["configurationItemVersion"], "1.3");
        assert!(c["configurationStateId"].is_i64());
        assert_eq!(c["configurationStateMd5Hash"], "");
        assert!(c["awsAccountId"].as_str().unwrap().len() == 12);
        assert!(
            c["tags"].is_object() && c["relationships"].is_array() && c["relatedEvents"].is_array()
        );
        let capture = c["configurationItemCaptureTime"].as_str().unwrap();
        assert!(capture.len() == 24 && capture.ends_with('Z'));
        match c["configurationItemStatus"].as_str().unwrap() {
            "ResourceDeleted" => {
                assert!(c["configuration"].is_null());
                assert_eq!(c["supplementaryConfiguration"], serde_json::json!({}));
                continue;
            }
            "OK" | "ResourceDiscovered" => assert!(c["configuration"].is_object()),
            other => panic!("unexpected status {other}"),
        }
        for r in c["relationships"].as_array().unwrap() {
            for k in ["resourceType", "resourceId", "resourceName", "name"] {
                assert!(r.get(k).is_some(), "relationship without {k}");
            }
        }
        let conf = &c["configuration"];
        let supp = &c["supplementaryConfiguration"];
        if t.starts_with("AWS::IAM::") {
            assert_eq!(c["awsRegion"], "global");
        } else {
            assert_ne!(c["awsRegion"], "global");
        }
        match t {
            "AWS::S3::Bucket" => {
                let acl: Value =
                    serde_json::from_str(supp["AccessControlList"].as_str().unwrap()).unwrap();
                assert!(acl["grantList"].is_array());
                let policy = &supp["BucketPolicy"]["policyText"];
                assert!(
                    policy.is_null()
                        || serde_json::from_str::<Value>(policy.as_str().unwrap()).is_ok()
                );
                assert_eq!(supp["IsRequesterPaysEnabled"], false);
            }
            "AWS::IAM::Role" => {
                let doc = percent_decode(conf["assumeRolePolicyDocument"].as_str().unwrap());
                let doc: Value = serde_json::from_str(&doc).unwrap();
                assert_eq!(doc["Version"], "2012-10-17");
                for p in conf["rolePolicyList"].as_array().unwrap() {
                    serde_json::from_str::<Value>(&percent_decode(
                        p["policyDocument"].as_str().unwrap(),
                    ))
                    .unwrap();
                }
            }
            "AWS::IAM::Policy" => {
                for v in conf["policyVersionList"].as_array().unwrap() {
                    serde_json::from_str::<Value>(&percent_decode(v["document"].as_str().unwrap()))
                        .unwrap();
                }
            }
            "AWS::EC2::SecurityGroup" => {
                for p in conf["ipPermissions"].as_array().unwrap() {
                    let all = p["ipProtocol"] == "-1";
                    assert_eq!(p.get("fromPort").is_none(), all);
                    assert_eq!(
                        p["ipRanges"].as_array().unwrap().len(),
                        p["ipv4Ranges"].as_array().unwrap().len()
                    );
                }
            }
            "AWS::SQS::Queue" => assert!(conf["SqsManagedSseEnabled"].is_string()),
            "AWS::KMS::Key" => {
                assert!(supp["Policy"].is_string() && supp["KeyRotationStatus"].is_boolean())
            }
            "AWS::CloudTrail::Trail" => assert_eq!(c["tags"], serde_json::json!({})),
            _ => {}
        }
    }
    assert!(types.len() >= 19, "{types:?}");
    // IAM only in each account's first region.
    for f in &estate.files {
        assert!(
            f.first_region || (f.roles.is_empty() && f.policies.is_empty() && f.users.is_empty())
        );
    }
}
