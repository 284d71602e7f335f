//! The PostgreSQL part of a lookup: rows and events of an id in each tenant space.
//!
//! Row-tier tenants share tables, so one query per table group covers all of them (the tenant
//! column comes back with the row); each schema- or database-tier tenant is one space. Per
//! space, a catalog query first learns the types of the id, tenant and aggregate columns, so
//! the id is compared as its column's type (`= $1::uuid`, keeping the primary key index
//! usable) and a needle that cannot be of that type skips the table without a query.

use std::collections::{BTreeMap, HashMap};

use futures::stream::{self, StreamExt};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{Postgres as Pg, Row};

use super::{EventRef, Report, Scope, MAX_ISOLATED_SPACES, MAX_MATCHES, RECENT_EVENTS};
use crate::error::{Result, StoreKind};
use crate::ident::Ident;
use crate::pg_types::Cast;
use crate::platform::Platform;
use crate::profile::Profile;
use crate::stores::postgres::map_error;
use crate::stores::with_timeout;
use crate::tenant_space::TenantSpace;
use crate::tenants::{Tenant, TenantLocation};

/// Spaces queried at once (the machine and the pool are shared with the rest of the app).
const CONCURRENT_SPACES: usize = 4;

pub(super) struct RowFound {
    pub tenant_id: Option<String>,
    pub entity: usize,
    pub id: String,
    pub table: String,
    pub row: serde_json::Value,
}

pub(super) struct EventsFound {
    pub tenant_id: Option<String>,
    pub entity: usize,
    pub id: String,
    pub total: u32,
    pub recent: Vec<EventRef>,
}

/// Parameters of a query built at run time, bound in order.
#[derive(Default)]
struct Binds(Vec<Bind>);

enum Bind {
    One(String),
    Many(Vec<String>),
}

impl Binds {
    fn one(&mut self, value: String) -> usize {
        self.0.push(Bind::One(value));
        self.0.len()
    }

    fn many(&mut self, values: Vec<String>) -> usize {
        self.0.push(Bind::Many(values));
        self.0.len()
    }

    fn apply<'q>(&'q self, mut q: Query<'q, Pg, PgArguments>) -> Query<'q, Pg, PgArguments> {
        for b in &self.0 {
            q = match b {
                Bind::One(v) => q.bind(v.as_str()),
                Bind::Many(v) => q.bind(v.as_slice()),
            };
        }
        q
    }
}

/// Column types of some tables of one schema.
struct Catalog(HashMap<(String, String), String>);

impl Catalog {
    async fn load(space: &TenantSpace, tables: &[&Ident]) -> Result<Self> {
        let names: Vec<String> = tables.iter().map(|t| t.to_string()).collect();
        let rows = sqlx::query(
            "select c.relname::text as tbl, a.attname::text as col, format_type(a.atttypid, null) as ty \
             from pg_catalog.pg_attribute a \
             join pg_catalog.pg_class c on c.oid = a.attrelid \
             join pg_catalog.pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = $1 and c.relname = any($2) and c.relkind in ('r', 'p', 'v', 'm', 'f') \
             and a.attnum > 0 and not a.attisdropped",
        )
        .bind(space.schema.as_str())
        .bind(&names)
        .fetch_all(space.postgres.pool())
        .await
        .map_err(map_error)?;
        let mut map = HashMap::new();
        for r in rows {
            let key = (
                r.try_get::<String, _>("tbl").map_err(map_error)?,
                r.try_get::<String, _>("col").map_err(map_error)?,
            );
            map.insert(key, r.try_get::<String, _>("ty").map_err(map_error)?);
        }
        Ok(Self(map))
    }

    fn has_table(&self, table: &Ident) -> bool {
        self.0.keys().any(|(t, _)| t == table.as_str())
    }

    fn cast(&self, table: &Ident, column: &Ident) -> Option<Cast> {
        self.0
            .get(&(table.to_string(), column.to_string()))
            .map(|ty| Cast::of(ty))
    }
}

/// One space to query: a shared row-tier table group (many tenants) or one tenant's own.
struct Job {
    space: TenantSpace,
    /// `schema` or `database/schema`, for row hits and messages.
    label: String,
    tenants: Vec<Tenant>,
}

impl Job {
    fn row_column(&self) -> Option<&Ident> {
        self.space.row_filter.as_ref().map(|(c, _)| c)
    }

    /// The tenant of an isolated space (schema or database tier); `None` for a shared group.
    fn own_tenant(&self) -> Option<&Tenant> {
        match (self.row_column(), self.tenants.as_slice()) {
            (None, [t]) => Some(t),
            _ => None,
        }
    }

    /// For errors: the tenant of an isolated space; `None` for a shared group.
    fn tenant_slug(&self) -> Option<&str> {
        self.own_tenant().map(|t| t.slug.as_str())
    }

