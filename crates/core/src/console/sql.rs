//! The SQL console. One statement, prepared (so a `;`-chained second statement is refused by
//! the server), inside a `READ ONLY` transaction that is always rolled back (so even a `SET`
//! does not outlive it), with the tenant's schema first on the `search_path` and the tenant's
//! id in the `storelens.tenant_id` setting (`current_setting('storelens.tenant_id')`).
//!
//! Queries (`select`, `with`, `values`, `table`) run through a cursor and are fetched in
//! PostgreSQL's text format, so every type shows as PostgreSQL prints it and only the rows kept
//! cross the wire. Other statements (`explain`, `show`) run directly.

use std::time::Duration;

use sqlx::postgres::{PgRow, PgValueFormat};
use sqlx::{Column, Executor, Row, ValueRef};

use super::Grid;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::stores::postgres::map_error;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

/// How long a console statement may run (the server cancels it, then the call gives up).
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);
const CURSOR: &str = "storelens_console";
/// Server functions with effects outside the transaction, refused before the server sees them.
const REFUSED_FUNCTIONS: &[&str] = &[
    "pg_terminate_backend",
    "pg_cancel_backend",
    "pg_reload_conf",
    "pg_rotate_logfile",
    "pg_promote",
    "pg_switch_wal",
    "pg_create_restore_point",
    "pg_logical_emit_message",
    "lo_import",
    "lo_export",
    "dblink",
    "dblink_exec",
    "pg_file_write",
    "pg_notify",
];

pub(super) async fn run(
    platform: &Platform,
    text: &str,
    tenant: Option<&Tenant>,
    cap: usize,
) -> Result<(Grid, String)> {
    let statement = text.trim().trim_end_matches(';').trim_end();
    if let Some(f) = refused_function(statement) {
        return Err(Error::ReadOnly(format!(
            "{f}() acts outside the transaction and is not allowed in the console"
        )));
    }
    let main = platform.postgres()?;
    let (pg, schema, tenant_id) = match tenant {
        Some(t) => {
            let space = platform.tenant_space(t)?;
            (space.postgres, Some(space.schema), Some(t.id.clone()))
        }
        None => (main.clone(), None, None),
    };
    let database = pg.database().unwrap_or("(default database)").to_owned();
    let scope = match &schema {
        Some(s) => format!("schema {s} of {database}"),
        None => format!("database {database}"),
    };
    let search_path = match &schema {
        Some(s) if s.as_str() != "public" => format!("{}, public", s.pg()),
        Some(s) => s.pg(),
        None => "public".to_owned(),
    };
    let grid = with_timeout(
        StoreKind::Postgres,
        STATEMENT_TIMEOUT + Duration::from_secs(2),
        async {
            let mut tx = pg.pool().begin().await.map_err(map_error)?;
            sqlx::query("set transaction read only")
                .execute(&mut *tx)
                .await
                .map_err(map_error)?;
            sqlx::query(
                "select set_config('search_path', $1, true), \
                 set_config('statement_timeout', $2, true), \
                 set_config('storelens.tenant_id', $3, true)",
            )
            .bind(&search_path)
            .bind(format!("{}ms", STATEMENT_TIMEOUT.as_millis()))
            .bind(tenant_id.as_deref().unwrap_or(""))
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
            let grid = if is_query(statement) {
                through_cursor(&mut tx, statement, cap).await
            } else {
                direct(&mut tx, statement, cap).await
            };
            // Always rolled back: nothing a statement did (a SET included) survives it.
            let _ = tx.rollback().await;
            grid
        },
    )
    .await?;
    Ok((grid, scope))
}

async fn through_cursor(tx: &mut sqlx::PgConnection, statement: &str, cap: usize) -> Result<Grid> {
    sqlx::query(&format!(
        "declare {CURSOR} no scroll cursor for {statement}"
    ))
    .execute(&mut *tx)
    .await
    .map_err(map_error)?;
    // One row past the cap tells "more" from "exactly the cap".
    let fetch = format!("fetch forward {} from {CURSOR}", cap + 1);
    // A bare `&str` runs over the simple protocol, which answers in text format: every type
    // as PostgreSQL prints it.
    let rows: Vec<PgRow> = Executor::fetch_all(&mut *tx, fetch.as_str())
        .await
        .map_err(map_error)?;
    let columns = match rows.first() {
        Some(r) => column_names(r),
        None => {
            let described = (&mut *tx).describe(statement).await.map_err(map_error)?;
            described
                .columns()
                .iter()
                .map(|c| c.name().to_owned())
                .collect()
        }
    };
    let mut grid = Grid::new(columns, cap);
    for row in &rows {
        if !grid.push(cells(row)?) {
            break;
        }
    }
    Ok(grid)
}

