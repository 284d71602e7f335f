//! The Redis part of a lookup: TYPE, PTTL and MEMORY USAGE of keys, through the read-only
//! command path (`Redis::command`, which applies the allowlist). A key is never a pattern:
//! `*` in a pasted key is just a character of the key.

use futures::stream::{self, StreamExt};
use redis::Value;

use super::{CacheKeyHit, Report, Scope, MAX_CACHE_PROBES};
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::profile::fill_pattern;
use crate::stores::redis::Redis;
use crate::stores::with_timeout;

/// Keys probed at once over the shared multiplexed connection.
const CONCURRENT_PROBES: usize = 16;

pub(super) struct KeyFound {
    pub tenant_id: String,
    pub entity: usize,
    pub id: String,
    pub hit: CacheKeyHit,
}

fn redis_of(platform: &Platform) -> Result<Option<&Redis>> {
    match &platform.redis {
        Some(Ok(r)) => Ok(Some(r)),
        Some(Err(e)) => Err(Error::Config(format!("Redis cannot be used: {e}"))),
        None => Ok(None),
    }
}

/// The pasted key itself; `Ok(None)` when the connection has no Redis.
pub(super) async fn probe_needle(platform: &Platform, key: &str) -> Result<Option<CacheKeyHit>> {
    let Some(redis) = redis_of(platform)? else {
        return Ok(None);
    };
    probe(redis, key, platform.timeout).await.map(Some)
}

/// The cache keys of `id` as each cached entity of `entities`, in every tenant of the scope.
pub(super) async fn entity_keys(
    platform: &Platform,
    scope: &Scope,
    id: &str,
    entities: &[usize],
) -> (Vec<KeyFound>, Report) {
    let mut report = Report::default();
    let redis = match redis_of(platform) {
        Ok(Some(r)) => r,
        Ok(None) => return (Vec::new(), report),
        Err(e) => {
            report.error(StoreKind::Redis, None, &e);
            return (Vec::new(), report);
        }
    };
    let profile = &platform.profile;
    let mut wanted = Vec::new();
    for &i in entities {
        let Some(pattern) = profile.entities.get(i).and_then(|e| e.cache_key.as_deref()) else {
            continue;
        };
        for t in &scope.tenants {
            match fill_pattern(pattern, &t.vars_with_id(id)) {
                Ok(key) => wanted.push((t.id.clone(), i, key)),
                Err(e) => report.error(StoreKind::Redis, Some(&t.slug), &e),
            }
        }
    }
    if wanted.len() > MAX_CACHE_PROBES {
        report.cap(format!(
            "Redis: {} cache keys to probe; only the first {MAX_CACHE_PROBES} were",
            wanted.len()
        ));
        wanted.truncate(MAX_CACHE_PROBES);
    }
    // One probe first: a Redis that is down answers once, not once per tenant.
    let rest = if wanted.len() > 1 {
        wanted.split_off(1)
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (tenant_id, entity, key) in wanted {
        match probe(redis, &key, platform.timeout).await {
            Ok(hit) => out.push(KeyFound {
                tenant_id,
                entity,
                id: id.to_owned(),
                hit,
            }),
            Err(e) => {
                report.error(StoreKind::Redis, None, &e);
                return (out, report);
            }
        }
    }
    let results: Vec<_> = stream::iter(rest)
        .map(|(tenant_id, entity, key)| async move {
            let hit = probe(redis, &key, platform.timeout).await;
            (tenant_id, entity, hit)
        })
        .buffer_unordered(CONCURRENT_PROBES)
        .collect()
        .await;
    for (tenant_id, entity, hit) in results {
        match hit {
            Ok(hit) => out.push(KeyFound {
                tenant_id,
                entity,
                id: id.to_owned(),
                hit,
            }),
            Err(e) => report.error(StoreKind::Redis, None, &e),
        }
    }
    (out, report)
}

/// TYPE, then PTTL and MEMORY USAGE of a key that is there.
async fn probe(redis: &Redis, key: &str, timeout: std::time::Duration) -> Result<CacheKeyHit> {
    let ask = |args: Vec<&[u8]>| {
        let args: Vec<Vec<u8>> = args.into_iter().map(<[u8]>::to_vec).collect();
        async move {
            let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
            with_timeout(StoreKind::Redis, timeout, redis.command(&refs)).await
        }
    };
    let k = key.as_bytes();
    let key_type = text(&ask(vec![b"TYPE", k]).await?).unwrap_or_default();
    let mut hit = CacheKeyHit {
        key: key.to_owned(),
        present: false,
        key_type: None,
        ttl_ms: None,
        memory_bytes: None,
    };
    if key_type == "none" || key_type.is_empty() {
        return Ok(hit);
    }
    let (pttl, memory) = tokio::join!(ask(vec![b"PTTL", k]), ask(vec![b"MEMORY", b"USAGE", k]));
    match int(&pttl?) {
        Some(-2) => return Ok(hit), // expired between the two commands
        Some(ms) if ms >= 0 => hit.ttl_ms = Some(ms.to_string()),
        _ => {}
    }
    hit.present = true;
    hit.key_type = Some(key_type);
    // MEMORY USAGE may be refused by an ACL or a proxy; the rest still stands.
    hit.memory_bytes = memory.ok().as_ref().and_then(int).map(|n| n.to_string());
    Ok(hit)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::SimpleString(s) => Some(s.clone()),
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::VerbatimString { text, .. } => Some(text.clone()),
        Value::Okay => Some("OK".into()),
        _ => None,
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(n) => Some(*n),
        other => text(other).and_then(|t| t.parse().ok()),
    }
}