    fn tenant_ids(&self) -> Vec<String> {
        self.tenants.iter().map(|t| t.id.clone()).collect()
    }
}

/// Groups the scope's tenants into spaces: one per row-tier table group, one per other tenant.
fn jobs(platform: &Platform, scope: &Scope, report: &mut Report) -> Vec<Job> {
    let mut groups: BTreeMap<(String, String), Vec<&Tenant>> = BTreeMap::new();
    let mut isolated = Vec::new();
    for t in &scope.tenants {
        match &t.location {
            TenantLocation::Row {
                schema,
                tenant_column,
            } => {
                groups
                    .entry((schema.clone(), tenant_column.clone()))
                    .or_default()
                    .push(t);
            }
            _ => isolated.push(t),
        }
    }
    if isolated.len() > MAX_ISOLATED_SPACES {
        report.cap(format!(
            "PostgreSQL: {} schema- or database-tier tenants; only the first {MAX_ISOLATED_SPACES} (by slug) were searched",
            isolated.len()
        ));
        isolated.truncate(MAX_ISOLATED_SPACES);
    }
    let mut out = Vec::new();
    for ((schema, _), tenants) in groups {
        match platform.tenant_space(tenants[0]) {
            Ok(space) => out.push(Job {
                space,
                label: schema,
                tenants: tenants.into_iter().cloned().collect(),
            }),
            Err(e) => report.error(StoreKind::Postgres, None, &e),
        }
    }
    for t in isolated {
        let label = match &t.location {
            TenantLocation::Database {
                database, schema, ..
            } => format!("{database}/{schema}"),
            TenantLocation::Schema { schema } => schema.clone(),
            TenantLocation::Row { schema, .. } => schema.clone(),
        };
        match platform.tenant_space(t) {
            Ok(space) => out.push(Job {
                space,
                label,
                tenants: vec![t.clone()],
            }),
            Err(e) => report.error(StoreKind::Postgres, Some(&t.slug), &e),
        }
    }
    out
}

/// Rows and events of `id` as each of `entities`, in every space of the scope.
pub(super) async fn rows_and_events(
    platform: &Platform,
    scope: &Scope,
    id: &str,
    entities: &[usize],
) -> (Vec<RowFound>, Vec<EventsFound>, Report) {
    let mut report = Report::default();
    let jobs = jobs(platform, scope, &mut report);
    let profile = &platform.profile;
    let timeout = platform.timeout;
    let results: Vec<_> = stream::iter(jobs)
        .map(|job| async move {
            let slug = job.tenant_slug().map(str::to_owned);
            let outcome = run_job(&job, profile, id, entities, timeout).await;
            (slug, outcome)
        })
        .buffer_unordered(CONCURRENT_SPACES)
        .collect()
        .await;
    let (mut rows, mut events) = (Vec::new(), Vec::new());
    for (slug, outcome) in results {
        match outcome {
            Ok((r, e, notes)) => {
                match r {
                    Ok(r) => {
                        let mut per_entity: BTreeMap<usize, usize> = BTreeMap::new();
                        for row in &r {
                            *per_entity.entry(row.entity).or_default() += 1;
                        }
                        for (entity, n) in per_entity {
                            if n >= MAX_MATCHES {
                                let table = profile
                                    .entities
                                    .get(entity)
                                    .map(|e| e.table.to_string())
                                    .unwrap_or_default();
                                report.cap(format!("PostgreSQL: only the first {MAX_MATCHES} rows of {table} with this id were read"));
                            }
                        }
                        rows.extend(r);
                    }
                    Err(err) => report.error(StoreKind::Postgres, slug.as_deref(), &err),
                }
                match e {
                    Ok(e) => events.extend(e),
                    Err(err) => report.error(StoreKind::Postgres, slug.as_deref(), &err),
                }
                for n in notes {
                    report.note(n);
                }
            }
            Err(err) => report.error(StoreKind::Postgres, slug.as_deref(), &err),
        }
    }
    (rows, events, report)
}

type JobOutcome = (Result<Vec<RowFound>>, Result<Vec<EventsFound>>, Vec<String>);

async fn run_job(
    job: &Job,
    profile: &Profile,
    id: &str,
    entities: &[usize],
    timeout: std::time::Duration,
) -> Result<JobOutcome> {
    let mut tables: Vec<&Ident> = entities
        .iter()
        .filter_map(|i| profile.entities.get(*i))
        .map(|e| &e.table)
        .collect();
    if let Some(ev) = &profile.events {
        tables.push(&ev.table);
    }
    let catalog = with_timeout(
        StoreKind::Postgres,
        timeout,
        Catalog::load(&job.space, &tables),
    )
    .await?;
    let mut notes = Vec::new();
    for t in &tables {
        if !catalog.has_table(t) {
            notes.push(format!("PostgreSQL: {}.{t} does not exist", job.label));
        }
    }
    let (rows, events) = tokio::join!(
        with_timeout(
            StoreKind::Postgres,
            timeout,
            rows(job, &catalog, profile, id, entities)
        ),
        with_timeout(
            StoreKind::Postgres,
            timeout,
            events(job, &catalog, profile, id, entities)
        ),
    );
    Ok((rows, events, notes))
}

