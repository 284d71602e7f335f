//! PostgreSQL: reset the sandbox's schemas and databases, run the embedded migrations for every
//! tenant space, and bulk-load events (COPY) and read-model rows (jsonb_populate_recordset).
//!
//! Row-tier tenants live in `public` of the main database, schema-tier tenants in
//! `tenant_<slug>`, database-tier tenants in their own `storelens_tenant_<slug>` database on the
//! same server (recorded in `tenant_shards`).

use std::str::FromStr;

use anyhow::{Context, Result};
use serde_json::{json, Value};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolCopyExt, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection};
use uuid::Uuid;

use crate::faults::FaultPlan;
use crate::generate::TenantData;
use crate::model::{ts, EntityType, Event, EventKind, Row, Tier};
use crate::project::stored_rows;
use crate::targets::SandboxTargets;

/// Advisory lock key held for the whole seed, so two seeds never interleave.
const SEED_LOCK: i64 = 0x5354_4f52_454c_4e53; // "STORELNS"
const ROW_BATCH: usize = 2_000;
const COPY_CHUNK: usize = 4 << 20;
/// Audit log rows per named tenant (the atom updates they describe come first).
const AUDIT_ROWS: usize = 50;

fn platform_migrator() -> Migrator {
    let mut m = sqlx::migrate!("../../migrations/platform");
    m.set_ignore_missing(true);
    m
}

fn tenant_migrator() -> Migrator {
    let mut m = sqlx::migrate!("../../migrations/tenant");
    m.set_ignore_missing(true);
    m
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn options(targets: &SandboxTargets) -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(&targets.pg_url)
        .context("parsing STORELENS_PG_URL")?
        .log_statements(tracing::log::LevelFilter::Trace))
}

async fn pool(opts: PgConnectOptions) -> Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(3)
        .connect_with(opts)
        .await?)
}

/// Takes the seed lock on a dedicated connection; dropping the connection releases it.
pub async fn lock(targets: &SandboxTargets) -> Result<PgConnection> {
    let conn = PgConnection::connect_with(&options(targets)?)
        .await
        .context("connecting to PostgreSQL (STORELENS_PG_URL)")?;
    advisory_lock(conn, SEED_LOCK).await
}

pub async fn unlock(conn: PgConnection) -> Result<()> {
    advisory_unlock(conn, SEED_LOCK).await
}

/// Holds a session-level advisory lock on `conn` so two seeds never interleave.
pub(crate) async fn advisory_lock(mut conn: PgConnection, key: i64) -> Result<PgConnection> {
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(key)
        .execute(&mut conn)
        .await?;
    Ok(conn)
}

pub(crate) async fn advisory_unlock(mut conn: PgConnection, key: i64) -> Result<()> {
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(key)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// Drops every tenant schema and tenant database and the public tables the sandbox owns.
pub async fn reset(targets: &SandboxTargets) -> Result<()> {
    let main = pool(options(targets)?).await?;
    let schemas: Vec<String> = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1",
    )
    .fetch_all(&main)
    .await?;
    for s in schemas {
        sqlx::raw_sql(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quote(&s)))
            .execute(&main)
            .await?;
    }
    let dbs: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'storelens\\_tenant\\_%' ORDER BY 1",
    )
    .fetch_all(&main)
    .await?;
    for d in dbs {
        sqlx::raw_sql(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote(&d)
        ))
        .execute(&main)
        .await?;
    }
    sqlx::raw_sql(
        "DROP TABLE IF EXISTS public.annotations, public.documents, public.molecules, public.atoms, \
         public.knowledge_events, public.tenant_shards, public.audit_log, public.tenants, \
         public._sqlx_migrations CASCADE",
    )
    .execute(&main)
    .await?;
    main.close().await;
    Ok(())
}

