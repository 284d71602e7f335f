//! Redis keys are bytes. A key crosses IPC and `--json` as its text, with every byte that is not
//! part of valid UTF-8 written `\xNN` (as `redis-cli` does), plus its exact bytes in hex when
//! that text is not the key itself. A caller sends back what it got, so any key round-trips.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyName {
    pub text: String,
    /// The key's bytes in hex, only when `text` is not exactly the key (it is not UTF-8, or
    /// contains a backslash that would read as an escape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex: Option<String>,
}

impl KeyName {
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let text = display_bytes(bytes);
        let exact = text.as_bytes() == bytes;
        Self {
            text,
            hex: (!exact).then(|| hex(bytes)),
        }
    }

    /// The key's bytes: from `hex` when present, else the text as it is.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        match &self.hex {
            Some(h) => parse_hex(h),
            None => Ok(self.text.as_bytes().to_vec()),
        }
    }
}

/// Text for bytes: valid UTF-8 as it is, other bytes and backslashes escaped (`\xNN`, `\\`)
/// when the bytes are not UTF-8; control characters always escaped.
pub fn display_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' if !is_utf8 => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32 & 0xff)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

pub fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if text.len() % 2 != 0 {
        return Err(Error::InvalidInput(format!(
            "{text:?} is not hex (an even number of 0-9a-f digits)"
        )));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| Error::InvalidInput(format!("{text:?} is not hex")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], text: &str, hex: Option<&str>) {
        let name = KeyName::from_bytes(bytes);
        assert_eq!(name.text, text, "{bytes:?}");
        assert_eq!(name.hex.as_deref(), hex, "{bytes:?}");
        assert_eq!(
            name.to_bytes().ok().as_deref(),
            Some(bytes),
            "round trip of {bytes:?}"
        );
    }

    #[test]
    fn keys_show_as_text_and_round_trip_as_bytes() {
        check(b"tenant:a:atom:1", "tenant:a:atom:1", None);
        check("tenant:é:ключ".as_bytes(), "tenant:é:ключ", None);
        check(
            b"bin:\xff\xfe:x",
            "bin:\\xff\\xfe:x",
            Some("62696e3afffe3a78"),
        );
        check(b"a\\b\xff", "a\\\\b\\xff", Some("615c62ff"));
        check(b"glob*[x]?", "glob*[x]?", None);
        check(b"new\nline", "new\\x0aline", Some("6e65770a6c696e65"));
        check(b"", "", None);
        assert!(parse_hex("abc").is_err());
        assert!(parse_hex("zz").is_err());
    }
}
