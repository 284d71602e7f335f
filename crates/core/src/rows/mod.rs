//! A tenant's entity tables, page by page: keyset pagination in id order (`where id > $last`,
//! so page 1,000 costs what page 1 does), column filters, and every cell as PostgreSQL's own
//! text for it (JSON stays JSON text; 64-bit numbers stay exact). Exports reuse the same pages
//! (see [`export`]).
//!
//! The table comes from the profile (an entity type), columns are checked against the catalog
//! before they reach a query, values are bound parameters cast to the column's type, and a
//! row-tier tenant's tenant column is always part of the `where`.

pub mod export;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::pg_types::{table_columns, TableColumn};
use crate::platform::Platform;
use crate::profile::EntitySpec;
use crate::stores::postgres::map_error;
use crate::stores::with_timeout;
use crate::tasks::cut_chars;
use crate::tenant_space::TenantSpace;
use crate::tenants::like_literal;

/// Rows per page when the caller does not say.
pub const DEFAULT_PAGE_ROWS: u32 = 100;
pub const MAX_PAGE_ROWS: u32 = 1_000;
/// Characters of a cell sent to a page; longer values are cut and listed in `truncated`.
/// (Exports always carry whole values.)
pub const MAX_CELL_CHARS: u32 = 4_096;
/// Filters per query.
pub const MAX_FILTERS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    /// Equal, compared as the column's type.
    Equals,
    /// Case-insensitive substring of the column's text; `%` and `_` match literally.
    Contains,
    Greater,
    Less,
    IsNull,
    NotNull,
}

impl FilterOp {
    fn needs_value(self) -> bool {
        !matches!(self, Self::IsNull | Self::NotNull)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ColumnFilter {
    pub column: String,
    pub op: FilterOp,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RowQuery {
    /// The profile's entity type (`atom`), which names the table.
    pub entity: String,
    #[serde(default)]
    pub filters: Vec<ColumnFilter>,
    /// Keyset cursor: the id of the last row of the previous page (`nextAfter` of that page).
    pub after: Option<String>,
    /// Newest ids first.
    #[serde(default)]
    pub descending: bool,
    /// Rows per page (default 100, at most 1,000).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RowColumn {
    pub name: String,
    /// PostgreSQL's name of the type (`uuid`, `jsonb`, `timestamp with time zone`, ...).
    pub type_name: String,
    /// The cells are JSON text (json/jsonb).
    pub json: bool,
    /// The entity's id column (the keyset order).
    pub id: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RowPage {
    pub entity: String,
    /// `"schema"."table"` as queried (and the database, for a database-tier tenant).
    pub table: String,
    pub columns: Vec<RowColumn>,
    /// One array per row, one cell per column, as PostgreSQL's text; `null` for SQL NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// `[row, column]` of each cell cut at [`MAX_CELL_CHARS`].
    pub truncated: Vec<[u32; 2]>,
    /// The cursor for the next page; `None` on the last page.
    pub next_after: Option<String>,
}

/// A query checked against the profile and the catalog, ready to run page after page.
pub(crate) struct PreparedRows {
    space: TenantSpace,
    entity: EntitySpec,
    columns: Vec<TableColumn>,
    id: TableColumn,
    descending: bool,
    /// `where` conditions after the keyset one, with their binds in order.
    conditions: Vec<String>,
    binds: Vec<String>,
}

impl PreparedRows {
    pub(crate) async fn new(
        platform: &Platform,
        space: TenantSpace,
        query: &RowQuery,
    ) -> Result<Self> {
        let entity = platform
            .profile
            .entity(&query.entity)
            .cloned()
            .ok_or_else(|| {
                let known: Vec<&str> = platform
                    .profile
                    .entities
                    .iter()
                    .map(|e| e.entity_type.as_str())
                    .collect();
                Error::InvalidInput(format!(
                    "no entity type {:?} in the profile (it has: {})",
                    query.entity,
                    known.join(", ")
                ))
            })?;
        if query.filters.len() > MAX_FILTERS {
            return Err(Error::InvalidInput(format!(
                "at most {MAX_FILTERS} filters at once"
            )));
        }
        let columns = with_timeout(
            StoreKind::Postgres,
            platform.timeout,
            table_columns(&space, &entity.table),
        )
        .await?;
        let id = find_column(&columns, entity.id_column.as_str(), &space, &entity)?.clone();
        let mut prepared = Self {
            space,
            entity,
            columns,
            id,
            descending: query.descending,
            conditions: Vec::new(),
            binds: Vec::new(),
        };
        if let Some((column, tenant_id)) = prepared.space.row_filter.clone() {
            let n = prepared.bind(tenant_id);
            prepared
                .conditions
                .push(format!("t.{}::text = ${n}", column.pg()));
        }
        for filter in &query.filters {
            prepared.add_filter(filter)?;
        }
        Ok(prepared)
    }

    fn bind(&mut self, value: String) -> usize {
        self.binds.push(value);
        // $1 is always the keyset cursor (bound even on the first page, as null).
        self.binds.len() + 1
    }

    fn add_filter(&mut self, filter: &ColumnFilter) -> Result<()> {
        let column = find_column(&self.columns, &filter.column, &self.space, &self.entity)?.clone();
        let sql_name = format!("t.{}", Ident::parse(&column.name)?.pg());
        let cast = column.cast();
        let value = match (filter.op.needs_value(), filter.value.as_deref()) {
            (true, Some(v)) => Some(v),
            (true, None) => {
                return Err(Error::InvalidInput(format!(
                    "filter on {:?} needs a value",
                    column.name
                )))
            }
            (false, _) => None,
        };
        let typed = |value: &str| {
            cast.normalize(value).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{:?} is not {} (column {:?} is {})",
                    value,
                    cast.expects(),
                    column.name,
                    column.type_name
                ))
            })
        };
        let condition = match (filter.op, value) {
            (FilterOp::Equals, Some(v)) => {
                let n = self.bind(typed(v)?);
                cast.eq(&sql_name, n)
            }
            (FilterOp::Greater, Some(v)) => {
                let n = self.bind(typed(v)?);
                cast.cmp(&sql_name, ">", n)
            }
            (FilterOp::Less, Some(v)) => {
                let n = self.bind(typed(v)?);
                cast.cmp(&sql_name, "<", n)
            }
            (FilterOp::Contains, Some(v)) => {
                let n = self.bind(like_literal(v));
                format!("{sql_name}::text ilike ${n}")
            }
            (FilterOp::IsNull, _) => format!("{sql_name} is null"),
            (FilterOp::NotNull, _) => format!("{sql_name} is not null"),
            (_, None) => unreachable!("value presence checked above"),
        };
        self.conditions.push(condition);
        Ok(())
    }

