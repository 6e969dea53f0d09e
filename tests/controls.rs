//! Every fixture under fixtures/<ID>/<verdict>/ gets exactly its folder's verdict from its
//! control, and the rendered findings are snapshotted (one snapshot per fixture).

mod common;

use regent::policy::Pack;
use regent::testing::{fixture_cases, run_fixtures};
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        let pack = Pack::load(true, &[]);
        let problems = &pack.problems;
        assert!(
            problems.is_empty(),
            "the built-in pack loads cleanly: {problems:#?}"
        );
        pack
    })
}

#[test]
fn every_fixture_gets_its_folder_verdict() {
    let cases = fixture_cases(&common::root().join("fixtures"));
    assert!(cases.len() >= 50, "fixtures were found ({})", cases.len());
    // Every case runs first, in parallel, as `regent test` runs them; the snapshots
    // follow in the glob's order.
    let all: Vec<_> = cases.iter().collect();
    let (outcomes, _) = run_fixtures(
        pack(),
        &all,
        false,
        regent::eval::DEFAULT_EVAL_TIMEOUT,
        &|| {},
    );
    common::settings().bind(|| {
        insta::glob!(
            "../fixtures",
            "[A-Z]*[0-9]/*/*.{json,yaml,yml,template}",
            |path| {
                let position = cases
                    .iter()
                    .position(|c| c.path.canonicalize().ok() == path.canonicalize().ok())
                    .expect("the glob and the walker agree");
                let (result, evaluations) = &outcomes[position];
                assert!(
                    result.passed,
                    "{}: expected {}, got {}\n{}",
                    result.name, result.expected, result.actual, result.detail
                );
                let rendered: Vec<String> = evaluations
                    .iter()
                    .map(|e| {
                        let mut line = format!(
                            "{} {} {} {} {}",
                            e.compliance_type.as_str(),
                            e.subject.account,
                            e.subject.region,
                            e.subject.resource_type,
                            e.subject.resource_id
                        );
                        if let Some(annotation) = &e.annotation {
                            line.push_str(&format!("\n    {annotation}"));
                        }
                        if let Some(remediation) = &e.remediation {
                            line.push_str(&format!(
                                "\n    remediation {} {}",
                                remediation.runbook,
                                serde_json::to_string(&remediation.parameters).unwrap()
                            ));
                        }
                        line
                    })
                    .collect();
                insta::assert_snapshot!(rendered.join("\n"));
            }
        );
    });
}
