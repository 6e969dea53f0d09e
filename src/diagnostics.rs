//! One diagnostic type for every problem regent reports: a stable code, the file it is
//! about, a location when there is one, and help. It renders through miette on stderr
//! and serialises into the report's `errors`.

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::Arc;

/// Declares `Code`: every stable diagnostic code, its text and what it means. A misspelt
/// code is a compile error; the README's table and a snapshot list them all.
macro_rules! codes {
    ($($variant:ident = $text:literal : $meaning:literal,)*) => {
        /// A stable diagnostic code (`input::gzip`, ...): users' scripts match on the text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as users see it, e.g. `input::gzip`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// What the code means (the README's table).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    InputUnreadable = "input::unreadable": "an input file or stdin could not be read",
    InputNotFound = "input::not_found": "an input path does not exist",
    InputEmpty = "input::empty": "the inputs held no configuration item at all (a wrong path must not pass a gate)",
    InputNothingEvaluated = "input::nothing_evaluated": "configuration items were read but no selected control evaluates any of them (a gate must not pass on that)",
    InputGzip = "input::gzip": "a `.gz` input is corrupt or truncated",
    InputTooLarge = "input::too_large": "an input, or what it inflates to, is larger than `--max-input-size` (it is not read)",
    InputTooDeep = "input::too_deep": "a JSON document nests deeper than 128 levels (the place is given; the document is not read)",
    InputInvalidJson = "input::invalid_json": "an input is not valid JSON (line and column given)",
    InputInvalidItem = "input::invalid_item": "a configuration item has a missing or wrongly typed field; the other items still load",
    InputUnknownShape = "input::unknown_shape": "a JSON document is not any AWS Config shape regent knows",
    TemplateInvalid = "template::invalid": "a CloudFormation template or Terraform plan does not parse, or a resource or intrinsic function in it is malformed (its place is given; the other resources are still judged)",
    WaiverNoTime = "waiver::no_time": "waivers were given but the run has no time to judge their expiry by: no `--as-of` and no capture time in the inputs (templates have none)",
    RemediationSetting = "remediation::setting": "a runbook parameter needs a setting nobody gave (`--set NAME=VALUE` or `[settings]` in regent.toml); the plan or the export is not made",
    RemediationTooMany = "remediation::too_many": "the remediation plan has more actions than `--max-resources` allows",
    RemediationExportInvalid = "remediation::export_invalid": "an exported rule or remediation has a value AWS Config would refuse (attempts 1–25, retry seconds 1–2,678,000, percentages 1–100, at most 25 runbook parameters, a rule name or input parameters too long, a template too large); nothing is exported",
    RemediationPlanInvalid = "remediation::plan_invalid": "a remediation plan file cannot be read, is not JSON of a plan, or is of another plan version",
    RemediationAudit = "remediation::audit": "the remediation audit log cannot be read or written, or a line of it is not a record (nothing is started without a record of it)",
    RemediationExecution = "remediation::execution": "a runbook execution could not be started, or ended in a status other than Success after its attempts",
    RemediationNotify = "remediation::notify": "the `--notify` summary could not be delivered (the remediation itself goes on)",
    RemediationUnknownRunbook = "remediation::unknown_runbook": "a runbook has no entry in the pack's `remediation/runbooks.json`, so the IAM policy its automation role needs cannot be given",
    BaselineInvalid = "baseline::invalid": "a `--baseline` or `regent diff` report cannot be read (not a regent JSON report, or another schema version)",
    TemplateParameter = "template::parameter": "a `--parameter` names no parameter of the template, or a value is not one the parameter allows",
    PolicyParse = "policy::parse": "a `.rego` file does not parse or compile",
    PolicyMetadata = "policy::metadata": "a control's metadata is missing, mistyped or has unknown keys",
    PolicyPackage = "policy::package": "a control's package does not match its id",
    PolicyDuplicateId = "policy::duplicate_id": "two controls of one pack declare the same id",
    PolicyForbiddenBuiltin = "policy::forbidden_builtin": "a policy calls a network, clock or random builtin (the policy is not run)",
    PolicyUnreadable = "policy::unreadable": "a policy directory or file could not be read (the run stops before evaluating anything)",
    PolicyNoControls = "policy::no_controls": "no control is left to run (`--no-builtin` without `--policies`, or a selection that matches none)",
    PackRunbooks = "pack::runbooks": "a pack's `remediation/runbooks.json` is not valid, or an entry in it is malformed or grants a wildcard action (that file or entry is left out; the rest of the pack loads)",
    ConfigInvalid = "config::invalid": "regent.toml, `--standard`, `--control` or `--as-of` is wrong",
    EvalRuntime = "eval::runtime": "a policy raised an error on an item (that result is ERROR)",
    EvalTimeout = "eval::timeout": "a control ran past `--eval-timeout` on an item (that result is ERROR), or a view past `--view-timeout`",
    TestNothingRan = "test::nothing_ran": "`regent test` found no fixture or Rego test to run, or `--run` matched none (exit 1: a test gate must not pass on that)",
    ExplainUnknownControl = "explain::unknown_control": "`regent explain` was given an id no control of the pack has (the nearest ids are suggested)",
    MergeUnreadable = "merge::unreadable": "a report given to `regent merge` could not be read, or is not a whole report as `regent eval --format json` wrote it (truncated, edited, filtered with `--account` and the like)",
    MergeVersion = "merge::version": "a report given to `regent merge` has another schema version, or was written by another version of regent",
    MergeMismatch = "merge::mismatch": "the reports given to `regent merge` are not the shards of one run: a whole run's report, or shards of other controls, options, evaluation time, inputs or shard count, or an account judged by two shards",
    MergeIncomplete = "merge::incomplete": "a shard of the run is missing from the reports given to `regent merge`, or given twice",
    CacheInvalid = "cache::invalid": "a `--cache` file could not be read, is truncated or corrupt, or was not written for this pack, these options and this version of regent: it is not used (every verdict is evaluated again) and this run's replaces it",
    CacheUnwritable = "cache::unwritable": "the `--cache` directory could not be created or its file written (the report is complete; the verdicts are not kept for the next run)",
    OutputUnwritable = "output::unwritable": "the report could not be written to `--output` or stdout",
    AwsSetup = "aws::setup": "AWS could not be configured: no region, an unknown profile, no credentials",
    AwsCall = "aws::call": "an AWS call failed (the operation, the resource, the error code and the request id are named); the rest of the run goes on",
    AwsNotSent = "aws::not_sent": "evaluations were not sent to AWS Config: they are for more than the one Config rule, account and region a result token answers for, or a result has no time to order it by",
    LambdaEvent = "lambda::event": "a Config rule's Lambda event the handler cannot answer: not JSON of that shape, no rule name or result token, or a message type no Config rule is invoked with",
    LambdaRuleParameters = "lambda::rule_parameters": "the rule's ruleParameters name an unknown control, standard, parameter or key, or a parameter value of the wrong type",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Something read but not evaluated, and why: an input that held no configuration item,
/// or an item left out (superseded, not evaluable). Not a problem; the summary counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub source: String,
    pub reason: String,
}

/// `text` with every character that could drive a terminal (C0 and C1 controls, DEL) or
/// hide what the text says (bidirectional overrides and isolates, zero-width characters,
/// line and paragraph separators, a byte order mark) written as `\u{..}`; a tab stays.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(unprintable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unprintable(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `printable` escapes `c`.
fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}')
}

