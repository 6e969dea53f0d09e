//! Bytes to configuration items: recognise every container AWS Config delivers (snapshot
//! and history files, API outputs, Select results, notifications, SNS and EventBridge
//! envelopes, Lambda events, bare items, arrays, NDJSON; `shapes`) and hand each item to
//! the normaliser. A problem with one item or one line never loses the others.

mod context;
mod loaded;
mod shapes;
mod templates;

pub use loaded::Loaded;
pub use shapes::SHAPES;

use super::ci::Document;
use super::json::{self, JsonContainerTrait, ParseError};
use super::template::{self, Kind, TemplateOptions};
use crate::diagnostics::{Code, Problem, Skip};
use context::Context;
use shapes::read_document;
use std::sync::Arc;
use templates::load_template;

/// Load one input's bytes (already gunzipped). The items' texts share one buffer.
pub fn load(source: &str, bytes: &[u8], ndjson: bool) -> Loaded {
    load_with(source, bytes, ndjson, &TemplateOptions::default())
}

/// `load`, with what templates and plans cannot say themselves (`--parameter`).
pub fn load_with(source: &str, bytes: &[u8], ndjson: bool, options: &TemplateOptions) -> Loaded {
    let mut loaded = load_items(source, bytes, ndjson, options);
    // Evaluation reads items in resource order; packed in that order, a reader decompresses
    // each block once instead of jumping between blocks. The sort is stable, so the items of
    // one resource keep their file order (which decides between equally recent ones).
    loaded
        .items
        .sort_by(|a, b| a.subject.key().cmp(&b.subject.key()));
    Document::pack(&mut loaded.items);
    loaded
}

fn load_items(source: &str, bytes: &[u8], ndjson: bool, options: &TemplateOptions) -> Loaded {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // The valid prefix is UTF-8 by definition.
            let prefix = std::str::from_utf8(valid).unwrap_or_default();
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.len() - prefix.rfind('\n').map_or(0, |i| i + 1) + 1;
            return Loaded::failed(
                Problem::new(
                    Code::InputInvalidJson,
                    source,
                    format!("not UTF-8 text: {err}"),
                )
                .at(prefix, line, column, "invalid UTF-8 here")
                .with_help("AWS Config files are UTF-8 JSON; is this a binary file?"),
            );
        }
    };
    if text.trim().is_empty() {
        return Loaded {
            skipped_document: Some(Skip {
                source: source.to_string(),
                reason: "empty file".into(),
            }),
            ..Loaded::default()
        };
    }
    if template::is_yaml_name(source) {
        return load_template(Kind::CloudFormation, source, text, options);
    }
    let source_name: Arc<str> = Arc::from(source);
    let mut loaded = Loaded::default();
    if ndjson {
        load_lines(&source_name, text, &mut loaded);
        return loaded;
    }
    match json::parse(text) {
        Ok(value) => {
            if let Some(kind) = value.as_object().and_then(template::kind_of) {
                return load_template(kind, source, text, options);
            }
            let mut ctx = Context::new(&source_name);
            read_document(&mut ctx, &value, &mut loaded);
            ctx.finish(&mut loaded);
        }
        // More than one JSON value, the first on the first line: newline-delimited JSON
        // whatever the file is called. (A pretty-printed document followed by a stray byte
        // is one broken document, reported at the stray byte.)
        Err(err) if err.is_trailing() && first_line_is_a_value(text) => {
            load_lines(&source_name, text, &mut loaded);
        }
        Err(err) => {
            loaded = Loaded::failed(json_problem(source, text, &err));
        }
    }
    loaded
}

/// Whether the first non-blank line is a whole JSON value by itself.
fn first_line_is_a_value(text: &str) -> bool {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| json::parse(line).is_ok())
}

/// A document that does not parse (or nests too deep), pointed at its place.
fn json_problem(source: &str, text: &str, err: &ParseError) -> Problem {
    let message = err.message();
    let (code, what, help) = match err {
        ParseError::TooDeep { .. } => (
            Code::InputTooDeep,
            "too deeply nested",
            "no AWS Config document nests this deep; the file is damaged or hostile",
        ),
        _ if err.is_eof() => (
            Code::InputInvalidJson,
            "invalid JSON",
            "the document ends early: the file is truncated",
        ),
        _ => (
            Code::InputInvalidJson,
            "invalid JSON",
            "fix the JSON at this place; the other inputs are still evaluated",
        ),
    };
    Problem::new(code, source, format!("{what}: {message}"))
        .at(text, err.line().max(1), err.column().max(1), message)
        .with_help(help)
}

fn load_lines(source: &Arc<str>, text: &str, loaded: &mut Loaded) {
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match json::parse(line) {
            Ok(value) => {
                let mut ctx = Context::new(source);
                ctx.line = Some(n + 1);
                read_document(&mut ctx, &value, loaded);
                ctx.finish(loaded);
            }
            Err(err) => {
                // Count the broken line as one item that failed; the next lines still load.
                loaded.items_read += 1;
                loaded.items_failed += 1;
                let message = err.message();
                let code = match err {
                    ParseError::TooDeep { .. } => Code::InputTooDeep,
                    ParseError::Json(_) => Code::InputInvalidJson,
                };
                loaded.problems.push(
                    Problem::new(
                        code,
                        source.to_string(),
                        format!("invalid JSON on line {}: {message}", n + 1),
                    )
                    .at(text, n + 1, err.column().max(1), message)
                    .with_help("each line of an NDJSON file must be one complete JSON value"),
                );
            }
        }
    }
}
