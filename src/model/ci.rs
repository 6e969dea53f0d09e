//! The canonical configuration item every loader shape is normalised into.

use std::sync::Arc;

/// `configurationItemStatus`, the exact AWS enum plus a bucket for anything newer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemStatus {
    Ok,
    ResourceDiscovered,
    ResourceNotRecorded,
    ResourceDeleted,
    ResourceDeletedNotRecorded,
    Other,
}

impl ItemStatus {
    pub fn parse(text: &str) -> Self {
        match text {
            "OK" => Self::Ok,
            "ResourceDiscovered" => Self::ResourceDiscovered,
            "ResourceNotRecorded" => Self::ResourceNotRecorded,
            "ResourceDeleted" => Self::ResourceDeleted,
            "ResourceDeletedNotRecorded" => Self::ResourceDeletedNotRecorded,
            _ => Self::Other,
        }
    }

    /// AWS evaluates only `OK` and `ResourceDiscovered`; everything else is NOT_APPLICABLE.
    pub fn is_evaluable(self) -> bool {
        matches!(self, Self::Ok | Self::ResourceDiscovered)
    }
}

/// Where an item came from: its input (a file, `<stdin>`, an `s3://` object, ...) and its
/// place in it, for diagnostics, `regent inspect` and the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub source: Arc<str>,
    /// Position of the item in its document (array index or NDJSON line), when it has one.
    pub index: Option<usize>,
}

impl Origin {
    /// The input file and, for an NDJSON line, its line number (`split_line`).
    pub fn file_and_line(&self) -> (&str, Option<usize>) {
        split_line(&self.source)
    }
}

/// An input's name and the NDJSON line the loader appends to it (`items.ndjson:12`), when
/// there is one. (A file whose own name ends in `:<digits>` reads the same.)
pub fn split_line(source: &str) -> (&str, Option<usize>) {
    if let Some((file, digits)) = source.rsplit_once(':') {
        let canonical = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'));
        if canonical && !file.is_empty() {
            if let Ok(line) = digits.parse::<usize>() {
                return (file, Some(line));
            }
        }
    }
    (source, None)
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.index {
            Some(index) => write!(f, "{}#{}", self.source, index),
            None => write!(f, "{}", self.source),
        }
    }
}

/// What a configuration item (and every verdict on it) is about: the resource's identity,
/// shared by the item and its verdicts. An account-level verdict has one too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub resource_type: Arc<str>,
    pub resource_id: Arc<str>,
    pub resource_name: Option<Arc<str>>,
    pub arn: Option<Arc<str>>,
    pub account: Arc<str>,
    pub region: Arc<str>,
    /// The capture time of the item, ISO-8601, normalised from either dialect (the
    /// `OrderingTimestamp` AWS wants).
    pub capture_time: Option<Arc<str>>,
    /// `configurationStateId`, when the item has a numeric one (it orders the states of
    /// one resource).
    pub state_id: Option<i64>,
    /// The input the item came from (`None` for an account-level verdict's subject).
    pub origin: Option<Origin>,
}

impl Subject {
    /// What AWS Config keys a resource's history by, in the order results are sorted:
    /// account, region, type, id.
    pub fn key(&self) -> (&str, &str, &str, &str) {
        (
            &self.account,
            &self.region,
            &self.resource_type,
            &self.resource_id,
        )
    }
}

/// One normalised configuration item.
#[derive(Debug, Clone)]
pub struct ConfigurationItem {
    pub subject: Arc<Subject>,
    pub status: ItemStatus,
    /// The capture time as nanoseconds since the epoch (how items are ordered by time).
    pub capture_ns: Option<i64>,
    /// A Lambda event said the resource left the rule's scope (`eventLeftScope`).
    pub left_scope: bool,
    /// The item came in a complete record of its account and region (a snapshot file):
    /// what that record does not hold does not exist there (README "Partial inputs").
    pub complete_record: bool,
    /// `configurationItemStatus` as recorded.
    pub status_text: String,
    /// For an item made from a template before deploy: what its values cannot know yet,
    /// one description each; those values are `template::unknown` placeholders, and the
    /// evaluator keeps a verdict only when it holds whatever they turn out to be. Empty
    /// for a recorded item.
    pub unknowns: Box<[String]>,
    /// Made from a template or plan: its logical ids are its own, so an item of another
    /// template with the same id is another resource, never a newer state of this one.
    pub from_template: bool,
    /// The item as policies see it (N-dialect names, embedded JSON decoded), kept encoded
    /// (`Document`): a fraction of the memory of a value tree, decoded when the item is
    /// evaluated or goes into the inventory.
    pub document: Document,
}

