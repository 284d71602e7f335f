//! Restoring the PostgreSQL part.
//! - Row tier (`copy_csv`): into a scratch schema whose tables are shaped like the live ones;
//!   live, in one transaction: the tenant's rows deleted and copied back in.
//! - Schema and database tiers (`pg_dump_directory`): `pg_restore` into a scratch database;
//!   live, each table emptied and refilled from that scratch database in one transaction.
//!
//! The event log is append-only: a live restore adds the backup's events that are missing and
//! keeps newer ones, and compares only the events up to the backup's position.

use futures::TryStreamExt;
use sqlx::PgConnection;
use tokio::io::AsyncReadExt;

use super::{then_clean, Destination, RestoreContext, Restored};
use crate::backup::manifest::{Measure, Part};
use crate::backup::postgres::{
    database_tables, literal, measure_database, measure_table, run_to_end, tables, tenant_filter,
    Table,
};
use crate::backup::row_hash::RowHash;
use crate::error::{Error, Result, StoreKind};
use crate::ident::{qualified, Ident};
use crate::stores::postgres::{map_error, Postgres};
use crate::tenant_space::TenantSpace;

const PG_RESTORE: &str = "pg_restore";
const CHUNK: usize = 1 << 20;

pub(super) async fn restore(
    cx: &RestoreContext<'_>,
    part: &Part,
    to: Destination,
) -> Result<Restored> {
    if cx.tenant.is_none() {
        return match (part.method.as_str(), to) {
            ("pg_dump_directory", Destination::Scratch) => database_to_scratch(cx, part).await,
            _ => Err(Error::InvalidInput(
                "a backup of a whole database is only restored into a scratch database".into(),
            )),
        };
    }
    let space = cx.platform.tenant_space(cx.tenant()?)?;
    let tables = tables(cx.platform);
    match (part.method.as_str(), to) {
        ("copy_csv", Destination::Scratch) => rows_to_scratch(cx, &space, &tables).await,
        ("copy_csv", Destination::Live) => rows_to_live(cx, &space, &tables).await,
        ("pg_dump_directory", to) => dump_restore(cx, &space, &tables, to).await,
        (other, _) => Err(Error::InvalidInput(format!(
            "a PostgreSQL part taken by {other:?} cannot be restored by this version"
        ))),
    }
}

/// The way the backup hashed `t`'s rows, so that the restore's hash can equal it.
fn hashed_as(cx: &RestoreContext<'_>, t: &Table) -> Option<RowHash> {
    RowHash::of_measure(postgres_measures(cx), &t.measure_name())
}

/// The manifest's measures of PostgreSQL.
fn postgres_measures<'c>(cx: &'c RestoreContext<'_>) -> impl Iterator<Item = &'c Measure> {
    cx.manifest
        .parts
        .iter()
        .filter(|p| p.store == StoreKind::Postgres)
        .flat_map(|p| &p.measures)
}

/// Row tier into a new schema of the same database, dropped afterwards.
async fn rows_to_scratch(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
) -> Result<Restored> {
    let schema = Ident::parse(&cx.scratch_name())?;
    let pool = space.postgres.pool();
    let work = fill_scratch_schema(cx, space, tables, &schema);
    let drop = drop_schema(pool, &schema);
    let (measures, note) = then_clean(work, drop).await?;
    Ok(Restored {
        target: format!("scratch schema {}", schema.as_str()),
        measures,
        notes: note.into_iter().collect(),
    })
}

/// Named async fns rather than async blocks: the futures must be `Send` for every lifetime
/// (rust#102211).
async fn fill_scratch_schema(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
    schema: &Ident,
) -> Result<Vec<Measure>> {
    let mut conn = space.postgres.pool().acquire().await.map_err(map_error)?;
    sqlx::query(&format!("create schema {}", schema.pg()))
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    let mut measures = Vec::new();
    for t in tables {
        let scratch = qualified(schema, &t.name);
        sqlx::query(&format!(
            "create table {scratch} (like {})",
            space.table(&t.name)
        ))
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
        (cx.progress)(format!("postgres: restoring {}", t.name.as_str()));
        copy_file_in(cx, &mut conn, t, &scratch).await?;
        measures.push(measure_table(&mut conn, t, &scratch, "", hashed_as(cx, t)).await?);
    }
    Ok(measures)
}

async fn drop_schema(pool: &sqlx::PgPool, schema: &Ident) -> Result<()> {
    sqlx::query(&format!("drop schema if exists {} cascade", schema.pg()))
        .execute(pool)
        .await
        .map(|_| ())
        .map_err(map_error)
}