/// Loads everything: tenants, shards, audit log, and each tenant space's events and rows.
/// Returns (events, rows).
pub async fn load(
    targets: &SandboxTargets,
    data: &[TenantData],
    plans: &[FaultPlan],
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<(usize, usize)> {
    let base = options(targets)?;
    let main = pool(base.clone()).await?;
    platform_migrator()
        .run(&main)
        .await
        .context("platform migrations")?;
    tenant_migrator()
        .run(&main)
        .await
        .context("tenant migrations (public)")?;
    insert_tenants(&main, targets, data).await?;
    insert_audit_log(&main, data).await?;

    let (mut events, mut rows) = (0, 0);
    let row_tier: Vec<usize> = (0..data.len())
        .filter(|&i| data[i].tenant.tier == Tier::Row)
        .collect();
    let (e, r) = load_space(&main, data, plans, &row_tier).await?;
    progress(&format!(
        "postgres: public: {} row-tier tenants, {e} events, {r} rows",
        row_tier.len()
    ));
    (events, rows) = (events + e, rows + r);
    main.close().await;

    for (i, td) in data.iter().enumerate() {
        let t = &td.tenant;
        let opts = match t.tier {
            Tier::Row => continue,
            Tier::Schema => {
                let main = pool(base.clone()).await?;
                sqlx::raw_sql(&format!("CREATE SCHEMA {}", quote(&t.schema_name())))
                    .execute(&main)
                    .await?;
                main.close().await;
                base.clone().options([("search_path", t.schema_name())])
            }
            Tier::Database => {
                let main = pool(base.clone()).await?;
                sqlx::raw_sql(&format!("CREATE DATABASE {}", quote(&t.database_name())))
                    .execute(&main)
                    .await?;
                main.close().await;
                base.clone().database(&t.database_name())
            }
        };
        let space = pool(opts).await?;
        tenant_migrator()
            .run(&space)
            .await
            .with_context(|| format!("tenant migrations for {}", t.slug))?;
        let (e, r) = load_space(&space, data, plans, &[i]).await?;
        space.close().await;
        let place = if t.tier == Tier::Schema {
            t.schema_name()
        } else {
            t.database_name()
        };
        progress(&format!("postgres: {place}: {e} events, {r} rows"));
        (events, rows) = (events + e, rows + r);
    }
    Ok((events, rows))
}

async fn insert_tenants(
    main: &PgPool,
    targets: &SandboxTargets,
    data: &[TenantData],
) -> Result<()> {
    let tenants: Vec<Value> = data
        .iter()
        .map(|td| {
            let t = &td.tenant;
            json!({"id": t.id, "slug": t.slug, "name": t.name, "tier": t.tier.as_str(), "created_at": ts(t.created_at)})
        })
        .collect();
    for chunk in tenants.chunks(ROW_BATCH) {
        insert_json_rows(main, "tenants", chunk.iter().map(Value::to_string)).await?;
    }
    let host = targets.pg_host_port()?;
    let shards: Vec<String> = data
        .iter()
        .filter(|td| td.tenant.tier == Tier::Database)
        .enumerate()
        .map(|(n, td)| {
            json!({"tenant_id": td.tenant.id, "shard_id": n + 1, "database_host": host,
                   "database_name": td.tenant.database_name()})
            .to_string()
        })
        .collect();
    insert_json_rows(main, "tenant_shards", shards.into_iter()).await?;
    Ok(())
}

/// A few audit rows per named tenant: the first atom updates, as the audit trigger of 004 would.
async fn insert_audit_log(main: &PgPool, data: &[TenantData]) -> Result<()> {
    let mut rows = Vec::new();
    for td in data.iter().filter(|td| td.tenant.index < 13) {
        let updates = td
            .events
            .iter()
            .filter(|e| e.entity == EntityType::Atom && e.kind == EventKind::Updated)
            .take(AUDIT_ROWS);
        for (n, e) in updates.enumerate() {
            let new_values: Value = serde_json::from_str(&e.data)?;
            rows.push(
                json!({
                    "id": Uuid::new_v5(&e.id, b"audit"),
                    "tenant_id": e.tenant_id,
                    "user_id": e.user_id,
                    "action": "UPDATE",
                    "resource_type": "atom",
                    "resource_id": e.aggregate_id,
                    "new_values": new_values,
                    "ip_address": format!("192.0.2.{}", 1 + n % 250),
                    "user_agent": "storelens-sandbox/1",
                    "request_id": e.correlation_id,
                    "created_at": ts(e.occurred_at),
                })
                .to_string(),
            );
        }
    }
    for chunk in rows.chunks(ROW_BATCH) {
        insert_json_rows(main, "audit_log", chunk.iter().cloned()).await?;
    }
    Ok(())
}

/// Inserts rows given as JSON objects whose keys are column names.
async fn insert_json_rows(
    pool: &PgPool,
    table: &str,
    rows: impl Iterator<Item = String>,
) -> Result<u64> {
    let mut body = String::from("[");
    for (i, r) in rows.enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&r);
    }
    body.push(']');
    if body == "[]" {
        return Ok(0);
    }
    let t = quote(table);
    let sql =
        format!("INSERT INTO {t} SELECT * FROM jsonb_populate_recordset(NULL::{t}, $1::jsonb)");
    let done = sqlx::query(&sql)
        .bind(body)
        .execute(pool)
        .await
        .with_context(|| format!("inserting into {table}"))?;
    Ok(done.rows_affected())
}

