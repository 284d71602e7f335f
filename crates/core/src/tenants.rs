//! Tenants: the list the profile points at, and where each tenant's rows live (its tier).
//!
//! Every tenant-scoped store call starts from a [`Tenant`]: its id and slug fill the profile's
//! patterns (cache prefix, object prefix, schema or database name) and its [`TenantLocation`]
//! says which pool and schema hold its tables.

use serde::Serialize;
use sqlx::Row;

use crate::error::{Error, Result};
use crate::ident::{qualified, Ident};
use crate::profile::{fill_pattern, PatternVars, Profile, TenantsSpec, TierValues};
use crate::stores::postgres::{map_error, Postgres};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Row,
    Schema,
    Database,
}

impl Tier {
    /// Maps the tier column's value through the profile's `tier_values` (case-insensitive).
    fn parse(text: &str, words: &TierValues) -> Option<Self> {
        let text = text.trim();
        let is = |list: &[String]| list.iter().any(|w| w.eq_ignore_ascii_case(text));
        if is(&words.row) {
            Some(Self::Row)
        } else if is(&words.schema) {
            Some(Self::Schema)
        } else if is(&words.database) {
            Some(Self::Database)
        } else {
            None
        }
    }
}

/// Where a tenant's tables are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TenantLocation {
    /// Shared tables in `schema`, filtered by `tenant_column`.
    Row {
        schema: String,
        tenant_column: String,
    },
    /// The tenant's own schema in the main database.
    Schema { schema: String },
    /// The tenant's own database, on `host` (`host:port`) or on the main server when `None`.
    Database {
        host: Option<String>,
        database: String,
        schema: String,
    },
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub id: String,
    pub slug: String,
    pub name: Option<String>,
    pub tier: Tier,
    pub created_at: Option<String>,
    pub location: TenantLocation,
}

impl Tenant {
    pub fn vars(&self) -> PatternVars<'_> {
        PatternVars {
            tenant_id: Some(&self.id),
            tenant_slug: Some(&self.slug),
            id: None,
            entity_type: None,
        }
    }

    pub fn vars_with_id<'a>(&'a self, id: &'a str) -> PatternVars<'a> {
        PatternVars {
            id: Some(id),
            ..self.vars()
        }
    }
}