async fn direct(tx: &mut sqlx::PgConnection, statement: &str, cap: usize) -> Result<Grid> {
    // Only `explain`, `show` and the like come here: their answers are small. (A stream would
    // stop at the cap, but its future is not `Send` for every lifetime the shells need.)
    let rows = sqlx::query(statement)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_error)?;
    let mut grid = Grid::new(rows.first().map(column_names).unwrap_or_default(), cap);
    for row in &rows {
        if !grid.push(cells(row)?) {
            break;
        }
    }
    Ok(grid)
}

fn column_names(row: &PgRow) -> Vec<String> {
    row.columns().iter().map(|c| c.name().to_owned()).collect()
}

fn cells(row: &PgRow) -> Result<Vec<Option<String>>> {
    (0..row.columns().len())
        .map(|i| {
            let raw = row.try_get_raw(i).map_err(map_error)?;
            if raw.is_null() {
                return Ok(None);
            }
            Ok(Some(match raw.format() {
                PgValueFormat::Text => raw
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|_| "<not UTF-8>".to_owned()),
                PgValueFormat::Binary => binary_cell(row, i),
            }))
        })
        .collect()
}

/// A binary-format value (statements that ran without a cursor) by the types sqlx decodes.
fn binary_cell(row: &PgRow, i: usize) -> String {
    macro_rules! try_as {
        ($($t:ty),*) => {
            $(if let Ok(Some(v)) = row.try_get::<Option<$t>, _>(i) {
                return v.to_string();
            })*
        };
    }
    try_as!(String, i64, i32, i16, f64, f32, bool, uuid::Uuid);
    if let Ok(Some(v)) = row.try_get::<Option<serde_json::Value>, _>(i) {
        return v.to_string();
    }
    try_as!(
        chrono::DateTime<chrono::Utc>,
        chrono::NaiveDateTime,
        chrono::NaiveDate
    );
    format!("<{}>", row.columns()[i].type_info())
}

/// The statement's first keyword says whether it can run through a cursor.
fn is_query(statement: &str) -> bool {
    let word = first_word(statement).to_ascii_lowercase();
    matches!(word.as_str(), "select" | "with" | "values" | "table")
}

/// The first word after whitespace, comments and opening parentheses.
fn first_word(mut s: &str) -> &str {
    loop {
        let trimmed = s.trim_start().trim_start_matches('(');
        if let Some(rest) = trimmed.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = trimmed.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else if trimmed.len() != s.len() {
            s = trimmed;
        } else {
            break;
        }
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

fn refused_function(statement: &str) -> Option<&'static str> {
    let lower = statement.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    REFUSED_FUNCTIONS
        .iter()
        .find(|f| words.contains(f))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(statement: &str, query: bool) {
        assert_eq!(is_query(statement), query, "{statement}");
    }

    #[test]
    fn queries_are_told_from_other_statements() {
        check("select 1", true);
        check("  -- comment\n  SELECT * from atoms", true);
        check("/* x */ (select 1) union (select 2)", true);
        check("with x as (select 1) select * from x", true);
        check("VALUES (1)", true);
        check("table atoms", true);
        check("explain select 1", false);
        check("show search_path", false);
        check("insert into atoms default values", false);
        check("", false);
    }

    #[test]
    fn functions_with_outside_effects_are_named() {
        assert_eq!(
            refused_function("select pg_terminate_backend(pid) from pg_stat_activity"),
            Some("pg_terminate_backend")
        );
        assert_eq!(
            refused_function("SELECT PG_RELOAD_CONF()"),
            Some("pg_reload_conf")
        );
        assert_eq!(refused_function("select my_pg_notify_log from t"), None);
        assert_eq!(refused_function("select 1"), None);
    }
}