    /// `"db"."schema"."table"` for messages and pages.
    pub(crate) fn table_label(&self) -> String {
        self.space.table(&self.entity.table)
    }

    pub(crate) fn columns(&self) -> Vec<RowColumn> {
        self.columns
            .iter()
            .map(|c| RowColumn {
                name: c.name.clone(),
                type_name: c.type_name.clone(),
                json: matches!(c.type_name.as_str(), "json" | "jsonb"),
                id: c.name == self.id.name,
            })
            .collect()
    }

    /// The SQL of one page: the id (as text, the next cursor) then every column as text, cut at
    /// `cell_chars + 1` characters when given so a cut can be told from a fit.
    fn sql(&self, limit: u32, cell_chars: Option<u32>) -> Result<String> {
        let mut select = Vec::with_capacity(self.columns.len() + 1);
        let id_sql = format!("t.{}", Ident::parse(&self.id.name)?.pg());
        select.push(format!("{id_sql}::text as \"__cursor\""));
        for c in &self.columns {
            let name = format!("t.{}::text", Ident::parse(&c.name)?.pg());
            select.push(match cell_chars {
                Some(n) => format!("left({name}, {})", n + 1),
                None => name,
            });
        }
        let cast = self.id.cast();
        let (op, order) = if self.descending {
            ("<", "desc")
        } else {
            (">", "asc")
        };
        let keyset = format!("($1::text is null or {})", cast.cmp(&id_sql, op, 1));
        let mut conditions = vec![keyset];
        conditions.extend(self.conditions.iter().cloned());
        Ok(format!(
            "select {} from {} t where {} order by {} {order} limit {}",
            select.join(", "),
            self.space.table(&self.entity.table),
            conditions.join(" and "),
            cast.operand(&id_sql),
            limit + 1
        ))
    }

    /// One page after `after`. Returns the rows (cut when `cell_chars` is given), the cut cells,
    /// and the cursor of the next page.
    pub(crate) async fn page(
        &self,
        after: Option<&str>,
        limit: u32,
        cell_chars: Option<u32>,
    ) -> Result<(Vec<Vec<Option<String>>>, Vec<[u32; 2]>, Option<String>)> {
        let after = match after {
            Some(a) => Some(self.id.cast().normalize(a).ok_or_else(|| {
                Error::InvalidInput(format!("cursor {a:?} is not an id of this table"))
            })?),
            None => None,
        };
        let sql = self.sql(limit, cell_chars)?;
        let mut q = sqlx::query(&sql).bind(after);
        for b in &self.binds {
            q = q.bind(b);
        }
        let fetched = q
            .fetch_all(self.space.postgres.pool())
            .await
            .map_err(map_error)?;
        let more = fetched.len() > limit as usize;
        let mut rows = Vec::with_capacity(fetched.len().min(limit as usize));
        let mut truncated = Vec::new();
        let mut last = None;
        for (r, row) in fetched.iter().take(limit as usize).enumerate() {
            last = row.try_get::<Option<String>, _>(0).map_err(map_error)?;
            let mut cells = Vec::with_capacity(self.columns.len());
            for c in 0..self.columns.len() {
                let mut cell: Option<String> = row.try_get(c + 1).map_err(map_error)?;
                if let (Some(text), Some(max)) = (cell.as_mut(), cell_chars) {
                    if cut_chars(text, max as usize) {
                        truncated.push([r as u32, c as u32]);
                    }
                }
                cells.push(cell);
            }
            rows.push(cells);
        }
        Ok((rows, truncated, if more { last } else { None }))
    }
}

fn find_column<'a>(
    columns: &'a [TableColumn],
    name: &str,
    space: &TenantSpace,
    entity: &EntitySpec,
) -> Result<&'a TableColumn> {
    columns.iter().find(|c| c.name == name).ok_or_else(|| {
        Error::InvalidInput(format!(
            "table {} has no column {name:?}",
            space.table(&entity.table)
        ))
    })
}

/// One page of a tenant's entity table.
pub async fn page(platform: &Platform, space: TenantSpace, query: &RowQuery) -> Result<RowPage> {
    let limit = query
        .limit
        .unwrap_or(DEFAULT_PAGE_ROWS)
        .clamp(1, MAX_PAGE_ROWS);
    let prepared = PreparedRows::new(platform, space, query).await?;
    let (rows, truncated, next_after) = with_timeout(
        StoreKind::Postgres,
        platform.timeout,
        prepared.page(query.after.as_deref(), limit, Some(MAX_CELL_CHARS)),
    )
    .await?;
    Ok(RowPage {
        entity: prepared.entity.entity_type.clone(),
        table: prepared.table_label(),
        columns: prepared.columns(),
        rows,
        truncated,
        next_after,
    })
}
