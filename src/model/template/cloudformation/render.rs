//! A template expression written back in short form (`!Join ['-', [!Ref Env, x]]`), to name
//! an unknown value by what the template says.

use super::yaml::{Node, Value};

/// The longest rendering kept; longer ones end with `…`.
const MAX_CHARS: usize = 160;

pub fn render(node: &Node) -> String {
    let mut out = String::new();
    write(node, &mut out, 0);
    if out.chars().count() > MAX_CHARS {
        let cut: String = out.chars().take(MAX_CHARS - 1).collect();
        return format!("{cut}…");
    }
    out
}

fn write(node: &Node, out: &mut String, depth: usize) {
    // Enough to name the expression; the node's own nesting is already bounded.
    if depth > 8 || out.len() > MAX_CHARS * 2 {
        out.push('…');
        return;
    }
    if let Some(tag) = &node.tag {
        out.push('!');
        out.push_str(tag);
        out.push(' ');
    } else if let Some([(key, arg)]) = node.map() {
        if key.text == "Ref" || key.text.starts_with("Fn::") {
            out.push('!');
            out.push_str(key.text.trim_start_matches("Fn::"));
            out.push(' ');
            write(arg, out, depth + 1);
            return;
        }
    }
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(&b.to_string()),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&f.to_string()),
        Value::Str(s) if plain(s) => out.push_str(s),
        Value::Str(s) => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, out, depth + 1);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&key.text);
                out.push_str(": ");
                write(value, out, depth + 1);
            }
            out.push('}');
        }
        Value::Alias => out.push_str("*alias"),
    }
}

/// Whether a string reads unambiguously without quotes.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && !s.contains([',', '[', ']', '{', '}', '\'', '"', '#', '\n'])
        && !s.starts_with([' ', '!', '&', '*', '-', '?', '|', '>', '@', '`', '%'])
        && !s.ends_with(' ')
        && !s.contains(": ")
}

#[cfg(test)]
mod tests {
    use super::super::yaml::read;
    use super::*;

    #[test]
    fn short_and_long_forms_render_alike() {
        let (root, _) = read(
            "a: !Join ['-', [!Ref Env, x]]\nb: {'Fn::Join': ['-', [{Ref: Env}, x]]}\nc: !Sub 'arn:${A}/*'\n",
        )
        .unwrap();
        let root = root.unwrap();
        assert_eq!(render(root.get("a").unwrap()), "!Join ['-', [!Ref Env, x]]");
        assert_eq!(render(root.get("b").unwrap()), "!Join ['-', [!Ref Env, x]]");
        assert_eq!(render(root.get("c").unwrap()), "!Sub 'arn:${A}/*'");
    }
}