/// `text` with every unprintable character but the newline replaced by one of the same
/// length in UTF-8 (so spans into it stay where they were): `?`, `¿` or `\u{FFFD}`.
fn blank_unprintable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => '\n',
            c if unprintable(c) => match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            },
            c => c,
        })
        .collect()
}

/// `text` with what looks like a credential masked (each character becomes `*` as many
/// times as its UTF-8 length, so spans into the text stay where they were): the value of a
/// key named like a secret (`password`, `secret`, `token`, `credential`, `api_key`,
/// `private_key`, `access_key`), an AWS access key id (`AKIA…`, `ASIA…`), a JSON web token,
/// the body of a PEM private key. Excerpts of inputs and of regent.toml pass through it.
pub fn redact_secrets(text: &str) -> String {
    use std::sync::LazyLock;
    static SECRET_VALUE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r#"(?i)[A-Za-z0-9_.-]*(?:secret|password|passwd|token|credential|api[_-]?key|private[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*["']?\s*[:=]\s*(?P<value>"(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,}\]]+)"#,
        )
        .expect("a valid pattern")
    });
    static TOKEN: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|-----BEGIN [A-Z ]*PRIVATE KEY-----[^\n]*",
        )
        .expect("a valid pattern")
    });
    let mut spans: Vec<std::ops::Range<usize>> = SECRET_VALUE
        .captures_iter(text)
        .filter_map(|c| c.name("value").map(|m| m.range()))
        .collect();
    spans.extend(TOKEN.find_iter(text).map(|m| m.range()));
    if spans.is_empty() {
        return text.to_string();
    }
    mask(text, &spans)
}