/// Loads the events and rows of the given tenants into one tenant space.
async fn load_space(
    pool: &PgPool,
    data: &[TenantData],
    plans: &[FaultPlan],
    tenants: &[usize],
) -> Result<(usize, usize)> {
    // The log is appended in time order, so `sequence` agrees with `occurred_at`.
    let mut events: Vec<&Event> = tenants
        .iter()
        .flat_map(|&i| data[i].events.iter())
        .collect();
    events.sort_by_key(|e| e.occurred_at);
    let copied = copy_events(pool, &events).await?;
    drop(events);

    let mut rows = 0;
    for entity in EntityType::ALL {
        let mut batch: Vec<String> = Vec::with_capacity(ROW_BATCH);
        for &i in tenants {
            for row in stored_rows(&data[i], &plans[i]).filter(|r: &&Row| r.entity == entity) {
                batch.push(row.to_json_string());
                if batch.len() == ROW_BATCH {
                    rows += insert_json_rows(pool, entity.table(), batch.drain(..)).await?;
                }
            }
        }
        rows += insert_json_rows(pool, entity.table(), batch.drain(..)).await?;
    }
    Ok((copied, rows as usize))
}

fn push_copy_field(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// One event as a line of COPY text format.
pub(crate) fn copy_line(out: &mut String, e: &Event) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "{}\t{}\t{}\t{}\t{}\t",
        e.id,
        e.tenant_id,
        e.event_type(),
        e.entity.aggregate_type(),
        e.aggregate_id
    );
    push_copy_field(out, &e.data);
    out.push('\t');
    push_copy_field(out, &e.metadata);
    match e.causation_id {
        Some(c) => {
            let _ = write!(out, "\t{c}");
        }
        None => out.push_str("\t\\N"),
    }
    let _ = writeln!(
        out,
        "\t{}\t{}\t{}",
        e.correlation_id,
        e.user_id,
        ts(e.occurred_at)
    );
}

async fn copy_events(pool: &PgPool, events: &[&Event]) -> Result<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let mut copy = pool
        .copy_in_raw(
            "COPY knowledge_events (id, tenant_id, event_type, aggregate_type, aggregate_id, event_data, \
             metadata, causation_id, correlation_id, user_id, occurred_at) FROM STDIN",
        )
        .await?;
    let mut buf = String::with_capacity(COPY_CHUNK + 4096);
    for e in events {
        copy_line(&mut buf, e);
        if buf.len() >= COPY_CHUNK {
            copy.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_bytes()).await?;
    }
    Ok(copy.finish().await.context("COPY knowledge_events")? as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_escape_and_null() {
        let e = Event {
            id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            entity: EntityType::Atom,
            kind: EventKind::Created,
            aggregate_id: Uuid::nil(),
            data: r#"{"a":"x\ny\\z	t"}"#.into(),
            metadata: "{}".into(),
            causation_id: None,
            correlation_id: Uuid::nil(),
            user_id: Uuid::nil(),
            occurred_at: crate::model::BASE_TIME,
        };
        let mut s = String::new();
        copy_line(&mut s, &e);
        let fields: Vec<&str> = s.trim_end_matches('\n').split('\t').collect();
        assert_eq!(fields.len(), 11);
        assert_eq!(fields[2], "AtomCreated");
        assert_eq!(fields[5], r#"{"a":"x\\ny\\\\z\tt"}"#);
        assert_eq!(fields[7], "\\N");
        assert_eq!(fields[10], "2026-01-01T00:00:00+00:00");
    }
}