/// Search, sort and page for the tenant list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantQuery {
    /// Matched literally (no wildcards) against id, slug and name, case-insensitively.
    pub search: Option<String>,
    pub sort: Option<TenantSort>,
    /// 0-based page; pages hold `page_size` tenants (default 100, at most 1,000).
    pub page: Option<u32>,
    pub page_size: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TenantSort {
    #[default]
    Slug,
    Name,
    Tier,
    CreatedAt,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantPage {
    pub tenants: Vec<Tenant>,
    /// Tenants matching the search, over all pages.
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
}

/// Escapes `%`, `_` and `\` so user input matches literally in `ILIKE`.
pub fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The `select ... from tenants [left join shards]` part shared by list and lookup.
fn select_sql(spec: &TenantsSpec, profile: &Profile) -> String {
    let col = |c: &Ident| format!("t.{}", c.pg());
    let opt = |c: &Option<Ident>| {
        c.as_ref()
            .map_or("null".to_owned(), |c| format!("t.{}::text", c.pg()))
    };
    let shard = profile.tenants.tiers.database.as_ref().and_then(|d| {
        Some((
            d.shard_table.as_ref()?,
            d.shard_tenant_column.as_ref()?,
            d,
            &d.shard_schema,
        ))
    });
    let (shard_cols, shard_join) = match shard {
        Some((table, tenant_col, d, schema)) => (
            format!(
                "{} as shard_host, {} as shard_database",
                d.shard_host_column
                    .as_ref()
                    .map_or("null".to_owned(), |c| format!("s.{}::text", c.pg())),
                d.shard_database_column
                    .as_ref()
                    .map_or("null".to_owned(), |c| format!("s.{}::text", c.pg())),
            ),
            format!(
                " left join {} s on s.{}::text = t.{}::text",
                qualified(schema, table),
                tenant_col.pg(),
                spec.id_column.pg()
            ),
        ),
        None => (
            "null::text as shard_host, null::text as shard_database".to_owned(),
            String::new(),
        ),
    };
    format!(
        "select {}::text as id, {}::text as slug, {} as name, {} as tier, {} as created_at, {} from {} t{}",
        col(&spec.id_column),
        col(&spec.slug_column),
        opt(&spec.name_column),
        opt(&spec.tier_column),
        opt(&spec.created_at_column),
        shard_cols,
        qualified(&spec.schema, &spec.table),
        shard_join,
    )
}

fn search_sql(spec: &TenantsSpec) -> String {
    let mut parts = vec![
        format!("t.{}::text ilike $1", spec.id_column.pg()),
        format!("t.{}::text ilike $1", spec.slug_column.pg()),
    ];
    if let Some(name) = &spec.name_column {
        parts.push(format!("t.{}::text ilike $1", name.pg()));
    }
    format!("($1::text is null or {})", parts.join(" or "))
}

fn order_sql(spec: &TenantsSpec, sort: TenantSort) -> String {
    let column = match sort {
        TenantSort::Slug => Some(&spec.slug_column),
        TenantSort::Name => spec.name_column.as_ref(),
        TenantSort::Tier => spec.tier_column.as_ref(),
        TenantSort::CreatedAt => spec.created_at_column.as_ref(),
    }
    .unwrap_or(&spec.slug_column);
    // The slug breaks ties so pages are stable.
    format!("order by t.{}, t.{}", column.pg(), spec.slug_column.pg())
}

/// One page of tenants matching the query.
pub async fn list(pg: &Postgres, profile: &Profile, query: &TenantQuery) -> Result<TenantPage> {
    let spec = &profile.tenants;
    let page_size = query.page_size.unwrap_or(100).clamp(1, 1_000);
    let page = query.page.unwrap_or(0);
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(like_literal);
    let sql = format!(
        "{} where {} {} limit $2 offset $3",
        select_sql(spec, profile),
        search_sql(spec),
        order_sql(spec, query.sort.unwrap_or_default())
    );
    let rows = sqlx::query(&sql)
        .bind(&search)
        .bind(i64::from(page_size))
        .bind(i64::from(page) * i64::from(page_size))
        .fetch_all(pg.pool())
        .await
        .map_err(map_error)?;
    let count_sql = format!(
        "select count(*) from {} t where {}",
        qualified(&spec.schema, &spec.table),
        search_sql(spec)
    );
    let total: i64 = sqlx::query_scalar(&count_sql)
        .bind(&search)
        .fetch_one(pg.pool())
        .await
        .map_err(map_error)?;
    let tenants = rows
        .iter()
        .map(|r| tenant_from_row(r, profile))
        .collect::<Result<Vec<_>>>()?;
    Ok(TenantPage {
        tenants,
        total: u32::try_from(total).unwrap_or(u32::MAX),
        page,
        page_size,
    })
}

/// Every tenant (by slug), read a page of 1,000 at a time, at most `cap` of them; also the
/// total, so a caller can say when the cap cut the list.
pub async fn all(pg: &Postgres, profile: &Profile, cap: usize) -> Result<(Vec<Tenant>, u32)> {
    const PAGE: u32 = 1_000;
    let mut tenants = Vec::new();
    for page in 0.. {
        let query = TenantQuery {
            page: Some(page),
            page_size: Some(PAGE),
            ..Default::default()
        };
        let p = list(pg, profile, &query).await?;
        let got = p.tenants.len();
        tenants.extend(p.tenants);
        if got < PAGE as usize || tenants.len() >= p.total as usize || tenants.len() >= cap {
            tenants.truncate(cap);
            return Ok((tenants, p.total));
        }
    }
    unreachable!("the page loop returns")
}

/// A tenant by id or slug (exact). Unknown tenants are `not_found`, never an empty result.
pub async fn get(pg: &Postgres, profile: &Profile, id_or_slug: &str) -> Result<Tenant> {
    let spec = &profile.tenants;
    let sql = format!(
        "{} where t.{}::text = $1 or t.{}::text = $1 limit 2",
        select_sql(spec, profile),
        spec.id_column.pg(),
        spec.slug_column.pg()
    );
    let rows = sqlx::query(&sql)
        .bind(id_or_slug)
        .fetch_all(pg.pool())
        .await
        .map_err(map_error)?;
    match rows.as_slice() {
        [row] => tenant_from_row(row, profile),
        [] => Err(Error::NotFound(format!(
            "no tenant with id or slug {id_or_slug:?}"
        ))),
        _ => Err(Error::InvalidInput(format!(
            "{id_or_slug:?} names more than one tenant; use its id"
        ))),
    }
}

fn tenant_from_row(row: &sqlx::postgres::PgRow, profile: &Profile) -> Result<Tenant> {
    let get = |name: &str| -> Result<Option<String>> {
        row.try_get::<Option<String>, _>(name).map_err(map_error)
    };
    let id = get("id")?.unwrap_or_default();
    let slug = get("slug")?.unwrap_or_default();
    let tier_text = get("tier")?;
    let tier = match &tier_text {
        Some(t) => Tier::parse(t, &profile.tenants.tier_values).ok_or_else(|| {
            Error::Profile(format!(
                "tenant {slug}: tier value {t:?} is not in the profile's [tenants.tier_values]"
            ))
        })?,
        None => Tier::Row,
    };
    let mut tenant = Tenant {
        id,
        slug,
        name: get("name")?,
        tier,
        created_at: get("created_at")?,
        location: TenantLocation::Schema {
            schema: String::new(),
        },
    };
    tenant.location = locate(&tenant, profile, get("shard_host")?, get("shard_database")?)?;
    Ok(tenant)
}

/// Resolves where a tenant's tables live from its tier and the profile.
fn locate(
    t: &Tenant,
    profile: &Profile,
    shard_host: Option<String>,
    shard_db: Option<String>,
) -> Result<TenantLocation> {
    let tiers = &profile.tenants.tiers;
    let missing = |tier: &str| {
        Error::Profile(format!(
            "tenant {} is {tier}-tier but the profile has no [tenants.tiers.{tier}]",
            t.slug
        ))
    };
    match t.tier {
        Tier::Row => {
            let row = tiers.row.as_ref().ok_or_else(|| missing("row"))?;
            Ok(TenantLocation::Row {
                schema: row.schema.to_string(),
                tenant_column: row.tenant_column.to_string(),
            })
        }
        Tier::Schema => {
            let s = tiers.schema.as_ref().ok_or_else(|| missing("schema"))?;
            let schema = fill_pattern(&s.schema_pattern, &t.vars())?;
            Ident::parse(&schema)?;
            Ok(TenantLocation::Schema { schema })
        }
        Tier::Database => {
            let d = tiers.database.as_ref().ok_or_else(|| missing("database"))?;
            let database = match (shard_db, &d.database_pattern) {
                (Some(db), _) => db,
                (None, Some(pattern)) => fill_pattern(pattern, &t.vars())?,
                (None, None) => {
                    return Err(Error::Profile(format!(
                        "tenant {} has no shard row and the profile has no database_pattern",
                        t.slug
                    )))
                }
            };
            Ok(TenantLocation::Database {
                host: shard_host,
                database,
                schema: d.schema.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_like(input: &str, expect: &str) {
        assert_eq!(like_literal(input), expect);
    }

    #[test]
    fn search_input_matches_literally() {
        check_like("acme", "%acme%");
        check_like("100%", "%100\\%%");
        check_like("a_b", "%a\\_b%");
        check_like("x\\", "%x\\\\%");
        check_like("'; drop table tenants; --", "%'; drop table tenants; --%");
    }

    #[test]
    fn tier_values_come_from_the_profile() {
        let words = TierValues {
            row: vec!["shared".into()],
            schema: vec!["dedicated_schema".into()],
            database: vec!["dedicated_db".into()],
        };
        assert_eq!(Tier::parse("Shared", &words), Some(Tier::Row));
        assert_eq!(Tier::parse("dedicated_db", &words), Some(Tier::Database));
        assert_eq!(Tier::parse("row", &words), None);
        assert_eq!(
            Tier::parse("schema", &TierValues::default()),
            Some(Tier::Schema)
        );
    }

    #[test]
    fn sandbox_select_joins_the_shard_table() {
        let p = Profile::sandbox();
        let sql = select_sql(&p.tenants, &p);
        assert!(
            sql.contains("left join \"public\".\"tenant_shards\" s"),
            "{sql}"
        );
        assert!(sql.contains("from \"public\".\"tenants\" t"), "{sql}");
    }
}
