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

/// The identity of a recorded resource: what AWS Config keys its history by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceKey {
    pub account: Arc<str>,
    pub region: Arc<str>,
    pub resource_type: Arc<str>,
    pub resource_id: Arc<str>,
}

/// One normalised configuration item.
#[derive(Debug, Clone)]
pub struct ConfigurationItem {
    pub key: ResourceKey,
    pub resource_name: Option<Arc<str>>,
    pub arn: Option<Arc<str>>,
    pub status: ItemStatus,
    /// ISO-8601 capture time, normalised from either dialect.
    pub capture_time: Option<Arc<str>>,
    pub state_id: Option<i64>,
    /// A Lambda event said the resource left the rule's scope (`eventLeftScope`).
    pub left_scope: bool,
    pub origin: Origin,
    /// `configurationItemStatus` as recorded.
    pub status_text: String,
    /// The item as policies see it (N-dialect names, embedded JSON decoded), kept as
    /// compact JSON text: a fraction of the memory of a value tree, parsed once, when the
    /// item is evaluated or goes into the inventory (`input::from_document`).
    pub document: Document,
}

/// An item's compact JSON text. The items of one input share one buffer (`Document::pack`):
/// one allocation per file instead of one per item, and one release once no item of the
/// file needs its text. Released item by item, millions of small texts leave the
/// allocator's pages partly used, so the memory is neither returned nor reused for other
/// sizes; a file's buffer goes back whole.
#[derive(Clone, Default)]
pub struct Document {
    buffer: Arc<str>,
    range: std::ops::Range<usize>,
}

impl Document {
    pub fn new(text: &str) -> Self {
        Document {
            buffer: Arc::from(text),
            range: 0..text.len(),
        }
    }

    pub fn as_str(&self) -> &str {
        self.buffer.get(self.range.clone()).unwrap_or_default()
    }

    /// The same text in a buffer of its own, so that it does not keep its file's alive.
    pub fn detached(&self) -> Self {
        Document::new(self.as_str())
    }

    /// Move the documents of `items` (one input's) into one shared buffer.
    pub fn pack(items: &mut [ConfigurationItem]) {
        let total = items.iter().map(|item| item.document.as_str().len()).sum();
        let mut buffer = String::with_capacity(total);
        let ranges: Vec<std::ops::Range<usize>> = items
            .iter()
            .map(|item| {
                let start = buffer.len();
                buffer.push_str(item.document.as_str());
                start..buffer.len()
            })
            .collect();
        let buffer: Arc<str> = Arc::from(buffer);
        for (item, range) in items.iter_mut().zip(ranges) {
            item.document = Document {
                buffer: buffer.clone(),
                range,
            };
        }
    }
}

impl std::ops::Deref for Document {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl ConfigurationItem {
    /// The ordering AWS uses to pick the latest state of one resource.
    pub fn recency(&self) -> (i64, &str) {
        (
            self.state_id.unwrap_or(i64::MIN),
            self.capture_time.as_deref().unwrap_or(""),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> ConfigurationItem {
        ConfigurationItem {
            key: ResourceKey {
                account: Arc::from("111122223333"),
                region: Arc::from("us-east-1"),
                resource_type: Arc::from("AWS::S3::Bucket"),
                resource_id: Arc::from(text),
            },
            resource_name: None,
            arn: None,
            status: ItemStatus::Ok,
            capture_time: None,
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
    fn packed_documents_share_one_buffer_and_keep_their_texts() {
        let texts = [r#"{"a":1}"#, "", r#"{"é":"ü"}"#, r#"{"b":[true]}"#];
        let mut items: Vec<ConfigurationItem> = texts.iter().map(|t| item(t)).collect();
        Document::pack(&mut items);
        let read: Vec<&str> = items.iter().map(|i| i.document.as_str()).collect();
        assert_eq!(read, texts);
        assert!(items
            .windows(2)
            .all(|w| Arc::ptr_eq(&w[0].document.buffer, &w[1].document.buffer)));
        // Held by the items and nothing else, so it goes with the last of them.
        assert_eq!(Arc::strong_count(&items[0].document.buffer), texts.len());

        let detached = items[2].document.detached();
        assert_eq!(detached.as_str(), texts[2]);
        assert!(!Arc::ptr_eq(&detached.buffer, &items[2].document.buffer));
        drop(items);
        assert_eq!(detached.as_str(), texts[2]);
    }
}
