//! Redis database 1 of a single node: deletes the `org:*` keys there (never FLUSHDB, and never
//! database 0), then writes every org's widget JSON (with TTL) and feed list in one pipeline.

use anyhow::{Context, Result};

use super::data::{CacheEntry, OrgData};
use super::redis_url;
use crate::targets::SandboxTargets;

pub async fn connect(targets: &SandboxTargets) -> Result<redis::aio::MultiplexedConnection> {
    let base = targets
        .redis_urls
        .first()
        .context("STORELENS_REDIS_URL is empty")?;
    let client = redis::Client::open(redis_url(base)?.as_str()).context("STORELENS_REDIS_URL")?;
    client
        .get_multiplexed_async_connection()
        .await
        .context("connecting to Redis database 1")
}

/// Every key matching `pattern` (SCAN, not KEYS).
pub async fn scan(
    conn: &mut redis::aio::MultiplexedConnection,
    pattern: &str,
) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(pattern)
            .arg("COUNT")
            .arg(1_000)
            .query_async(conn)
            .await?;
        keys.extend(batch);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    keys.sort();
    Ok(keys)
}

/// Returns how many keys were written.
pub async fn load(targets: &SandboxTargets, data: &[OrgData]) -> Result<usize> {
    let mut conn = connect(targets).await?;
    let stale = scan(&mut conn, "org:*").await?;
    let mut p = redis::pipe();
    p.atomic();
    for chunk in stale.chunks(500) {
        p.cmd("DEL").arg(chunk).ignore();
    }
    let entries: Vec<CacheEntry> = data.iter().flat_map(OrgData::cache).collect();
    for e in &entries {
        match e {
            CacheEntry::Json { key, value, ttl } => {
                p.cmd("SET")
                    .arg(key)
                    .arg(value)
                    .arg("EX")
                    .arg(*ttl)
                    .ignore();
            }
            CacheEntry::List { key, items } => {
                p.cmd("RPUSH").arg(key).arg(items).ignore();
            }
        }
    }
    p.exec_async(&mut conn)
        .await
        .context("writing the orgs keys to Redis database 1")?;
    Ok(entries.len())
}
