//! Policies must give the same verdict for the same input: no network, clock, randomness
//! or environment. The regorus features that provide most of these are not compiled in;
//! the ones that are (or may be in future) are rejected here, with a span, at load time.

use super::PackFile;
use crate::diagnostics::{Code, Problem};

pub const FORBIDDEN: &[(&str, &str)] = &[
    ("http.send", "policies may not reach the network"),
    ("net.lookup_ip_addr", "policies may not reach the network"),
    (
        "time.now_ns",
        "use data.context.as_of_ns, the evaluation time of the run (--as-of)",
    ),
    ("rand.intn", "verdicts must not depend on chance"),
    ("uuid.rfc4122", "verdicts must not depend on chance"),
    ("opa.runtime", "policies may not read the environment"),
];

/// Blank out comments and string literals so a name inside them is not a call.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut in_raw = false;
    let mut in_comment = false;
    while let Some(c) = chars.next() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
                out.push('\n');
            } else {
                out.push(' ');
            }
        } else if in_string {
            if c == '\\' {
                out.push(' ');
                if let Some(n) = chars.next() {
                    if n == '\n' {
                        out.push('\n');
                    } else {
                        out.extend(std::iter::repeat_n(' ', n.len_utf8()));
                    }
                }
            } else if c == '"' {
                in_string = false;
                out.push('"');
            } else {
                out.push(if c == '\n' { '\n' } else { ' ' });
            }
        } else if in_raw {
            if c == '`' {
                in_raw = false;
            }
            out.push(if c == '\n' { '\n' } else { ' ' });
        } else {
            match c {
                '#' => {
                    in_comment = true;
                    out.push(' ');
                }
                '"' => {
                    in_string = true;
                    out.push('"');
                }
                '`' => {
                    in_raw = true;
                    out.push(' ');
                }
                _ => out.push(c),
            }
        }
        // Keep byte offsets aligned with the original for multi-byte characters.
        let pushed = out.chars().last().map_or(0, char::len_utf8);
        for _ in pushed..c.len_utf8() {
            out.push(' ');
        }
    }
    out
}

pub fn check(file: &PackFile) -> Vec<Problem> {
    let code = code_only(&file.text);
    let mut problems = Vec::new();
    for (name, why) in FORBIDDEN {
        let mut from = 0;
        while let Some(at) = code[from..].find(name) {
            let start = from + at;
            from = start + name.len();
            let before = code[..start].chars().next_back();
            let after = code[from..].chars().next();
            let standalone = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if standalone {
                problems.push(
                    Problem::new(
                        Code::PolicyForbiddenBuiltin,
                        &file.path,
                        format!("`{name}` is not allowed in regent policies"),
                    )
                    .at_span(
                        &file.text,
                        start,
                        name.len(),
                        format!("{name} is forbidden"),
                    )
                    .with_help(*why),
                );
            }
        }
    }
    problems
}
