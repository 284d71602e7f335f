//! PostgreSQL part of the overview: shared (row-tier) tables counted once with `group by` the
//! tenant column; schema- and database-tier tenants measured on their own tables.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use sqlx::Row;

use super::PartResult;
use crate::error::{Error, Result};
use crate::footprint;
use crate::ident::Ident;
use crate::platform::Platform;
use crate::profile::EventsSpec;
use crate::stores::postgres::map_error;
use crate::tenant_space::TenantSpace;
use crate::tenants::Tenant;

/// Isolated tenants measured at once.
const CONCURRENT_SPACES: usize = 4;

#[derive(Debug, Default)]
pub(crate) struct PgTotals {
    pub rows: u64,
    pub rows_estimated: bool,
    /// `None` when the profile has no event log.
    pub events: Option<u64>,
    pub first_event_at: Option<String>,
    pub last_event_at: Option<String>,
}

pub(super) async fn measure(
    platform: &Platform,
    tenants: &[Tenant],
    exact: bool,
) -> Result<PartResult<PgTotals>> {
    let profile = &platform.profile;
    let mut by_tenant: HashMap<String, PgTotals> = HashMap::new();
    // Row tier: one group per shared schema and tenant column.
    let mut groups: BTreeMap<(String, String), (TenantSpace, Vec<&Tenant>)> = BTreeMap::new();
    let mut isolated = Vec::new();
    for t in tenants {
        let space = platform.tenant_space(t)?;
        match &space.row_filter {
            Some((column, _)) => {
                let key = (space.schema.to_string(), column.to_string());
                groups
                    .entry(key)
                    .or_insert_with(|| (space.clone(), Vec::new()))
                    .1
                    .push(t);
            }
            None => isolated.push((t, space)),
        }
    }
    // Every shared table and log is counted in a task of its own, so they run concurrently
    // with each other and with the isolated tenants below. (Spawned tasks own what they use;
    // joined borrowing futures here would not be `Send` for the shells, rust-lang/rust#102211.)
    let mut table_counts = Vec::new();
    let mut event_counts = Vec::new();
    for (space, members) in groups.values() {
        let column = space
            .row_filter
            .as_ref()
            .expect("a row-tier group")
            .0
            .clone();
        for t in members {
            by_tenant.insert(
                t.id.clone(),
                PgTotals {
                    events: profile.events.as_ref().map(|_| 0),
                    ..Default::default()
                },
            );
        }
        for entity in &profile.entities {
            let (space, table, column) = (space.clone(), entity.table.clone(), column.clone());
            table_counts.push(tokio::spawn(async move {
                grouped_counts(&space, &table, &column).await
            }));
        }
        if let Some(spec) = profile.events.clone() {
            let (space, column) = (space.clone(), column.clone());
            event_counts.push(tokio::spawn(async move {
                grouped_events(&space, &spec, &column).await
            }));
        }
    }
    let queries = table_counts.len() + event_counts.len();

    // Isolated tenants: their own tables, like their footprint. A tenant whose database cannot
    // be reached is left unknown and named in the detail.
    // The futures are built first: a closure inside the stream would make the future's
    // `Send` depend on every lifetime (rust-lang/rust#102211), which the Tauri shell needs.
    let jobs: Vec<_> = isolated
        .into_iter()
        .map(move |(t, space)| async move {
            let result = footprint::postgres::measure(&space, profile, t, exact).await;
            (t, result)
        })
        .collect();
    let measured: Vec<(&Tenant, Result<footprint::PostgresFootprint>)> = stream::iter(jobs)
        .buffer_unordered(CONCURRENT_SPACES)
        .collect()
        .await;
    let joined = |e: tokio::task::JoinError| Error::Internal(format!("count task failed: {e}"));
    for handle in table_counts {
        for (tenant, n) in handle.await.map_err(joined)?? {
            if let Some(t) = by_tenant.get_mut(&tenant) {
                t.rows += n;
            }
        }
    }
    for handle in event_counts {
        for (tenant, totals) in handle.await.map_err(joined)?? {
            if let Some(t) = by_tenant.get_mut(&tenant) {
                t.events = totals.events;
                t.first_event_at = totals.first_event_at;
                t.last_event_at = totals.last_event_at;
            }
        }
    }
    let mut failed = Vec::new();
    let isolated_count = measured.len();
    for (t, result) in measured {
        match result {
            Ok(fp) => {
                let rows = fp
                    .tables
                    .iter()
                    .filter_map(|table| table.rows.as_deref()?.parse::<u64>().ok())
                    .sum();
                by_tenant.insert(
                    t.id.clone(),
                    PgTotals {
                        rows,
                        rows_estimated: fp.tables.iter().any(|table| table.estimated),
                        events: fp.events.as_ref().and_then(|e| e.count.parse().ok()),
                        first_event_at: fp.events.as_ref().and_then(|e| e.first_at.clone()),
                        last_event_at: fp.events.as_ref().and_then(|e| e.last_at.clone()),
                    },
                );
            }
            Err(e) => failed.push(format!("{}: {}", t.slug, e)),
        }
    }
    let mut detail = format!(
        "{queries} grouped queries over shared tables, {isolated_count} schema/database tenants measured on their own"
    );
    if !failed.is_empty() {
        detail.push_str(&format!("; unknown: {}", failed.join("; ")));
    }
    Ok(PartResult { by_tenant, detail })
}

async fn grouped_counts(
    space: &TenantSpace,
    table: &Ident,
    column: &Ident,
) -> Result<Vec<(String, u64)>> {
    let sql = format!(
        "select x.{}::text as t, count(*) as n from {} x group by 1",
        column.pg(),
        space.table(table)
    );
    let rows = sqlx::query(&sql)
        .fetch_all(space.postgres.pool())
        .await
        .map_err(map_error)?;
    rows.iter()
        .filter_map(|r| {
            let tenant: Option<String> = match r.try_get("t") {
                Ok(t) => t,
                Err(e) => return Some(Err(map_error(e))),
            };
            let n: i64 = match r.try_get("n") {
                Ok(n) => n,
                Err(e) => return Some(Err(map_error(e))),
            };
            tenant.map(|t| Ok((t, u64::try_from(n).unwrap_or(0))))
        })
        .collect()
}

/// Events per tenant of a shared log: count, first and last time.
async fn grouped_events(
    space: &TenantSpace,
    spec: &EventsSpec,
    row_column: &Ident,
) -> Result<Vec<(String, PgTotals)>> {
    let column = spec.tenant_column.as_ref().unwrap_or(row_column);
    let sql = format!(
        "select x.{col}::text as t, count(*) as n, min(x.{time})::timestamptz as first_at, \
         max(x.{time})::timestamptz as last_at from {table} x group by 1",
        col = column.pg(),
        time = spec.time_column.pg(),
        table = space.table(&spec.table),
    );
    let rows = sqlx::query(&sql)
        .fetch_all(space.postgres.pool())
        .await
        .map_err(map_error)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(tenant) = r.try_get::<Option<String>, _>("t").map_err(map_error)? else {
            continue;
        };
        let n: i64 = r.try_get("n").map_err(map_error)?;
        out.push((
            tenant,
            PgTotals {
                events: Some(u64::try_from(n).unwrap_or(0)),
                first_event_at: time(&r, "first_at")?,
                last_event_at: time(&r, "last_at")?,
                ..Default::default()
            },
        ));
    }
    Ok(out)
}

fn time(row: &sqlx::postgres::PgRow, name: &str) -> Result<Option<String>> {
    let t: Option<DateTime<Utc>> = row.try_get(name).map_err(map_error)?;
    Ok(t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
}
