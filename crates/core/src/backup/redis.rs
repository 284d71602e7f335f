//! The Redis part of a tenant backup: every key under the tenant's prefix (SCAN on every
//! master), each as `DUMP` (the server's own serialization, types and encodings included) with
//! its remaining TTL (`PTTL`), one JSON line per key in key order, read 500 keys at a time.
//! Measures: keys, and keys with a TTL, with a hash of every key and a digest of its value.

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
use crate::stores::redis_scan::KeyspaceScan;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

const STORE: StoreKind = StoreKind::Redis;
const SCAN_COUNT: u32 = 1_000;
/// Keys read per wave of concurrent commands (multiplexed on one connection).
const BATCH: usize = 500;

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
    let (pattern, prefix) = tenant_pattern(platform, tenant)?;
    let mut keys = tenant_keys(redis, platform, &pattern, token).await?;
    keys.sort();
    keys.dedup();
    let mut out = ArtifactWriter::create(root, "redis/keys.jsonl").await?;
    let mut measured = KeysMeasure::default();
    for batch in keys.chunks(BATCH) {
        stop_if_cancelled(token)?;
        let dumped = with_timeout(STORE, platform.timeout, dump_batch(redis, batch)).await?;
        for (key, dump, ttl, digest) in dumped {
            // A key that expired or was deleted since the scan is not in the backup.
            let (Some(dump), Some(digest)) = (dump, digest) else {
                continue;
            };
            measured.add(key, &digest, ttl);
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
        progress(format!("redis: {} of {} keys", measured.keys, keys.len()));
    }
    Ok(Part {
        store: STORE,
        method: "redis_dump".into(),
        artifacts: vec![out.finish().await?],
        measures: measured.measures(),
        source: format!("keys under {prefix}"),
        elapsed_ms: 0, // set by the run
    })
}

/// The whole instance: `BGSAVE` on every master, then `INFO persistence` polled until the
/// save is done and checked to have succeeded (and `LASTSAVE` to have moved on). The RDB file
/// stays on the server; the part says where (`CONFIG GET dir` and `dbfilename`).
pub async fn bgsave(
    platform: &Platform,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<Part> {
    let redis = platform.redis()?;
    let timeout = platform.timeout;
    let mut places = Vec::new();
    let mut keys = 0_u64;
    for node in with_timeout(STORE, timeout, redis.scan_nodes()).await? {
        let ask = |args: &'static [&'static [u8]]| {
            let node = &node;
            async move { with_timeout(STORE, timeout, redis.node_command(node, args)).await }
        };
        let before = int(&ask(&[b"LASTSAVE"]).await?)?;
        keys += u64::try_from(int(&ask(&[b"DBSIZE"]).await?)?).unwrap_or(0);
        // Another save may be running (a BGSAVE is then refused): wait for it, then take ours.
        // Redis gives the refusal no code of its own, so the state says, not the message.
        wait_for_save(&ask, token).await?;
        while let Err(e) = ask(&[b"BGSAVE"]).await {
            if !save_in_progress(&ask).await? {
                return Err(e);
            }
            wait_for_save(&ask, token).await?;
        }
        progress(format!("redis: BGSAVE on {node}"));
        let info = wait_for_save(&ask, token).await?;
        if !info.contains("rdb_last_bgsave_status:ok") {
            return Err(Error::unavailable(
                STORE,
                format!(
                    "BGSAVE on {node} failed (INFO persistence: rdb_last_bgsave_status is not ok)"
                ),
            ));
        }
        let after = int(&ask(&[b"LASTSAVE"]).await?)?;
        if after < before {
            return Err(Error::query(STORE, format!("LASTSAVE on {node} went back")));
        }
        let dir = config_value(&ask(&[b"CONFIG", b"GET", b"dir"]).await?);
        let file = config_value(&ask(&[b"CONFIG", b"GET", b"dbfilename"]).await?);
        places.push(format!("{node}: {dir}/{file} (saved at {after})"));
    }
    Ok(Part {
        store: STORE,
        method: "redis_bgsave".into(),
        artifacts: Vec::new(),
        measures: vec![Measure::new("keys", keys, None)],
        source: format!("RDB files on the server: {}", places.join("; ")),
        elapsed_ms: 0, // set by the run
    })
}