/// Row tier over the live rows, in one transaction: a failure changes nothing.
async fn rows_to_live(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
) -> Result<Restored> {
    let filter = tenant_filter(space)?;
    let mut tx = begin_clearing(space, tables, &filter).await?;
    let mut notes = Vec::new();
    for t in tables {
        (cx.progress)(format!("postgres: restoring {}", t.name.as_str()));
        let live = space.table(&t.name);
        if t.events {
            let staging = create_staging(&mut tx, &live).await?;
            copy_file_in(cx, &mut tx, t, &staging).await?;
            notes.push(insert_missing_events(&mut tx, t, &live, &staging).await?);
        } else {
            copy_file_in(cx, &mut tx, t, &live).await?;
        }
    }
    tx.commit().await.map_err(map_error)?;
    let measures = measure_live(cx, space, tables, &filter).await?;
    Ok(Restored {
        target: format!("tenant {} (live rows)", cx.tenant()?.slug),
        measures,
        notes,
    })
}

/// Schema or database tier: `pg_restore` into a scratch database, measured there (scratch) or
/// copied table by table over the live tables (live); the scratch database is dropped after.
async fn dump_restore(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
    to: Destination,
) -> Result<Restored> {
    let main = cx.platform.postgres()?;
    let name = Ident::parse(&cx.scratch_name())?;
    let scratch = main.for_database(name.as_str(), None);
    let drop = drop_database(main, &scratch, &name);
    let work = restore_dump(cx, space, tables, to, main, &scratch, &name);
    let ((measures, mut notes), note) = then_clean(work, drop).await?;
    notes.extend(note);
    let target = match to {
        Destination::Scratch => format!("scratch database {}", name.as_str()),
        Destination::Live => format!("tenant {} (live tables)", cx.tenant()?.slug),
    };
    Ok(Restored {
        target,
        measures,
        notes,
    })
}

async fn restore_dump(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
    to: Destination,
    main: &Postgres,
    scratch: &Postgres,
    name: &Ident,
) -> Result<(Vec<Measure>, Vec<String>)> {
    pg_restore_into(cx, main, scratch, name).await?;
    let mut conn = scratch.pool().acquire().await.map_err(map_error)?;
    match to {
        Destination::Scratch => {
            let mut measures = Vec::new();
            for t in tables {
                let at = qualified(&space.schema, &t.name);
                measures.push(measure_table(&mut conn, t, &at, "", hashed_as(cx, t)).await?);
            }
            Ok((measures, Vec::new()))
        }
        Destination::Live => {
            let notes = refill_live(cx, space, tables, &mut conn).await?;
            Ok((measure_live(cx, space, tables, "").await?, notes))
        }
    }
}

/// A new database `name` (of `main`'s server, reached as `scratch`), filled by `pg_restore`
/// from the backup's dump.
async fn pg_restore_into(
    cx: &RestoreContext<'_>,
    main: &Postgres,
    scratch: &Postgres,
    name: &Ident,
) -> Result<()> {
    sqlx::query(&format!("create database {}", name.pg()))
        .execute(main.pool())
        .await
        .map_err(map_error)?;
    (cx.progress)(format!("postgres: {PG_RESTORE} into {}", name.as_str()));
    let mut cmd = scratch.client_command(PG_RESTORE);
    cmd.arg("--jobs=2")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--exit-on-error")
        .arg(cx.dir.join("postgres/dump"));
    run_to_end(cmd, cx.token).await
}

/// A whole database's dump restored into a scratch database, every table measured there (the
/// same listing the backup measured: a table it lacks fails as not measured), then dropped.
async fn database_to_scratch(cx: &RestoreContext<'_>, part: &Part) -> Result<Restored> {
    let main = cx.platform.postgres()?;
    let name = Ident::parse(&cx.scratch_name())?;
    let scratch = main.for_database(name.as_str(), None);
    let drop = drop_database(main, &scratch, &name);
    let work = measure_restored_database(cx, &part.measures, main, &scratch, &name);
    let (measures, note) = then_clean(work, drop).await?;
    Ok(Restored {
        target: format!("scratch database {}", name.as_str()),
        measures,
        notes: note.into_iter().collect(),
    })
}

async fn measure_restored_database(
    cx: &RestoreContext<'_>,
    backed_up: &[Measure],
    main: &Postgres,
    scratch: &Postgres,
    name: &Ident,
) -> Result<Vec<Measure>> {
    pg_restore_into(cx, main, scratch, name).await?;
    let mut conn = scratch.pool().acquire().await.map_err(map_error)?;
    let tables = database_tables(&mut conn).await?;
    (cx.progress)(format!("postgres: measuring {} tables", tables.len()));
    measure_database(&mut conn, &tables, backed_up).await
}

