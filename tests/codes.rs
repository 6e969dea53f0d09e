//! Every diagnostic code is a `Code` (a misspelt one does not compile), is documented in
//! the README's table with its meaning, and the list is snapshotted so a code is never
//! renamed or dropped by accident.

mod common;

use regent::diagnostics::Code;

#[test]
fn every_code_is_documented_in_the_readme_with_its_meaning() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    for code in Code::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.meaning());
        assert!(
            readme.contains(&row),
            "the README's table has the row {row}"
        );
    }
    let documented = readme
        .lines()
        .filter(|line| line.starts_with("| `") && line.contains("::"))
        .count();
    assert_eq!(
        documented,
        Code::ALL.len(),
        "the README lists no other code"
    );
}

#[test]
fn the_codes_are_stable() {
    let list: Vec<String> = Code::ALL
        .iter()
        .map(|code| format!("{:<28} {}", code.as_str(), code.meaning()))
        .collect();
    common::settings().bind(|| insta::assert_snapshot!(list.join("\n")));
}
