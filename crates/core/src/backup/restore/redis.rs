//! Restoring the Redis part: each key by `RESTORE` with its remaining TTL, into the scratch
//! database index (which must be empty; the restored keys are unlinked afterwards), or over the
//! tenant's live keys (every key under its prefix unlinked first, then restored).

use base64::Engine;
use tokio::io::AsyncBufReadExt;

use super::{then_clean, Destination, RestoreContext, Restored};
use crate::backup::artifact::read_error;
use crate::backup::manifest::Part;
use crate::backup::redis::{measure, tenant_keys, tenant_pattern, DumpedKey};
use crate::error::{Error, Result, StoreKind};
use crate::stores::redis::Redis;
use crate::stores::with_timeout;

const STORE: StoreKind = StoreKind::Redis;
const BATCH: usize = 100;

pub(super) async fn restore(
    cx: &RestoreContext<'_>,
    _part: &Part,
    to: Destination,
) -> Result<Restored> {
    let (pattern, prefix) = tenant_pattern(cx.platform, cx.tenant()?)?;
    let keys = read_keys(cx).await?;
    match to {
        Destination::Scratch => {
            let scratch = cx.platform.redis_scratch()?;
            let present =
                with_timeout(STORE, cx.platform.timeout, scratch.command(&[b"DBSIZE"])).await?;
            if !matches!(present, redis::Value::Int(0)) {
                return Err(Error::InvalidInput(format!(
                    "the scratch Redis database holds keys ({present:?}); it must be empty"
                )));
            }
            let work = async {
                put(cx, scratch, &keys, false).await?;
                measure(scratch, cx.platform, &pattern, cx.token).await
            };
            let names: Vec<Vec<u8>> = keys.iter().map(|(k, _, _)| k.clone()).collect();
            let (measures, note) = then_clean(work, unlink(cx, scratch, &names)).await?;
            Ok(Restored {
                target: "scratch Redis database".into(),
                measures,
                notes: note.into_iter().collect(),
            })
        }
        Destination::Live => {
            let redis = cx.platform.redis()?;
            let present = tenant_keys(redis, cx.platform, &pattern, cx.token).await?;
            unlink(cx, redis, &present).await?;
            put(cx, redis, &keys, true).await?;
            Ok(Restored {
                target: format!("tenant {} (live keys under {prefix})", cx.tenant()?.slug),
                measures: measure(redis, cx.platform, &pattern, cx.token).await?,
                notes: Vec::new(),
            })
        }
    }
}

/// The backup's keys: name, TTL in ms (-1: none) and `DUMP` payload.
async fn read_keys(cx: &RestoreContext<'_>) -> Result<Vec<(Vec<u8>, i64, Vec<u8>)>> {
    let path = cx.dir.join("redis/keys.jsonl");
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| read_error(&path, &e))?;
    let mut lines = tokio::io::BufReader::new(file).lines();
    let mut keys = Vec::new();
    while let Some(text) = lines.next_line().await.map_err(|e| read_error(&path, &e))? {
        let bad = |why: String| {
            Error::InvalidInput(format!("redis/keys.jsonl line {}: {why}", keys.len() + 1))
        };
        let line: DumpedKey = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let key = crate::cache::key_name::parse_hex(&line.key).map_err(|e| bad(e.to_string()))?;
        let dump = base64::engine::general_purpose::STANDARD
            .decode(&line.dump)
            .map_err(|e| bad(e.to_string()))?;
        keys.push((key, line.ttl_ms, dump));
    }
    Ok(keys)
}

/// `RESTORE` of every key, a batch at a time, `REPLACE` over live keys.
async fn put(
    cx: &RestoreContext<'_>,
    redis: &Redis,
    keys: &[(Vec<u8>, i64, Vec<u8>)],
    replace: bool,
) -> Result<()> {
    let mut done = 0;
    for batch in keys.chunks(BATCH) {
        crate::backup::stop_if_cancelled(cx.token)?;
        let calls = batch.iter().map(|(key, ttl, dump)| async move {
            // 0 restores without a TTL; a TTL about to run out still gets its last millisecond.
            let ttl = match *ttl {
                t if t < 0 => "0".to_owned(),
                t => t.max(1).to_string(),
            };
            let mut args: Vec<&[u8]> = vec![b"RESTORE", key, ttl.as_bytes(), dump];
            if replace {
                args.push(b"REPLACE");
            }
            redis.command(&args).await
        });
        with_timeout(
            STORE,
            cx.platform.timeout,
            futures::future::try_join_all(calls),
        )
        .await?;
        done += batch.len();
        (cx.progress)(format!("redis: {done} of {} keys restored", keys.len()));
    }
    Ok(())
}

async fn unlink(cx: &RestoreContext<'_>, redis: &Redis, keys: &[Vec<u8>]) -> Result<()> {
    for batch in keys.chunks(BATCH) {
        // One key per command: in a cluster the keys live on different nodes.
        let calls = batch.iter().map(|key| async move {
            let args: [&[u8]; 2] = [b"UNLINK", key];
            redis.command(&args).await
        });
        with_timeout(
            STORE,
            cx.platform.timeout,
            futures::future::try_join_all(calls),
        )
        .await?;
    }
    Ok(())
}
