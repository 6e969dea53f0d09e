//! JSON as the loader reads it: parsed with sonic-rs (SIMD, one arena per document: several
//! times faster than building a `serde_json::Value`, which at organisation scale was the
//! largest part of loading), with serde_json's behaviour wherever the two could differ. A
//! text sonic-rs rejects is parsed again by serde_json, so errors carry serde_json's
//! messages and places (and "trailing characters" still marks NDJSON), and a text only
//! serde_json accepts is still read. Two differences are left, both in numbers: sonic-rs
//! reads `-0` as 0 (serde_json as -0.0), the same number to a policy; and it rounds every
//! decimal correctly, where serde_json's default parse can be one unit in the last place
//! off for long ones (`1.3238472870821599e-169`).

pub use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait, Object, Value};

/// The deepest nesting of arrays and objects a document may have. sonic-rs parses
/// recursively without a bound (and so do the steps after it), so a document 10,000 levels
/// deep would overflow the stack; none of AWS Config's nests a tenth as deep.
pub const MAX_DEPTH: usize = 128;

/// Why a text is not a JSON value regent reads.
#[derive(Debug)]
pub enum ParseError {
    /// Not JSON: serde_json's error, with its place.
    Json(serde_json::Error),
    /// Nested deeper than `MAX_DEPTH`, first at this 1-based place.
    TooDeep { line: usize, column: usize },
}

impl ParseError {
    pub fn line(&self) -> usize {
        match self {
            ParseError::Json(err) => err.line(),
            ParseError::TooDeep { line, .. } => *line,
        }
    }

    pub fn column(&self) -> usize {
        match self {
            ParseError::Json(err) => err.column(),
            ParseError::TooDeep { column, .. } => *column,
        }
    }

    /// The text ends before the value does.
    pub fn is_eof(&self) -> bool {
        matches!(self, ParseError::Json(err) if err.is_eof())
    }

    /// A complete value is followed by more text (NDJSON, or a stray byte).
    pub fn is_trailing(&self) -> bool {
        matches!(self, ParseError::Json(err) if err.to_string().starts_with("trailing characters"))
    }

    /// The message without serde_json's " at line L column C" (the place is shown apart).
    pub fn message(&self) -> String {
        let message = self.to_string();
        message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head)
            .to_string()
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Json(err) => err.fmt(f),
            ParseError::TooDeep { line, column } => write!(
                f,
                "nested deeper than {MAX_DEPTH} levels at line {line} column {column}"
            ),
        }
    }
}

impl std::error::Error for ParseError {}

/// Parse `text` as one JSON value, nested at most `MAX_DEPTH` deep.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    if let Some(offset) = too_deep(text.as_bytes(), MAX_DEPTH) {
        let (line, column) = place(text, offset);
        return Err(ParseError::TooDeep { line, column });
    }
    match sonic_rs::from_str::<Value>(text) {
        Ok(value) => Ok(value),
        Err(_) => {
            let value =
                serde_json::from_str::<serde_json::Value>(text).map_err(ParseError::Json)?;
            // A serde_json value always converts (its numbers are finite).
            Ok(sonic_rs::to_value(&value).unwrap_or_default())
        }
    }
}

/// The offset of the first `[` or `{` that opens a level deeper than `limit`, outside
/// strings. Every document is scanned before it is parsed, so this reads sixteen bytes at
/// a time: a block without a backslash is settled with bit masks (which bytes are inside
/// strings follows from the quotes alone), the rare block with one byte by byte.
fn too_deep(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut scan = DepthScan {
        depth: 0,
        limit,
        in_string: false,
        skip_to: 0,
    };
    let mut i = 0;
    while let Some(block) = bytes.get(i..i + 16) {
        let masks = Masks::of(block);
        let at = if masks.backslashes == 0 && scan.skip_to <= i {
            scan.block(&masks, i)
        } else {
            scan.slow(block, i)
        };
        if at.is_some() {
            return at;
        }
        i += 16;
    }
    scan.slow(bytes.get(i..)?, i)
}

/// Where the depth scan is: the nesting so far, whether inside a string, and the first
/// offset a backslash does not escape.
struct DepthScan {
    depth: usize,
    limit: usize,
    in_string: bool,
    skip_to: usize,
}

