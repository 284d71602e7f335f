//! A tenant's cache against its rules and its source of truth, from one SCAN of the tenant's
//! prefix: keys the profile says must expire but have no TTL; entity keys (the profile's
//! `cache_key` patterns) whose cached JSON differs from the read-model row (stale) or has no
//! row (orphaned). Rows are read in chunks of [`CHUNK`] ids (`id = any($1)`), values with
//! concurrent GETs, so a large tenant is audited without one query per key. Each problem is a
//! [`Finding`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use futures::stream::{self, StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use tokio_util::sync::CancellationToken;

use super::browse::escape_glob_bytes;
use super::key_name::display_bytes;
use crate::error::{Error, Result, StoreKind};
use crate::findings::{Finding, FindingKind};
use crate::footprint::redis::hash;
use crate::lookup::pattern::Pattern;
use crate::lookup::TenantRef;
use crate::pg_types::table_columns;
use crate::platform::Platform;
use crate::profile::{fill_pattern, EntitySpec};
use crate::stores::postgres::map_error;
use crate::stores::redis_scan::KeyspaceScan;
use crate::stores::with_timeout;
use crate::tenant_space::TenantSpace;
use crate::tenants::Tenant;
use crate::timetravel::compare::same_json;

/// Entity keys compared per read-model query.
const CHUNK: usize = 500;
/// Redis commands in flight (on the multiplexed connection).
const CONCURRENCY: usize = 64;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CacheAuditProgress {
    pub keys_scanned: String,
    pub checked: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CacheAudit {
    pub tenant: TenantRef,
    pub prefix: String,
    pub keys_scanned: String,
    /// Keys under a mandatory-TTL pattern, checked for a TTL.
    pub ttl_checked: String,
    /// Entity keys compared with their rows.
    pub entities_checked: String,
    pub findings: Vec<crate::findings::Finding>,
    pub elapsed_ms: u32,
}

/// An entity key found by the scan.
struct EntityKey {
    entity: usize,
    id: String,
    key: Vec<u8>,
}

pub async fn audit(
    platform: &Platform,
    tenant: &Tenant,
    cancel: &CancellationToken,
    progress: &(dyn Fn(CacheAuditProgress) + Send + Sync),
) -> Result<CacheAudit> {
    let started = Instant::now();
    let redis = platform.redis()?;
    let spec = platform.profile.cache_spec()?;
    let timeout = platform.timeout;
    let prefix = fill_pattern(&spec.tenant_prefix, &tenant.vars())?;
    if prefix.is_empty() {
        return Err(Error::Profile(
            "cache.tenant_prefix is empty: every key would be the tenant's".into(),
        ));
    }
    let mandatory: Vec<Vec<u8>> = spec
        .ttl_mandatory
        .iter()
        .map(|p| fill_pattern(p, &tenant.vars()).map(String::into_bytes))
        .collect::<Result<_>>()?;
    let entities: Vec<(&EntitySpec, Pattern)> = platform
        .profile
        .entities
        .iter()
        .filter_map(|e| Some((e, e.cache_key.as_deref()?)))
        .map(|(e, p)| Ok((e, Pattern::parse(p)?)))
        .collect::<Result<_>>()?;

    let mut pattern = escape_glob_bytes(prefix.as_bytes());
    pattern.push(b'*');
    let mut scan = KeyspaceScan::start(redis, pattern, super::scan::DEFAULT_COUNT, timeout)
        .await?
        .cancelled_by(cancel);
    let mut seen = HashSet::new();
    let mut gathered = Gathered::default();
    let mut scanned = 0u64;
    while let Some(keys) = scan.next_page().await? {
        for key in keys {
            if !seen.insert(hash(&key)) {
                continue;
            }
            scanned += 1;
            if mandatory.iter().any(|m| super::glob::matches(m, &key)) {
                gathered.need_ttl.push(key.clone());
            }
            if let Ok(text) = std::str::from_utf8(&key) {
                let owned = entities.iter().enumerate().find_map(|(i, (_, p))| {
                    let caps = p.match_full(text)?;
                    let of_tenant = caps.tenant_id.as_deref().is_none_or(|t| t == tenant.id)
                        && caps.tenant_slug.as_deref().is_none_or(|s| s == tenant.slug);
                    Some((i, caps.id?)).filter(|_| of_tenant)
                });
                if let Some((entity, id)) = owned {
                    gathered.entity_keys.push(EntityKey { entity, id, key });
                }
            }
        }
        // Checked as the scan goes, a chunk at a time: memory holds a chunk, not the tenant.
        gathered.flush(platform, tenant, &entities, CHUNK).await?;
        progress(CacheAuditProgress {
            keys_scanned: scanned.to_string(),
            checked: gathered.entities_checked.to_string(),
        });
    }

    gathered.flush(platform, tenant, &entities, 1).await?;
    Ok(CacheAudit {
        tenant: TenantRef::from(tenant),
        prefix,
        keys_scanned: scanned.to_string(),
        ttl_checked: gathered.ttl_checked.to_string(),
        entities_checked: gathered.entities_checked.to_string(),
        findings: gathered.findings,
        elapsed_ms: crate::tasks::elapsed_ms(started),
    })
}

/// Keys the scan found that wait for a check, and what the checks found so far.
#[derive(Default)]
struct Gathered {
    need_ttl: Vec<Vec<u8>>,
    entity_keys: Vec<EntityKey>,
    ttl_checked: u64,
    entities_checked: u64,
    findings: Vec<Finding>,
}

impl Gathered {
    /// Checks what waits, for each kind of check that has at least `at_least` keys waiting.
    async fn flush(
        &mut self,
        platform: &Platform,
        tenant: &Tenant,
        entities: &[(&EntitySpec, Pattern)],
        at_least: usize,
    ) -> Result<()> {
        if self.need_ttl.len() >= at_least.max(1) {
            let keys = std::mem::take(&mut self.need_ttl);
            self.ttl_checked += keys.len() as u64;
            check_ttls(
                platform.redis()?,
                platform.timeout,
                keys,
                &mut self.findings,
            )
            .await?;
        }
        if self.entity_keys.len() >= at_least.max(1) {
            let chunk = std::mem::take(&mut self.entity_keys);
            self.entities_checked += chunk.len() as u64;
            check_entities(platform, tenant, entities, &chunk, &mut self.findings).await?;
        }
        Ok(())
    }
}

/// Reports the keys of `keys` that have no TTL.
async fn check_ttls(
    redis: &crate::stores::redis::Redis,
    timeout: std::time::Duration,
    keys: Vec<Vec<u8>>,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let ttls: Vec<(Vec<u8>, redis::Value)> = stream::iter(keys)
        .map(|key| async move {
            let ttl =
                with_timeout(StoreKind::Redis, timeout, redis.command(&[b"PTTL", &key])).await?;
            Ok::<_, Error>((key, ttl))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    for (key, ttl) in ttls {
        // -1: no TTL; -2: gone since the scan (nothing to report).
        if ttl == redis::Value::Int(-1) {
            let text = display_bytes(&key);
            findings.push(
                Finding::new(
                    FindingKind::CacheMissingTtl,
                    &text,
                    "the key has no TTL, and the profile says keys like it must expire",
                )
                .key_evidence(&key, Some(Value::from("no TTL")))
                .remedy(
                    "set a TTL on the key (EXPIRE), or delete it so it is cached again with one",
                ),
            );
        }
    }

    Ok(())
}

/// Compares the cached values of `chunk` with their rows; reports stale and orphaned ones.
async fn check_entities(
    platform: &Platform,
    tenant: &Tenant,
    entities: &[(&EntitySpec, Pattern)],
    chunk: &[EntityKey],
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let (redis, timeout) = (platform.redis()?, platform.timeout);
    let space = platform.tenant_space(tenant)?;
    // Owned keys: futures over borrowed items are not `Send` for every lifetime (rust#102211).
    let keys: Vec<Vec<u8>> = chunk.iter().map(|k| k.key.clone()).collect();
    let values: Vec<Option<Vec<u8>>> = stream::iter(keys)
        .map(|key| async move {
            match with_timeout(StoreKind::Redis, timeout, redis.command(&[b"GET", &key])).await? {
                redis::Value::BulkString(b) => Ok(Some(b)),
                _ => Ok::<_, Error>(None),
            }
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    let mut by_entity: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for k in chunk {
        by_entity.entry(k.entity).or_default().push(&k.id);
    }
    let mut rows: HashMap<(usize, String), Value> = HashMap::new();
    for (entity, ids) in by_entity {
        for (id, row) in read_rows(platform, &space, entities[entity].0, &ids).await? {
            rows.insert((entity, id), row);
        }
    }
    for (k, value) in chunk.iter().zip(values) {
        let Some(value) = value else { continue }; // gone since the scan
        let entity = entities[k.entity].0;
        let key_text = display_bytes(&k.key);
        let cached: Value = serde_json::from_slice(&value)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&value).into_owned()));
        let table = space.table(&entity.table);
        match rows.get(&(k.entity, normalize_id(&k.id))) {
            None => findings.push(
                Finding::new(
                    FindingKind::CacheOrphaned,
                    &k.id,
                    format!(
                        "{key_text} caches a {} that has no row in {table}",
                        entity.entity_type
                    ),
                )
                .entity_type(&entity.entity_type)
                .key_evidence(&k.key, Some(cached))
                .evidence(StoreKind::Postgres, format!("{table} id {}", k.id), None)
                .remedy("delete the cache key"),
            ),
            Some(row) => {
                let differing = differing_members(&cached, row);
                if !differing.is_empty() {
                    findings.push(
                        Finding::new(
                            FindingKind::CacheStale,
                            &k.id,
                            format!(
                                "{key_text} differs from its row in {table} ({})",
                                differing.join(", ")
                            ),
                        )
                        .entity_type(&entity.entity_type)
                        .key_evidence(&k.key, Some(cached))
                        .evidence(
                            StoreKind::Postgres,
                            format!("{table} id {}", k.id),
                            Some(row.clone()),
                        )
                        .remedy("invalidate the cache key so it is read again from the read model"),
                    );
                }
            }
        }
    }
    Ok(())
}

/// The members of the cached object whose values the row does not have (numbers by value). A
/// cached value that is not a JSON object differs as a whole (`(value)`).
fn differing_members(cached: &Value, row: &Value) -> Vec<String> {
    let Value::Object(members) = cached else {
        return vec!["(value)".into()];
    };
    members
        .iter()
        .filter(|(name, value)| !row.get(name.as_str()).is_some_and(|r| same_json(r, value)))
        .map(|(name, _)| name.clone())
        .collect()
}

/// UUIDs compare in lower case; other ids as they are.
pub(crate) fn normalize_id(id: &str) -> String {
    match uuid::Uuid::parse_str(id) {
        Ok(u) => u.hyphenated().to_string(),
        Err(_) => id.to_owned(),
    }
}

/// The rows of `ids` as JSON, by their id as text.
pub(crate) async fn read_rows(
    platform: &Platform,
    space: &TenantSpace,
    entity: &EntitySpec,
    ids: &[&str],
) -> Result<Vec<(String, Value)>> {
    let columns = with_timeout(
        StoreKind::Postgres,
        platform.timeout,
        table_columns(space, &entity.table),
    )
    .await?;
    let cast = columns
        .iter()
        .find(|c| c.name == entity.id_column.as_str())
        .map(|c| c.cast())
        .ok_or_else(|| {
            Error::Profile(format!(
                "{} has no column {}",
                space.table(&entity.table),
                entity.id_column
            ))
        })?;
    // Ids the column cannot hold have no row; they are left out of the query.
    let ids: Vec<String> = ids.iter().filter_map(|id| cast.normalize(id)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let id_column = format!("x.{}", entity.id_column.pg());
    let sql = format!(
        "select {id_column}::text as id, to_jsonb(x) as row from {} x where {}{}",
        space.table(&entity.table),
        cast.any(&id_column, 1),
        space.and_tenant("x.", 2)
    );
    let mut q = sqlx::query(&sql).bind(&ids);
    if let Some((_, tenant_id)) = &space.row_filter {
        q = q.bind(tenant_id);
    }
    let rows = with_timeout(StoreKind::Postgres, platform.timeout * 5, async {
        q.fetch_all(space.postgres.pool()).await.map_err(map_error)
    })
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id").map_err(map_error)?;
            Ok((
                normalize_id(&id),
                r.try_get::<Value, _>("row").map_err(map_error)?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_cached_member_differs_when_the_row_has_another_value_or_none() {
        let row = json!({"id": "a", "n": 1, "name": "x", "extra": true});
        assert!(differing_members(&json!({"id": "a", "n": 1.0}), &row).is_empty());
        assert_eq!(
            differing_members(&json!({"n": 2, "name": "x"}), &row),
            ["n"]
        );
        assert_eq!(differing_members(&json!({"gone": 1}), &row), ["gone"]);
        assert_eq!(differing_members(&json!("text"), &row), ["(value)"]);
    }
}
