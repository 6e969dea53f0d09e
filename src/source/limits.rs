//! The bound on what one input may hold, read or inflated.

use crate::diagnostics::{Code, Problem};
use std::io::Read;

/// The default bound on one document's bytes, read and inflated: larger ones are refused
/// (`input::too_large`) before they can take the machine's memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 1 << 30;

/// Read `reader` to its end, unless it holds more than `max_bytes` (then `input::too_large`
/// naming `origin`, after reading one byte more than the bound, not the whole stream).
pub fn read_bounded(origin: &str, reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, Problem> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| Problem::new(Code::InputUnreadable, origin, err.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(origin, max_bytes, "is"));
    }
    Ok(bytes)
}

/// `input::too_large`: `origin` `what` (is, inflates to) more than `max_bytes`.
pub fn too_large(origin: &str, max_bytes: u64, what: &str) -> Problem {
    Problem::new(
        Code::InputTooLarge,
        origin,
        format!("{what} larger than the limit of {max_bytes} bytes; it was not read"),
    )
    .with_help("raise the limit with --max-input-size (README \"Limits\") if the input is genuine")
}
