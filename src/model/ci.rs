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
    pub document: Arc<str>,
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