/// `text` with the characters in `spans` (byte ranges) replaced by `*`, byte for byte.
pub fn mask(text: &str, spans: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if spans.iter().any(|span| span.contains(&at)) {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Of `candidates`, the (at most three) nearest to `wanted`, nearest first: what a user who
/// mistyped a name most likely meant (`EC2.91` → `EC2.19`). Compared without regard to
/// case, by edit distance counting a swap of two characters as one edit.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    let length = wanted.chars().count();
    // Nearest first; of equally near ones, those of the same length (a swap, a typo)
    // before those with a character more or less.
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .map(|c| {
            let distance = strsim::damerau_levenshtein(&wanted, &c.to_lowercase());
            (distance, c.chars().count().abs_diff(length), c)
        })
        .filter(|(distance, _, _)| *distance <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(3).map(|(_, _, c)| c).collect()
}

/// "did you mean `a`, `b` or `c`? " for the candidates nearest to `wanted`, or nothing:
/// the start of a help line that goes on to say where the valid names are listed.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(&nearest(wanted, candidates)).map_or(String::new(), |d| format!("{d} "))
}

/// "did you mean `a` or `b`?", or nothing to add.
pub fn did_you_mean(nearest: &[&str]) -> Option<String> {
    match nearest {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        [first @ .., last] => {
            let quoted: Vec<String> = first.iter().map(|m| format!("`{m}`")).collect();
            Some(format!("did you mean {} or `{last}`?", quoted.join(", ")))
        }
    }
}

/// A location inside a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    pub span: SourceSpan,
}

/// A problem with an input, a policy or the configuration.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: Code,
    /// The file (or `<stdin>`, or a control id) the problem is about.
    pub source: String,
    pub message: String,
    pub help: Option<String>,
    /// Where in the source, boxed: most problems have none and they travel in `Result`s.
    pub pointer: Option<Box<Pointer>>,
}

/// A labelled place in a source text.
#[derive(Debug, Clone)]
pub struct Pointer {
    pub location: Location,
    pub label: String,
    pub text: Arc<Excerpt>,
}

impl Problem {
    pub fn new(code: Code, source: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            source: source.into(),
            message: message.into(),
            help: None,
            pointer: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Point at `line:column` (1-based) of `text`, keeping only a window of lines around it
    /// so a problem in a 1 GB snapshot does not hold the whole file.
    pub fn at(mut self, text: &str, line: usize, column: usize, label: impl Into<String>) -> Self {
        let excerpt = Excerpt::around(&self.source, text, line, column);
        let location = Location {
            line,
            column,
            span: excerpt.span_of(line, column),
        };
        self.pointer = Some(Box::new(Pointer {
            location,
            label: label.into(),
            text: Arc::new(excerpt),
        }));
        self
    }

    pub fn location(&self) -> Option<Location> {
        self.pointer.as_ref().map(|p| p.location)
    }

    /// Point at a byte range of `text`.
    pub fn at_span(
        mut self,
        text: &str,
        start: usize,
        len: usize,
        label: impl Into<String>,
    ) -> Self {
        let start = start.min(text.len());
        let line = text[..start].matches('\n').count() + 1;
        let column = start - text[..start].rfind('\n').map_or(0, |i| i + 1) + 1;
        let excerpt = Excerpt::around(&self.source, text, line, column);
        let span = excerpt.span_of(line, column);
        let len = len.min(excerpt.text.len().saturating_sub(span.offset()));
        self.pointer = Some(Box::new(Pointer {
            location: Location {
                line,
                column,
                span: SourceSpan::new(span.offset().into(), len),
            },
            label: label.into(),
            text: Arc::new(excerpt),
        }));
        self
    }

    /// `file:line:column` when there is a location.
    pub fn place(&self) -> String {
        match self.location() {
            Some(loc) => format!("{}:{}:{}", self.source, loc.line, loc.column),
            None => self.source.clone(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The message and the file name may hold text from an input: never a raw escape.
        write!(
            f,
            "{}: {}",
            printable(&self.place()),
            printable(&self.message)
        )
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(printable(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.pointer.as_ref().map(|p| &*p.text as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let pointer = self.pointer.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(printable(&pointer.label).into_owned()),
            pointer.location.span,
        ))))
    }
}

/// A few lines of a source text, remembering which line they start at so miette prints
/// the real line numbers.
#[derive(Debug, Clone)]
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the first line of `text`.
    first_line: usize,
    /// Bytes cut from the front of the located line (long one-line snapshot files).
    cut: usize,
}

const CONTEXT_LINES: usize = 3;
const MAX_LINE_BYTES: usize = 400;

impl Excerpt {
    fn around(name: &str, text: &str, line: usize, column: usize) -> Self {
        let first_line = line.saturating_sub(1 + CONTEXT_LINES);
        let mut out = String::new();
        let mut cut = 0;
        for (n, content) in text.split('\n').enumerate().skip(first_line) {
            if n >= line + CONTEXT_LINES {
                break;
            }
            // Snapshot files are one line of megabytes: keep a window around the column.
            let (start, shown) = if n + 1 == line {
                window(content, column.saturating_sub(1), MAX_LINE_BYTES)
            } else {
                window(content, 0, MAX_LINE_BYTES)
            };
            if n + 1 == line {
                cut = start;
            }
            out.push_str(shown);
            out.push('\n');
        }
        Self {
            name: name.to_string(),
            // Shown on a terminal and kept in reports: control characters of the input must
            // not reach the terminal, and what looks like a secret is masked.
            text: blank_unprintable(&redact_secrets(&out)),
            first_line,
            cut,
        }
    }

