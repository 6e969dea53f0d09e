//! Undo gzip, recognised by its magic number (so a `.gz` without the suffix, or a plain
//! file named `.gz`, both work), never inflating past a bound (a small file can inflate to
//! gigabytes).

use super::limits::too_large;
use crate::diagnostics::{Code, Problem};
use flate2::read::MultiGzDecoder;
use std::io::{ErrorKind, Read};

pub fn gunzip_if_needed(name: &str, raw: Vec<u8>, max_bytes: u64) -> Result<Vec<u8>, Problem> {
    if raw.len() < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
        return Ok(raw);
    }
    // Config's files inflate about ten times; reserve for that, not for the bound.
    let expected = raw.len().saturating_mul(10).min(max_bytes as usize);
    let mut out = Vec::with_capacity(expected);
    let read = MultiGzDecoder::new(&raw[..])
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out);
    match read {
        Ok(_) if out.len() as u64 > max_bytes => Err(too_large(name, max_bytes, "inflates to")),
        Ok(_) => Ok(out),
        Err(err) => {
            let what = match err.kind() {
                ErrorKind::UnexpectedEof => "truncated gzip stream",
                ErrorKind::OutOfMemory => "gzip stream too large for the memory left",
                _ => "corrupt gzip stream",
            };
            let help = match err.kind() {
                ErrorKind::UnexpectedEof => {
                    "the file was probably cut short while downloading; fetch it again"
                }
                ErrorKind::OutOfMemory => "lower --max-input-size, or give regent more memory",
                _ => "the file is damaged or not gzip; fetch it again",
            };
            Err(Problem::new(
                Code::InputGzip,
                name,
                format!("{what} after {} decompressed bytes: {err}", out.len()),
            )
            .with_help(help))
        }
    }
}
