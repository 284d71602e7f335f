//! The PostgreSQL part of a tenant backup, read in one snapshot (a `REPEATABLE READ READ ONLY`
//! transaction) together with the event log's position:
//! - row tier: the tenant's rows of every profile table and its events, each as CSV (COPY);
//! - schema and database tier: `pg_dump --format=directory --jobs=2` of the tenant's schema or
//!   database, on the same snapshot (`--snapshot`, exported by the transaction, which stays open
//!   until pg_dump is done).
//!
//! Each table's rows are counted and hashed in the snapshot (`row_hash`), so a restore can be
//! compared with what was backed up, not only with itself.

use std::path::Path;

use futures::TryStreamExt;
use sqlx::PgConnection;

use super::artifact::ArtifactWriter;
use super::manifest::{Measure, Part, Version};
use super::restore::SCRATCH_PREFIX;
use super::row_hash::{measure_rows, RowHash};
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::platform::Platform;
use crate::stores::postgres::map_error;
use crate::tenant_space::TenantSpace;
use crate::tenants::Tenant;
use tokio_util::sync::CancellationToken;

const STORE: StoreKind = StoreKind::Postgres;
pub const PG_DUMP: &str = "pg_dump";
const DUMP_JOBS: &str = "2";

/// A table of the tenant's space to back up, with the column its rows are ordered by.
pub(super) struct Table {
    pub name: Ident,
    pub order_by: Ident,
    /// The event log (append-only: a restore adds its missing rows, never deletes any).
    pub events: bool,
}

impl Table {
    /// The name of its measure in the manifest.
    pub fn measure_name(&self) -> String {
        format!("rows {}", self.name.as_str())
    }
}

/// `t`'s rows in `qualified` counted and hashed (`row_hash`); `how` as in `measure_rows`.
pub(super) async fn measure_table(
    conn: &mut PgConnection,
    t: &Table,
    qualified: &str,
    condition: &str,
    how: Option<RowHash>,
) -> Result<Measure> {
    measure_rows(conn, t.measure_name(), qualified, condition, how).await
}

pub(super) fn tables(platform: &Platform) -> Vec<Table> {
    let profile = &platform.profile;
    let mut out: Vec<Table> = profile
        .entities
        .iter()
        .map(|e| Table {
            name: e.table.clone(),
            order_by: e.id_column.clone(),
            events: false,
        })
        .collect();
    if let Some(events) = &profile.events {
        let order_by = events
            .sequence_column
            .clone()
            .or_else(|| events.id_column.clone())
            .unwrap_or_else(|| events.time_column.clone());
        out.push(Table {
            name: events.table.clone(),
            order_by,
            events: true,
        });
    }
    out
}

/// A SQL string literal (COPY takes no parameters); standard_conforming_strings is on in every
/// supported server, so doubling quotes is the whole escape. NUL cannot be in a literal.
pub(super) fn literal(value: &str) -> Result<String> {
    if value.contains('\0') {
        return Err(Error::InvalidInput("a value with a NUL byte".into()));
    }
    Ok(format!("'{}'", value.replace('\'', "''")))
}

/// `where` for the row tier (nothing for the others).
pub(super) fn tenant_filter(space: &TenantSpace) -> Result<String> {
    Ok(match &space.row_filter {
        Some((column, id)) => format!(" where t.{}::text = {}", column.pg(), literal(id)?),
        None => String::new(),
    })
}