/// Polls `INFO persistence` until no save is in progress; returns the last answer.
async fn wait_for_save<F, Fut>(ask: &F, token: &CancellationToken) -> Result<String>
where
    F: Fn(&'static [&'static [u8]]) -> Fut,
    Fut: std::future::Future<Output = Result<Value>>,
{
    loop {
        stop_if_cancelled(token)?;
        let info = persistence(ask).await?;
        if info.contains("rdb_bgsave_in_progress:0") {
            return Ok(info);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Whether an RDB save is running (`rdb_bgsave_in_progress:1`).
async fn save_in_progress<F, Fut>(ask: &F) -> Result<bool>
where
    F: Fn(&'static [&'static [u8]]) -> Fut,
    Fut: std::future::Future<Output = Result<Value>>,
{
    Ok(persistence(ask).await?.contains("rdb_bgsave_in_progress:1"))
}

/// `INFO persistence` as text.
async fn persistence<F, Fut>(ask: &F) -> Result<String>
where
    F: Fn(&'static [&'static [u8]]) -> Fut,
    Fut: std::future::Future<Output = Result<Value>>,
{
    match ask(&[b"INFO", b"persistence"]).await? {
        Value::BulkString(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
        Value::VerbatimString { text, .. } => Ok(text),
        other => Err(Error::query(STORE, format!("INFO answered {other:?}"))),
    }
}

fn int(v: &Value) -> Result<i64> {
    match v {
        Value::Int(n) => Ok(*n),
        other => Err(Error::query(
            STORE,
            format!("expected a number, got {other:?}"),
        )),
    }
}

/// The value of a `CONFIG GET name` answer (`[name, value]` or a map).
fn config_value(v: &Value) -> String {
    let mut items = Vec::new();
    flatten(v, &mut items);
    items
        .get(1)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_else(|| "?".into())
}

/// Keys counted and hashed in key order: each key and a digest of its value. Not of its
/// `DUMP`: a hash or set in hashtable encoding dumps its members in table order, which a
/// restore does not keep; the digest is of the value read in a canonical order.
#[derive(Default)]
pub(super) struct KeysMeasure {
    sha: Sha256,
    keys: u64,
    with_ttl: u64,
}

impl KeysMeasure {
    pub fn add(&mut self, key: &[u8], digest: &[u8], ttl_ms: i64) {
        self.sha.update((key.len() as u64).to_le_bytes());
        self.sha.update(key);
        self.sha.update(digest);
        self.with_ttl += u64::from(ttl_ms >= 0);
        self.keys += 1;
    }

    pub fn measures(self) -> Vec<Measure> {
        vec![
            Measure::new("keys", self.keys, Some(hex(&self.sha.finalize()))),
            Measure::new("keys with a TTL", self.with_ttl, None),
        ]
    }
}

/// Every key matching `pattern` (an escaped prefix and `*`), sorted, measured.
pub(super) async fn measure(
    redis: &Redis,
    platform: &Platform,
    pattern: &[u8],
    token: &CancellationToken,
) -> Result<Vec<Measure>> {
    let mut keys = tenant_keys(redis, platform, pattern, token).await?;
    keys.sort();
    keys.dedup();
    let mut measured = KeysMeasure::default();
    for batch in keys.chunks(BATCH) {
        stop_if_cancelled(token)?;
        for (key, dump, ttl, digest) in
            with_timeout(STORE, platform.timeout, dump_batch(redis, batch)).await?
        {
            if let (Some(_), Some(digest)) = (dump, digest) {
                measured.add(key, &digest, ttl);
            }
        }
    }
    Ok(measured.measures())
}

/// The glob matching every key under the tenant's prefix, and the prefix.
pub(super) fn tenant_pattern(platform: &Platform, tenant: &Tenant) -> Result<(Vec<u8>, String)> {
    let spec = platform.profile.cache_spec()?;
    let prefix = fill_pattern(&spec.tenant_prefix, &tenant.vars())?;
    let mut pattern = escape_glob_bytes(prefix.as_bytes());
    pattern.push(b'*');
    Ok((pattern, prefix))
}

pub(super) async fn tenant_keys(
    redis: &Redis,
    platform: &Platform,
    pattern: &[u8],
    token: &CancellationToken,
) -> Result<Vec<Vec<u8>>> {
    let mut scan = KeyspaceScan::start(redis, pattern, SCAN_COUNT, platform.timeout)
        .await?
        .cancelled_by(token);
    let mut keys = Vec::new();
    while let Some(page) = scan.next_page().await? {
        keys.extend(page);
    }
    Ok(keys)
}

/// `DUMP`, `PTTL` and a value digest of each key (each key's commands sent concurrently).
#[allow(clippy::type_complexity)]
async fn dump_batch<'k>(
    redis: &Redis,
    keys: &'k [Vec<u8>],
) -> Result<Vec<(&'k [u8], Option<Vec<u8>>, i64, Option<[u8; 32]>)>> {
    let calls = keys.iter().map(|k| async move {
        let (dump_args, ttl_args): ([&[u8]; 2], [&[u8]; 2]) = ([b"DUMP", k], [b"PTTL", k]);
        let (dump, ttl, digest) = tokio::try_join!(
            redis.command(&dump_args),
            redis.command(&ttl_args),
            value_digest(redis, k)
        )?;
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
        Ok((k.as_slice(), dump, ttl, digest))
    });
    futures::future::try_join_all(calls).await
}

/// SHA-256 of a key's type and value read in a canonical order (hash fields and set members
/// sorted; lists, sorted sets and stream entries in their own order); `None` for a missing key.
pub(super) async fn value_digest(redis: &Redis, key: &[u8]) -> Result<Option<[u8; 32]>> {
    let kind = match redis.command(&[b"TYPE", key]).await? {
        Value::SimpleString(t) => t,
        Value::BulkString(b) => String::from_utf8_lossy(&b).into_owned(),
        other => return Err(Error::query(STORE, format!("TYPE answered {other:?}"))),
    };
    let read: Vec<&[u8]> = match kind.as_str() {
        "none" => return Ok(None),
        "string" => vec![b"GET", key],
        "hash" => vec![b"HGETALL", key],
        "set" => vec![b"SMEMBERS", key],
        "list" => vec![b"LRANGE", key, b"0", b"-1"],
        "zset" => vec![b"ZRANGE", key, b"0", b"-1", b"WITHSCORES"],
        "stream" => vec![b"XRANGE", key, b"-", b"+"],
        other => {
            return Err(Error::query(
                STORE,
                format!("a key of type {other} cannot be compared"),
            ))
        }
    };
    let value = redis.command(&read).await?;
    let mut items: Vec<Vec<u8>> = Vec::new();
    flatten(&value, &mut items);
    match kind.as_str() {
        // Field and value pairs, ordered by field.
        "hash" => {
            let mut pairs: Vec<&[Vec<u8>]> = items.chunks(2).collect();
            pairs.sort();
            items = pairs.into_iter().flatten().cloned().collect();
        }
        "set" => items.sort(),
        _ => {}
    }
    let mut sha = Sha256::new();
    sha.update(kind.as_bytes());
    for item in &items {
        sha.update((item.len() as u64).to_le_bytes());
        sha.update(item);
    }
    Ok(Some(sha.finalize().into()))
}

/// Every bulk string and number of a reply, depth first, in reply order.
fn flatten(value: &Value, out: &mut Vec<Vec<u8>>) {
    match value {
        Value::BulkString(b) => out.push(b.clone()),
        Value::SimpleString(s) => out.push(s.clone().into_bytes()),
        Value::Int(i) => out.push(i.to_string().into_bytes()),
        Value::Double(d) => out.push(d.to_string().into_bytes()),
        Value::Array(items) | Value::Set(items) => {
            for i in items {
                flatten(i, out);
            }
        }
        Value::Map(pairs) => {
            for (k, v) in pairs {
                flatten(k, out);
                flatten(v, out);
            }
        }
        Value::Nil => out.push(Vec::new()),
        _ => out.push(format!("{value:?}").into_bytes()),
    }
}
