//! Invariants of the built-in pack, checked against the control catalogue in ../shared.

mod common;

use regent::policy::metadata::{
    file_stem_for_id, is_known_template_variable, package_for_id, template_variables,
};
use regent::policy::Pack;
use std::collections::{BTreeMap, BTreeSet};

fn pack() -> Pack {
    let pack = Pack::load(true, &[]);
    let problems = &pack.problems;
    assert!(
        problems.is_empty(),
        "the built-in pack loads without problems: {problems:#?}"
    );
    pack
}

/// The catalogue rows: control id -> column -> value.
/// The catalogue rows, or `None` (with a notice) when ../shared is not beside the clone.
fn catalogue() -> Option<BTreeMap<String, BTreeMap<String, String>>> {
    let path = common::shared_or_skip(
        "controls/catalogue.csv",
        "every_catalogue_row_is_implemented_faithfully_or_excluded_with_a_reason",
    )?;
    let text = std::fs::read_to_string(path).expect("the catalogue reads");
    let mut rows = csv_rows(&text).into_iter();
    let header = rows.next().expect("a header row");
    let rows = rows
        .map(|row| {
            let record: BTreeMap<String, String> = header.iter().cloned().zip(row).collect();
            (record["control_id"].clone(), record)
        })
        .collect();
    Some(rows)
}

/// A small RFC 4180 reader (quoted fields, doubled quotes, commas and newlines inside).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// policies/EXCLUSIONS.md: `| ID | reason |` rows.
fn exclusions() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::root().join("policies/EXCLUSIONS.md")).unwrap();
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells.len() >= 4
                && !cells[1].is_empty()
                && cells[1] != "control"
                && !cells[1].starts_with("---"))
            .then(|| (cells[1].trim_matches('`').to_string(), cells[2].to_string()))
        })
        .collect()
}

#[test]
fn ids_packages_and_files_agree() {
    let pack = pack();
    let mut ids = BTreeSet::new();
    for control in &pack.controls {
        let id = &control.meta.id;
        assert!(ids.insert(id.to_lowercase()), "{id} is unique");
        assert_eq!(control.package, package_for_id(id), "{id}: package");
        let stem = file_stem_for_id(id);
        let service = id.split('.').next().unwrap().to_lowercase();
        assert_eq!(
            control.file.path,
            format!("policies/{service}/{stem}.rego"),
            "{id}: file"
        );
    }
}

#[test]
fn every_control_has_compliant_and_non_compliant_fixtures() {
    let pack = pack();
    let fixtures = common::root().join("fixtures");
    for control in &pack.controls {
        for verdict in ["compliant", "non_compliant"] {
            let dir = fixtures.join(&control.meta.id).join(verdict);
            let count = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            assert!(
                count > 0,
                "{} has {verdict} fixtures ({})",
                control.meta.id,
                dir.display()
            );
        }
    }
    // And no fixture folder is for a control that does not exist.
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.starts_with('_') || name == "demo" || name == "templates" {
            continue;
        }
        assert!(
            pack.control(&name).is_some(),
            "fixtures/{name} belongs to a control"
        );
    }
}

#[test]
fn every_remediation_template_names_a_known_variable() {
    for control in &pack().controls {
        let Some(remediation) = &control.meta.remediation else {
            continue;
        };
        for (name, value) in &remediation.parameters {
            if let Some(text) = value.as_str() {
                for variable in template_variables(text) {
                    assert!(
                        is_known_template_variable(variable),
                        "{} {name}: {{{{{variable}}}}}",
                        control.meta.id
                    );
                }
            }
        }
    }
}

fn benchmark_key(version: &str) -> String {
    format!("cis-aws-foundations-benchmark/v{version}.0")
}

