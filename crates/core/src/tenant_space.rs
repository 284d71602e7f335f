//! A tenant's PostgreSQL space: the pool, schema and (row tier) tenant filter that every
//! tenant-scoped query uses. Database-tier tenants get their own pool, opened on first use and
//! kept per database; the pool closes its connections when idle (`idle_timeout`,
//! `min_connections = 0`), so a thousand tenants browsed once hold no connections.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::ident::{qualified, Ident};
use crate::stores::postgres::Postgres;
use crate::tenants::{Tenant, TenantLocation};

/// Where to run a tenant's queries.
#[derive(Debug, Clone)]
pub struct TenantSpace {
    pub postgres: Postgres,
    pub schema: Ident,
    /// Row tier: the tenant column and the tenant's id, to add to every `where`.
    pub row_filter: Option<(Ident, String)>,
}

impl TenantSpace {
    /// `"schema"."table"`.
    pub fn table(&self, table: &Ident) -> String {
        qualified(&self.schema, table)
    }

    /// `and "tenant_id"::text = $n` for the row tier (the caller binds the tenant id as `$n`),
    /// nothing for the other tiers.
    pub fn and_tenant(&self, alias: &str, param: usize) -> String {
        match &self.row_filter {
            Some((column, _)) => format!(" and {alias}{}::text = ${param}", column.pg()),
            None => String::new(),
        }
    }
}

/// Pools of database-tier tenants, by `host/database`. The lock is held only to look up or
/// insert a handle, never across a query.
#[derive(Debug, Default)]
pub struct TenantPools(Mutex<HashMap<String, Postgres>>);

impl TenantPools {
    pub fn space(&self, main: &Postgres, tenant: &Tenant) -> Result<TenantSpace> {
        match &tenant.location {
            TenantLocation::Row {
                schema,
                tenant_column,
            } => Ok(TenantSpace {
                postgres: main.clone(),
                schema: Ident::parse(schema)?,
                row_filter: Some((Ident::parse(tenant_column)?, tenant.id.clone())),
            }),
            TenantLocation::Schema { schema } => Ok(TenantSpace {
                postgres: main.clone(),
                schema: Ident::parse(schema)?,
                row_filter: None,
            }),
            TenantLocation::Database {
                host,
                database,
                schema,
            } => {
                let host_port = host.as_deref().map(parse_host).transpose()?;
                let key = format!("{}/{database}", host.as_deref().unwrap_or(""));
                let mut pools = self
                    .0
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let pg = pools
                    .entry(key)
                    .or_insert_with(|| {
                        main.for_database(
                            database,
                            host_port.as_ref().map(|(h, p)| (h.as_str(), *p)),
                        )
                    })
                    .clone();
                Ok(TenantSpace {
                    postgres: pg,
                    schema: Ident::parse(schema)?,
                    row_filter: None,
                })
            }
        }
    }
}

/// `host:port`, `host` (port 5432) or `[v6]:port` from a shard table.
fn parse_host(text: &str) -> Result<(String, u16)> {
    let bad = || Error::InvalidInput(format!("shard host {text:?} is not host[:port]"));
    let (host, port) = match text.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') => (
            h.trim_start_matches('[').trim_end_matches(']'),
            p.parse().map_err(|_| bad())?,
        ),
        _ => (text, 5432),
    };
    if host.is_empty() || host.contains(['/', ' ', '@']) {
        return Err(bad());
    }
    Ok((host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<(&str, u16)>) {
        let got = parse_host(input).ok();
        assert_eq!(
            got.as_ref().map(|(h, p)| (h.as_str(), *p)),
            expect,
            "{input}"
        );
    }

    #[test]
    fn parses_shard_hosts() {
        check("127.0.0.1:54320", Some(("127.0.0.1", 54320)));
        check("db.internal", Some(("db.internal", 5432)));
        check("[::1]:5433", Some(("::1", 5433)));
        check("host:notaport", None);
        check("", None);
        check("user@host:5432", None);
    }
}