/// Every live table of the tenant's space emptied and filled from the scratch database.
async fn refill_live(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
    scratch: &mut PgConnection,
) -> Result<Vec<String>> {
    let mut tx = begin_clearing(space, tables, "").await?;
    let mut notes = Vec::new();
    for t in tables {
        (cx.progress)(format!("postgres: restoring {}", t.name.as_str()));
        let from = qualified(&space.schema, &t.name);
        let live = space.table(&t.name);
        let target = if t.events {
            create_staging(&mut tx, &live).await?
        } else {
            live.clone()
        };
        // Streamed from one connection into the other.
        let mut copy = tx
            .copy_in_raw(&format!(
                "copy {target} from stdin with (format csv, header)"
            ))
            .await
            .map_err(map_error)?;
        let mut source = scratch
            .copy_out_raw(&format!("copy {from} to stdout with (format csv, header)"))
            .await
            .map_err(map_error)?;
        while let Some(chunk) = source.try_next().await.map_err(map_error)? {
            copy.send(chunk).await.map_err(map_error)?;
        }
        drop(source);
        copy.finish().await.map_err(map_error)?;
        if t.events {
            notes.push(insert_missing_events(&mut tx, t, &live, &target).await?);
        }
    }
    tx.commit().await.map_err(map_error)?;
    Ok(notes)
}

/// A transaction (without a statement timeout: a restore is long) that has deleted the
/// tenant's rows (`filter`) from every table but the event log, rows referencing others first.
async fn begin_clearing(
    space: &TenantSpace,
    tables: &[Table],
    filter: &str,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = space.postgres.pool().begin().await.map_err(map_error)?;
    sqlx::query("set local statement_timeout = 0")
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
    for t in tables.iter().rev().filter(|t| !t.events) {
        sqlx::query(&format!("delete from {} t{filter}", space.table(&t.name)))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
    }
    Ok(tx)
}

/// A temporary table shaped like `live`, dropped at commit, for events to add.
async fn create_staging(conn: &mut PgConnection, live: &str) -> Result<String> {
    let staging = "storelens_restore_events";
    sqlx::query(&format!(
        "create temp table {staging} (like {live}) on commit drop"
    ))
    .execute(conn)
    .await
    .map_err(map_error)?;
    Ok(staging.into())
}

/// The staged events that the live log lacks, added (matched on the ordering column); newer
/// live events stay.
async fn insert_missing_events(
    conn: &mut PgConnection,
    t: &Table,
    live: &str,
    staging: &str,
) -> Result<String> {
    let o = t.order_by.pg();
    let added = sqlx::query(&format!(
        "insert into {live} overriding system value select s.* from {staging} s \
         where not exists (select 1 from {live} e where e.{o} = s.{o})"
    ))
    .execute(conn)
    .await
    .map_err(map_error)?
    .rows_affected();
    Ok(format!(
        "{}: {added} missing events added; events newer than the backup are kept (the log is append-only)",
        t.name.as_str()
    ))
}

/// The tenant's live tables measured; the event log only up to the backup's position.
async fn measure_live(
    cx: &RestoreContext<'_>,
    space: &TenantSpace,
    tables: &[Table],
    filter: &str,
) -> Result<Vec<Measure>> {
    let mut conn = space.postgres.pool().acquire().await.map_err(map_error)?;
    let mut measures = Vec::new();
    for t in tables {
        let mut condition = filter.to_owned();
        if let (true, Some(position)) = (t.events, &cx.manifest.event_position) {
            let joiner = if condition.is_empty() {
                " where"
            } else {
                " and"
            };
            condition.push_str(&format!(
                "{joiner} t.{}::text::numeric <= {}::numeric",
                t.order_by.pg(),
                literal(position)?
            ));
        }
        let live = space.table(&t.name);
        measures.push(measure_table(&mut conn, t, &live, &condition, hashed_as(cx, t)).await?);
    }
    Ok(measures)
}

/// The backup's `postgres/<table>.csv` into `target` by COPY, a chunk at a time.
async fn copy_file_in(
    cx: &RestoreContext<'_>,
    conn: &mut PgConnection,
    t: &Table,
    target: &str,
) -> Result<()> {
    let path = cx.dir.join(format!("postgres/{}.csv", t.name.as_str()));
    let mut file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| crate::backup::artifact::read_error(&path, &e))?;
    let mut copy = conn
        .copy_in_raw(&format!(
            "copy {target} from stdin with (format csv, header)"
        ))
        .await
        .map_err(map_error)?;
    let mut buf = vec![0; CHUNK];
    loop {
        let n = match file.read(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                let _ = copy.abort("the backup file could not be read").await;
                return Err(crate::backup::artifact::read_error(&path, &e));
            }
        };
        if n == 0 {
            break;
        }
        copy.send(&buf[..n]).await.map_err(map_error)?;
    }
    copy.finish().await.map_err(map_error)?;
    Ok(())
}

/// Closes the scratch pool and drops its database (forcing out anything still connected).
async fn drop_database(main: &Postgres, scratch: &Postgres, name: &Ident) -> Result<()> {
    scratch.pool().close().await;
    sqlx::query(&format!(
        "drop database if exists {} with (force)",
        name.pg()
    ))
    .execute(main.pool())
    .await
    .map(|_| ())
    .map_err(|e| Error::unavailable(StoreKind::Postgres, map_error(e)))
}
