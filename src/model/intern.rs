//! One copy of each short string a thread sees often: the same object keys and short
//! strings recur in every item ("configuration", "resourceType", account ids, regions,
//! "AWS::EC2::NetworkInterface"...), so each worker thread keeps one shared copy of each and
//! every item (and every decoded value) points at it: at organisation scale the inventory
//! takes far less memory, and decoding allocates far less.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::sync::Arc;

/// Longer strings (policy texts, descriptions, ARNs with ids) rarely recur.
const MAX_SHARED_LEN: usize = 48;
/// A bound on each thread's table, so unique ids cannot grow it without limit.
const MAX_SHARED: usize = 1 << 16;

/// Shared strings by their bytes: a string seen before is found without checking its
/// UTF-8 again.
pub type Table = HashMap<Box<[u8]>, Arc<str>>;

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(HashMap::default());
}

/// Call `use_table` with this thread's table (borrowed once for a whole document).
pub fn with_table<R>(use_table: impl FnOnce(&mut Table) -> R) -> R {
    TABLE.with(|table| use_table(&mut table.borrow_mut()))
}

/// `text` as a string shared with every other use of it on this thread (when short).
pub fn shared_str(text: &str) -> Arc<str> {
    with_table(|table| share(text.as_bytes(), table).unwrap_or_else(|_| Arc::from(text)))
}

/// `bytes` as a shared string, when they are UTF-8.
pub fn share(bytes: &[u8], table: &mut Table) -> Result<Arc<str>, std::str::Utf8Error> {
    if bytes.len() > MAX_SHARED_LEN {
        return Ok(Arc::from(std::str::from_utf8(bytes)?));
    }
    if let Some(existing) = table.get(bytes) {
        return Ok(existing.clone());
    }
    let string: Arc<str> = Arc::from(std::str::from_utf8(bytes)?);
    if table.len() < MAX_SHARED {
        table.insert(Box::from(bytes), string.clone());
    }
    Ok(string)
}