impl DepthScan {
    /// A block without backslashes (starting at offset `start`), by its masks: the offset
    /// of a bracket that opens a level past the limit, if any.
    fn block(&mut self, masks: &Masks, start: usize) -> Option<usize> {
        // Bit n of `inside`: byte n is inside a string (an opening quote counts as inside,
        // a closing one as outside; brackets are never quotes).
        let mut inside = masks.quotes;
        inside ^= inside << 1;
        inside ^= inside << 2;
        inside ^= inside << 4;
        inside ^= inside << 8;
        if self.in_string {
            inside = !inside;
        }
        self.in_string = (inside >> 15) & 1 == 1;
        let opens = masks.opens & !inside;
        // Brackets are few (a third of blocks have one): take them one by one, in order.
        let mut brackets = (masks.opens | masks.closes) & !inside;
        while brackets != 0 {
            let bit = brackets & brackets.wrapping_neg();
            brackets ^= bit;
            if opens & bit != 0 {
                self.depth += 1;
                if self.depth > self.limit {
                    return Some(start + bit.trailing_zeros() as usize);
                }
            } else {
                self.depth = self.depth.saturating_sub(1);
            }
        }
        None
    }

    /// The bytes of `block` (starting at offset `start`) one by one: the offset of one
    /// opening a level past the limit, if any.
    fn slow(&mut self, block: &[u8], start: usize) -> Option<usize> {
        for (n, &b) in block.iter().enumerate() {
            if matches!(b, b'"' | b'\\' | b'[' | b']' | b'{' | b'}') && self.step(b, start + n) {
                return Some(start + n);
            }
        }
        None
    }