/// An item's value, encoded as MessagePack. The items of one input are packed together
/// (`Document::pack`) into compressed blocks: at organisation scale the documents are held
/// from loading until evaluation, and items that repeat the same keys one after the other
/// compress several times over. A block is also released whole: millions of small
/// documents released one by one leave the allocator's pages partly used, so their memory
/// is neither returned nor reused for other sizes.
///
/// MessagePack rather than JSON text: its strings are length-prefixed, so writing one is a
/// copy instead of an escaping pass, and reading one is a copy instead of a scan for quotes
/// and escapes; the decoded value is the same.
#[derive(Clone, Default)]
pub struct Document {
    storage: Storage,
    range: std::ops::Range<usize>,
}

#[derive(Clone)]
enum Storage {
    Plain(Arc<[u8]>),
    Packed(Arc<Block>),
}

impl Default for Storage {
    fn default() -> Self {
        Storage::Plain(Arc::from(&[][..]))
    }
}

/// The documents of consecutive items of one input, lz4-compressed.
struct Block {
    /// Unique for the process, so a thread's cache of decompressed blocks cannot mistake a
    /// new block for a released one at the same address.
    id: u64,
    compressed: Box<[u8]>,
    len: usize,
}

/// About this many bytes per block: lz4 looks back 64 KiB, so larger blocks compress no
/// better, and a reader decompresses a whole block for one item.
const BLOCK_BYTES: usize = 256 * 1024;

/// The blocks each thread decompressed last: items are read in resource order, so one
/// input's items come one after the other (two, for the global resources that sort among an
/// account's regions).
const CACHED_BLOCKS: usize = 2;

