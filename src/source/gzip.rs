//! Undo gzip, recognised by its magic number (so a `.gz` without the suffix, or a plain
//! file named `.gz`, both work).

use crate::diagnostics::{Code, Problem};
use flate2::read::MultiGzDecoder;
use std::io::Read;

pub fn gunzip_if_needed(name: &str, raw: Vec<u8>) -> Result<Vec<u8>, Problem> {
    if raw.len() < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
        return Ok(raw);
    }
    let mut out = Vec::with_capacity(raw.len() * 8);
    MultiGzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|err| {
            Problem::new(
                Code::InputGzip,
                name,
                format!(
                    "corrupt or truncated gzip stream after {} decompressed bytes: {err}",
                    out.len()
                ),
            )
            .with_help("the file was probably cut short while downloading; fetch it again")
        })?;
    Ok(out)
}
