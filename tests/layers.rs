//! Data flows one way. Each top-level module may use only the modules before it in the
//! flow, and no file imports another that imports it back (nor any longer circle): read
//! from the `use` and `crate::`/`super::` paths of every source file.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The flow, first to last (lib.rs declares them all and is not checked).
const LAYERS: &[&str] = &[
    "diagnostics",
    "source",
    "model",
    "policy",
    "config",
    "eval",
    "report",
    "sink",
    "remediation",
    "pipeline",
    "testing",
    "aws",
    "lambda",
    "commands",
    "cli",
];

/// A source file's module path: src/eval/pass.rs is eval::pass, src/eval/mod.rs is eval.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The text without its `#[cfg(test)]` module (tests sit at the end of a file and may use
/// anything).
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |at| &text[..at])
}

/// Every module path the text names: `crate::a::b`, `super::c` (resolved against
/// `module`), a relative `use child::d` (against `module`), and the names in
/// `use x::{a, b::c}` groups. Paths into other crates resolve to no file of ours.
fn references(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let parent = module[..module.len().saturating_sub(1)].to_vec();
    let mut starts: Vec<(usize, Vec<String>)> = Vec::new();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent)] {
        for (at, _) in text.match_indices(prefix) {
            let joined = at > 0 && text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            if !joined {
                starts.push((at + prefix.len(), base.clone()));
            }
        }
    }
    for (at, _) in text.match_indices("use ") {
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let before = text[line_start..at].trim();
        let rest = &text[at + 4..];
        let relative = !["crate::", "super::", "self::", "std::", "core::", "{"]
            .iter()
            .any(|p| rest.starts_with(p));
        if (before.is_empty() || before == "pub") && relative {
            starts.push((at + 4, module.to_vec()));
        }
    }
    let mut found = Vec::new();
    for (start, base) in starts {
        let rest = &text[start..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut head = base;
        head.extend(
            path.split("::")
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
        let after = &rest[path.len()..];
        if path.ends_with("::") && after.starts_with('{') {
            let group = &after[1..after.find('}').unwrap_or(after.len())];
            for name in group.split(',') {
                let mut full = head.clone();
                full.extend(
                    name.split_whitespace()
                        .next()
                        .unwrap_or("")
                        .split("::")
                        .filter(|p| !p.is_empty() && *p != "self")
                        .map(str::to_string),
                );
                found.push(full);
            }
        } else {
            found.push(head);
        }
    }
    found
}

/// The file a path lands in: the deepest module of it that is a file of ours.
fn resolve(path: &[String], files: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| files.contains(prefix))
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = common::root().join("src");
    let mut texts = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("src is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("inside src");
        if relative == Path::new("lib.rs") || relative == Path::new("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("readable");
        texts.insert(module_of(relative), text);
    }
    let files: BTreeSet<Vec<String>> = texts.keys().cloned().collect();
    texts
        .iter()
        .map(|(module, text)| {
            let targets = references(without_tests(text), module)
                .iter()
                .filter_map(|path| resolve(path, &files))
                .filter(|target| target != module)
                .collect();
            (module.clone(), targets)
        })
        .collect()
}

fn name(module: &[String]) -> String {
    module.join("::")
}

#[test]
fn no_module_uses_a_later_one() {
    let graph = graph();
    assert!(graph.len() > 30, "the source files were read");
    let rank = |module: &[String]| {
        LAYERS
            .iter()
            .position(|layer| module.first().is_some_and(|m| m == layer))
            .unwrap_or_else(|| panic!("{} is in LAYERS", name(module)))
    };
    let mut wrong = Vec::new();
    for (module, targets) in &graph {
        for target in targets {
            if rank(target) > rank(module) {
                wrong.push(format!("{} uses {}", name(module), name(target)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "later modules used:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_files_import_each_other() {
    let graph = graph();
    // Depth-first search for a circle; report the first one found.
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, bool>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        match state.get(node) {
            Some(true) => return None,
            Some(false) => {
                let start = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut circle = stack[start..].to_vec();
                circle.push(node.clone());
                return Some(circle);
            }
            None => {}
        }
        state.insert(node.clone(), false);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, state, stack) {
                return Some(circle);
            }
        }
        stack.pop();
        state.insert(node.clone(), true);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if let Some(circle) = visit(node, &graph, &mut state, &mut Vec::new()) {
            let names: Vec<String> = circle.iter().map(|m| name(m)).collect();
            panic!("files import each other: {}", names.join(" -> "));
        }
    }
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    let module = vec!["eval".to_string(), "pass".to_string()];
    let found = references(
        "use super::runner::{self, Runner};\nuse crate::model::{ConfigurationItem, load::Loaded};\npub use item::Controls;\nuse std::sync::Arc;",
        &module,
    );
    let as_text: Vec<String> = found.iter().map(|p| name(p)).collect();
    assert_eq!(
        as_text,
        [
            "model::ConfigurationItem",
            "model::load::Loaded",
            "eval::runner",
            "eval::runner::Runner",
            // A relative use names a child module; `std::` is another crate's.
            "eval::pass::item::Controls",
        ]
    );
}
