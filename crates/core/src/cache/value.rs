//! A key's value by its type, a page at a time: a string's first bytes (JSON parsed, binary as
//! hex), a hash's or set's fields by HSCAN/SSCAN cursor, a list's or sorted set's elements by
//! offset, a stream's entries from an id, with its consumer groups. Nothing larger than a page
//! is sent on: long strings and long elements are cut, and say so.

use redis::Value;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::browse::ttl_of;
use super::key_name::{display_bytes, hex, KeyName};
use crate::error::{Error, Result, StoreKind};
use crate::stores::redis::Redis;
use crate::stores::with_timeout;

/// String bytes read at most (GETRANGE), so a 100 MB value is never read whole.
pub const MAX_STRING_BYTES: usize = 256 * 1024;
/// Bytes of a string shown as hex at most.
const MAX_HEX_BYTES: usize = 64 * 1024;
/// Bytes of one element (field, member, list item) shown at most.
pub const MAX_CELL_BYTES: usize = 4 * 1024;
const DEFAULT_LIMIT: u32 = 100;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ValueRequest {
    pub key: KeyName,
    /// From a previous answer's `next`.
    pub after: Option<String>,
    /// Elements per page (default 100, at most 1,000).
    pub limit: Option<u32>,
}

/// One element, cut to [`MAX_CELL_BYTES`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    pub text: String,
    /// Its length in bytes.
    pub bytes: String,
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ScoredMember {
    pub member: Cell,
    pub score: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StreamEntry {
    pub id: String,
    pub fields: Vec<(Cell, Cell)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConsumerGroup {
    pub name: String,
    pub consumers: String,
    pub pending: String,
    pub last_delivered_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ValueView {
    /// The key does not exist (any more: it may have expired or been deleted since the scan).
    Missing,
    String {
        /// Bytes read, from the start.
        bytes_shown: u32,
        truncated: bool,
        /// The bytes as text, when they are UTF-8.
        text: Option<String>,
        /// The whole value parsed as JSON, when it is JSON (never for a cut value).
        #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
        json: Option<Json>,
        /// The bytes in hex (at most 64 KiB of them), when they are not UTF-8.
        hex: Option<String>,
    },
    Hash {
        fields: Vec<(Cell, Cell)>,
    },
    List {
        offset: String,
        items: Vec<Cell>,
    },
    Set {
        members: Vec<Cell>,
    },
    Zset {
        offset: String,
        members: Vec<ScoredMember>,
    },
    Stream {
        entries: Vec<StreamEntry>,
        groups: Vec<ConsumerGroup>,
    },
    /// A type this viewer does not show (e.g. a module's).
    Other {
        type_name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyValue {
    pub key: KeyName,
    pub kind: String,
    pub ttl_ms: Option<String>,
    /// STRLEN, HLEN, LLEN, SCARD, ZCARD or XLEN.
    pub length: Option<String>,
    /// MEMORY USAGE (first page only; `None` when the key is gone or the server will not say).
    pub memory_bytes: Option<String>,
    pub value: ValueView,
    /// The next page's token; `None` at the end.
    pub next: Option<String>,
}

pub async fn key_value(
    redis: &Redis,
    timeout: std::time::Duration,
    request: &ValueRequest,
) -> Result<KeyValue> {
    let key = request.key.to_bytes()?;
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 1_000);
    let run = |args: Vec<Vec<u8>>| async move {
        let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        with_timeout(StoreKind::Redis, timeout, redis.command(&refs)).await
    };
    let k = || key.clone();
    let kind = match run(vec![b"TYPE".to_vec(), k()]).await? {
        Value::SimpleString(s) => s,
        Value::BulkString(b) => String::from_utf8_lossy(&b).into_owned(),
        other => return Err(unexpected("TYPE", &other)),
    };
    let ttl_ms = ttl_of(&run(vec![b"PTTL".to_vec(), k()]).await?);
    let memory_bytes = match request.after {
        None => redis
            .memory_usage(&key)
            .await
            .ok()
            .flatten()
            .map(|b| b.to_string()),
        Some(_) => None,
    };
    let length_command: Option<&[u8]> = match kind.as_str() {
        "string" => Some(b"STRLEN"),
        "hash" => Some(b"HLEN"),
        "list" => Some(b"LLEN"),
        "set" => Some(b"SCARD"),
        "zset" => Some(b"ZCARD"),
        "stream" => Some(b"XLEN"),
        _ => None,
    };
    let length = match length_command {
        Some(c) => match run(vec![c.to_vec(), k()]).await? {
            Value::Int(n) => Some(n),
            other => return Err(unexpected("the length", &other)),
        },
        None => None,
    };
    let offset = || -> Result<i64> {
        match &request.after {
            None => Ok(0),
            Some(t) => t
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| Error::InvalidInput(format!("{t:?} is not a page offset"))),
        }
    };
    let cursor = || request.after.clone().unwrap_or_else(|| "0".to_owned());
    let limit_text = limit.to_string();
    let (value, next) = match kind.as_str() {
        "none" => (ValueView::Missing, None),
        "string" => {
            let end = (MAX_STRING_BYTES - 1).to_string();
            let bytes =
                match run(vec![b"GETRANGE".to_vec(), k(), b"0".to_vec(), end.into()]).await? {
                    Value::BulkString(b) => b,
                    Value::Nil => Vec::new(),
                    other => return Err(unexpected("GETRANGE", &other)),
                };
            let full = length.unwrap_or(0);
            (
                string_view(bytes, usize::try_from(full).unwrap_or(usize::MAX)),
                None,
            )
        }
        "hash" | "set" => {
            let command: &[u8] = if kind == "hash" { b"HSCAN" } else { b"SSCAN" };
            let answer = run(vec![
                command.to_vec(),
                k(),
                cursor().into_bytes(),
                b"COUNT".to_vec(),
                limit_text.clone().into_bytes(),
            ])
            .await?;
            let (next, items): (String, Vec<Vec<u8>>) =
                redis::from_redis_value(answer).map_err(|e| Error::query(StoreKind::Redis, e))?;
            let next = (next != "0").then_some(next);
            let view = if kind == "hash" {
                ValueView::Hash {
                    fields: items
                        .chunks(2)
                        .map(|p| (cell(&p[0]), cell(p.get(1).map_or(&[][..], |v| v))))
                        .collect(),
                }
            } else {
                ValueView::Set {
                    members: items.iter().map(|m| cell(m)).collect(),
                }
            };
            (view, next)
        }
        "list" | "zset" => {
            let from = offset()?;
            let to = (from + i64::from(limit) - 1).to_string();
            let mut args = vec![
                if kind == "list" {
                    b"LRANGE".to_vec()
                } else {
                    b"ZRANGE".to_vec()
                },
                k(),
                from.to_string().into_bytes(),
                to.into_bytes(),
            ];
            if kind == "zset" {
                args.push(b"WITHSCORES".to_vec());
            }
            let answer = run(args).await?;
            let items = flat_bytes(answer)?;
            let shown = if kind == "list" {
                items.len()
            } else {
                items.len() / 2
            };
            let next_offset = from + shown as i64;
            let next = (length.is_some_and(|n| next_offset < n)).then(|| next_offset.to_string());
            let view = if kind == "list" {
                ValueView::List {
                    offset: from.to_string(),
                    items: items.iter().map(|i| cell(i)).collect(),
                }
            } else {
                ValueView::Zset {
                    offset: from.to_string(),
                    members: items
                        .chunks(2)
                        .map(|p| ScoredMember {
                            member: cell(&p[0]),
                            score: String::from_utf8_lossy(p.get(1).map_or(&[][..], |v| v))
                                .into_owned(),
                        })
                        .collect(),
                }
            };
            (view, next)
        }
        "stream" => {
            let start = match &request.after {
                Some(id) if is_stream_id(id) => format!("({id}"),
                Some(id) => {
                    return Err(Error::InvalidInput(format!(
                        "{id:?} is not a stream entry id"
                    )))
                }
                None => "-".to_owned(),
            };
            let answer = run(vec![
                b"XRANGE".to_vec(),
                k(),
                start.into_bytes(),
                b"+".to_vec(),
                b"COUNT".to_vec(),
                limit_text.clone().into_bytes(),
            ])
            .await?;
            let entries = stream_entries(answer)?;
            let next = (entries.len() == limit as usize)
                .then(|| entries.last().map(|e| e.id.clone()))
                .flatten();
            let groups = if request.after.is_none() {
                consumer_groups(run(vec![b"XINFO".to_vec(), b"GROUPS".to_vec(), k()]).await?)
            } else {
                Vec::new()
            };
            (ValueView::Stream { entries, groups }, next)
        }
        other => (
            ValueView::Other {
                type_name: other.to_owned(),
            },
            None,
        ),
    };
    Ok(KeyValue {
        key: request.key.clone(),
        kind,
        ttl_ms,
        length: length.map(|n| n.to_string()),
        memory_bytes,
        value,
        next,
    })
}

/// The view of a string's first bytes (`full`: its whole length).
fn string_view(bytes: Vec<u8>, full: usize) -> ValueView {
    let truncated = full > bytes.len();
    let shown = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    // A cut may split the last character: the text ends before it.
    let valid_to = match std::str::from_utf8(&bytes) {
        Ok(_) => Some(bytes.len()),
        Err(e) if truncated && e.error_len().is_none() => Some(e.valid_up_to()),
        Err(_) => None,
    };
    match valid_to {
        Some(end) => {
            let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
            let json = if truncated {
                None
            } else {
                serde_json::from_str::<Json>(&text)
                    .ok()
                    .filter(|v| v.is_object() || v.is_array())
            };
            ValueView::String {
                bytes_shown: shown,
                truncated,
                text: Some(text),
                json,
                hex: None,
            }
        }
        None => {
            let cut = bytes.len().min(MAX_HEX_BYTES);
            ValueView::String {
                bytes_shown: u32::try_from(cut).unwrap_or(u32::MAX),
                truncated: truncated || cut < bytes.len(),
                text: None,
                json: None,
                hex: Some(hex(&bytes[..cut])),
            }
        }
    }
}

pub(crate) fn cell(bytes: &[u8]) -> Cell {
    let cut = bytes.len().min(MAX_CELL_BYTES);
    Cell {
        text: display_bytes(&bytes[..cut]),
        bytes: bytes.len().to_string(),
        truncated: cut < bytes.len(),
    }
}

fn is_stream_id(id: &str) -> bool {
    let mut parts = id.splitn(2, '-');
    let ms = parts.next().unwrap_or("");
    let seq = parts.next().unwrap_or("0");
    !ms.is_empty()
        && ms.bytes().all(|b| b.is_ascii_digit())
        && seq.bytes().all(|b| b.is_ascii_digit())
        && !seq.is_empty()
}

fn unexpected(what: &str, value: &Value) -> Error {
    Error::query(
        StoreKind::Redis,
        format!("{what} answered in an unexpected shape: {value:?}"),
    )
}

fn bytes_of(value: &Value) -> Vec<u8> {
    match value {
        Value::BulkString(b) => b.clone(),
        Value::SimpleString(s) => s.as_bytes().to_vec(),
        Value::Int(n) => n.to_string().into_bytes(),
        Value::Double(d) => d.to_string().into_bytes(),
        Value::Nil => Vec::new(),
        other => format!("{other:?}").into_bytes(),
    }
}

/// An array of bulk strings (or, from RESP3, of pairs) as one flat list.
fn flat_bytes(value: Value) -> Result<Vec<Vec<u8>>> {
    match value {
        Value::Array(items) | Value::Set(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Array(pair) => out.extend(pair.iter().map(bytes_of)),
                    other => out.push(bytes_of(&other)),
                }
            }
            Ok(out)
        }
        Value::Nil => Ok(Vec::new()),
        other => Err(unexpected("the range", &other)),
    }
}

fn stream_entries(value: Value) -> Result<Vec<StreamEntry>> {
    let Value::Array(entries) = value else {
        return Err(unexpected("XRANGE", &value));
    };
    entries
        .into_iter()
        .map(|entry| match entry {
            Value::Array(mut parts) if parts.len() == 2 => {
                let fields = flat_bytes(parts.pop().unwrap_or(Value::Nil))?;
                let id = String::from_utf8_lossy(&bytes_of(&parts[0])).into_owned();
                Ok(StreamEntry {
                    id,
                    fields: fields
                        .chunks(2)
                        .map(|p| (cell(&p[0]), cell(p.get(1).map_or(&[][..], |v| v))))
                        .collect(),
                })
            }
            other => Err(unexpected("an XRANGE entry", &other)),
        })
        .collect()
}

/// XREAD's answer: the entries of its streams; none when it timed out.
pub(crate) fn xread_entries(value: Value) -> Result<Vec<StreamEntry>> {
    let per_stream = match value {
        Value::Nil => return Ok(Vec::new()),
        Value::Array(streams) => streams
            .into_iter()
            .filter_map(|s| match s {
                Value::Array(mut pair) if pair.len() == 2 => pair.pop(),
                _ => None,
            })
            .collect::<Vec<_>>(),
        Value::Map(streams) => streams.into_iter().map(|(_, v)| v).collect(),
        other => return Err(unexpected("XREAD", &other)),
    };
    let mut out = Vec::new();
    for entries in per_stream {
        out.extend(stream_entries(entries)?);
    }
    Ok(out)
}

/// XINFO GROUPS: one map (RESP3) or flat field/value array (RESP2) per group.
fn consumer_groups(value: Value) -> Vec<ConsumerGroup> {
    let Value::Array(groups) = value else {
        return Vec::new();
    };
    groups
        .into_iter()
        .map(|g| {
            let pairs: Vec<(String, String)> = match g {
                Value::Map(m) => m.iter().map(|(k, v)| (text_of(k), text_of(v))).collect(),
                Value::Array(items) => items
                    .chunks(2)
                    .map(|p| (text_of(&p[0]), p.get(1).map(text_of).unwrap_or_default()))
                    .collect(),
                _ => Vec::new(),
            };
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            ConsumerGroup {
                name: get("name"),
                consumers: get("consumers"),
                pending: get("pending"),
                last_delivered_id: get("last-delivered-id"),
            }
        })
        .collect()
}

fn text_of(value: &Value) -> String {
    String::from_utf8_lossy(&bytes_of(value)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_show_as_json_text_or_hex_and_say_when_cut() {
        let ValueView::String {
            json, truncated, ..
        } = string_view(br#"{"a":1}"#.to_vec(), 7)
        else {
            panic!()
        };
        assert_eq!(json, Some(serde_json::json!({"a": 1})));
        assert!(!truncated);
        // A cut in the middle of "é" (2 bytes): the text stops before it.
        let ValueView::String {
            text,
            truncated,
            json,
            ..
        } = string_view(b"ab\xc3".to_vec(), 10)
        else {
            panic!()
        };
        assert_eq!((text.as_deref(), truncated, json), (Some("ab"), true, None));
        let ValueView::String { text, hex, .. } = string_view(b"\xff\x00".to_vec(), 2) else {
            panic!()
        };
        assert_eq!((text, hex.as_deref()), (None, Some("ff00")));
        assert!(
            is_stream_id("1700000000000-3")
                && is_stream_id("5")
                && !is_stream_id("1-x")
                && !is_stream_id("")
        );
    }
}
