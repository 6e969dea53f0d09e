//! A template's text (YAML, or JSON, which is YAML too) into a tree of nodes that keep their
//! line, column and short-form tag (`!Ref`).
//!
//! Built from saphyr's event stream with an explicit stack: its own loader recurses once per
//! level and clones anchors for aliases, so a hostile file could overflow the stack or expand
//! an alias bomb. Here nesting deeper than `MAX_DEPTH` stops the read, and an alias becomes
//! an `Alias` node that is never expanded (CloudFormation does not support aliases).

use saphyr::Scalar;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use std::borrow::Cow;

/// The deepest nesting read, as for JSON inputs (`model::json`).
pub const MAX_DEPTH: usize = 128;

/// One node of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// A local tag (`!Ref` is `Some("Ref")`); core-schema tags (`!!str`) are resolved away.
    pub tag: Option<Box<str>>,
    pub line: usize,
    /// 1-based, in bytes.
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
    /// `*anchor`: refused, never expanded.
    Alias,
}

/// A mapping key, with its place (a resource's line is its logical id's).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// Why the text could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub too_deep: bool,
}

/// What a read found besides the tree: places that are wrong but do not stop the read.
#[derive(Debug, Default)]
pub struct Remarks {
    /// Aliases (`*name`), refused.
    pub aliases: Vec<(usize, usize)>,
    /// Keys given twice in one mapping (the later value is kept), and keys that are not
    /// scalars.
    pub bad_keys: Vec<(String, usize, usize)>,
}

impl Node {
    pub fn str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.map()?
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(_, v)| v)
    }
}

/// Read the first document of `text`.
pub fn read(text: &str) -> Result<(Option<Node>, Remarks), ReadError> {
    let mut builder = Builder::new(text);
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|err| {
            let (line, column) = builder.place(err.marker());
            ReadError {
                message: err.info().to_string(),
                line,
                column,
                // The scanner's own limit on nested flow collections.
                too_deep: err.info().contains("recursion limit"),
            }
        })?;
        match event {
            Event::StreamEnd => break,
            // Only the first document: CloudFormation reads one.
            Event::DocumentEnd if builder.root.is_some() => break,
            _ => builder.event(event, span)?,
        }
    }
    Ok((builder.root, builder.remarks))
}

/// A collection being read.
struct Frame {
    items: Collection,
    tag: Option<Box<str>>,
    line: usize,
    column: usize,
}

enum Collection {
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>, Option<Key>),
}