/// The tenant filter of a row-tier group: `and t."tenant_id" = any($n)`, or nothing.
fn tenant_filter(
    job: &Job,
    catalog: &Catalog,
    table: &Ident,
    column: Option<&Ident>,
    alias: &str,
    binds: &mut Binds,
) -> Option<String> {
    let Some(column) = column else {
        return Some(String::new());
    };
    let cast = catalog.cast(table, column)?;
    let ids: Vec<String> = job
        .tenant_ids()
        .iter()
        .filter_map(|t| cast.normalize(t))
        .collect();
    let param = binds.many(ids);
    Some(format!(
        " and {}",
        cast.any(&format!("{alias}.{}", column.pg()), param)
    ))
}

async fn rows(
    job: &Job,
    catalog: &Catalog,
    profile: &Profile,
    id: &str,
    entities: &[usize],
) -> Result<Vec<RowFound>> {
    let mut binds = Binds::default();
    let mut selects = Vec::new();
    for &i in entities {
        let Some(e) = profile.entities.get(i) else {
            continue;
        };
        let Some(cast) = catalog.cast(&e.table, &e.id_column) else {
            continue;
        };
        let Some(value) = cast.normalize(id) else {
            continue;
        };
        let id_param = binds.one(value);
        let Some(filter) = tenant_filter(job, catalog, &e.table, job.row_column(), "t", &mut binds)
        else {
            continue;
        };
        let tenant = job
            .row_column()
            .map_or("null::text".to_owned(), |c| format!("t.{}::text", c.pg()));
        selects.push(format!(
            "(select {i} as entity, {tenant} as tenant, to_jsonb(t) as row from {} t where {}{filter} limit {MAX_MATCHES})",
            job.space.table(&e.table),
            cast.eq(&format!("t.{}", e.id_column.pg()), id_param),
        ));
    }
    if selects.is_empty() {
        return Ok(Vec::new());
    }
    let sql = selects.join(" union all ");
    let found = binds
        .apply(sqlx::query(&sql))
        .fetch_all(job.space.postgres.pool())
        .await
        .map_err(map_error)?;
    let own = job.own_tenant().map(|t| t.id.clone());
    found
        .iter()
        .map(|r| {
            let entity = usize::try_from(r.try_get::<i32, _>("entity").map_err(map_error)?)
                .unwrap_or_default();
            let table = profile
                .entities
                .get(entity)
                .map(|e| e.table.to_string())
                .unwrap_or_default();
            Ok(RowFound {
                tenant_id: r
                    .try_get::<Option<String>, _>("tenant")
                    .map_err(map_error)?
                    .or_else(|| own.clone()),
                entity,
                id: id.to_owned(),
                table: format!("{}.{table}", job.label),
                row: r.try_get("row").map_err(map_error)?,
            })
        })
        .collect()
}

