//! PostgreSQL part: rows per entity table and the tenant's event log.
//!
//! Row tier: `count(*)` with the tenant filter (no cheap estimate exists for a slice of a shared
//! table). Schema and database tiers own their tables, so the planner's estimate
//! (`reltuples` scaled to the table's current size, as the planner does) is used unless `exact`
//! is asked for or the table was never analyzed.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{sorted_counts, EventsFootprint, PostgresFootprint, TableFootprint};
use crate::error::{Error, ErrorCode, Result, StoreKind};
use crate::ident::{qualified, Ident};
use crate::profile::{EntitySpec, EventsSpec, Profile};
use crate::stores::postgres::map_error;
use crate::tenant_space::TenantSpace;
use crate::tenants::{Tenant, TenantLocation};

const STORE: StoreKind = StoreKind::Postgres;
const TOP_TYPES: usize = 20;

pub async fn measure(
    space: &TenantSpace,
    profile: &Profile,
    tenant: &Tenant,
    exact: bool,
) -> Result<PostgresFootprint> {
    let location = match &tenant.location {
        TenantLocation::Database {
            database, schema, ..
        } => format!("{database}.{schema}"),
        _ => space.schema.to_string(),
    };
    let tables = futures::future::join_all(profile.entities.iter().map(|e| table(space, e, exact)));
    let events = async {
        match &profile.events {
            Some(spec) => Some(events(space, spec).await),
            None => None,
        }
    };
    let (tables, events) = tokio::join!(tables, events);
    // A store-level failure (down, timeout, refused, no such database) is the part's error; a
    // table-level one (a missing table, a bad column) stays with its table.
    let tables = tables
        .into_iter()
        .zip(&profile.entities)
        .map(|(result, entity)| match result {
            Ok(t) => Ok(t),
            Err(e) if store_level(&e) => Err(e),
            Err(e) => Ok(TableFootprint {
                entity_type: entity.entity_type.clone(),
                table: entity.table.to_string(),
                rows: None,
                estimated: false,
                error: Some((&e).into()),
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    let (events, events_error) = match events {
        None => (None, None),
        Some(Ok(ev)) => (Some(ev), None),
        Some(Err(e)) if store_level(&e) => return Err(e),
        Some(Err(e)) => (None, Some((&e).into())),
    };
    Ok(PostgresFootprint {
        location,
        tables,
        events,
        events_error,
    })
}

fn store_level(e: &Error) -> bool {
    matches!(
        e.code(),
        ErrorCode::Unavailable
            | ErrorCode::Timeout
            | ErrorCode::Auth
            | ErrorCode::Config
            | ErrorCode::NotFound
    )
}

async fn table(space: &TenantSpace, entity: &EntitySpec, exact: bool) -> Result<TableFootprint> {
    let estimate = if exact || space.row_filter.is_some() {
        None
    } else {
        estimate(space, &entity.table).await?
    };
    let (rows, estimated) = match estimate {
        Some(rows) => (rows, true),
        None => (count(space, &entity.table).await?, false),
    };
    Ok(TableFootprint {
        entity_type: entity.entity_type.clone(),
        table: entity.table.to_string(),
        rows: Some(rows.to_string()),
        estimated,
        error: None,
    })
}

/// The planner's row estimate of a table the tenant owns: `reltuples` scaled by how the table
/// grew since it was last analyzed. `None` when it was never analyzed (or is empty on disk).
async fn estimate(space: &TenantSpace, table: &Ident) -> Result<Option<i64>> {
    let sql = "select case when c.reltuples < 0 or c.relpages = 0 then null::float8 \
               else c.reltuples::float8 / c.relpages::float8 \
                    * (pg_relation_size(c.oid)::float8 / current_setting('block_size')::float8) end \
               from pg_class c join pg_namespace n on n.oid = c.relnamespace \
               where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'm')";
    let row: Option<Option<f64>> = sqlx::query_scalar(sql)
        .bind(space.schema.as_str())
        .bind(table.as_str())
        .fetch_optional(space.postgres.pool())
        .await
        .map_err(map_error)?;
    match row {
        None => Err(Error::query(
            STORE,
            format!("table {} does not exist", space.table(table)),
        )),
        // Rounded: an estimate has no fractional rows (and is far below 2^53).
        Some(estimate) => Ok(estimate.map(|rows| rows.round().max(0.0) as i64)),
    }
}

async fn count(space: &TenantSpace, table: &Ident) -> Result<i64> {
    let filter = match &space.row_filter {
        Some((column, _)) => tenant_filter(space, table, column).await?,
        None => String::new(),
    };
    let sql = format!(
        "select count(*) from {} x where true{filter}",
        space.table(table)
    );
    let mut query = sqlx::query_scalar(&sql);
    if let Some((_, id)) = &space.row_filter {
        query = query.bind(id);
    }
    query
        .fetch_one(space.postgres.pool())
        .await
        .map_err(map_error)
}

/// ` and x."tenant_id" = $1::text::"pg_catalog"."uuid"`: the tenant id cast to the column's own
/// type, so an index on the column serves the filter. Falls back to comparing as text when the
/// type cannot be named safely (its name is not a plain identifier).
async fn tenant_filter(space: &TenantSpace, table: &Ident, column: &Ident) -> Result<String> {
    let sql = "select n.nspname::text, t.typname::text from pg_attribute a \
               join pg_type t on t.oid = a.atttypid join pg_namespace n on n.oid = t.typnamespace \
               where a.attrelid = to_regclass($1) and a.attname = $2 and not a.attisdropped";
    let found: Option<(String, String)> = sqlx::query_as(sql)
        .bind(space.table(table))
        .bind(column.as_str())
        .fetch_optional(space.postgres.pool())
        .await
        .map_err(map_error)?;
    let typed = found.and_then(|(schema, name)| {
        Some(qualified(
            &Ident::parse(&schema).ok()?,
            &Ident::parse(&name).ok()?,
        ))
    });
    Ok(match typed {
        Some(type_name) => format!(" and x.{} = $1::text::{type_name}", column.pg()),
        None => format!(" and x.{}::text = $1", column.pg()),
    })
}

async fn events(space: &TenantSpace, spec: &EventsSpec) -> Result<EventsFootprint> {
    // Row tier: the event log's own tenant column, else the tier's.
    let row_filter = space
        .row_filter
        .as_ref()
        .map(|(column, id)| (spec.tenant_column.as_ref().unwrap_or(column), id));
    let filter = match row_filter {
        Some((column, _)) => tenant_filter(space, &spec.table, column).await?,
        None => String::new(),
    };
    let table = space.table(&spec.table);
    let time = spec.time_column.pg();
    let totals_sql = format!(
        "select count(*) as n, min(x.{time})::timestamptz as first_at, max(x.{time})::timestamptz as last_at \
         from {table} x where true{filter}"
    );
    let types_sql = format!(
        "select x.{ty}::text as name, count(*) as n from {table} x where true{filter} \
         group by 1 order by 2 desc, 1 limit {limit}",
        ty = spec.event_type_column.pg(),
        limit = TOP_TYPES,
    );
    let pool = space.postgres.pool();
    let bind = |sql| {
        let q = sqlx::query(sql);
        match row_filter {
            Some((_, id)) => q.bind(id),
            None => q,
        }
    };
    let (totals, types) = tokio::join!(
        bind(&totals_sql).fetch_one(pool),
        bind(&types_sql).fetch_all(pool)
    );
    let totals = totals.map_err(map_error)?;
    let count: i64 = totals.try_get("n").map_err(map_error)?;
    let at = |name: &str| -> Result<Option<String>> {
        let t: Option<DateTime<Utc>> = totals.try_get(name).map_err(map_error)?;
        Ok(t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
    };
    let types = types
        .map_err(map_error)?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<Option<String>, _>("name")
                    .map_err(map_error)?
                    .unwrap_or_default(),
                r.try_get::<i64, _>("n").map_err(map_error)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let listed: i64 = types.iter().map(|(_, n)| n).sum();
    Ok(EventsFootprint {
        table: spec.table.to_string(),
        count: count.to_string(),
        first_at: at("first_at")?,
        last_at: at("last_at")?,
        types: sorted_counts(types),
        other_types_count: (count - listed).max(0).to_string(),
    })
}