#[test]
fn every_catalogue_row_is_implemented_faithfully_or_excluded_with_a_reason() {
    let pack = pack();
    let Some(catalogue) = catalogue() else {
        return;
    };
    let exclusions = exclusions();
    assert_eq!(catalogue.len(), 200, "the catalogue has its 200 rows");
    for (id, reason) in &exclusions {
        assert!(
            catalogue.contains_key(id),
            "excluded {id} is a catalogue row"
        );
        assert!(
            pack.control(id).is_none(),
            "{id} is both implemented and excluded"
        );
        assert!(reason.len() > 20, "{id} has a real reason: {reason}");
    }
    let mut missing = Vec::new();
    for (id, row) in &catalogue {
        let Some(control) = pack.control(id) else {
            if !exclusions.contains_key(id) {
                missing.push(id.clone());
            }
            continue;
        };
        let meta = &control.meta;
        // The catalogue marks a few severities "(not verified)"; the control's own value stands.
        let severity = row["severity"].to_lowercase();
        if regent::policy::Severity::parse(&severity).is_some() {
            assert_eq!(meta.severity.as_str(), severity, "{id}: severity");
        }
        for cis in row["cis_ids"]
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            // "CIS 1.4 2.1.5"
            let parts: Vec<&str> = cis.split_whitespace().collect();
            let (version, requirement) = (parts[1], parts[2]);
            let listed = meta.standards.get(&benchmark_key(version));
            assert!(
                listed.is_some_and(|ids| ids.iter().any(|r| r == requirement)),
                "{id}: CIS {version} {requirement} is in its standards ({:?})",
                meta.standards
            );
        }
        let runbook = row["remediation_runbook"].trim();
        if runbook != "none" && !runbook.is_empty() {
            // Two-step remediations ("A + B") declare one of their documents.
            let named: Vec<&str> = runbook.split('+').map(str::trim).collect();
            let declared = meta.remediation.as_ref().map(|r| r.runbook.as_ref());
            assert!(
                declared.is_some_and(|d| named.contains(&d)),
                "{id}: runbook {declared:?} is one of {named:?}"
            );
        }
    }
    assert!(
        missing.is_empty(),
        "catalogue rows neither implemented nor excluded: {missing:?}"
    );
}

#[test]
fn the_catalog_is_snapshotted() {
    let pack = pack();
    let lines: Vec<String> = pack
        .controls
        .iter()
        .map(|c| {
            let m = &c.meta;
            let standards: Vec<String> = m
                .standards
                .iter()
                .map(|(k, v)| format!("{k}={}", v.join("+")))
                .collect();
            format!(
                "{} | {} | {} | {} | {} | {}",
                m.id,
                m.severity,
                m.resource_types.join(","),
                standards.join(" "),
                m.config_rule.as_deref().unwrap_or("-"),
                m.remediation.as_ref().map_or("-", |r| r.runbook.as_ref())
            )
        })
        .collect();
    common::settings().bind(|| insta::assert_snapshot!(lines.join("\n")));
}

#[test]
fn every_parameter_declares_a_type() {
    // Loading checks each default against its declared type; this pins that every
    // parameter of the built-in pack declares one, so regent.toml overrides are checked
    // against what the policy accepts rather than against the shape of the default.
    let pack = pack();
    let mut offenders = Vec::new();
    let mut parameters = 0;
    for control in &pack.controls {
        for (name, param) in &control.meta.parameters {
            parameters += 1;
            let id = &control.meta.id;
            match &param.kind {
                None => offenders.push(format!("{id} {name}: no `type`")),
                Some(kind) if param.param_type().is_none() => {
                    offenders.push(format!("{id} {name}: `type` {kind:?} does not parse"));
                }
                Some(_) => {}
            }
            if let Some(why) = param.check(&param.default) {
                offenders.push(format!(
                    "{id} {name}: default {} does not fit: {why}",
                    param.default
                ));
            }
        }
    }
    assert!(parameters > 0, "the pack has parameters");
    assert!(
        offenders.is_empty(),
        "{} parameter(s) without a fitting type:\n{}",
        offenders.len(),
        offenders.join("\n")
    );
}
