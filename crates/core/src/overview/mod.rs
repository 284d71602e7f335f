//! The tenant list with footprints: every tenant's rows, events, nodes, relationships, keys and
//! objects, measured for all tenants at once.
//!
//! Per-tenant footprints would cost one keyspace SCAN, one bucket listing and a handful of
//! queries per tenant; for a thousand tenants that is a thousand SCANs of the whole keyspace.
//! Here each store is read once and its answer is attributed to tenants:
//! - PostgreSQL: one `group by <tenant column>` per shared (row-tier) table and for the event
//!   log; each schema- or database-tier tenant is measured on its own tables (planner estimates
//!   unless `exact`, like its footprint).
//! - Graph: one `count(*)` by tenant property for nodes, one for relationships by their source.
//! - Redis: one SCAN of the keys under the literal start of the profile's tenant prefix, each
//!   key given to the tenant its prefix names; bytes from `MEMORY USAGE` of the first
//!   [`SIZED_KEYS_PER_TENANT`] keys of each tenant, extrapolated (always marked estimated).
//! - Objects: one listing of the shared bucket by tenant prefix, or one per tenant bucket.
//!
//! Each store is a part that fails on its own; progress is reported per part, and the whole
//! run can be cancelled.

mod graph;
mod objects;
mod postgres;
mod redis;

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::error::{Error, ErrorPayload, Result, StoreKind};
use crate::platform::Platform;
use crate::stores::with_timeout;
use crate::tenants::{self, Tenant, Tier};

/// Tenants measured in one overview.
pub const MAX_TENANTS: usize = 20_000;
/// Keys sized per tenant for its byte estimate.
pub const SIZED_KEYS_PER_TENANT: usize = 8;
/// How long one store's part may take.
pub const PART_TIMEOUT: Duration = Duration::from_secs(600);

/// One tenant's totals per store. Counts are decimal strings; `None` where the store's part
/// failed or the store is not configured.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantTotals {
    pub id: String,
    pub slug: String,
    pub tier: Option<Tier>,
    /// Rows over all entity tables.
    pub rows: Option<String>,
    /// Some table's count is a planner estimate.
    pub rows_estimated: bool,
    pub events: Option<String>,
    pub first_event_at: Option<String>,
    pub last_event_at: Option<String>,
    pub nodes: Option<String>,
    pub relationships: Option<String>,
    pub keys: Option<String>,
    /// Extrapolated from a sample of the tenant's keys.
    pub key_bytes: Option<String>,
    pub objects: Option<String>,
    pub object_bytes: Option<String>,
}

/// How one store's part went.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OverviewPart {
    pub store: StoreKind,
    pub elapsed_ms: u32,
    pub error: Option<ErrorPayload>,
    /// What was read, e.g. "1,039,953 keys scanned on 1 node".
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantOverview {
    pub connection: String,
    pub measured_at: String,
    pub exact: bool,
    pub elapsed_ms: u32,
    /// Every tenant, in slug order.
    pub tenants: Vec<TenantTotals>,
    /// The tenant list was longer than [`MAX_TENANTS`].
    pub capped: bool,
    pub parts: Vec<OverviewPart>,
}

/// A part finished (or failed); sent as each store answers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OverviewProgress {
    pub store: StoreKind,
    pub done: bool,
    pub detail: String,
}

pub type Progress<'a> = &'a (dyn Fn(OverviewProgress) + Send + Sync);

/// Totals of one store by tenant id, and what the part read.
pub(crate) struct PartResult<T> {
    pub by_tenant: HashMap<String, T>,
    pub detail: String,
}

