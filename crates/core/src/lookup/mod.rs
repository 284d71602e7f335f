//! Cross-store lookup: paste an entity id, a cache key or an object key and get everything that
//! refers to it, in every store and tenant (or in one tenant).
//!
//! What the needle is comes from the profile alone: a cache key starts with the filled shape of
//! `cache.tenant_prefix`, an object key with that of `objects.tenant_prefix` (after the bucket
//! for per-tenant buckets); anything else is an entity id. [`pattern`] reads those patterns
//! backwards into the tenant and id they carry.
//!
//! An entity id is looked up, concurrently, in:
//! - PostgreSQL: the read-model row of every profile entity (one query per shared row-tier
//!   table group, one per schema- or database-tier tenant space) and its events (count and the
//!   latest [`RECENT_EVENTS`]);
//! - the graph: nodes of the entity's label with that id property, their tenant and degree;
//! - Redis: the entity's cache key in each tenant (TYPE, PTTL, MEMORY USAGE);
//! - object storage: the objects the found rows point at (HEAD).
//!
//! Ids travel as bound parameters; tables, columns, labels and properties only as profile
//! [`Ident`](crate::ident::Ident)s. A store that fails becomes an entry of `errors` while the
//! others still answer; work over many tenants is capped and the result says so.

mod cache;
mod graph;
mod objects;
pub mod pattern;
mod sql;

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorPayload, Result, StoreKind};
use crate::platform::Platform;
use crate::profile::{fill_pattern, ObjectLayout, Profile};
use crate::stores::with_timeout;
use crate::tenants::{self, Tenant, Tier};
use pattern::{Captures, Pattern};

/// Longest needle accepted, in bytes. Ids and keys are far shorter; a pasted document is not.
pub const MAX_NEEDLE_BYTES: usize = 1_024;
/// Events listed per hit (the count covers all of them).
pub const RECENT_EVENTS: usize = 20;
/// Tenants read from the tenant list for one lookup.
pub const MAX_TENANTS: u32 = 10_000;
/// Schema- and database-tier tenant spaces queried for one lookup (row-tier tenants share
/// tables and cost one query per table group whatever their number).
pub const MAX_ISOLATED_SPACES: usize = 100;
/// Cache keys probed for one lookup (one per tenant and cached entity type).
pub const MAX_CACHE_PROBES: usize = 2_000;
/// Rows, nodes and object keys kept per query.
pub const MAX_MATCHES: usize = 50;

/// What the needle was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NeedleKind {
    EntityId,
    CacheKey,
    ObjectKey,
}

/// A tenant, enough to link to its pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantRef {
    pub id: String,
    pub slug: String,
    pub tier: Tier,
}

impl From<&Tenant> for TenantRef {
    fn from(t: &Tenant) -> Self {
        Self {
            id: t.id.clone(),
            slug: t.slug.clone(),
            tier: t.tier,
        }
    }
}

/// The TypeScript shape of a JSON value. (serde_json's own specta type exposes 64-bit integers,
/// which the bindings refuse; JSON numbers are JavaScript numbers anyway.)
#[cfg(feature = "specta")]
#[derive(Serialize, specta::Type)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<JsonValue>),
    Object(BTreeMap<String, JsonValue>),
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LookupResult {
    /// The needle as looked up (trimmed).
    pub needle: String,
    pub kind: NeedleKind,
    /// For a cache or object key: the tenant id or slug its prefix carries...
    pub key_tenant: Option<String>,
    /// ...and that tenant, when the tenant list knows it.
    pub tenant: Option<TenantRef>,
    /// For a key that fills an entity's pattern: the entity type and id it names.
    pub key_entity: Option<EntityRef>,
    /// For a cache key: the key itself.
    pub cache_key: Option<CacheKeyHit>,
    /// For an object key: the object itself.
    pub object: Option<ObjectHit>,
    /// One per tenant, entity type and id that some store holds.
    pub hits: Vec<EntityHit>,
    /// Stores (or tenants of a store) that could not answer; the rest of the result stands.
    pub errors: Vec<LookupError>,
    /// Some work was skipped to stay within the caps (see `notes`).
    pub capped: bool,
    pub notes: Vec<String>,
    pub elapsed_ms: u32,
}