async fn events(
    job: &Job,
    catalog: &Catalog,
    profile: &Profile,
    id: &str,
    entities: &[usize],
) -> Result<Vec<EventsFound>> {
    let Some(ev) = &profile.events else {
        return Ok(Vec::new());
    };
    let Some(id_cast) = catalog.cast(&ev.table, &ev.aggregate_id_column) else {
        return Ok(Vec::new());
    };
    let Some(value) = id_cast.normalize(id) else {
        return Ok(Vec::new());
    };
    let types: Vec<String> = entities
        .iter()
        .filter_map(|i| profile.entities.get(*i))
        .map(|e| e.entity_type.clone())
        .collect();
    let type_cast = catalog
        .cast(&ev.table, &ev.aggregate_type_column)
        .unwrap_or(Cast::Other);
    let mut binds = Binds::default();
    let id_param = binds.one(value);
    let types_param = binds.many(types.clone());
    // Row tier: the event log's tenant column, else the row tier's.
    let tenant_column = job
        .row_column()
        .map(|c| ev.tenant_column.as_ref().unwrap_or(c));
    let Some(filter) = tenant_filter(job, catalog, &ev.table, tenant_column, "e", &mut binds)
    else {
        return Ok(Vec::new());
    };
    let tenant = tenant_column.map_or("null::text".to_owned(), |c| format!("e.{}::text", c.pg()));
    let agg = format!("e.{}", ev.aggregate_type_column.pg());
    let time = format!("e.{}", ev.time_column.pg());
    let (seq, order) = match &ev.sequence_column {
        Some(s) => (
            format!("e.{}::text", s.pg()),
            format!("{time} desc, e.{} desc", s.pg()),
        ),
        None => ("null::text".to_owned(), format!("{time} desc")),
    };
    let sql = format!(
        "select x.agg, x.tenant, x.event_type, x.time, x.seq, x.total from (\
           select {agg}::text as agg, {tenant} as tenant, e.{}::text as event_type, \
                  to_jsonb({time}) #>> '{{}}' as time, {seq} as seq, \
                  count(*) over (partition by {tenant}, {agg}) as total, \
                  row_number() over (partition by {tenant}, {agg} order by {order}) as rn \
           from {} e where {} and {}{filter}\
         ) x where x.rn <= {RECENT_EVENTS} order by x.tenant, x.agg, x.rn",
        ev.event_type_column.pg(),
        job.space.table(&ev.table),
        id_cast.eq(&format!("e.{}", ev.aggregate_id_column.pg()), id_param),
        type_cast.any(&agg, types_param),
    );
    let found = binds
        .apply(sqlx::query(&sql))
        .fetch_all(job.space.postgres.pool())
        .await
        .map_err(map_error)?;
    let own = job.own_tenant().map(|t| t.id.clone());
    let mut out: Vec<EventsFound> = Vec::new();
    for r in &found {
        let get = |c: &str| r.try_get::<Option<String>, _>(c).map_err(map_error);
        let agg = get("agg")?.unwrap_or_default();
        let Some(entity) = entities.iter().copied().find(|i| {
            profile
                .entities
                .get(*i)
                .is_some_and(|e| e.entity_type == agg)
        }) else {
            continue;
        };
        let tenant_id = get("tenant")?.or_else(|| own.clone());
        let total =
            u32::try_from(r.try_get::<i64, _>("total").map_err(map_error)?).unwrap_or(u32::MAX);
        let event = EventRef {
            event_type: get("event_type")?.unwrap_or_default(),
            time: get("time")?,
            sequence: get("seq")?,
        };
        match out.last_mut() {
            Some(last) if last.tenant_id == tenant_id && last.entity == entity => {
                last.recent.push(event)
            }
            _ => out.push(EventsFound {
                tenant_id,
                entity,
                id: id.to_owned(),
                total,
                recent: vec![event],
            }),
        }
    }
    Ok(out)
}

/// Ids of the rows of `tenant` whose object key column holds `relative` (any entity with one).
pub(super) async fn rows_by_object_key(
    platform: &Platform,
    tenant: &Tenant,
    relative: &str,
) -> Result<Vec<(usize, String)>> {
    let profile = &platform.profile;
    let with_keys: Vec<usize> = (0..profile.entities.len())
        .filter(|i| profile.entities[*i].object_key_column.is_some())
        .collect();
    if with_keys.is_empty() || relative.is_empty() {
        return Ok(Vec::new());
    }
    let space = platform.tenant_space(tenant)?;
    let job = Job {
        space,
        label: String::new(),
        tenants: vec![tenant.clone()],
    };
    let tables: Vec<&Ident> = with_keys
        .iter()
        .map(|i| &profile.entities[*i].table)
        .collect();
    let timeout = platform.timeout;
    let catalog = with_timeout(
        StoreKind::Postgres,
        timeout,
        Catalog::load(&job.space, &tables),
    )
    .await?;
    let mut binds = Binds::default();
    let mut selects = Vec::new();
    for i in with_keys {
        let e = &profile.entities[i];
        let Some(column) = &e.object_key_column else {
            continue;
        };
        let Some(cast) = catalog.cast(&e.table, column) else {
            continue;
        };
        let Some(value) = cast.normalize(relative) else {
            continue;
        };
        let param = binds.one(value);
        let Some(filter) =
            tenant_filter(&job, &catalog, &e.table, job.row_column(), "t", &mut binds)
        else {
            continue;
        };
        selects.push(format!(
            "(select {i} as entity, t.{}::text as id from {} t where {}{filter} limit {MAX_MATCHES})",
            e.id_column.pg(),
            job.space.table(&e.table),
            cast.eq(&format!("t.{}", column.pg()), param),
        ));
    }
    if selects.is_empty() {
        return Ok(Vec::new());
    }
    let sql = selects.join(" union all ");
    let pool = job.space.postgres.pool();
    let found = with_timeout(StoreKind::Postgres, timeout, async {
        binds
            .apply(sqlx::query(&sql))
            .fetch_all(pool)
            .await
            .map_err(map_error)
    })
    .await?;
    found
        .iter()
        .map(|r| {
            let entity = usize::try_from(r.try_get::<i32, _>("entity").map_err(map_error)?)
                .unwrap_or_default();
            let id: Option<String> = r.try_get("id").map_err(map_error)?;
            Ok((entity, id.unwrap_or_default()))
        })
        .collect()
}
