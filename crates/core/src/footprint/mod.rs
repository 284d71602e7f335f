//! A tenant's footprint: how much of each store it occupies. Rows per entity table and its
//! event log (PostgreSQL), nodes and relationships (graph), keys and bytes per namespace
//! (Redis), objects and bytes (object storage).
//!
//! The four parts are measured concurrently, each under the platform's timeout; a store that is
//! down, refuses or is not configured gives its part an error while the others are filled.
//! Counts cross IPC as decimal strings (they may exceed 2^32).

pub(crate) mod graph;
pub(crate) mod objects;
pub(crate) mod postgres;
pub(crate) mod redis;

use std::future::Future;
use std::time::Instant;

use serde::Serialize;

use crate::error::{ErrorPayload, Result, StoreKind};
use crate::platform::Platform;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantFootprint {
    pub connection: String,
    pub tenant: Tenant,
    /// Exact counts were asked for: no row estimates, every Redis key sized.
    pub exact: bool,
    pub measured_at: String,
    pub elapsed_ms: u32,
    pub postgres: FootprintPart<PostgresFootprint>,
    pub graph: FootprintPart<GraphFootprint>,
    pub redis: FootprintPart<RedisFootprint>,
    pub objects: FootprintPart<ObjectsFootprint>,
}

/// One store's part: its value, or why there is none (down, timed out, not configured).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FootprintPart<T> {
    pub store: StoreKind,
    pub elapsed_ms: u32,
    pub value: Option<T>,
    pub error: Option<ErrorPayload>,
}

/// A name (event type, label, relationship type) and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NameCount {
    pub name: String,
    pub count: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PostgresFootprint {
    /// `schema` (or `database.schema` for the database tier) holding the tenant's tables.
    pub location: String,
    /// One per profile entity, in profile order.
    pub tables: Vec<TableFootprint>,
    /// Absent when the profile has no `[events]`, or when they could not be read (the events
    /// error says why).
    pub events: Option<EventsFootprint>,
    pub events_error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TableFootprint {
    pub entity_type: String,
    pub table: String,
    /// The tenant's rows (the whole table for the schema and database tiers).
    pub rows: Option<String>,
    /// From the planner's statistics (`pg_class.reltuples`), not a `count(*)`.
    pub estimated: bool,
    pub error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventsFootprint {
    pub table: String,
    pub count: String,
    /// RFC 3339 (UTC) times of the first and last event; absent without events.
    pub first_at: Option<String>,
    pub last_at: Option<String>,
    /// The 20 most frequent event types, most frequent first.
    pub types: Vec<NameCount>,
    /// Events whose type is not among `types`.
    pub other_types_count: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GraphFootprint {
    pub tenant_property: String,
    pub nodes: String,
    /// Relationships leaving the tenant's nodes.
    pub relationships: String,
    /// Nodes by label (a node with several labels counts under `A:B`), largest first.
    pub labels: Vec<NameCount>,
    pub relationship_types: Vec<NameCount>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RedisFootprint {
    /// The tenant's key prefix (keys counted are the ones starting with it).
    pub prefix: String,
    /// The nodes scanned: 1, or every master of a cluster.
    pub nodes_scanned: u32,
    pub keys: String,
    pub bytes: String,
    /// Some namespace's bytes are extrapolated from a sample.
    pub bytes_estimated: bool,
    /// Largest first.
    pub namespaces: Vec<NamespaceFootprint>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NamespaceFootprint {
    /// The key segment after the prefix (`atom` for `tenant:<id>:atom:<uuid>`).
    pub namespace: String,
    pub keys: String,
    /// `MEMORY USAGE` of the keys; extrapolated from the sampled keys when estimated.
    pub bytes: String,
    pub bytes_estimated: bool,
    pub sampled_keys: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ObjectsFootprint {
    pub bucket: String,
    pub prefix: String,
    pub objects: String,
    pub bytes: String,
    /// By the path segment after the tenant prefix (`documents/`; `""` for objects directly in
    /// it), largest first.
    pub prefixes: Vec<PrefixFootprint>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PrefixFootprint {
    pub prefix: String,
    pub objects: String,
    pub bytes: String,
}

/// Measures all four parts of a tenant concurrently; never fails as a whole.
#[tracing::instrument(skip_all, fields(connection = platform.name(), tenant = %tenant.slug, exact))]
pub async fn measure(platform: &Platform, tenant: Tenant, exact: bool) -> TenantFootprint {
    let started = Instant::now();
    let measured_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let profile = &platform.profile;
    let t = &tenant;
    // Boxed: four nested driver futures in one join make a type too deep for callers' layout.
    let (postgres, graph, redis, objects) = tokio::join!(
        Box::pin(part(platform, StoreKind::Postgres, async {
            let space = platform.tenant_space(t)?;
            postgres::measure(&space, profile, t, exact).await
        })),
        Box::pin(part(platform, StoreKind::Graph, async {
            let graph = platform.graph()?;
            let spec = profile.graph_spec()?;
            graph::measure(graph, spec, t).await
        })),
        Box::pin(part(platform, StoreKind::Redis, async {
            let redis = platform.redis()?;
            let spec = profile.cache_spec()?;
            redis::measure(redis, spec, t, exact, platform.timeout).await
        })),
        Box::pin(part(platform, StoreKind::Objects, async {
            let objects = platform.objects()?;
            let spec = profile.objects_spec()?;
            objects::measure(objects, spec, t).await
        })),
    );
    TenantFootprint {
        connection: platform.name().to_owned(),
        tenant,
        exact,
        measured_at,
        elapsed_ms: crate::tasks::elapsed_ms(started),
        postgres,
        graph,
        redis,
        objects,
    }
}

async fn part<T>(
    platform: &Platform,
    store: StoreKind,
    fut: impl Future<Output = Result<T>>,
) -> FootprintPart<T> {
    let started = Instant::now();
    let result = with_timeout(store, platform.timeout, fut).await;
    let elapsed_ms = crate::tasks::elapsed_ms(started);
    match result {
        Ok(value) => FootprintPart {
            store,
            elapsed_ms,
            value: Some(value),
            error: None,
        },
        Err(e) => {
            tracing::warn!(store = store.as_str(), error = %e, "footprint part failed");
            FootprintPart {
                store,
                elapsed_ms,
                value: None,
                error: Some((&e).into()),
            }
        }
    }
}

/// `(name, count)` pairs sorted largest first, then by name.
fn sorted_counts(mut pairs: Vec<(String, i64)>) -> Vec<NameCount> {
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs
        .into_iter()
        .map(|(name, count)| NameCount {
            name,
            count: count.to_string(),
        })
        .collect()
}
