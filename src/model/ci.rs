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

/// Where an item came from, for diagnostics and `regent inspect`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub source: Arc<str>,
    /// Position of the item in its document (array index or NDJSON line), when it has one.
    pub index: Option<usize>,
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
    pub state_id: Option<i64>,
    /// A Lambda event said the resource left the rule's scope (`eventLeftScope`).
    pub left_scope: bool,
    pub origin: Origin,
    /// `configurationItemStatus` as recorded.
    pub status_text: String,
    /// The item as policies see it (N-dialect names, embedded JSON decoded), kept as
    /// compact JSON text: a fraction of the memory of a value tree, parsed when the item is
    /// evaluated or goes into the inventory (`input::from_document`).
    pub document: Document,
}

/// An item's compact JSON text. The items of one input are packed together
/// (`Document::pack`) into compressed blocks: at organisation scale the texts are held from
/// loading until evaluation, and JSON that repeats the same keys item after item compresses
/// several times over. A block is also released whole: millions of small texts released one
/// by one leave the allocator's pages partly used, so their memory is neither returned nor
/// reused for other sizes.
#[derive(Clone, Default)]
pub struct Document {
    storage: Storage,
    range: std::ops::Range<usize>,
}

#[derive(Clone)]
enum Storage {
    Plain(Arc<str>),
    Packed(Arc<Block>),
}

impl Default for Storage {
    fn default() -> Self {
        Storage::Plain(Arc::from(""))
    }
}

/// The texts of consecutive items of one input, lz4-compressed.
struct Block {
    /// Unique for the process, so a thread's cache of decompressed blocks cannot mistake a
    /// new block for a released one at the same address.
    id: u64,
    compressed: Box<[u8]>,
    len: usize,
}

/// About this much text per block: lz4 looks back 64 KiB, so larger blocks compress no
/// better, and a reader decompresses a whole block for one item.
const BLOCK_TEXT: usize = 256 * 1024;

/// The blocks each thread decompressed last: items are read in resource order, so one
/// input's items come one after the other (two, for the global resources that sort among an
/// account's regions).
const CACHED_BLOCKS: usize = 2;

thread_local! {
    static DECOMPRESSED: std::cell::RefCell<Vec<(u64, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Document {
    pub fn new(text: &str) -> Self {
        Document {
            storage: Storage::Plain(Arc::from(text)),
            range: 0..text.len(),
        }
    }

    /// Call `read` with the text. `read` must not read another document.
    pub fn with_text<R>(&self, read: impl FnOnce(&str) -> R) -> R {
        match &self.storage {
            Storage::Plain(text) => read(text.get(self.range.clone()).unwrap_or_default()),
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
                        let mut text = if cache.len() < CACHED_BLOCKS {
                            String::new()
                        } else {
                            cache.remove(0).1
                        };
                        block.decompress_into(&mut text);
                        cache.push((block.id, text));
                    }
                }
                let text = cache.last().map_or("", |(_, text)| text.as_str());
                read(text.get(self.range.clone()).unwrap_or_default())
            }),
        }
    }

    /// The text, copied.
    pub fn text(&self) -> String {
        self.with_text(str::to_string)
    }

    /// Pack the documents of `items` (one input's, in order) into compressed blocks.
    pub fn pack(items: &mut [ConfigurationItem]) {
        let mut start = 0;
        while start < items.len() {
            let mut text = String::new();
            let mut end = start;
            while end < items.len() && (end == start || text.len() < BLOCK_TEXT) {
                items[end].document.with_text(|t| text.push_str(t));
                end += 1;
            }
            let block = Arc::new(Block {
                id: next_block_id(),
                compressed: lz4_flex::block::compress(text.as_bytes()).into_boxed_slice(),
                len: text.len(),
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
    fn decompress_into(&self, text: &mut String) {
        let mut bytes = std::mem::take(text).into_bytes();
        bytes.clear();
        bytes.resize(self.len, 0);
        // The block was compressed from UTF-8 text of this length in this process; should
        // it ever fail to come back, the items read as empty rather than as other bytes.
        let restored = lz4_flex::block::decompress_into(&self.compressed, &mut bytes)
            .is_ok_and(|n| n == self.len);
        *text = if restored {
            String::from_utf8(bytes).unwrap_or_default()
        } else {
            String::new()
        };
    }
}

impl ConfigurationItem {
    /// The ordering AWS uses to pick the latest state of one resource.
    pub fn recency(&self) -> (i64, &str) {
        (
            self.state_id.unwrap_or(i64::MIN),
            self.subject.capture_time.as_deref().unwrap_or(""),
        )
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.with_text(|text| std::fmt::Debug::fmt(text, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> ConfigurationItem {
        ConfigurationItem {
            subject: Arc::new(Subject {
                resource_type: Arc::from("AWS::S3::Bucket"),
                resource_id: Arc::from(text),
                resource_name: None,
                arn: None,
                account: Arc::from("111122223333"),
                region: Arc::from("us-east-1"),
                capture_time: None,
            }),
            status: ItemStatus::Ok,
            state_id: None,
            left_scope: false,
            origin: Origin {
                source: Arc::from("file"),
                index: None,
            },
            status_text: "OK".into(),
            document: Document::new(text),
        }
    }

    #[test]
    fn packed_documents_keep_their_texts_across_blocks() {
        // Enough text for several blocks, with multi-byte characters at the edges.
        let texts: Vec<String> = (0..2000)
            .map(|i| format!(r#"{{"é":{i},"pad":"{}ü"}}"#, "x".repeat(i % 700)))
            .collect();
        let mut items: Vec<ConfigurationItem> = texts.iter().map(|t| item(t)).collect();
        Document::pack(&mut items);
        let blocks: std::collections::BTreeSet<u64> = items
            .iter()
            .map(|i| match &i.document.storage {
                Storage::Packed(block) => block.id,
                Storage::Plain(_) => panic!("every document is packed"),
            })
            .collect();
        assert!(blocks.len() > 2, "{} blocks", blocks.len());
        // Read in order, backwards and jumping between blocks: always the item's own text.
        for i in (0..texts.len())
            .chain((0..texts.len()).rev())
            .chain([0, 1999, 1, 1998])
        {
            assert_eq!(items[i].document.text(), texts[i]);
        }
        let empty = [item("")];
        let mut empty = empty.to_vec();
        Document::pack(&mut empty);
        assert_eq!(empty[0].document.text(), "");
    }
}