pub async fn backup(
    platform: &Platform,
    tenant: &Tenant,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<(Part, Option<String>, Vec<Version>)> {
    let space = platform.tenant_space(tenant)?;
    let tables = tables(platform);
    let mut tx = begin_snapshot(&space.postgres).await?;
    let conn: &mut PgConnection = &mut tx;
    let position = event_position(conn, platform, &space).await?;
    let filter = tenant_filter(&space)?;
    let mut tools = Vec::new();
    let (method, artifacts, source, measures) = match space.row_filter {
        Some(_) => {
            let measures = measure_tables(&mut *conn, &tables, &space, &filter).await?;
            let mut artifacts = Vec::new();
            for t in &tables {
                super::stop_if_cancelled(token)?;
                progress(format!("postgres: copying {}", t.name.as_str()));
                let sql = format!(
                    "copy (select * from {table} t{filter} order by t.{o}) to stdout with (format csv, header)",
                    table = space.table(&t.name),
                    o = t.order_by.pg()
                );
                let rel = format!("postgres/{}.csv", t.name.as_str());
                let mut out = ArtifactWriter::create(root, &rel).await?;
                let mut stream = conn.copy_out_raw(&sql).await.map_err(map_error)?;
                while let Some(chunk) = stream.try_next().await.map_err(map_error)? {
                    out.write(&chunk).await?;
                }
                drop(stream);
                artifacts.push(out.finish().await?);
            }
            (
                "copy_csv",
                artifacts,
                format!(
                    "rows of tenant {} in schema {}",
                    tenant.slug,
                    space.schema.as_str()
                ),
                measures,
            )
        }
        None => {
            let snapshot: String = sqlx::query_scalar("select pg_export_snapshot()")
                .fetch_one(&mut *conn)
                .await
                .map_err(map_error)?;
            let whole_database = matches!(
                tenant.location,
                crate::tenants::TenantLocation::Database { .. }
            );
            let schema = (!whole_database).then(|| space.schema.as_str());
            // pg_dump reads the exported snapshot while this transaction counts and hashes.
            let ((artifacts, tool), measures) = tokio::try_join!(
                dump_directory(&space.postgres, &snapshot, schema, root, token, progress),
                measure_tables(&mut *conn, &tables, &space, ""),
            )?;
            tools.push(tool);
            let source = match space.postgres.database() {
                Some(db) if whole_database => format!("database {db}"),
                Some(db) => format!("schema {} of {db}", space.schema.as_str()),
                None => format!("schema {}", space.schema.as_str()),
            };
            ("pg_dump_directory", artifacts, source, measures)
        }
    };
    tx.rollback().await.map_err(map_error)?;
    Ok((
        Part {
            store: STORE,
            method: method.into(),
            artifacts,
            measures,
            source,
            elapsed_ms: 0, // set by the run
        },
        position,
        tools,
    ))
}

/// `pg_dump --format=directory --jobs=2` of `pg`'s database (or one schema of it) on an
/// exported snapshot, into `postgres/dump`; its files hashed.
async fn dump_directory(
    pg: &crate::stores::postgres::Postgres,
    snapshot: &str,
    schema: Option<&str>,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<(Vec<super::manifest::Artifact>, Version)> {
    progress("postgres: pg_dump".into());
    let mut cmd = pg.client_command(PG_DUMP);
    cmd.arg("--format=directory")
        .arg(format!("--jobs={DUMP_JOBS}"))
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(root.join("postgres/dump"));
    match schema {
        Some(schema) => cmd.arg("--schema").arg(schema),
        None => cmd.arg(format!("--exclude-schema={SCRATCH_PREFIX}*")),
    };
    let parent = root.join("postgres");
    tokio::fs::create_dir_all(&parent)
        .await
        .map_err(|e| super::artifact::write_error(&parent, &e))?;
    let (tool, ()) = tokio::try_join!(tool_version(PG_DUMP), run_to_end(cmd, token))?;
    let files = super::artifact::files_under(root, "postgres/dump").await?;
    Ok((super::artifact::hash_files(root, files).await?, tool))
}

/// The whole database of the connection: `pg_dump` in a snapshot that also fixes the event
/// log's position (the highest sequence of the events table in the database's search path),
/// while the same snapshot counts and hashes every table pg_dump writes the rows of.
pub async fn backup_database(
    platform: &Platform,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<(Part, Option<String>, Vec<Version>)> {
    let pg = platform.postgres()?;
    let mut tx = begin_snapshot(pg).await?;
    let conn: &mut PgConnection = &mut tx;
    let events = platform.profile.events.as_ref();
    let position = match events.and_then(|e| e.sequence_column.as_ref().map(|s| (e, s))) {
        Some((e, seq)) => sqlx::query_scalar(&format!(
            "select max({})::text from {}",
            seq.pg(),
            e.table.pg()
        ))
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)?,
        None => None,
    };
    let tables = database_tables(&mut *conn).await?;
    lock_tables(&mut *conn, &tables, platform.timeout).await?;
    let snapshot: String = sqlx::query_scalar("select pg_export_snapshot()")
        .fetch_one(&mut *conn)
        .await
        .map_err(map_error)?;
    let ((artifacts, tool), measures) = tokio::try_join!(
        dump_directory(pg, &snapshot, None, root, token, progress),
        measure_database(&mut *conn, &tables, &[]),
    )?;
    tx.rollback().await.map_err(map_error)?;
    Ok((
        Part {
            store: STORE,
            method: "pg_dump_directory".into(),
            artifacts,
            measures,
            source: format!("database {}", pg.database().unwrap_or("(default)")),
            elapsed_ms: 0, // set by the run
        },
        position,
        vec![tool],
    ))
}

/// A table of a whole database whose rows pg_dump writes, named as the server quotes it.
pub(super) struct DatabaseTable {
    /// `schema.table`, each quoted when it needs to be (`quote_ident`).
    pub qualified: String,
}

impl DatabaseTable {
    pub fn measure_name(&self) -> String {
        format!("rows {}", self.qualified)
    }
}

/// Every table with rows of its own in the database: ordinary tables (a partitioned table's
/// rows are in its partitions) outside the system schemas, Storelens's scratch schemas and
/// extensions.
pub(super) async fn database_tables(conn: &mut PgConnection) -> Result<Vec<DatabaseTable>> {
    let names: Vec<String> = sqlx::query_scalar(
        "select format('%I.%I', n.nspname, c.relname) from pg_class c \
         join pg_namespace n on n.oid = c.relnamespace \
         where c.relkind = 'r' and c.relpersistence <> 't' \
           and n.nspname <> 'information_schema' and n.nspname !~ '^pg_' \
           and not starts_with(n.nspname, $1) \
           and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass \
                           and d.objid = c.oid and d.deptype = 'e') \
         order by n.nspname, c.relname",
    )
    .bind(SCRATCH_PREFIX)
    .fetch_all(conn)
    .await
    .map_err(map_error)?;
    Ok(names
        .into_iter()
        .map(|qualified| DatabaseTable { qualified })
        .collect())
}

/// ACCESS SHARE on every table (what pg_dump takes too), so that none is dropped or altered
/// while it is read; waiting at most `timeout` for a session that holds a stronger lock.
async fn lock_tables(
    conn: &mut PgConnection,
    tables: &[DatabaseTable],
    timeout: std::time::Duration,
) -> Result<()> {
    if tables.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!("set local lock_timeout = {}", timeout.as_millis()))
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    let list: Vec<&str> = tables.iter().map(|t| t.qualified.as_str()).collect();
    sqlx::query(&format!(
        "lock table {} in access share mode",
        list.join(", ")
    ))
    .execute(&mut *conn)
    .await
    .map_err(map_error)?;
    sqlx::query("set local lock_timeout to default")
        .execute(&mut *conn)
        .await
        .map_err(map_error)?;
    Ok(())
}

/// Every table counted and hashed, each the way its measure in `backed_up` was hashed (none
/// when taking the backup: the best way there is).
pub(super) async fn measure_database(
    conn: &mut PgConnection,
    tables: &[DatabaseTable],
    backed_up: &[Measure],
) -> Result<Vec<Measure>> {
    let mut measures = Vec::new();
    for t in tables {
        let name = t.measure_name();
        let how = RowHash::of_measure(backed_up, &name);
        measures.push(measure_rows(&mut *conn, name, &t.qualified, "", how).await?);
    }
    Ok(measures)
}

async fn measure_tables(
    conn: &mut PgConnection,
    tables: &[Table],
    space: &TenantSpace,
    filter: &str,
) -> Result<Vec<Measure>> {
    let mut measures = Vec::new();
    for t in tables {
        measures.push(measure_table(&mut *conn, t, &space.table(&t.name), filter, None).await?);
    }
    Ok(measures)
}

/// A `REPEATABLE READ READ ONLY` transaction without a statement timeout: one snapshot for
/// every read of a backup (and for pg_dump, which imports it).
async fn begin_snapshot(
    pg: &crate::stores::postgres::Postgres,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = pg.pool().begin().await.map_err(map_error)?;
    for statement in [
        "set transaction isolation level repeatable read, read only",
        "set local statement_timeout = 0",
    ] {
        sqlx::query(statement)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
    }
    Ok(tx)
}

/// The highest sequence of the tenant's events in this snapshot (`None` without a sequence).
async fn event_position(
    conn: &mut PgConnection,
    platform: &Platform,
    space: &TenantSpace,
) -> Result<Option<String>> {
    let Some(events) = &platform.profile.events else {
        return Ok(None);
    };
    let Some(sequence) = &events.sequence_column else {
        return Ok(None);
    };
    let sql = format!(
        "select max(t.{s})::text from {table} t{filter}",
        s = sequence.pg(),
        table = space.table(&events.table),
        filter = tenant_filter(space)?,
    );
    sqlx::query_scalar(&sql)
        .fetch_one(conn)
        .await
        .map_err(map_error)
}

/// `pg_dump --version`: the tool must be there before anything is written.
pub(super) async fn tool_version(program: &str) -> Result<Version> {
    let out = tokio::process::Command::new(program)
        .arg("--version")
        .output()
        .await
        .map_err(|e| {
            Error::Config(format!(
                "{program} cannot be run ({e}); install the PostgreSQL client tools"
            ))
        })?;
    Ok(Version {
        name: program.into(),
        version: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
    })
}

/// Runs a client tool to its end; cancelling kills it. Its stderr becomes the error.
pub(super) async fn run_to_end(
    mut cmd: tokio::process::Command,
    token: &CancellationToken,
) -> Result<()> {
    let program = cmd.as_std().get_program().to_string_lossy().into_owned();
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = cmd
        .spawn()
        .map_err(|e| Error::Config(format!("{program} cannot be run: {e}")))?;
    let out = tokio::select! {
        out = child.wait_with_output() => out.map_err(|e| Error::unavailable(STORE, e))?,
        () = token.cancelled() => return Err(Error::Cancelled),
    };
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(Error::unavailable(
            STORE,
            format!("{program} failed ({}): {}", out.status, stderr.trim()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_quotes_and_refuse_nul() {
        assert_eq!(literal("a'b").expect("ok"), "'a''b'");
        assert_eq!(literal("x').copy; --").expect("ok"), "'x'').copy; --'");
        assert!(literal("a\0b").is_err());
    }
}
