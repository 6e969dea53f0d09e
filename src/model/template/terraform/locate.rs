//! Where each part of a plan starts in its text: `terraform show -json` writes one line,
//! a pretty-printed plan many, and results and problems name the line of the resource.
//! serde_json keeps no positions, so one pass over the bytes records the offset of every
//! value of the plan's skeleton (resources, modules, changes), keyed by JSON pointer.
//! Attribute values (`values`, `after`, `expressions`, ...) are skipped: they are large and
//! nothing points into them. Their strings and numbers are remembered instead, so the text
//! a problem quotes can be shown with them masked: a plan holds sensitive values in the
//! clear, and a problem's excerpt must not show one.

use std::collections::HashMap;

/// Subtrees whose insides are never pointed at.
const OPAQUE: &[&str] = &[
    "values",
    "after",
    "before",
    "after_unknown",
    "before_sensitive",
    "after_sensitive",
    "sensitive_values",
    "expressions",
    "prior_state",
    "variables",
    "outputs",
    "output_changes",
    "resource_drift",
    "checks",
    "proposed_unknown",
    "replace_paths",
    "importing",
    "relevant_attributes",
];

/// Offsets of the skeleton's values, and the start of every line.
#[derive(Debug, Default)]
pub(crate) struct Locations {
    offsets: HashMap<String, usize>,
    line_starts: Vec<usize>,
    /// The byte ranges of the scalars inside attribute values.
    masks: Vec<(usize, usize)>,
}

impl Locations {
    /// Scan a text that parses as JSON (a text that does not is scanned as far as it goes).
    pub(crate) fn scan(text: &str) -> Self {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
            offsets: HashMap::new(),
            masks: Vec::new(),
        };
        scanner.skip_ws();
        let mut path = String::new();
        scanner.value(&mut path, true);
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Locations {
            offsets: scanner.offsets,
            line_starts,
            masks: scanner.masks,
        }
    }

    /// The text with every scalar inside attribute values replaced by `*`s of the same
    /// length: lines and columns stay where they were.
    pub(crate) fn masked(&self, text: &str) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for &(start, end) in &self.masks {
            if let Some(range) = bytes.get_mut(start..end) {
                range.fill(b'*');
            }
        }
        // Whole characters (or whole escapes) are replaced, so this stays UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The byte offset where the value at `pointer` (`/resource_changes/3/address`) starts.
    pub(crate) fn offset(&self, pointer: &str) -> Option<usize> {
        self.offsets.get(pointer).copied()
    }

    /// The offset of the value at `pointer`, else of its nearest recorded ancestor, else 0.
    pub(crate) fn nearest(&self, pointer: &str) -> usize {
        let mut p = pointer;
        loop {
            if let Some(offset) = self.offset(p) {
                return offset;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0,
            }
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .max(1)
    }

    /// The line of the value at `pointer`, or of its nearest recorded ancestor.
    pub(crate) fn line(&self, pointer: &str) -> usize {
        self.line_of(self.nearest(pointer))
    }
}

/// One JSON pointer step, escaped as RFC 6901 says.
pub(crate) fn push_key(path: &mut String, key: &str) {
    path.push('/');
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    offsets: HashMap<String, usize>,
    masks: Vec<(usize, usize)>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// One value at `path`; recorded when `record`.
    fn value(&mut self, path: &mut String, record: bool) {
        if record {
            self.offsets.insert(path.clone(), self.pos);
        }
        match self.peek() {
            Some(b'{') => self.object(path, record),
            Some(b'[') => self.array(path, record),
            Some(b'"') => {
                let start = self.pos;
                self.string();
                if !record && self.pos > start + 1 {
                    self.masks.push((start + 1, self.pos - 1));
                }
            }
            Some(_) => {
                let start = self.pos;
                self.scalar();
                if !record {
                    self.masks.push((start, self.pos));
                }
            }
            None => {}
        }
    }

    fn object(&mut self, path: &mut String, record: bool) {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(b'"') => {}
                _ => return,
            }
            let key = self.string();
            self.skip_ws();
            if self.peek() != Some(b':') {
                return;
            }
            self.pos += 1;
            self.skip_ws();
            let len = path.len();
            let inner = record && !OPAQUE.contains(&key.as_str());
            if inner {
                push_key(path, &key);
            }
            self.value(path, inner);
            path.truncate(len);
        }
    }

    fn array(&mut self, path: &mut String, record: bool) {
        self.pos += 1;
        let mut index = 0usize;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                None => return,
                Some(_) => {}
            }
            let len = path.len();
            if record {
                path.push('/');
                path.push_str(&index.to_string());
            }
            let before = self.pos;
            self.value(path, record);
            path.truncate(len);
            index += 1;
            if self.pos == before {
                // Not JSON here: stop rather than loop.
                return;
            }
        }
    }

    /// A string; returns its decoded text (keys are needed, other strings are skipped).
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => {
                    escaped = true;
                    self.pos += 1;
                }
                b'"' => break,
                _ => {}
            }
        }
        let raw = &self.bytes[start..self.pos.min(self.bytes.len())];
        let raw = std::str::from_utf8(raw).unwrap_or_default();
        if escaped {
            serde_json::from_str::<String>(raw).unwrap_or_default()
        } else {
            raw.trim_matches('"').to_string()
        }
    }

    fn scalar(&mut self) {
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                return;
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_printed_entries_have_their_lines() {
        let text = "{\n  \"resource_changes\": [\n    {\n      \"address\": \"a.b\",\n      \"change\": {\"after\": {\"x\": [1, {\"y\": 2}]}}\n    },\n    {\"address\": \"c.d\"}\n  ]\n}\n";
        let loc = Locations::scan(text);
        assert_eq!(loc.line("/resource_changes/0/address"), 4);
        assert_eq!(loc.line("/resource_changes/1/address"), 7);
        assert_eq!(loc.line("/resource_changes/0"), 3);
        // Inside an opaque subtree: the nearest recorded ancestor.
        assert_eq!(loc.line("/resource_changes/0/change/after/x/1"), 5);
        assert!(loc.offset("/resource_changes/0/change/after/x").is_none());
    }

    #[test]
    fn attribute_values_can_be_masked_in_place() {
        let text =
            "{\"address\": \"a.b\", \"after\": {\"pw\": \"h\\\"unter2\", \"n\": 42, \"é\": \"ü\"}}";
        let loc = Locations::scan(text);
        let masked = loc.masked(text);
        assert_eq!(masked.len(), text.len());
        assert!(
            !masked.contains("unter2") && !masked.contains("42") && !masked.contains('ü'),
            "{masked}"
        );
        assert!(
            masked.contains("\"address\": \"a.b\"") && masked.contains("\"pw\""),
            "{masked}"
        );
    }

    #[test]
    fn escaped_keys_and_one_line_plans() {
        let text = r#"{"a\"b":{"c/d":[true,"x\\",null]},"resource_changes":[{"address":"e.f"}]}"#;
        let loc = Locations::scan(text);
        assert!(loc.offset("/a\"b/c~1d/2").is_some());
        let at = loc.offset("/resource_changes/0/address").unwrap();
        assert_eq!(&text[at..at + 5], "\"e.f\"");
        assert_eq!(loc.line_of(at), 1);
    }
}
