//! PostgreSQL of the orgs platform: database `storelens_orgs` (control tables, the shared `app`
//! schema, one `org_<handle>` schema per dedicated-schema org) and one `storelens_org_<handle>`
//! database per dedicated-database org. Databases are created once; their schemas are dropped
//! and rebuilt in one transaction per database, so a reader sees the old data or the new.

use std::str::FromStr;

use anyhow::{Context, Result};
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

use super::data::{Kind, OrgData};
use super::{database_name, schema_name, Isolation, APP_SCHEMA, CONTROL_SCHEMA, PG_DATABASE};
use crate::targets::SandboxTargets;

/// Advisory lock key (in the `postgres` database) held for a whole orgs seed.
const SEED_LOCK: i64 = 0x5354_4f52_4f52_4753; // "STORORGS"

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn options(targets: &SandboxTargets, database: &str) -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(&targets.pg_url)
        .context("parsing STORELENS_PG_URL")?
        .database(database)
        .log_statements(tracing::log::LevelFilter::Trace))
}

async fn connect(targets: &SandboxTargets, database: &str) -> Result<PgConnection> {
    PgConnection::connect_with(&options(targets, database)?)
        .await
        .with_context(|| format!("connecting to PostgreSQL database {database}"))
}

/// Takes the orgs seed lock on a connection to the server's `postgres` database.
pub async fn lock(targets: &SandboxTargets) -> Result<PgConnection> {
    crate::postgres::advisory_lock(connect(targets, "postgres").await?, SEED_LOCK).await
}

pub async fn unlock(conn: PgConnection) -> Result<()> {
    crate::postgres::advisory_unlock(conn, SEED_LOCK).await
}

/// Creates the database unless it exists (CREATE DATABASE cannot run in a transaction).
async fn ensure_database(admin: &mut PgConnection, name: &str) -> Result<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT exists (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut *admin)
            .await?;
    if !exists {
        sqlx::raw_sql(&format!("CREATE DATABASE {}", quote(name)))
            .execute(&mut *admin)
            .await
            .with_context(|| format!("creating database {name}"))?;
    }
    Ok(())
}

/// The tables of one space (the shared schema, an org's schema, or `app` of an org's database).
fn space_ddl(schema: &str) -> String {
    let s = quote(schema);
    format!(
        "CREATE SCHEMA {s};
         CREATE TABLE {s}.widgets (
             widget_id text PRIMARY KEY,
             owner_org text NOT NULL,
             title text NOT NULL,
             spec jsonb NOT NULL,
             blob_key text,
             updated_at timestamptz NOT NULL);
         CREATE INDEX ON {s}.widgets (owner_org);
         CREATE TABLE {s}.gadgets (
             gadget_id text PRIMARY KEY,
             owner_org text NOT NULL,
             label text NOT NULL,
             uses text[] NOT NULL DEFAULT '{{}}',
             updated_at timestamptz NOT NULL);
         CREATE INDEX ON {s}.gadgets (owner_org);
         CREATE TABLE {s}.domain_events (
             event_id uuid PRIMARY KEY,
             position bigint NOT NULL UNIQUE,
             owner_org text NOT NULL,
             stream_type text NOT NULL,
             stream_id text NOT NULL,
             kind text NOT NULL,
             body jsonb NOT NULL,
             recorded_at timestamptz NOT NULL,
             caused_by uuid,
             correlation uuid,
             actor text);
         CREATE INDEX ON {s}.domain_events (owner_org, stream_type, stream_id, position);"
    )
}

fn control_ddl() -> String {
    let c = quote(CONTROL_SCHEMA);
    let values: Vec<String> = Isolation::ALL
        .iter()
        .map(|i| format!("'{}'", i.as_str()))
        .collect();
    format!(
        "CREATE SCHEMA {c};
         CREATE TABLE {c}.organizations (
             org_id text PRIMARY KEY,
             handle text NOT NULL UNIQUE,
             display_name text NOT NULL,
             isolation text NOT NULL CHECK (isolation IN ({})));
         CREATE TABLE {c}.org_shards (
             org_id text PRIMARY KEY REFERENCES {c}.organizations (org_id),
             host text NOT NULL,
             dbname text NOT NULL);",
        values.join(", ")
    )
}

/// Inserts rows given as JSON objects keyed by column.
async fn insert(
    conn: &mut PgConnection,
    schema: &str,
    table: &str,
    rows: Vec<Value>,
) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let t = format!("{}.{}", quote(schema), quote(table));
    let sql =
        format!("INSERT INTO {t} SELECT * FROM jsonb_populate_recordset(NULL::{t}, $1::jsonb)");
    let done = sqlx::query(&sql)
        .bind(Value::Array(rows))
        .execute(&mut *conn)
        .await
        .with_context(|| format!("inserting into {schema}.{table}"))?;
    Ok(done.rows_affected())
}

