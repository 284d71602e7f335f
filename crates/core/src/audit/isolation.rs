//! Isolation and sensitive values outside the rows:
//! - the tenant's id in a cache key outside its prefix (SCAN of the whole key space, filtered by
//!   the server), or in an object key outside its prefix (a listing of its bucket);
//! - email addresses, tokens and keys in cached strings and hashes, where the profile forbids
//!   them (one SCAN of the tenant's prefix, values read concurrently).

use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStore;

use super::sensitive::find;
use super::{AuditContext, Outcome};
use crate::cache::browse::escape_glob_bytes;
use crate::cache::key_name::display_bytes;
use crate::error::{Error, Result, StoreKind};
use crate::findings::{Finding, FindingKind};
use crate::profile::{fill_pattern, SensitiveStore};
use crate::stores::redis::Redis;
use crate::stores::redis_scan::KeyspaceScan;
use crate::stores::with_timeout;

const SCAN_COUNT: u32 = 1_000;
/// Values read at once.
const CONCURRENCY: usize = 64;

pub(super) async fn check(cx: &AuditContext<'_>) -> Result<Outcome> {
    let mut out = Outcome::default();
    let id = cx.tenant.id.as_str();
    if let (Some(_), Some(spec)) = (&cx.platform.redis, &cx.platform.profile.cache) {
        let redis = cx.platform.redis()?;
        let prefix = fill_pattern(&spec.tenant_prefix, &cx.tenant.vars())?;
        let mut pattern = b"*".to_vec();
        pattern.extend(escape_glob_bytes(id.as_bytes()));
        pattern.push(b'*');
        for key in scan(cx, redis, &pattern, &mut out.checked).await? {
            if key.starts_with(prefix.as_bytes()) {
                continue;
            }
            let text = display_bytes(&key);
            out.findings.push(
                Finding::new(
                    FindingKind::IsolationBreach,
                    text.clone(),
                    format!(
                        "cache key {text} holds the tenant's id but is outside its prefix {prefix}"
                    ),
                )
                .key_evidence(&key, None)
                .remedy("find which tenant's code wrote the key; move or delete it"),
            );
        }
        out.notes.push(format!(
            "cache: keys holding {id} looked for in the whole key space"
        ));
    }
    if let (Some(_), Some(spec)) = (&cx.platform.objects, &cx.platform.profile.objects) {
        let at = cx.platform.objects()?.tenant_objects(spec, cx.tenant)?;
        let mut listing = at.store.list(None);
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(crate::stores::objects::map_error)?;
            let key = meta.location.as_ref();
            out.checked += 1;
            if key.contains(id) && !key.starts_with(at.prefix.as_str()) {
                out.findings.push(
                    Finding::new(
                        FindingKind::IsolationBreach,
                        key.to_owned(),
                        format!(
                            "object {key} holds the tenant's id but is outside its prefix {}",
                            at.prefix
                        ),
                    )
                    .evidence(StoreKind::Objects, format!("{}/{key}", at.bucket), None)
                    .remedy("find which tenant's upload wrote it; move or delete it"),
                );
            }
        }
        out.notes.push(format!(
            "objects: {} keys of {} looked at",
            out.checked, at.bucket
        ));
    }
    if out.notes.is_empty() {
        return Ok(Outcome::skipped(
            "no cache and no object storage to look in",
        ));
    }
    Ok(out)
}

pub(super) async fn sensitive_cache(cx: &AuditContext<'_>) -> Result<Outcome> {
    let forbidden = cx
        .platform
        .profile
        .audit
        .no_sensitive_values_in
        .contains(&SensitiveStore::Cache);
    let (true, Some(_), Some(spec)) = (forbidden, &cx.platform.redis, &cx.platform.profile.cache)
    else {
        return Ok(Outcome::skipped(
            "the profile does not forbid sensitive values in the cache",
        ));
    };
    let redis = cx.platform.redis()?;
    let prefix = fill_pattern(&spec.tenant_prefix, &cx.tenant.vars())?;
    let mut pattern = escape_glob_bytes(prefix.as_bytes());
    pattern.push(b'*');
    let mut out = Outcome::default();
    let keys = scan(cx, redis, &pattern, &mut out.checked).await?;
    let timeout = cx.platform.timeout;
    let mut read = futures::stream::iter(keys.into_iter().map(|k| text_of(redis, timeout, k)))
        .buffer_unordered(CONCURRENCY);
    let mut done = 0_u64;
    while let Some((key, text)) = read.try_next().await? {
        done += 1;
        if done % 20_000 == 0 {
            if cx.cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            (cx.progress)(format!("cache values: {done} read"));
        }
        let Some((kind, masked)) = text.as_deref().and_then(find) else {
            continue;
        };
        let name = display_bytes(&key);
        out.findings.push(
            Finding::new(
                FindingKind::SensitiveValue,
                name.clone(),
                format!("cached value of {name} holds {}", kind.describe()),
            )
            .key_evidence(&key, Some(masked.into()))
            .remedy(
                "stop caching the value (the profile forbids it in the cache) and delete the key",
            ),
        );
    }
    out.notes
        .push("strings and hashes read; lists, sets, sorted sets and streams are not".into());
    Ok(out)
}

/// Every key matching `pattern` on every master, each once.
async fn scan(
    cx: &AuditContext<'_>,
    redis: &Redis,
    pattern: &[u8],
    scanned: &mut u64,
) -> Result<Vec<Vec<u8>>> {
    let mut scan = KeyspaceScan::start(redis, pattern, SCAN_COUNT, cx.platform.timeout)
        .await?
        .cancelled_by(cx.cancel);
    let mut keys = Vec::new();
    while let Some(page) = scan.next_page().await? {
        *scanned += page.len() as u64;
        keys.extend(page);
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// A string's value, or a hash's fields and values, as text; `None` for other types (owned
/// arguments: the reads run as a stream).
async fn text_of(
    redis: &Redis,
    timeout: std::time::Duration,
    key: Vec<u8>,
) -> Result<(Vec<u8>, Option<String>)> {
    let kind = with_timeout(StoreKind::Redis, timeout, redis.command(&[b"TYPE", &key])).await?;
    let read: &[u8] = match kind {
        redis::Value::SimpleString(t) if t == "string" => b"GET",
        redis::Value::SimpleString(t) if t == "hash" => b"HGETALL",
        _ => return Ok((key, None)),
    };
    let value = with_timeout(StoreKind::Redis, timeout, redis.command(&[read, &key])).await?;
    let mut parts = Vec::new();
    collect(&value, &mut parts);
    Ok((key, Some(parts.join("\n"))))
}

fn collect(value: &redis::Value, out: &mut Vec<String>) {
    match value {
        redis::Value::BulkString(b) => out.push(String::from_utf8_lossy(b).into_owned()),
        redis::Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        redis::Value::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            collect(k, out);
            collect(v, out);
        }),
        _ => {}
    }
}