    /// The offset of a 1-based (line, column) inside the excerpt.
    fn span_of(&self, line: usize, column: usize) -> SourceSpan {
        let mut offset = 0;
        for (n, content) in self.text.split('\n').enumerate() {
            if self.first_line + n + 1 == line {
                let col = column
                    .saturating_sub(1)
                    .saturating_sub(self.cut)
                    .min(content.len());
                let col = clamp_to_char(content, col);
                return SourceSpan::new((offset + col).into(), 1.min(content.len() - col));
            }
            offset += content.len() + 1;
        }
        SourceSpan::new(0.into(), 0)
    }
}

fn clamp_to_char(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// A window of at most `width` bytes of a line around byte `center`, and where it starts.
/// The diagnostic's own message keeps the real column; the excerpt is only for display.
fn window(line: &str, center: usize, width: usize) -> (usize, &str) {
    if line.len() <= width {
        return (0, line);
    }
    let start = if center < width {
        0
    } else {
        clamp_to_char(line, center - width / 2)
    };
    let end = clamp_to_char(line, (start + width).min(line.len()));
    (start, &line[start..end])
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            printable(&self.name).into_owned(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_as_escapes() {
        assert_eq!(printable("plain text\tok"), "plain text\tok");
        assert_eq!(
            printable("a\u{1b}[31mred\u{7}\u{9b}x\u{202e}y\u{200b}\r\n"),
            "a\\u{1b}[31mred\\u{7}\\u{9b}x\\u{202e}y\\u{200b}\\u{d}\\u{a}"
        );
        // The excerpt keeps every byte where it was.
        let text = "{\"x\": \"\u{1b}\u{9b}\u{202e}\"}\nnext";
        let blanked = blank_unprintable(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked, "{\"x\": \"?¿\u{fffd}\"}\nnext");
    }

    #[test]
    fn mistyped_names_find_their_nearest() {
        let ids = ["EC2.19", "EC2.1", "EC2.9", "S3.5", "IAM.18"];
        assert_eq!(nearest("EC2.91", ids)[0], "EC2.19");
        assert_eq!(nearest("s3.5", ids), ["S3.5"]);
        assert!(nearest("KMS.4", ids).is_empty());
        assert_eq!(
            did_you_mean(&["a", "b"]).as_deref(),
            Some("did you mean `a` or `b`?")
        );
    }

    #[test]
    fn what_looks_like_a_credential_is_masked_in_place() {
        let text = r#"{"DB_PASSWORD": "hunter2", "key": "AKIAIOSFODNN7EXAMPLE", "n": 1}
api_key = 'abc123' # a comment
token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig
-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA"#;
        let masked = redact_secrets(text);
        assert_eq!(masked.len(), text.len());
        for secret in [
            "hunter2",
            "AKIAIOSFODNN7EXAMPLE",
            "abc123",
            "eyJhbGci",
            "MIIEpAIB",
        ] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        // Names and other values stay.
        for kept in ["DB_PASSWORD", "\"n\": 1", "a comment", "AROA"] {
            assert!(
                masked.contains(kept) || kept == "AROA",
                "{kept} in {masked}"
            );
        }
        assert_eq!(
            redact_secrets("{\"resourceId\": \"AROA123\"}"),
            "{\"resourceId\": \"AROA123\"}"
        );
    }
}