/// Inserts the events and rows of `orgs` into `schema`. Returns (events, rows).
async fn fill_space(
    conn: &mut PgConnection,
    schema: &str,
    orgs: &[&OrgData],
) -> Result<(usize, usize)> {
    let mut events: Vec<_> = orgs.iter().flat_map(|d| d.events.iter()).collect();
    events.sort_by_key(|e| e.position);
    let n = insert(
        conn,
        schema,
        "domain_events",
        events.iter().map(|e| e.to_row()).collect(),
    )
    .await?;
    let mut rows = 0;
    for kind in Kind::ALL {
        let batch = orgs
            .iter()
            .flat_map(|d| d.rows_of(kind))
            .map(|r| r.to_json())
            .collect();
        rows += insert(conn, schema, kind.table(), batch).await?;
    }
    Ok((n as usize, rows as usize))
}

/// Drops every schema the main database holds for the platform (control, app, `org_*`).
async fn drop_main_schemas(tx: &mut PgConnection) -> Result<()> {
    let schemas: Vec<String> = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE nspname = ANY($1) OR nspname LIKE 'org\\_%' ORDER BY 1",
    )
    .bind(vec![CONTROL_SCHEMA, APP_SCHEMA])
    .fetch_all(&mut *tx)
    .await?;
    for s in schemas {
        sqlx::raw_sql(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quote(&s)))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Rebuilds both kinds of database. Returns (events, rows).
pub async fn load(targets: &SandboxTargets, data: &[OrgData]) -> Result<(usize, usize)> {
    let mut admin = connect(targets, "postgres").await?;
    ensure_database(&mut admin, PG_DATABASE).await?;
    for d in data
        .iter()
        .filter(|d| d.org.isolation == Isolation::DedicatedDb)
    {
        ensure_database(&mut admin, &database_name(d.org.handle)).await?;
    }
    admin.close().await?;
    let (mut events, mut rows) = (0, 0);

    let mut main = connect(targets, PG_DATABASE).await?;
    let mut tx = main.begin().await?;
    drop_main_schemas(&mut tx).await?;
    sqlx::raw_sql(&control_ddl()).execute(&mut *tx).await?;
    let orgs = data
        .iter()
        .map(|d| {
            json!({"org_id": d.org.id, "handle": d.org.handle, "display_name": d.org.name,
                   "isolation": d.org.isolation.as_str()})
        })
        .collect();
    insert(&mut tx, CONTROL_SCHEMA, "organizations", orgs).await?;
    let host = targets.pg_host_port()?;
    let shards = data
        .iter()
        .filter(|d| d.org.isolation == Isolation::DedicatedDb)
        .map(|d| json!({"org_id": d.org.id, "host": host, "dbname": database_name(d.org.handle)}))
        .collect();
    insert(&mut tx, CONTROL_SCHEMA, "org_shards", shards).await?;
    sqlx::raw_sql(&space_ddl(APP_SCHEMA))
        .execute(&mut *tx)
        .await?;
    let shared: Vec<&OrgData> = data
        .iter()
        .filter(|d| d.org.isolation == Isolation::Shared)
        .collect();
    let (e, r) = fill_space(&mut tx, APP_SCHEMA, &shared).await?;
    (events, rows) = (events + e, rows + r);
    for d in data
        .iter()
        .filter(|d| d.org.isolation == Isolation::DedicatedSchema)
    {
        let schema = schema_name(d.org.handle);
        sqlx::raw_sql(&space_ddl(&schema)).execute(&mut *tx).await?;
        let (e, r) = fill_space(&mut tx, &schema, &[d]).await?;
        (events, rows) = (events + e, rows + r);
    }
    tx.commit().await?;
    main.close().await?;

    for d in data
        .iter()
        .filter(|d| d.org.isolation == Isolation::DedicatedDb)
    {
        let mut conn = connect(targets, &database_name(d.org.handle)).await?;
        let mut tx = conn.begin().await?;
        sqlx::raw_sql(&format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            quote(APP_SCHEMA)
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::raw_sql(&space_ddl(APP_SCHEMA))
            .execute(&mut *tx)
            .await?;
        let (e, r) = fill_space(&mut tx, APP_SCHEMA, &[d]).await?;
        (events, rows) = (events + e, rows + r);
        tx.commit().await?;
        conn.close().await?;
    }
    Ok((events, rows))
}