thread_local! {
    static DECOMPRESSED: std::cell::RefCell<Vec<(u64, Vec<u8>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Document {
    /// `value` encoded.
    pub fn from_value(value: &serde_json::Value) -> Self {
        Self::encoded(|buffer| {
            // Encoding a JSON value into memory cannot fail: its map keys are strings.
            let _ = rmp_serde::encode::write(buffer, value);
        })
    }

    /// The document `write` encodes (MessagePack, as `from_value` writes it). Written into
    /// a buffer each thread keeps, so the document is allocated once at its final size
    /// instead of growing step by step.
    pub fn encoded(write: impl FnOnce(&mut Vec<u8>)) -> Self {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with(|buffer| {
            let mut buffer = buffer.borrow_mut();
            buffer.clear();
            write(&mut buffer);
            Document {
                storage: Storage::Plain(Arc::from(buffer.as_slice())),
                range: 0..buffer.len(),
            }
        })
    }

    /// The item as compact JSON text (`regent inspect`).
    pub fn json(&self) -> String {
        self.with_bytes(|bytes| rmp_serde::from_slice::<serde_json::Value>(bytes))
            .map(|value| value.to_string())
            .unwrap_or_default()
    }

    /// Call `read` with the encoded bytes (MessagePack, as `from_value` writes it). `read`
    /// must not read another document.
    pub fn with_bytes<R>(&self, read: impl FnOnce(&[u8]) -> R) -> R {
        match &self.storage {
            Storage::Plain(bytes) => read(bytes.get(self.range.clone()).unwrap_or_default()),
            Storage::Packed(block) => DECOMPRESSED.with(|cache| {
                let mut cache = cache.borrow_mut();
                // Most recently used last.
                match cache.iter().position(|(id, _)| *id == block.id) {
                    Some(slot) => {
                        let entry = cache.remove(slot);
                        cache.push(entry);
                    }
                    None => {
                        // Reuse the least recently used entry's allocation.
                        let mut bytes = if cache.len() < CACHED_BLOCKS {
                            Vec::new()
                        } else {
                            cache.remove(0).1
                        };
                        block.decompress_into(&mut bytes);
                        cache.push((block.id, bytes));
                    }
                }
                let bytes = cache.last().map_or(&[][..], |(_, bytes)| bytes.as_slice());
                read(bytes.get(self.range.clone()).unwrap_or_default())
            }),
        }
    }

    /// Pack the documents of `items` (one input's, in order) into compressed blocks.
    pub fn pack(items: &mut [ConfigurationItem]) {
        let mut start = 0;
        while start < items.len() {
            let mut bytes = Vec::new();
            let mut end = start;
            while end < items.len() && (end == start || bytes.len() < BLOCK_BYTES) {
                items[end]
                    .document
                    .with_bytes(|b| bytes.extend_from_slice(b));
                end += 1;
            }
            let block = Arc::new(Block {
                id: next_block_id(),
                compressed: lz4_flex::block::compress(&bytes).into_boxed_slice(),
                len: bytes.len(),
            });
            let mut offset = 0;
            for item in &mut items[start..end] {
                let len = item.document.range.len();
                item.document = Document {
                    storage: Storage::Packed(block.clone()),
                    range: offset..offset + len,
                };
                offset += len;
            }
            start = end;
        }
    }
}

fn next_block_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Block {
    fn decompress_into(&self, bytes: &mut Vec<u8>) {
        bytes.clear();
        bytes.resize(self.len, 0);
        // The block was compressed from this many bytes in this process; should it ever
        // fail to come back, the items read as empty (and decode as null) rather than as
        // other bytes.
        let restored =
            lz4_flex::block::decompress_into(&self.compressed, bytes).is_ok_and(|n| n == self.len);
        if !restored {
            bytes.clear();
        }
    }
}

impl ConfigurationItem {
    /// The ordering AWS uses to pick the latest state of one resource.
    pub fn recency(&self) -> (i64, i64) {
        (
            self.subject.state_id.unwrap_or(i64::MIN),
            self.capture_ns.unwrap_or(i64::MIN),
        )
    }

    /// What makes two items states of one resource: its key, and for an item of a template
    /// the template's file too.
    pub fn identity(&self) -> ((&str, &str, &str, &str), Option<&str>) {
        let template = self
            .from_template
            .then(|| self.subject.origin.as_ref().map(|o| o.file_and_line().0))
            .flatten();
        (self.subject.key(), template)
    }

    /// Where the item came from, as text (`file#index`).
    pub fn place(&self) -> String {
        self.subject
            .origin
            .as_ref()
            .map_or_else(String::new, Origin::to_string)
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.json(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(value: &serde_json::Value) -> ConfigurationItem {
        ConfigurationItem {
            subject: Arc::new(Subject {
                resource_type: Arc::from("AWS::S3::Bucket"),
                resource_id: Arc::from("logs"),
                resource_name: None,
                arn: None,
                account: Arc::from("111122223333"),
                region: Arc::from("us-east-1"),
                capture_time: None,
                state_id: None,
                origin: Some(Origin {
                    source: Arc::from("file"),
                    index: None,
                }),
            }),
            status: ItemStatus::Ok,
            capture_ns: None,
            left_scope: false,
            complete_record: false,
            status_text: "OK".into(),
            unknowns: Box::default(),
            from_template: false,
            document: Document::from_value(value),
        }
    }

    #[test]
    fn packed_documents_keep_their_values_across_blocks() {
        // Enough for several blocks, with multi-byte characters at the edges.
        let values: Vec<serde_json::Value> = (0..2000)
            .map(|i| serde_json::json!({"é": i, "pad": format!("{}ü", "x".repeat(i % 700))}))
            .collect();
        let mut items: Vec<ConfigurationItem> = values.iter().map(item).collect();
        Document::pack(&mut items);
        let blocks: std::collections::BTreeSet<u64> = items
            .iter()
            .map(|i| match &i.document.storage {
                Storage::Packed(block) => block.id,
                Storage::Plain(_) => panic!("every document is packed"),
            })
            .collect();
        assert!(blocks.len() > 2, "{} blocks", blocks.len());
        // Read in order, backwards and jumping between blocks: always the item's own value.
        for i in (0..values.len())
            .chain((0..values.len()).rev())
            .chain([0, 1999, 1, 1998])
        {
            assert_eq!(items[i].document.json(), values[i].to_string());
        }
        let mut empty = vec![item(&serde_json::json!({}))];
        Document::pack(&mut empty);
        assert_eq!(empty[0].document.json(), "{}");
    }

    #[test]
    fn a_document_reads_back_as_the_json_it_was_made_from() {
        let text = r#"{"a":[1,-2,3.5,1e300,18446744073709551615,-9223372036854775808,true,null,"x\"\n\u0000é"],"b":{"c":{},"d":[]},"":0}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let document = Document::from_value(&value);
        assert_eq!(document.json(), value.to_string());
    }
}