impl LookupResult {
    /// Nothing refers to the needle: no hit, no present key or object.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
            && !self.cache_key.as_ref().is_some_and(|c| c.present)
            && !self.object.as_ref().is_some_and(|o| o.present)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EntityRef {
    pub entity_type: String,
    pub id: String,
}

/// Everything one tenant's stores hold about one entity.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EntityHit {
    /// `None` only for graph nodes whose tenant property names no known tenant.
    pub tenant: Option<TenantRef>,
    pub entity_type: String,
    pub id: String,
    /// The stores that hold something of it, in store order.
    pub stores: Vec<StoreKind>,
    pub row: Option<RowHit>,
    pub events: Option<EventsHit>,
    pub graph: Vec<GraphHit>,
    /// The entity's cache keys; a key that is not there says `present: false`.
    pub cache: Vec<CacheKeyHit>,
    pub objects: Vec<ObjectHit>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RowHit {
    /// `schema.table`, prefixed by `database/` for a database-tier tenant.
    pub table: String,
    /// The row as `to_jsonb` gives it.
    #[cfg_attr(feature = "specta", specta(type = JsonValue))]
    pub row: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventsHit {
    pub total: u32,
    /// Newest first, at most 20 (`RECENT_EVENTS`).
    pub recent: Vec<EventRef>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventRef {
    pub event_type: String,
    /// ISO 8601, as `to_jsonb` prints the time column.
    pub time: Option<String>,
    /// The profile's sequence column, as text (it is usually a bigint).
    pub sequence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GraphHit {
    pub labels: Vec<String>,
    /// The node's tenant property, as text.
    pub tenant_value: Option<String>,
    /// Relationships of the node, both directions.
    pub degree: u32,
    #[cfg_attr(feature = "specta", specta(type = JsonValue))]
    pub properties: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CacheKeyHit {
    pub key: String,
    pub present: bool,
    /// Redis TYPE (`string`, `hash`, ...).
    pub key_type: Option<String>,
    /// PTTL in milliseconds, as text; `None` when the key has no TTL (or is not there).
    pub ttl_ms: Option<String>,
    /// MEMORY USAGE in bytes, as text.
    pub memory_bytes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ObjectHit {
    pub bucket: String,
    pub key: String,
    pub present: bool,
    /// Bytes, as text.
    pub size: Option<String>,
    /// RFC 3339.
    pub last_modified: Option<String>,
    pub e_tag: Option<String>,
}

/// A part of the lookup that failed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LookupError {
    pub store: StoreKind,
    /// The tenant (slug) whose part failed, when it was one tenant's.
    pub tenant: Option<String>,
    pub error: ErrorPayload,
}

/// Errors, notes and caps gathered by the parts of one lookup.
#[derive(Debug, Default)]
pub(crate) struct Report {
    errors: Vec<LookupError>,
    notes: Vec<String>,
    capped: bool,
}

impl Report {
    fn error(&mut self, store: StoreKind, tenant: Option<&str>, e: &Error) {
        let error = ErrorPayload::from(e);
        let tenant = tenant.map(str::to_owned);
        let seen = self
            .errors
            .iter()
            .any(|x| x.store == store && x.tenant == tenant && x.error.message == error.message);
        if !seen {
            self.errors.push(LookupError {
                store,
                tenant,
                error,
            });
        }
    }

    fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn cap(&mut self, note: impl Into<String>) {
        self.capped = true;
        self.note(note);
    }

    fn merge(&mut self, other: Report) {
        for e in other.errors {
            if !self.errors.iter().any(|x| {
                x.store == e.store && x.tenant == e.tenant && x.error.message == e.error.message
            }) {
                self.errors.push(e);
            }
        }
        for n in other.notes {
            self.note(n);
        }
        self.capped |= other.capped;
    }
}

/// The tenants a lookup covers.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    tenants: Vec<Tenant>,
    /// Set when the lookup is narrowed to some tenants (by `--tenant` or by a key's prefix):
    /// the values a graph node's tenant property may hold (their ids and slugs).
    narrowed: Option<Vec<String>>,
}

impl Scope {
    fn by_id(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    /// A tenant by a value that is its id or its slug.
    fn by_value(&self, value: &str) -> Option<&Tenant> {
        self.by_id(value)
            .or_else(|| self.tenants.iter().find(|t| t.slug == value))
    }

    fn one(tenant: Tenant) -> Self {
        let narrowed = Some(vec![tenant.id.clone(), tenant.slug.clone()]);
        Self {
            tenants: vec![tenant],
            narrowed,
        }
    }
}

/// What the needle is, per the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Needle {
    Entity,
    Cache {
        tenant: Captures,
        entity: Option<(usize, String)>,
    },
    Object {
        bucket: String,
        key: String,
        relative: String,
        tenant: Captures,
    },
}

/// Trims the needle and refuses what no id or key can be.
fn validate(input: &str, what: &str) -> Result<String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Error::InvalidInput(format!("{what} is empty")));
    }
    if text.len() > MAX_NEEDLE_BYTES {
        return Err(Error::InvalidInput(format!(
            "{what} is {} bytes long; ids and keys are at most {MAX_NEEDLE_BYTES}",
            text.len()
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::InvalidInput(format!(
            "{what} contains control characters"
        )));
    }
    Ok(text.to_owned())
}

/// Reads the needle against the profile's cache and object patterns.
fn classify(profile: &Profile, needle: &str) -> Result<Needle> {
    if let Some(cache) = &profile.cache {
        let prefix = Pattern::parse(&cache.tenant_prefix)?;
        if prefix.names_tenant() {
            if let Some((tenant, _)) = prefix.match_prefix(needle) {
                let mut entity = None;
                for (i, e) in profile.entities.iter().enumerate() {
                    let Some(key_pattern) = &e.cache_key else {
                        continue;
                    };
                    let Some(c) = Pattern::parse(key_pattern)?.match_full(needle) else {
                        continue;
                    };
                    let agrees = |a: &Option<String>, b: &Option<String>| {
                        a.is_none() || b.is_none() || a == b
                    };
                    if let Some(id) = c.id.clone().filter(|_| {
                        agrees(&c.tenant_id, &tenant.tenant_id)
                            && agrees(&c.tenant_slug, &tenant.tenant_slug)
                    }) {
                        entity = Some((i, id));
                        break;
                    }
                }
                return Ok(Needle::Cache { tenant, entity });
            }
        }
    }
    if let Some(objects) = &profile.objects {
        let (bucket_part, key_part) = match needle.strip_prefix("s3://") {
            Some(rest) => rest
                .split_once('/')
                .map_or((Some(rest), ""), |(b, k)| (Some(b), k)),
            None => (None, needle),
        };
        match objects.layout {
            ObjectLayout::Shared => {
                let prefix = Pattern::parse(&objects.tenant_prefix)?;
                let bucket = fill_pattern(&objects.bucket, &Default::default()).ok();
                let bucket_ok = bucket_part.is_none() || bucket_part == bucket.as_deref();
                if let (true, true, Some(bucket)) = (prefix.names_tenant(), bucket_ok, bucket) {
                    if let Some((tenant, relative)) = prefix.match_prefix(key_part) {
                        let relative = relative.to_owned();
                        return Ok(Needle::Object {
                            bucket,
                            key: key_part.to_owned(),
                            relative,
                            tenant,
                        });
                    }
                }
            }
            ObjectLayout::PerTenant => {
                // `bucket/key`: the bucket pattern names the tenant.
                let whole = format!("{}/{}", objects.bucket, objects.tenant_prefix);
                let pattern = Pattern::parse(&whole)?;
                let text =
                    bucket_part.map_or_else(|| needle.to_owned(), |b| format!("{b}/{key_part}"));
                if let (true, Some((tenant, relative))) =
                    (pattern.names_tenant(), pattern.match_prefix(&text))
                {
                    let (bucket, key) = text.split_once('/').unwrap_or((&text, ""));
                    let relative = relative.to_owned();
                    return Ok(Needle::Object {
                        bucket: bucket.to_owned(),
                        key: key.to_owned(),
                        relative,
                        tenant,
                    });
                }
            }
        }
    }
    Ok(Needle::Entity)
}

/// The cross-store lookup. See the module documentation.
pub async fn find(platform: &Platform, needle: &str, tenant: Option<&str>) -> Result<LookupResult> {
    let started = Instant::now();
    let needle = validate(needle, "the id or key")?;
    let tenant_filter = match tenant.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(validate(t, "the tenant")?),
        None => None,
    };
    let profile = platform.profile.clone();
    let kind_of = |n: &Needle| match n {
        Needle::Entity => NeedleKind::EntityId,
        Needle::Cache { .. } => NeedleKind::CacheKey,
        Needle::Object { .. } => NeedleKind::ObjectKey,
    };
    let classified = classify(&profile, &needle)?;
    let mut result = LookupResult {
        needle: needle.clone(),
        kind: kind_of(&classified),
        key_tenant: None,
        tenant: None,
        key_entity: None,
        cache_key: None,
        object: None,
        hits: Vec::new(),
        errors: Vec::new(),
        capped: false,
        notes: Vec::new(),
        elapsed_ms: 0,
    };
    let mut report = Report::default();
    let mut hits = Hits::default();
    let all_entities: Vec<usize> = (0..profile.entities.len()).collect();

    match classified {
        Needle::Entity => {
            let scope = scope(platform, tenant_filter.as_deref(), &mut report).await?;
            entity_lookup(
                platform,
                &scope,
                &needle,
                &all_entities,
                &mut hits,
                &mut report,
            )
            .await;
            hits.finish(&scope, &mut result);
        }
        Needle::Cache { tenant, entity } => {
            let key_tenant = tenant.tenant().unwrap_or_default().to_owned();
            result.key_tenant = Some(key_tenant.clone());
            result.key_entity = entity.as_ref().map(|(i, id)| EntityRef {
                entity_type: profile.entities[*i].entity_type.clone(),
                id: id.clone(),
            });
            let (scope, key) = tokio::join!(
                Box::pin(key_scope(
                    platform,
                    &key_tenant,
                    tenant_filter.as_deref(),
                    &mut report
                )),
                Box::pin(cache::probe_needle(platform, &needle)),
            );
            let scope = scope?;
            match key {
                Ok(hit) => result.cache_key = hit,
                Err(e) => report.error(StoreKind::Redis, None, &e),
            }
            result.tenant = scope.tenants.first().map(TenantRef::from);
            if let Some((i, id)) = &entity {
                entity_lookup(platform, &scope, id, &[*i], &mut hits, &mut report).await;
            }
            hits.finish(&scope, &mut result);
        }
        Needle::Object {
            bucket,
            key,
            relative,
            tenant,
        } => {
            let key_tenant = tenant.tenant().unwrap_or_default().to_owned();
            result.key_tenant = Some(key_tenant.clone());
            // `a/b/` is a prefix (a folder), not an object: nothing to HEAD.
            let folder = key.ends_with('/') || relative.is_empty();
            if folder {
                report.note("the key ends with `/`: a prefix, not an object");
            }
            let (scope, head) = tokio::join!(
                Box::pin(key_scope(
                    platform,
                    &key_tenant,
                    tenant_filter.as_deref(),
                    &mut report
                )),
                Box::pin(async {
                    if folder {
                        Ok(None)
                    } else {
                        objects::head_needle(platform, &bucket, &key).await
                    }
                }),
            );
            let scope = scope?;
            match head {
                Ok(hit) => result.object = hit,
                Err(e) if e.code() == crate::ErrorCode::InvalidInput => return Err(e),
                Err(e) => report.error(StoreKind::Objects, None, &e),
            }
            result.tenant = scope.tenants.first().map(TenantRef::from);
            if let Some(t) = scope.tenants.first() {
                match sql::rows_by_object_key(platform, t, &relative).await {
                    Ok(found) => {
                        if let Some((i, id)) = found.first() {
                            result.key_entity = Some(EntityRef {
                                entity_type: profile.entities[*i].entity_type.clone(),
                                id: id.clone(),
                            });
                        }
                        if found.len() > 1 {
                            report.note(format!("{} rows refer to this object", found.len()));
                        }
                        for (i, id) in found.iter().take(10) {
                            entity_lookup(platform, &scope, id, &[*i], &mut hits, &mut report)
                                .await;
                        }
                    }
                    Err(e) => report.error(StoreKind::Postgres, Some(&t.slug), &e),
                }
            }
            hits.finish(&scope, &mut result);
        }
    }
    result.errors = report.errors;
    result.notes = report.notes;
    result.capped = report.capped;
    result.elapsed_ms = crate::tasks::elapsed_ms(started);
    Ok(result)
}

/// The tenants to search: the one named by `--tenant`, or all of them (up to [`MAX_TENANTS`]).
/// A tenant name that is unknown is an error; a tenant list that cannot be read is reported and
/// leaves the other stores to answer.
async fn scope(platform: &Platform, filter: Option<&str>, report: &mut Report) -> Result<Scope> {
    let pg = match platform.postgres() {
        Ok(pg) => pg,
        Err(e) => {
            report.error(StoreKind::Postgres, None, &e);
            report
                .note("without PostgreSQL the tenant list is unknown: cache keys were not probed");
            return Ok(Scope {
                tenants: Vec::new(),
                narrowed: filter.map(|f| vec![f.to_owned()]),
            });
        }
    };
    let timeout = platform.timeout;
    if let Some(filter) = filter {
        return match with_timeout(
            StoreKind::Postgres,
            timeout,
            tenants::get(pg, &platform.profile, filter),
        )
        .await
        {
            Ok(t) => Ok(Scope::one(t)),
            Err(e @ (Error::NotFound(_) | Error::InvalidInput(_))) => Err(e),
            Err(e) => {
                report.error(StoreKind::Postgres, None, &e);
                Ok(Scope {
                    tenants: Vec::new(),
                    narrowed: Some(vec![filter.to_owned()]),
                })
            }
        };
    }
    let all = match with_timeout(
        StoreKind::Postgres,
        timeout * 5,
        tenants::all(pg, &platform.profile, MAX_TENANTS as usize),
    )
    .await
    {
        Ok((all, total)) => {
            if all.len() < total as usize {
                report.cap(format!(
                    "only the first {MAX_TENANTS} tenants (by slug) of {total} were searched"
                ));
            }
            all
        }
        Err(e) => {
            report.error(StoreKind::Postgres, None, &e);
            Vec::new()
        }
    };
    Ok(Scope {
        tenants: all,
        narrowed: None,
    })
}

/// The tenant a key's prefix names. A `--tenant` that names another tenant is refused.
async fn key_scope(
    platform: &Platform,
    key_tenant: &str,
    filter: Option<&str>,
    report: &mut Report,
) -> Result<Scope> {
    let pg = match platform.postgres() {
        Ok(pg) => pg,
        Err(e) => {
            report.error(StoreKind::Postgres, None, &e);
            return Ok(Scope {
                tenants: Vec::new(),
                narrowed: Some(vec![key_tenant.to_owned()]),
            });
        }
    };
    match with_timeout(
        StoreKind::Postgres,
        platform.timeout,
        tenants::get(pg, &platform.profile, key_tenant),
    )
    .await
    {
        Ok(t) => {
            if let Some(f) = filter {
                if f != t.id && f != t.slug {
                    return Err(Error::InvalidInput(format!(
                        "the key belongs to tenant {}, not to {f:?}",
                        t.slug
                    )));
                }
            }
            Ok(Scope::one(t))
        }
        Err(e) => {
            match e {
                Error::NotFound(_) | Error::InvalidInput(_) => {
                    report.note(format!(
                        "the key's prefix names {key_tenant:?}, which is not a known tenant"
                    ));
                }
                e => report.error(StoreKind::Postgres, None, &e),
            }
            Ok(Scope {
                tenants: Vec::new(),
                narrowed: Some(vec![key_tenant.to_owned()]),
            })
        }
    }
}

/// Looks one id up as each of `entities` in every store, for the tenants of `scope`.
async fn entity_lookup(
    platform: &Platform,
    scope: &Scope,
    id: &str,
    entities: &[usize],
    hits: &mut Hits,
    report: &mut Report,
) {
    // Boxed: the driver futures are large and joined side by side.
    let (pg, nodes, keys) = tokio::join!(
        Box::pin(sql::rows_and_events(platform, scope, id, entities)),
        Box::pin(graph::nodes(platform, scope, id, entities)),
        Box::pin(cache::entity_keys(platform, scope, id, entities)),
    );
    let (rows, events, pg_report) = pg;
    report.merge(pg_report);
    let (nodes, graph_report) = nodes;
    report.merge(graph_report);
    let (keys, cache_report) = keys;
    report.merge(cache_report);

    let profile = &platform.profile;
    let mut wanted_objects = Vec::new();
    for r in rows {
        if let Some(tenant) = r.tenant_id.as_deref().and_then(|t| scope.by_id(t)) {
            wanted_objects.extend(
                objects::keys_of_row(profile, tenant, r.entity, &r.row)
                    .map(|(b, k)| (tenant.id.clone(), r.entity, r.id.clone(), b, k)),
            );
        }
        hits.entry(r.tenant_id, r.entity, r.id, profile).row = Some(RowHit {
            table: r.table,
            row: r.row,
        });
    }
    for e in events {
        hits.entry(e.tenant_id, e.entity, e.id, profile).events = Some(EventsHit {
            total: e.total,
            recent: e.recent,
        });
    }
    for n in nodes {
        let tenant = n
            .hit
            .tenant_value
            .as_deref()
            .and_then(|v| scope.by_value(v))
            .map(|t| t.id.clone());
        hits.entry(tenant, n.entity, n.id, profile)
            .graph
            .push(n.hit);
    }
    for k in keys {
        // A key that is not there only matters next to something that is.
        let key = (Some(k.tenant_id.clone()), k.entity, k.id.clone());
        if k.hit.present || hits.map.contains_key(&key) {
            hits.entry(Some(k.tenant_id), k.entity, k.id, profile)
                .cache
                .push(k.hit);
        }
    }
    let (found, objects_report) = objects::head_all(platform, wanted_objects).await;
    report.merge(objects_report);
    for (tenant_id, entity, id, hit) in found {
        hits.entry(Some(tenant_id), entity, id, profile)
            .objects
            .push(hit);
    }
}

/// Hits by (tenant id, entity index, id).
#[derive(Default)]
struct Hits {
    map: BTreeMap<(Option<String>, usize, String), EntityHit>,
}

impl Hits {
    fn entry(
        &mut self,
        tenant_id: Option<String>,
        entity: usize,
        id: String,
        profile: &Profile,
    ) -> &mut EntityHit {
        self.map
            .entry((tenant_id, entity, id.clone()))
            .or_insert_with(|| EntityHit {
                tenant: None,
                entity_type: profile
                    .entities
                    .get(entity)
                    .map(|e| e.entity_type.clone())
                    .unwrap_or_default(),
                id,
                stores: Vec::new(),
                row: None,
                events: None,
                graph: Vec::new(),
                cache: Vec::new(),
                objects: Vec::new(),
            })
    }

    /// Fills tenants and stores, sorts by tenant slug and entity order, into the result.
    fn finish(self, scope: &Scope, result: &mut LookupResult) {
        let mut hits: Vec<(usize, EntityHit)> = self
            .map
            .into_iter()
            .map(|((tenant_id, entity, _), mut hit)| {
                hit.tenant = tenant_id
                    .as_deref()
                    .and_then(|t| scope.by_id(t))
                    .map(TenantRef::from);
                let mut stores = Vec::new();
                if hit.row.is_some() || hit.events.as_ref().is_some_and(|e| e.total > 0) {
                    stores.push(StoreKind::Postgres);
                }
                if !hit.graph.is_empty() {
                    stores.push(StoreKind::Graph);
                }
                if hit.cache.iter().any(|c| c.present) {
                    stores.push(StoreKind::Redis);
                }
                if hit.objects.iter().any(|o| o.present) {
                    stores.push(StoreKind::Objects);
                }
                hit.stores = stores;
                (entity, hit)
            })
            .collect();
        hits.sort_by(|(ea, a), (eb, b)| {
            let slug = |h: &EntityHit| h.tenant.as_ref().map(|t| t.slug.clone());
            (slug(a).is_none(), slug(a), ea).cmp(&(slug(b).is_none(), slug(b), eb))
        });
        result.hits = hits.into_iter().map(|(_, h)| h).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect`: `entity`, `invalid`, `cache <tenant> [<type>:<id>]` or `object <tenant> <relative>`.
    fn check(profile: &Profile, input: &str, expect: &str) {
        let got = match validate(input, "needle").and_then(|n| classify(profile, &n)) {
            Err(e) => {
                assert_eq!(e.code(), crate::ErrorCode::InvalidInput, "{input:?}: {e}");
                "invalid".to_owned()
            }
            Ok(Needle::Entity) => "entity".to_owned(),
            Ok(Needle::Cache {
                tenant,
                entity: None,
            }) => format!("cache {}", tenant.tenant().unwrap_or("-")),
            Ok(Needle::Cache {
                tenant,
                entity: Some((i, id)),
            }) => {
                format!(
                    "cache {} {}:{id}",
                    tenant.tenant().unwrap_or("-"),
                    profile.entities[i].entity_type
                )
            }
            Ok(Needle::Object {
                tenant, relative, ..
            }) => format!("object {} {relative}", tenant.tenant().unwrap_or("-")),
        };
        assert_eq!(got, expect, "{input:?}");
    }

    #[test]
    fn classifies_needles_by_the_profile() {
        let p = Profile::sandbox();
        check(&p, "0b4f5c3e-1d2a-4e5f-9a8b-7c6d5e4f3a2b", "entity");
        check(&p, "  42 ", "entity");
        check(&p, "tenant:T1:atom:42", "cache T1 atom:42");
        check(&p, "tenant:T1:session:9", "cache T1");
        check(&p, "tenant:T1:document:9:annotations", "cache T1");
        check(&p, "tenant:T1:*", "cache T1");
        check(
            &p,
            "tenant-acme/documents/x.md",
            "object acme documents/x.md",
        );
        check(
            &p,
            "s3://knowledge-os/tenant-acme/documents/x.md",
            "object acme documents/x.md",
        );
        check(&p, "s3://other-bucket/tenant-acme/documents/x.md", "entity");
        check(&p, "tenant:", "entity");
        check(&p, "tenant-/x", "entity");
        check(&p, "' or 1=1 --", "entity");
        check(&p, "MATCH (n) DETACH DELETE n", "entity");
        check(&p, "../../etc/passwd", "entity");
        check(&p, "", "invalid");
        check(&p, "   ", "invalid");
        check(&p, "a\u{0}b", "invalid");
        check(&p, "line\nbreak", "invalid");
        check(&p, &"x".repeat(10_240), "invalid");
    }

    #[test]
    fn per_tenant_buckets_name_the_tenant() {
        let readme = include_str!("../../../../README.md");
        let start = readme.find("```toml\n").expect("toml block") + "```toml\n".len();
        let end = start + readme[start..].find("```").expect("closed");
        let p = Profile::from_toml(&readme[start..end]).expect("README profile");
        check(
            &p,
            "acme-initech/widgets/1.json",
            "object initech widgets/1.json",
        );
        check(
            &p,
            "s3://acme-initech/widgets/1.json",
            "object initech widgets/1.json",
        );
        check(&p, "org:T9:widget:7", "cache T9 widget:7");
    }
}