/// Measures every tenant in every store.
#[tracing::instrument(skip_all, fields(connection = platform.name(), exact), err)]
pub async fn measure(
    platform: &Platform,
    exact: bool,
    cancel: &CancellationToken,
    progress: Progress<'_>,
) -> Result<TenantOverview> {
    let started = Instant::now();
    let measured_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let pg = platform.postgres()?;
    let (tenants, total) = with_timeout(
        StoreKind::Postgres,
        platform.timeout * 5,
        tenants::all(pg, &platform.profile, MAX_TENANTS),
    )
    .await?;
    let t = tenants.as_slice();
    let work = async {
        tokio::join!(
            Box::pin(part(
                StoreKind::Postgres,
                progress,
                postgres::measure(platform, t, exact)
            )),
            Box::pin(part(StoreKind::Graph, progress, graph::measure(platform))),
            Box::pin(part(
                StoreKind::Redis,
                progress,
                redis::measure(platform, t, progress)
            )),
            Box::pin(part(
                StoreKind::Objects,
                progress,
                objects::measure(platform, t)
            )),
        )
    };
    let (pg_part, graph_part, redis_part, objects_part) = tokio::select! {
        parts = work => parts,
        () = cancel.cancelled() => return Err(Error::Cancelled),
    };

    let mut totals: Vec<TenantTotals> = tenants
        .iter()
        .map(|t| TenantTotals {
            id: t.id.clone(),
            slug: t.slug.clone(),
            tier: Some(t.tier),
            ..Default::default()
        })
        .collect();
    let mut parts = Vec::with_capacity(4);
    // PostgreSQL names every tenant it measured; one it could not is left unknown. The other
    // stores list only tenants they hold something of: the rest hold nothing there.
    parts.push(fill(
        &mut totals,
        pg_part,
        |t, v: Option<postgres::PgTotals>| {
            if let Some(v) = v {
                t.rows = Some(v.rows.to_string());
                t.rows_estimated = v.rows_estimated;
                t.events = v.events.map(|n| n.to_string());
                t.first_event_at = v.first_event_at;
                t.last_event_at = v.last_event_at;
            }
        },
    ));
    parts.push(fill(
        &mut totals,
        graph_part,
        |t, v: Option<graph::GraphTotals>| {
            let v = v.unwrap_or_default();
            t.nodes = Some(v.nodes.to_string());
            t.relationships = Some(v.relationships.to_string());
        },
    ));
    parts.push(fill(
        &mut totals,
        redis_part,
        |t, v: Option<redis::KeyTotals>| {
            let v = v.unwrap_or_default();
            t.keys = Some(v.keys.to_string());
            t.key_bytes = Some(v.bytes_estimate().to_string());
        },
    ));
    parts.push(fill(
        &mut totals,
        objects_part,
        |t, v: Option<objects::ObjectTotals>| {
            let v = v.unwrap_or_default();
            t.objects = Some(v.objects.to_string());
            t.object_bytes = Some(v.bytes.to_string());
        },
    ));
    Ok(TenantOverview {
        connection: platform.name().to_owned(),
        measured_at,
        exact,
        elapsed_ms: crate::tasks::elapsed_ms(started),
        tenants: totals,
        capped: tenants.len() < total as usize,
        parts,
    })
}

type Timed<T> = (StoreKind, u32, Result<PartResult<T>>);

async fn part<T>(
    store: StoreKind,
    progress: Progress<'_>,
    fut: impl Future<Output = Result<PartResult<T>>>,
) -> Timed<T> {
    let started = Instant::now();
    let result = with_timeout(store, PART_TIMEOUT, fut).await;
    let detail = match &result {
        Ok(r) => r.detail.clone(),
        Err(e) => e.to_string(),
    };
    progress(OverviewProgress {
        store,
        done: true,
        detail,
    });
    (store, crate::tasks::elapsed_ms(started), result)
}

/// Copies a part's per-tenant values into the totals (`None` for a tenant the part did not
/// list). A failed part leaves every tenant's values of that store unknown.
fn fill<T>(
    totals: &mut [TenantTotals],
    (store, elapsed_ms, result): Timed<T>,
    set: impl Fn(&mut TenantTotals, Option<T>),
) -> OverviewPart {
    match result {
        Ok(mut part) => {
            for t in totals.iter_mut() {
                set(t, part.by_tenant.remove(&t.id));
            }
            OverviewPart {
                store,
                elapsed_ms,
                error: None,
                detail: part.detail,
            }
        }
        Err(e) => {
            tracing::warn!(store = store.as_str(), error = %e, "overview part failed");
            OverviewPart {
                store,
                elapsed_ms,
                error: Some((&e).into()),
                detail: String::new(),
            }
        }
    }
}

/// Tenants by id, and by slug for patterns that name the slug.
pub(crate) struct TenantIndex<'a> {
    by_id: HashMap<&'a str, &'a Tenant>,
    by_slug: HashMap<&'a str, &'a Tenant>,
}

impl<'a> TenantIndex<'a> {
    pub(crate) fn new(tenants: &'a [Tenant]) -> Self {
        Self {
            by_id: tenants.iter().map(|t| (t.id.as_str(), t)).collect(),
            by_slug: tenants.iter().map(|t| (t.slug.as_str(), t)).collect(),
        }
    }

    /// The tenant a pattern's captures name.
    pub(crate) fn named(&self, caps: &crate::lookup::pattern::Captures) -> Option<&'a Tenant> {
        caps.tenant_id
            .as_deref()
            .and_then(|id| self.by_id.get(id))
            .or_else(|| {
                caps.tenant_slug
                    .as_deref()
                    .and_then(|s| self.by_slug.get(s))
            })
            .copied()
    }
}
