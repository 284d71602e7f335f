//! Redis: FLUSHALL (every master in cluster mode) and bulk writes in pipelines of ~1,000
//! commands. In cluster mode a pipeline only holds keys of one hash slot.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use futures::stream::{self, StreamExt, TryStreamExt};
use redis::{Cmd, Pipeline};

use crate::project::{CacheEntry, CacheValue};
use crate::targets::SandboxTargets;

const PIPELINE_CMDS: usize = 1_000;
const CONCURRENCY: usize = 8;
/// redis-rs defaults to 500 ms, too short for FLUSHALL of a million keys or big pipelines.
const RESPONSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// A connection to a single Redis or to a cluster.
#[derive(Clone)]
pub enum Redis {
    Single(redis::aio::MultiplexedConnection),
    Cluster(redis::cluster_async::ClusterConnection),
}

impl Redis {
    pub async fn connect(targets: &SandboxTargets) -> Result<Self> {
        if targets.redis_cluster {
            let client = redis::cluster::ClusterClientBuilder::new(targets.redis_urls.clone())
                .response_timeout(RESPONSE_TIMEOUT)
                .build()
                .context("STORELENS_REDIS_URL (cluster seeds)")?;
            Ok(Redis::Cluster(
                client
                    .get_async_connection()
                    .await
                    .context("connecting to the Redis cluster")?,
            ))
        } else {
            let url = targets
                .redis_urls
                .first()
                .context("STORELENS_REDIS_URL is empty")?;
            let client = redis::Client::open(url.as_str()).context("STORELENS_REDIS_URL")?;
            let config =
                redis::AsyncConnectionConfig::new().set_response_timeout(Some(RESPONSE_TIMEOUT));
            let conn = client
                .get_multiplexed_async_connection_with_config(&config)
                .await;
            Ok(Redis::Single(conn.context("connecting to Redis")?))
        }
    }

    async fn query<T: redis::FromRedisValue>(&mut self, cmd: &Cmd) -> redis::RedisResult<T> {
        match self {
            Redis::Single(c) => cmd.query_async(c).await,
            Redis::Cluster(c) => cmd.query_async(c).await,
        }
    }

    async fn pipeline(&mut self, p: &Pipeline) -> redis::RedisResult<()> {
        match self {
            Redis::Single(c) => p.exec_async(c).await,
            Redis::Cluster(c) => p.exec_async(c).await,
        }
    }

    /// FLUSHALL; the cluster client sends it to every master.
    pub async fn flush_all(&mut self) -> Result<()> {
        self.query::<()>(&redis::cmd("FLUSHALL"))
            .await
            .context("FLUSHALL")
    }

    /// Keys in the database (summed over masters in cluster mode).
    pub async fn dbsize(&mut self) -> Result<u64> {
        Ok(self.query::<u64>(&redis::cmd("DBSIZE")).await?)
    }

    fn is_cluster(&self) -> bool {
        matches!(self, Redis::Cluster(_))
    }
}

/// The commands that write one entry (kept together in one pipeline, in order).
fn commands(entry: &CacheEntry) -> Vec<Cmd> {
    let key = entry.key.as_str();
    let mut out = Vec::new();
    match &entry.value {
        CacheValue::String { value, ttl } => {
            let mut c = redis::cmd("SET");
            c.arg(key).arg(value);
            if let Some(t) = ttl {
                c.arg("EX").arg(*t);
            }
            out.push(c);
        }
        CacheValue::Hash { fields, ttl } => {
            let mut c = redis::cmd("HSET");
            c.arg(key);
            for (f, v) in fields {
                c.arg(f).arg(v);
            }
            out.push(c);
            if let Some(t) = ttl {
                out.push(redis::cmd("EXPIRE").arg(key).arg(*t).clone());
            }
        }
        CacheValue::SortedSet { members } => {
            let mut c = redis::cmd("ZADD");
            c.arg(key);
            for (score, m) in members {
                c.arg(*score).arg(m);
            }
            out.push(c);
        }
        CacheValue::Stream { entries } => {
            for (id, fields) in entries {
                let mut c = redis::cmd("XADD");
                c.arg(key).arg(id);
                for (f, v) in fields {
                    c.arg(f).arg(v);
                }
                out.push(c);
            }
        }
    }
    out
}

/// CRC16/XMODEM hash slot of a key, honouring `{hash tags}`.
pub fn key_slot(key: &[u8]) -> u16 {
    let key = match key.iter().position(|&b| b == b'{') {
        Some(open) => match key[open + 1..].iter().position(|&b| b == b'}') {
            Some(len) if len > 0 => &key[open + 1..open + 1 + len],
            _ => key,
        },
        None => key,
    };
    let mut crc: u16 = 0;
    for &b in key {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc % 16_384
}

/// Writes the entries. Returns how many entries were written.
pub async fn write(redis: &Redis, entries: &[CacheEntry]) -> Result<usize> {
    // Group entries into pipelines: by slot in cluster mode, in order otherwise.
    let mut groups: BTreeMap<u16, Vec<&CacheEntry>> = BTreeMap::new();
    for e in entries {
        let slot = if redis.is_cluster() {
            key_slot(e.key.as_bytes())
        } else {
            0
        };
        groups.entry(slot).or_default().push(e);
    }
    let mut pipelines = Vec::new();
    for group in groups.values() {
        let mut p = redis::pipe();
        let mut n = 0;
        for e in group {
            for c in commands(e) {
                p.add_command(c);
                n += 1;
            }
            if n >= PIPELINE_CMDS {
                pipelines.push(std::mem::replace(&mut p, redis::pipe()));
                n = 0;
            }
        }
        if n > 0 {
            pipelines.push(p);
        }
    }
    stream::iter(pipelines)
        .map(|p| {
            let mut conn = redis.clone();
            async move { conn.pipeline(&p).await }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect::<Vec<()>>()
        .await
        .context("writing to Redis")?;
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_slots_match_redis() {
        // Values from CLUSTER KEYSLOT.
        assert_eq!(key_slot(b"foo"), 12_182);
        assert_eq!(key_slot(b"{user1000}.following"), key_slot(b"user1000"));
        // CRC16/XMODEM check value of "123456789" is 0x31c3.
        assert_eq!(key_slot(b"123456789"), 0x31c3);
    }
}
