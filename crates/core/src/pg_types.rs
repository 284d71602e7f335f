//! PostgreSQL column types as Storelens compares with them: a user's value is bound as text and
//! cast to the column's type in SQL (`= $1::uuid`), so the column's index stays usable and a
//! value that cannot be of that type is refused before any query. Also the catalog lookup of a
//! table's columns, which is how a column name typed by a user is checked.

use sqlx::Row;

use crate::error::{Error, Result};
use crate::ident::Ident;
use crate::stores::postgres::map_error;
use crate::tenant_space::TenantSpace;

/// How a value is compared with a column, by the column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cast {
    Uuid,
    Int,
    Numeric,
    Timestamp,
    Text,
    /// Any other type: compared as text (correct for equality, but without the column's index).
    Other,
}

impl Cast {
    pub(crate) fn of(type_name: &str) -> Self {
        match type_name {
            "uuid" => Self::Uuid,
            "bigint" | "integer" | "smallint" => Self::Int,
            "numeric" | "real" | "double precision" => Self::Numeric,
            "timestamp with time zone" | "timestamp without time zone" | "date" => Self::Timestamp,
            "text" | "character varying" | "name" | "citext" | "character" => Self::Text,
            _ => Self::Other,
        }
    }

    /// The value in the form the cast accepts, or `None` when the column cannot hold it.
    pub(crate) fn normalize(self, value: &str) -> Option<String> {
        let trimmed = value.trim();
        match self {
            Self::Uuid => uuid::Uuid::parse_str(trimmed)
                .ok()
                .map(|u| u.hyphenated().to_string()),
            Self::Int => trimmed.parse::<i64>().ok().map(|n| n.to_string()),
            Self::Numeric => trimmed
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|_| trimmed.to_owned()),
            Self::Timestamp => is_timestamp(trimmed).then(|| trimmed.to_owned()),
            Self::Text | Self::Other => Some(value.to_owned()),
        }
    }

    /// What a value of this cast looks like, for an error message.
    pub(crate) fn expects(self) -> &'static str {
        match self {
            Self::Uuid => "a UUID",
            Self::Int => "an integer",
            Self::Numeric => "a number",
            Self::Timestamp => "a time (RFC 3339, e.g. 2026-11-30T14:30:00Z, or a date)",
            Self::Text | Self::Other => "text",
        }
    }

    /// The SQL type the bound text is cast to.
    fn sql_type(self) -> &'static str {
        match self {
            Self::Uuid => "uuid",
            Self::Int => "bigint",
            Self::Numeric => "numeric",
            Self::Timestamp => "timestamptz",
            Self::Text | Self::Other => "text",
        }
    }

    /// The expression to compare and order by: the column itself, or its text for `Other`.
    pub(crate) fn operand(self, column: &str) -> String {
        match self {
            Self::Other => format!("{column}::text"),
            _ => column.to_owned(),
        }
    }

    pub(crate) fn eq(self, column: &str, param: usize) -> String {
        self.cmp(column, "=", param)
    }

    /// `column <op> $param::type`; `op` is one of `=`, `<`, `>`, `<=`, `>=`.
    pub(crate) fn cmp(self, column: &str, op: &str, param: usize) -> String {
        format!(
            "{} {op} ${param}::{}",
            self.operand(column),
            self.sql_type()
        )
    }

    pub(crate) fn any(self, column: &str, param: usize) -> String {
        match self {
            Self::Text | Self::Other => {
                format!("{} = any(${param}::text[])", self.operand(column))
            }
            _ => format!("{column} = any(${param}::text[]::{}[])", self.sql_type()),
        }
    }
}

/// RFC 3339, `YYYY-MM-DD HH:MM:SS[.f]` or a plain date.
fn is_timestamp(text: &str) -> bool {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    DateTime::parse_from_rfc3339(text).is_ok()
        || NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").is_ok()
        || NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// A column of a table, in table order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableColumn {
    pub name: String,
    /// `format_type` of the column, e.g. `uuid`, `jsonb`, `timestamp with time zone`.
    pub type_name: String,
}

impl TableColumn {
    pub(crate) fn cast(&self) -> Cast {
        Cast::of(&self.type_name)
    }
}

/// The columns of `table` in the space's schema, in table order; `NotFound` without the table.
pub(crate) async fn table_columns(space: &TenantSpace, table: &Ident) -> Result<Vec<TableColumn>> {
    let rows = sqlx::query(
        "select a.attname::text as col, format_type(a.atttypid, null) as ty \
         from pg_catalog.pg_attribute a \
         join pg_catalog.pg_class c on c.oid = a.attrelid \
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace \
         where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f') \
         and a.attnum > 0 and not a.attisdropped order by a.attnum",
    )
    .bind(space.schema.as_str())
    .bind(table.as_str())
    .fetch_all(space.postgres.pool())
    .await
    .map_err(map_error)?;
    if rows.is_empty() {
        return Err(Error::NotFound(format!(
            "table {} does not exist",
            space.table(table)
        )));
    }
    rows.iter()
        .map(|r| {
            Ok(TableColumn {
                name: r.try_get("col").map_err(map_error)?,
                type_name: r.try_get("ty").map_err(map_error)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(type_name: &str, value: &str, expect: Option<&str>) {
        assert_eq!(
            Cast::of(type_name).normalize(value).as_deref(),
            expect,
            "{type_name} {value:?}"
        );
    }

    #[test]
    fn values_only_reach_columns_that_can_hold_them() {
        check(
            "uuid",
            "1CA2EAC8-DF65-446C-A4C2-D8E14D9C8944",
            Some("1ca2eac8-df65-446c-a4c2-d8e14d9c8944"),
        );
        check("uuid", "' or 1=1 --", None);
        check("uuid", "*", None);
        check("bigint", "42", Some("42"));
        check("integer", " 7 ", Some("7"));
        check("integer", "42; drop table x", None);
        check("text", "' or 1=1 --", Some("' or 1=1 --"));
        check("jsonb", "x", Some("x"));
        check("numeric", "1.5", Some("1.5"));
        check("numeric", "1.5); --", None);
        check(
            "timestamp with time zone",
            "2026-11-30T14:30:00Z",
            Some("2026-11-30T14:30:00Z"),
        );
        check("date", "2026-11-30", Some("2026-11-30"));
        check("timestamp with time zone", "yesterday", None);
        assert_eq!(Cast::of("uuid").eq("t.\"id\"", 1), "t.\"id\" = $1::uuid");
        assert_eq!(
            Cast::of("jsonb").any("e.\"x\"", 2),
            "e.\"x\"::text = any($2::text[])"
        );
        assert_eq!(
            Cast::of("uuid").any("e.\"x\"", 2),
            "e.\"x\" = any($2::text[]::uuid[])"
        );
        assert_eq!(
            Cast::of("timestamp with time zone").cmp("t.\"at\"", ">", 3),
            "t.\"at\" > $3::timestamptz"
        );
        assert_eq!(Cast::of("jsonb").cmp("c", "<", 1), "c::text < $1::text");
    }
}