struct Builder<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// The last (character index, byte offset) converted: events come in text order, so
    /// markers convert in one pass even on a one-line minified template.
    cursor: (usize, usize),
    ascii: bool,
    stack: Vec<Frame>,
    root: Option<Node>,
    remarks: Remarks,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            text,
            line_starts,
            cursor: (0, 0),
            ascii: text.is_ascii(),
            stack: Vec::new(),
            root: None,
            remarks: Remarks::default(),
        }
    }

    /// 1-based line and byte column of a marker.
    fn place(&mut self, marker: &Marker) -> (usize, usize) {
        let offset = self.byte_offset(marker.index());
        let line = marker.line().max(1);
        let start = self
            .line_starts
            .get(line - 1)
            .copied()
            .unwrap_or(0)
            .min(offset);
        (line, offset - start + 1)
    }

    fn byte_offset(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let (mut chars, mut bytes) = if char_index >= self.cursor.0 {
            self.cursor
        } else {
            (0, 0)
        };
        for c in self.text[bytes..].chars() {
            if chars == char_index {
                break;
            }
            chars += 1;
            bytes += c.len_utf8();
        }
        self.cursor = (chars, bytes);
        bytes
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ReadError> {
        let (line, column) = self.place(&span.start);
        let sequence = matches!(event, Event::SequenceStart(..));
        match event {
            Event::SequenceStart(_, tag) | Event::MappingStart(_, tag) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ReadError {
                        message: format!("the template nests deeper than {MAX_DEPTH} levels"),
                        line,
                        column,
                        too_deep: true,
                    });
                }
                let items = if sequence {
                    Collection::Seq(Vec::new())
                } else {
                    Collection::Map(Vec::new(), None)
                };
                self.stack.push(Frame {
                    items,
                    tag: local_tag(tag.as_deref()),
                    line,
                    column,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let value = match frame.items {
                        Collection::Seq(items) => Value::Seq(items),
                        Collection::Map(entries, _) => Value::Map(entries),
                    };
                    self.attach(Node {
                        value,
                        tag: frame.tag,
                        line: frame.line,
                        column: frame.column,
                    });
                }
            }
            Event::Scalar(text, style, _, tag) => {
                let value = scalar(text, style, tag.as_ref());
                self.attach(Node {
                    value,
                    tag: local_tag(tag.as_deref()),
                    line,
                    column,
                });
            }
            Event::Alias(_) => {
                self.remarks.aliases.push((line, column));
                self.attach(Node {
                    value: Value::Alias,
                    tag: None,
                    line,
                    column,
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Put a finished node into its parent (or make it the document).
    fn attach(&mut self, node: Node) {
        let Some(parent) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        match &mut parent.items {
            Collection::Seq(items) => items.push(node),
            Collection::Map(entries, pending) => {
                match pending.take() {
                    None => {
                        let text = match &node.value {
                            Value::Str(s) => s.clone(),
                            Value::Null => String::new(),
                            Value::Bool(b) => b.to_string(),
                            Value::Int(i) => i.to_string(),
                            Value::Float(f) => f.to_string(),
                            Value::Seq(_) | Value::Map(_) | Value::Alias => {
                                self.remarks.bad_keys.push((
                                    "a mapping key must be a scalar".into(),
                                    node.line,
                                    node.column,
                                ));
                                String::new()
                            }
                        };
                        *pending = Some(Key {
                            text,
                            line: node.line,
                            column: node.column,
                        });
                    }
                    Some(key) => {
                        if let Some(at) = entries.iter().position(|(k, _)| k.text == key.text) {
                            self.remarks.bad_keys.push((
                            format!("key `{}` is given twice in this mapping (the later value is used)", key.text),
                            key.line,
                            key.column,
                        ));
                            entries.remove(at);
                        }
                        entries.push((key, node));
                    }
                }
            }
        }
    }
}

/// The suffix of a local tag (`!Ref` → `Ref`); other non-core tags whole.
fn local_tag(tag: Option<&Tag>) -> Option<Box<str>> {
    let tag = tag?;
    if tag.is_yaml_core_schema() {
        return None;
    }
    if tag.handle == "!" {
        Some(tag.suffix.clone().into_boxed_str())
    } else {
        Some(format!("{}{}", tag.handle, tag.suffix).into_boxed_str())
    }
}

/// A scalar resolved as YAML's core schema does (quoted scalars are strings).
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Value {
    let raw = text.to_string();
    match Scalar::parse_from_cow_and_metadata(text, style, tag) {
        Some(Scalar::Null) => Value::Null,
        Some(Scalar::Boolean(b)) => Value::Bool(b),
        Some(Scalar::Integer(i)) => Value::Int(i),
        Some(Scalar::FloatingPoint(f)) => Value::Float(f.into_inner()),
        Some(Scalar::String(s)) => Value::Str(s.into_owned()),
        // A core tag whose text does not fit it (`!!int abc`): keep the text.
        None => Value::Str(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_tags_lines_and_columns() {
        let (root, remarks) = read("A:\n  B: !Ref X\n  C: [1, 'two', true, null]\n").unwrap();
        let root = root.unwrap();
        let b = root.get("A").unwrap().get("B").unwrap();
        assert_eq!(b.tag.as_deref(), Some("Ref"));
        assert_eq!(b.str(), Some("X"));
        assert_eq!((b.line, b.column), (2, 6));
        let (key, _) = root
            .get("A")
            .unwrap()
            .map()
            .unwrap()
            .iter()
            .find(|(k, _)| k.text == "C")
            .unwrap();
        assert_eq!((key.line, key.column), (3, 3));
        let c = root.get("A").unwrap().get("C").unwrap().seq().unwrap();
        assert_eq!(c[0].value, Value::Int(1));
        assert_eq!(c[1].value, Value::Str("two".into()));
        assert_eq!(c[2].value, Value::Bool(true));
        assert_eq!(c[3].value, Value::Null);
        assert!(remarks.aliases.is_empty());
    }

    #[test]
    fn columns_count_bytes() {
        let (root, _) = read("é: !Ref X\nb: ü\n").unwrap();
        let root = root.unwrap();
        assert_eq!(root.get("é").unwrap().column, 5);
        assert_eq!(root.get("b").unwrap().column, 4);
    }

    #[test]
    fn deep_nesting_stops_the_read() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // Flow collections hit the scanner's own limit first.
        let err = read(&text).unwrap_err();
        assert!(err.too_deep);
        assert_eq!(err.line, 1);
        let text = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = read(&text).unwrap_err();
        assert!(err.too_deep);
        assert_eq!((err.line, err.column), (1, MAX_DEPTH + 1));
        let text = (0..200)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect::<String>();
        assert!(read(&text).unwrap_err().too_deep);
    }

    #[test]
    fn aliases_are_not_expanded() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
        let (root, remarks) = read(bomb).unwrap();
        assert_eq!(remarks.aliases.len(), 27);
        let d = root.unwrap().get("d").unwrap().seq().unwrap().to_vec();
        assert!(d.iter().all(|n| n.value == Value::Alias));
    }

    #[test]
    fn bad_text_is_located() {
        let err = read("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(!err.too_deep);
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn duplicate_keys_are_remarked() {
        let (root, remarks) = read("a: 1\na: 2\n").unwrap();
        assert_eq!(root.unwrap().get("a").unwrap().value, Value::Int(2));
        assert_eq!(remarks.bad_keys.len(), 1);
        assert_eq!(remarks.bad_keys[0].1, 2);
    }
}