    /// Take the structural byte `b` at offset `at`; true when it opens a level too deep.
    fn step(&mut self, b: u8, at: usize) -> bool {
        if at < self.skip_to {
            return false;
        }
        if self.in_string {
            match b {
                b'\\' => self.skip_to = at + 2,
                b'"' => self.in_string = false,
                _ => {}
            }
            return false;
        }
        match b {
            b'"' => self.in_string = true,
            b'[' | b'{' => {
                self.depth += 1;
                return self.depth > self.limit;
            }
            b']' | b'}' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        false
    }
}

/// One bit per byte of a 16-byte block, for each kind of byte the depth scan reads.
struct Masks {
    quotes: u32,
    backslashes: u32,
    opens: u32,
    closes: u32,
}

impl Masks {
    #[cfg(target_arch = "x86_64")]
    fn of(block: &[u8]) -> Self {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
            _mm_set1_epi8,
        };
        debug_assert_eq!(block.len(), 16);
        // SAFETY: SSE2 is part of every x86_64 processor; the load reads the 16 bytes of
        // `block` (its length is 16), unaligned.
        unsafe {
            let chunk = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
            let eq = |b: u8| _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b as i8));
            let bits = |v| _mm_movemask_epi8(v) as u32;
            Masks {
                quotes: bits(eq(b'"')),
                backslashes: bits(eq(b'\\')),
                opens: bits(_mm_or_si128(eq(b'['), eq(b'{'))),
                closes: bits(_mm_or_si128(eq(b']'), eq(b'}'))),
            }
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of(block: &[u8]) -> Self {
        let bits = |wanted: &[u8]| {
            block.iter().enumerate().fold(0u32, |mask, (i, b)| {
                mask | (u32::from(wanted.contains(b)) << i)
            })
        };
        Masks {
            quotes: bits(b"\""),
            backslashes: bits(b"\\"),
            opens: bits(b"[{"),
            closes: bits(b"]}"),
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn place(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What a value is, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value.get_type() {
        JsonType::Null => "null",
        JsonType::Boolean => "a boolean",
        JsonType::Number => "a number",
        JsonType::String => "a string",
        JsonType::Array => "an array",
        JsonType::Object => "an object",
    }
}

/// The value of `key`: the last one when the object repeats it, as serde_json reads it.
pub fn field<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
    object
        .iter()
        .filter(|(k, _)| *k == key)
        .last()
        .map(|(_, v)| v)
}

/// A number as serde_json writes it (sonic-rs formats some floats differently).
pub fn number_text(value: &Value) -> String {
    if let Some(n) = value.as_u64() {
        n.to_string()
    } else if let Some(n) = value.as_i64() {
        n.to_string()
    } else {
        value
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(|n| n.to_string())
            .unwrap_or_default()
    }
}

/// The pairs of an object sorted by key, the last of each repeated key kept: the order
/// and the values serde_json's map holds.
pub fn sorted_pairs(object: &Object) -> Vec<(&str, &Value)> {
    let mut pairs: Vec<(&str, &Value)> = object.iter().collect();
    // Stable, so repeated keys stay in document order and the last can be kept.
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let mut kept: Vec<(&str, &Value)> = Vec::with_capacity(pairs.len());
    for pair in pairs {
        match kept.last_mut() {
            Some(last) if last.0 == pair.0 => *last = pair,
            _ => kept.push(pair),
        }
    }
    kept
}

/// Write `value` as MessagePack, exactly as `rmp_serde` writes the `serde_json::Value` of
/// the same text (objects sorted by key, repeated keys once; numbers as above): the
/// encoding items are held in. `document` decodes a string value to write in its place (the policy documents AWS
/// records as JSON text), given its key.
pub fn write_msgpack(
    out: &mut Vec<u8>,
    value: &Value,
    document: &dyn Fn(&str, &Value) -> Option<Value>,
) {
    // Writing to a Vec cannot fail.
    match value.get_type() {
        JsonType::Null => {
            let _ = rmp::encode::write_nil(out);
        }
        JsonType::Boolean => {
            let _ = rmp::encode::write_bool(out, value.is_true());
        }
        JsonType::Number => {
            if let Some(n) = value.as_u64() {
                let _ = rmp::encode::write_uint(out, n);
            } else if let Some(n) = value.as_i64() {
                let _ = rmp::encode::write_sint(out, n);
            } else {
                let _ = rmp::encode::write_f64(out, value.as_f64().unwrap_or_default());
            }
        }
        JsonType::String => {
            let _ = rmp::encode::write_str(out, value.as_str().unwrap_or_default());
        }
        JsonType::Array => {
            let items = value.as_array().map(|a| a.as_slice()).unwrap_or_default();
            let _ = rmp::encode::write_array_len(out, items.len() as u32);
            for item in items {
                write_msgpack(out, item, document);
            }
        }
        JsonType::Object => {
            let Some(object) = value.as_object() else {
                return;
            };
            let pairs = sorted_pairs(object);
            let _ = rmp::encode::write_map_len(out, pairs.len() as u32);
            for (key, child) in pairs {
                let _ = rmp::encode::write_str(out, key);
                match document(key, child) {
                    Some(decoded) => write_msgpack(out, &decoded, document),
                    None => write_msgpack(out, child, document),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str, _: &Value) -> Option<Value> {
        None
    }

    #[test]
    fn writes_the_bytes_rmp_serde_writes_for_serde_json() {
        let text = r#"{"b":[1,-2,3.5,18446744073709551615,-9223372036854775808,1e300,0.1,true,null,"x\n\u00e9"],"a":{"z":1,"y":{}},"a":{"dup":"last wins"},"e":[],"":"empty key","big":18446744073709551616}"#;
        let mut ours = Vec::new();
        write_msgpack(&mut ours, &parse(text).unwrap(), &none);
        let theirs =
            rmp_serde::to_vec(&serde_json::from_str::<serde_json::Value>(text).unwrap()).unwrap();
        assert_eq!(ours, theirs);
    }

    fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::{json, Value as Json};
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            // -0.0 aside: the one difference, tested below.
            any::<f64>()
                .prop_filter("finite, not -0", |f| f.is_finite()
                    && !(*f == 0.0 && f.is_sign_negative()))
                .prop_map(|f| json!(f)),
            any::<String>().prop_map(Json::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any JSON value written as text and read back is written as the bytes
        /// `rmp_serde` gives for the value itself (serde_json writes floats in their
        /// shortest round-trip form, so a correctly rounding parser gets them back).
        #[test]
        fn any_json_is_written_as_rmp_serde_writes_its_value(value in arbitrary_json()) {
            let text = value.to_string();
            let mut ours = Vec::new();
            write_msgpack(&mut ours, &parse(&text).unwrap(), &none);
            let theirs = rmp_serde::to_vec(&value).unwrap();
            proptest::prop_assert_eq!(ours, theirs, "{}", text);
        }
    }

    #[test]
    fn long_decimals_read_correctly_rounded() {
        // Found by the property test: serde_json (without its float_roundtrip feature)
        // reads this one unit in the last place high; sonic-rs and Rust's parse agree.
        let text = "1.3238472870821599e-169";
        let exact: f64 = text.parse().unwrap();
        assert_eq!(parse(text).unwrap().as_f64(), Some(exact));
    }

    #[test]
    fn negative_zero_reads_as_zero() {
        // sonic-rs drops the sign of -0 (serde_json keeps -0.0); Rego compares them equal.
        let value = parse("-0").unwrap();
        assert_eq!(value.as_f64(), Some(0.0));
    }

    #[test]
    fn nesting_past_the_limit_is_an_error_at_its_place() {
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fine).is_ok());
        // Brackets inside strings (escaped quotes too) do not count.
        let quoted = format!(
            "{{\"a\": \"{}\\\"{}\", \"b\": {}{}}}",
            "[".repeat(500),
            "{".repeat(500),
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse(&quoted).is_ok(), "{quoted}");
        let deep = format!(
            "{{\n  \"x\": {}{}\n}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        match parse(&deep) {
            Err(ParseError::TooDeep { line, column }) => assert_eq!((line, column), (2, 135)),
            other => panic!("{other:?}"),
        }
    }

    /// The depth scan byte by byte, as a reference.
    fn reference(text: &[u8], limit: usize) -> Option<usize> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for (i, &b) in text.iter().enumerate() {
            if in_string {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn the_depth_scan_agrees_with_a_plain_count() {
        // Brackets and quotes at every offset of a block, escapes across block boundaries.
        let texts = [
            r#"{"a":[1,{"b":"x]]]\"[[["},[[]]],"c":"\\"}"#,
            r#"[["\\\"]"],{"k":"{{{{{{{{{{{{"},[[[[[[1]]]]]]]"#,
            "[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]",
            r#"{"x":"é漢字","y":[{"z":["ü",[["\u005b"]]]}]}"#,
        ];
        for text in texts {
            for limit in 0..24 {
                assert_eq!(
                    too_deep(text.as_bytes(), limit),
                    reference(text.as_bytes(), limit),
                    "{text} at {limit}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Any bytes made of what the scan reads (and filler), any limit: the block scan
        /// finds what the byte-by-byte one finds.
        #[test]
        fn the_block_scan_is_the_byte_scan(
            text in proptest::collection::vec(proptest::sample::select(b"[]{}\"\\a,".to_vec()), 0..300),
            limit in 0usize..40,
        ) {
            proptest::prop_assert_eq!(too_deep(&text, limit), reference(&text, limit));
        }
    }

    #[test]
    fn errors_are_serde_json_errors() {
        let err = parse("{\"a\": [1, 2}").unwrap_err();
        assert_eq!((err.line(), err.column()), (1, 12));
        let err = parse("{} {}").unwrap_err();
        assert!(err.to_string().starts_with("trailing characters"), "{err}");
        assert!(parse("{\"a\": \"\\ud800\"}").is_err());
    }

    #[test]
    fn the_last_of_a_repeated_key_counts() {
        let value = parse(r#"{"k":1,"k":2}"#).unwrap();
        let object = value.as_object().unwrap();
        assert_eq!(field(object, "k").and_then(|v| v.as_u64()), Some(2));
        assert_eq!(sorted_pairs(object).len(), 1);
    }

    #[test]
    fn numbers_read_as_serde_json_writes_them() {
        for text in ["12", "-7", "1.5", "1e300", "123456789012"] {
            let ours = number_text(&parse(text).unwrap());
            let theirs = serde_json::from_str::<serde_json::Value>(text)
                .unwrap()
                .to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
