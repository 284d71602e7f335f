//! A page of the keys under a prefix (a folder of the namespace tree), each with its type and
//! TTL. Pages follow SCAN's cursor across the nodes of a cluster; the page token is
//! `<node index>:<cursor>`. A key that expires between SCAN and TYPE shows as `none`.

use std::collections::HashSet;

use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};

use super::key_name::KeyName;
use crate::error::{Error, Result, StoreKind};
use crate::stores::redis::Redis;
use crate::stores::redis_scan::KeyspaceScan;
use crate::stores::with_timeout;

/// SCAN calls per page at most (a sparse MATCH may need many to fill a page).
const SCANS_PER_PAGE: u32 = 50;
/// TYPE/PTTL commands in flight (they share the multiplexed connection).
const CONCURRENCY: usize = 64;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyPageRequest {
    /// The folder: keys that start with it (bytes as in [`KeyName`]).
    pub prefix: KeyName,
    /// A Redis glob applied after the prefix (default `*`).
    pub pattern: Option<String>,
    /// From a previous page's `next`.
    pub after: Option<String>,
    /// Keys wanted (default 200, at most 5,000).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyEntry {
    pub key: KeyName,
    /// `string`, `hash`, `list`, `set`, `zset`, `stream`, or `none` when it is gone.
    pub kind: String,
    /// Milliseconds left; `None` without a TTL (or when gone).
    pub ttl_ms: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyPage {
    pub keys: Vec<KeyEntry>,
    /// The token of the next page; `None` at the end.
    pub next: Option<String>,
}

pub async fn key_page(
    redis: &Redis,
    timeout: std::time::Duration,
    request: &KeyPageRequest,
) -> Result<KeyPage> {
    let limit = request.limit.unwrap_or(200).clamp(1, 5_000) as usize;
    let prefix = request.prefix.to_bytes()?;
    let mut pattern = escape_glob_bytes(&prefix);
    pattern.extend_from_slice(request.pattern.as_deref().unwrap_or("*").as_bytes());
    let mut scan = KeyspaceScan::start(redis, pattern, 1_000, timeout).await?;
    if let Some(token) = &request.after {
        scan = scan.resume_at(parse_token(token)?)?;
    }
    let mut found: Vec<Vec<u8>> = Vec::new();
    let mut seen = HashSet::new();
    let mut scans = 0;
    while found.len() < limit && scans < SCANS_PER_PAGE {
        let Some(keys) = scan.next_page().await? else {
            break;
        };
        scans += 1;
        found.extend(keys.into_iter().filter(|k| seen.insert(k.clone())));
    }
    // A SCAN page may bring more than asked; they are all shown rather than lost between pages.
    let next = scan
        .position()
        .map(|(node, cursor)| format!("{node}:{cursor}"));
    let keys = stream::iter(found)
        .map(|key| async move { describe(redis, timeout, key).await })
        .buffered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(KeyPage { keys, next })
}

/// A key's type and TTL.
pub(crate) async fn describe(
    redis: &Redis,
    timeout: std::time::Duration,
    key: Vec<u8>,
) -> Result<KeyEntry> {
    let type_args: [&[u8]; 2] = [b"TYPE", &key];
    let ttl_args: [&[u8]; 2] = [b"PTTL", &key];
    let (kind, ttl) = tokio::try_join!(
        with_timeout(StoreKind::Redis, timeout, redis.command(&type_args)),
        with_timeout(StoreKind::Redis, timeout, redis.command(&ttl_args)),
    )?;
    let kind = match kind {
        redis::Value::SimpleString(s) => s,
        redis::Value::BulkString(b) => String::from_utf8_lossy(&b).into_owned(),
        other => format!("{other:?}"),
    };
    Ok(KeyEntry {
        key: KeyName::from_bytes(&key),
        kind,
        ttl_ms: ttl_of(&ttl),
    })
}

/// PTTL's answer: milliseconds left, or `None` for no TTL (-1) and no key (-2).
pub(crate) fn ttl_of(value: &redis::Value) -> Option<String> {
    match value {
        redis::Value::Int(n) if *n >= 0 => Some(n.to_string()),
        _ => None,
    }
}

/// Escapes the glob characters of MATCH (`*`, `?`, `[`, `]`, `\`) so that `literal` matches
/// itself. Byte by byte: those characters are ASCII, and no byte of a multi-byte UTF-8
/// character is.
pub fn escape_glob_bytes(literal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(literal.len() + 4);
    for &b in literal {
        if matches!(b, b'*' | b'?' | b'[' | b']' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

fn parse_token(token: &str) -> Result<(usize, u64)> {
    token
        .split_once(':')
        .and_then(|(n, c)| Some((n.parse().ok()?, c.parse().ok()?)))
        .ok_or_else(|| Error::InvalidInput(format!("{token:?} is not a key page token")))
}
