//! An insertion-ordered JSON tree and its writers.
//!
//! `serde_json::Value` sorts object keys unless the `preserve_order` feature is on, and that
//! feature is unified across the workspace, so the output order would depend on what the
//! other crates enable. This tree keeps keys in the order the generator writes them (the order
//! AWS uses in its own notifications) and serialises them identically in every build.
//! Scalars are still escaped and formatted by serde_json.

use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(Cow<'static, str>, J)>),
}

/// `obj! { "key" => value, ... }` builds a [`J::Obj`]; values go through `J::from`.
macro_rules! obj {
    () => { $crate::json::J::Obj(Vec::new()) };
    ($($k:expr => $v:expr),+ $(,)?) => {
        $crate::json::J::Obj(vec![$((::std::borrow::Cow::from($k), $crate::json::J::from($v))),+])
    };
}

/// `arr![a, b, ...]` builds a [`J::Arr`]; elements go through `J::from`.
macro_rules! arr {
    () => { $crate::json::J::Arr(Vec::new()) };
    ($($v:expr),+ $(,)?) => { $crate::json::J::Arr(vec![$($crate::json::J::from($v)),+]) };
}

pub(crate) use {arr, obj};

impl J {
    /// Appends a key to an object (no-op on other variants, which the generator never does).
    pub fn push(&mut self, k: impl Into<Cow<'static, str>>, v: impl Into<J>) {
        if let J::Obj(fields) = self {
            fields.push((k.into(), v.into()));
        } else {
            debug_assert!(false, "push on a non-object");
        }
    }

    /// Builder form of [`J::push`].
    pub fn with(mut self, k: impl Into<Cow<'static, str>>, v: impl Into<J>) -> J {
        self.push(k, v);
        self
    }

    /// Builder that appends only when the value is present.
    pub fn with_opt<T: Into<J>>(self, k: &'static str, v: Option<T>) -> J {
        match v {
            Some(v) => self.with(k, v),
            None => self,
        }
    }

    /// Compact serialisation (no whitespace).
    pub fn compact(&self) -> String {
        let mut out = Vec::with_capacity(256);
        self.write_compact(&mut out);
        String::from_utf8(out).expect("JSON output is UTF-8")
    }

    pub fn write_compact(&self, out: &mut Vec<u8>) {
        match self {
            J::Null => out.extend_from_slice(b"null"),
            J::Bool(true) => out.extend_from_slice(b"true"),
            J::Bool(false) => out.extend_from_slice(b"false"),
            J::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            J::Str(s) => write_str(out, s),
            J::Arr(xs) => {
                out.push(b'[');
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    x.write_compact(out);
                }
                out.push(b']');
            }
            J::Obj(fields) => {
                out.push(b'{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, k);
                    out.push(b':');
                    v.write_compact(out);
                }
                out.push(b'}');
            }
        }
    }

    /// Pretty form used by IAM documents typed in the console: two-space indent, `"k": v`.
    pub fn pretty(&self) -> String {
        let mut out = Vec::new();
        self.write_pretty(&mut out, 0, false);
        String::from_utf8(out).expect("JSON output is UTF-8")
    }

    /// Jackson's default pretty printer, which KMS uses for key policies:
    /// `{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n ... } ]\n}`.
    pub fn jackson(&self) -> String {
        let mut out = Vec::new();
        self.write_pretty(&mut out, 0, true);
        String::from_utf8(out).expect("JSON output is UTF-8")
    }

    fn write_pretty(&self, out: &mut Vec<u8>, depth: usize, jackson: bool) {
        let indent = |out: &mut Vec<u8>, d: usize| {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', 2 * d));
        };
        match self {
            J::Arr(xs) if xs.is_empty() => {
                out.extend_from_slice(if jackson { b"[ ]" } else { b"[]" })
            }
            J::Obj(fs) if fs.is_empty() => {
                out.extend_from_slice(if jackson { b"{ }" } else { b"{}" })
            }
            J::Arr(xs) => {
                out.push(b'[');
                for (i, x) in xs.iter().enumerate() {
                    if jackson {
                        // Jackson keeps array elements on one line, separated by ", ".
                        out.extend_from_slice(if i == 0 { b" " } else { b", " });
                        x.write_pretty(out, depth, true);
                    } else {
                        if i > 0 {
                            out.push(b',');
                        }
                        indent(out, depth + 1);
                        x.write_pretty(out, depth + 1, false);
                    }
                }
                if jackson {
                    out.extend_from_slice(b" ]");
                } else {
                    indent(out, depth);
                    out.push(b']');
                }
            }
            J::Obj(fs) => {
                out.push(b'{');
                for (i, (k, v)) in fs.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    indent(out, depth + 1);
                    write_str(out, k);
                    out.extend_from_slice(if jackson { b" : " } else { b": " });
                    v.write_pretty(out, depth + 1, jackson);
                }
                indent(out, depth);
                out.push(b'}');
            }
            scalar => scalar.write_compact(out),
        }
    }
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("writing to a Vec cannot fail");
}

impl From<bool> for J {
    fn from(b: bool) -> J {
        J::Bool(b)
    }
}
impl From<i64> for J {
    fn from(i: i64) -> J {
        J::Int(i)
    }
}
impl From<i32> for J {
    fn from(i: i32) -> J {
        J::Int(i64::from(i))
    }
}
impl From<u32> for J {
    fn from(i: u32) -> J {
        J::Int(i64::from(i))
    }
}
impl From<usize> for J {
    fn from(i: usize) -> J {
        J::Int(i as i64)
    }
}
impl From<&str> for J {
    fn from(s: &str) -> J {
        J::Str(s.to_owned())
    }
}
impl From<&String> for J {
    fn from(s: &String) -> J {
        J::Str(s.clone())
    }
}
impl From<String> for J {
    fn from(s: String) -> J {
        J::Str(s)
    }
}
impl From<Vec<J>> for J {
    fn from(xs: Vec<J>) -> J {
        J::Arr(xs)
    }
}
impl<T: Into<J>> From<Option<T>> for J {
    fn from(x: Option<T>) -> J {
        x.map_or(J::Null, Into::into)
    }
}

/// A JSON array of strings.
pub fn strs<S: AsRef<str>>(xs: &[S]) -> J {
    J::Arr(xs.iter().map(|s| J::Str(s.as_ref().to_owned())).collect())
}

/// Percent-encodes everything but RFC 3986 unreserved characters, the way IAM returns
/// policy documents (`%7B%22Version%22%3A…`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order_and_escapes() {
        let j = obj! { "z" => 1, "a" => "q\"\n", "m" => arr![true, J::Null] };
        assert_eq!(j.compact(), r#"{"z":1,"a":"q\"\n","m":[true,null]}"#);
        let v: serde_json::Value = serde_json::from_str(&j.compact()).unwrap();
        assert_eq!(v["a"], "q\"\n");
    }

    #[test]
    fn jackson_style() {
        let j = obj! { "Version" => "2012-10-17", "Statement" => arr![obj! { "Action" => strs(&["a", "b"]) }] };
        assert_eq!(
            j.jackson(),
            "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n    \"Action\" : [ \"a\", \"b\" ]\n  } ]\n}"
        );
        let _: serde_json::Value = serde_json::from_str(&j.pretty()).unwrap();
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(
            percent_encode(r#"{"Action":"sts:AssumeRole"}"#),
            "%7B%22Action%22%3A%22sts%3AAssumeRole%22%7D"
        );
        assert_eq!(percent_encode("a b/c"), "a%20b%2Fc");
    }
}
