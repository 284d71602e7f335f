//! The Redis part of a tenant backup: every key under the tenant's prefix (SCAN on every
//! master), each as `DUMP` (the server's own serialization, types and encodings included) with
//! its remaining TTL (`PTTL`), one JSON line per key in key order, read in pipelines of 100.
//! Measures: keys, and keys with a TTL, with a hash of every key and its dump.

use std::path::Path;

use base64::Engine;
use redis::Value;
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use super::artifact::{hex, ArtifactWriter};
use super::manifest::{Measure, Part};
use super::stop_if_cancelled;
use crate::cache::browse::escape_glob_bytes;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::profile::fill_pattern;
use crate::stores::redis::Redis;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

const STORE: StoreKind = StoreKind::Redis;
const SCAN_COUNT: u32 = 1_000;
const BATCH: usize = 100;

/// One key of the backup file.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct DumpedKey {
    /// The key's bytes in hex (keys need not be UTF-8).
    pub key: String,
    /// Remaining time to live in ms at the backup, or -1 for none.
    pub ttl_ms: i64,
    /// `DUMP`'s payload, base64.
    pub dump: String,
}

pub async fn backup(
    platform: &Platform,
    tenant: &Tenant,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<Part> {
    let redis = platform.redis()?;
    let spec = platform.profile.cache_spec()?;
    let prefix = fill_pattern(&spec.tenant_prefix, &tenant.vars())?;
    let mut pattern = escape_glob_bytes(prefix.as_bytes());
    pattern.push(b'*');
    let mut keys = tenant_keys(redis, platform, &pattern, token).await?;
    keys.sort();
    keys.dedup();
    let mut out = ArtifactWriter::create(root, "redis/keys.jsonl").await?;
    let mut sha = Sha256::new();
    let (mut written, mut with_ttl) = (0_u64, 0_u64);
    for batch in keys.chunks(BATCH) {
        stop_if_cancelled(token)?;
        let dumped = with_timeout(STORE, platform.timeout, dump_batch(redis, batch)).await?;
        for (key, dump, ttl) in dumped {
            // A key that expired or was deleted since the scan is not in the backup.
            let Some(dump) = dump else { continue };
            sha.update((key.len() as u64).to_le_bytes());
            sha.update(key);
            sha.update((dump.len() as u64).to_le_bytes());
            sha.update(&dump);
            with_ttl += u64::from(ttl >= 0);
            written += 1;
            let line = DumpedKey {
                key: hex(key),
                ttl_ms: ttl,
                dump: base64::engine::general_purpose::STANDARD.encode(&dump),
            };
            let mut text = serde_json::to_vec(&line)
                .map_err(|e| Error::Internal(format!("encoding a key: {e}")))?;
            text.push(b'\n');
            out.write(&text).await?;
        }
        progress(format!("redis: {written} of {} keys", keys.len()));
    }
    Ok(Part {
        store: STORE,
        method: "redis_dump".into(),
        artifacts: vec![out.finish().await?],
        measures: vec![
            Measure::new("keys", written, Some(hex(&sha.finalize()))),
            Measure::new("keys with a TTL", with_ttl, None),
        ],
        source: format!("keys under {prefix}"),
        elapsed_ms: 0, // set by the run
    })
}

async fn tenant_keys(
    redis: &Redis,
    platform: &Platform,
    pattern: &[u8],
    token: &CancellationToken,
) -> Result<Vec<Vec<u8>>> {
    let mut keys = Vec::new();
    for node in with_timeout(STORE, platform.timeout, redis.scan_nodes()).await? {
        let mut cursor = 0;
        loop {
            stop_if_cancelled(token)?;
            let (next, page) = with_timeout(
                STORE,
                platform.timeout,
                redis.scan_page(&node, cursor, pattern, SCAN_COUNT),
            )
            .await?;
            keys.extend(page);
            if next == 0 {
                break;
            }
            cursor = next;
        }
    }
    Ok(keys)
}

/// `DUMP` and `PTTL` of each key (one round trip per command, sent concurrently).
async fn dump_batch<'k>(
    redis: &Redis,
    keys: &'k [Vec<u8>],
) -> Result<Vec<(&'k [u8], Option<Vec<u8>>, i64)>> {
    let calls = keys.iter().map(|k| async move {
        let (dump_args, ttl_args): ([&[u8]; 2], [&[u8]; 2]) = ([b"DUMP", k], [b"PTTL", k]);
        let (dump, ttl) = tokio::try_join!(redis.command(&dump_args), redis.command(&ttl_args))?;
        let dump = match dump {
            Value::BulkString(b) => Some(b),
            Value::Nil => None,
            other => {
                return Err(Error::query(STORE, format!("DUMP answered {other:?}")));
            }
        };
        let ttl = match ttl {
            Value::Int(t) => t,
            other => return Err(Error::query(STORE, format!("PTTL answered {other:?}"))),
        };
        Ok((k.as_slice(), dump, ttl))
    });
    futures::future::try_join_all(calls).await
}
