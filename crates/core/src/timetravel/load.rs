//! Reading one aggregate's events through a server-side cursor (`DECLARE ... CURSOR` in a
//! read-only transaction, fetched in batches), in (time, sequence, id) order. The aggregate id
//! is compared as its column's type, so the log's index serves the read.

use sqlx::postgres::PgRow;
use sqlx::{Row, ValueRef};

use super::fold::RawEvent;
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::pg_types::{table_columns, Cast, TableColumn};
use crate::platform::Platform;
use crate::profile::EventsSpec;
use crate::stores::postgres::map_error;
use crate::stores::with_timeout;
use crate::tenant_space::TenantSpace;
use crate::tenants::Tenant;

/// Rows per FETCH: memory holds one batch.
const BATCH: usize = 5_000;
const CURSOR: &str = "storelens_events";

/// Calls `each` with every event of the aggregate in order, until it returns false. Returns the
/// aggregate type of the first event.
pub(super) async fn each_event(
    platform: &Platform,
    tenant: &Tenant,
    aggregate_id: &str,
    mut each: impl FnMut(RawEvent) -> bool,
) -> Result<Option<String>> {
    let spec = platform.profile.events_spec()?;
    let space = platform.tenant_space(tenant)?;
    let columns = with_timeout(
        StoreKind::Postgres,
        platform.timeout,
        table_columns(&space, &spec.table),
    )
    .await?;
    let cast = columns
        .iter()
        .find(|c| c.name == spec.aggregate_id_column.as_str())
        .ok_or_else(|| {
            Error::Profile(format!(
                "the event log {} has no column {}",
                space.table(&spec.table),
                spec.aggregate_id_column
            ))
        })?
        .cast();
    let id = cast.normalize(aggregate_id).ok_or_else(|| {
        Error::InvalidInput(format!(
            "{aggregate_id:?} is not {} (the log's aggregate ids are)",
            cast.expects()
        ))
    })?;
    let filter = cast.eq(&format!("x.{}", spec.aggregate_id_column.pg()), 1);
    let mut binds = vec![id];
    let tenant_filter = tenant_condition(&space, spec, &columns, &mut binds, tenant);
    let sql = format!(
        "select {} from {} x where {filter}{tenant_filter} order by {}",
        select_list(spec, Columns::All, &columns),
        space.table(&spec.table),
        order_by(spec, false)
    );
    let mut aggregate_type = None;
    run_cursor(platform, &space, &sql, &binds, |event| {
        if aggregate_type.is_none() {
            aggregate_type = event.aggregate_type.clone();
        }
        each(event.event)
    })
    .await?;
    Ok(aggregate_type)
}

/// An event with the aggregate it belongs to.
pub(super) struct LoggedEvent {
    pub aggregate_type: Option<String>,
    pub aggregate_id: Option<String>,
    pub event: RawEvent,
}

/// What an event read needs of each event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Columns {
    /// Everything an event view shows.
    All,
    /// What a fold needs: no actor, causation or correlation (read as null).
    Fold,
}

/// The columns every event read selects, by the profile's names, always in this order.
/// `log`: the log's columns from the catalog. Columns of a type [`text_cell`] decodes are read
/// as they are: a cast to text in SQL is done before the server sorts, so it widens what is
/// sorted and formats every row before the first one is sent.
pub(super) fn select_list(spec: &EventsSpec, columns: Columns, log: &[TableColumn]) -> String {
    let text = |c: Option<&Ident>| match c {
        Some(c) if decoded_as_is(log, c) => format!("x.{}", c.pg()),
        Some(c) => format!("x.{}::text", c.pg()),
        None => "null::text".to_owned(),
    };
    let shown = |c: Option<&Ident>| match columns {
        Columns::All => text(c),
        Columns::Fold => "null::text".to_owned(),
    };
    let sequence = match &spec.sequence_column {
        Some(c) => format!("x.{}::bigint", c.pg()),
        None => "null::bigint".to_owned(),
    };
    format!(
        "{id} as id, {sequence} as seq, \
         x.{time}::timestamptz as at, \
         {ty} as event_type, {actor} as actor, {causation} as causation, \
         {correlation} as correlation, {payload} as payload, \
         {agg_type} as agg_type, {agg_id} as agg_id",
        id = text(spec.id_column.as_ref()),
        time = spec.time_column.pg(),
        ty = text(Some(&spec.event_type_column)),
        actor = shown(spec.actor_column.as_ref()),
        causation = shown(spec.causation_column.as_ref()),
        correlation = shown(spec.correlation_column.as_ref()),
        payload = text(Some(&spec.payload_column)),
        agg_type = text(Some(&spec.aggregate_type_column)),
        agg_id = text(Some(&spec.aggregate_id_column)),
    )
}

/// Whether [`text_cell`] decodes the column's type itself.
fn decoded_as_is(log: &[TableColumn], column: &Ident) -> bool {
    log.iter().any(|c| {
        c.name == column.as_str()
            && matches!(
                c.type_name.as_str(),
                "uuid" | "text" | "character varying" | "character" | "name" | "json" | "jsonb"
            )
    })
}

/// A cell of [`select_list`] as text: UUIDs formatted here, JSONB without its version byte,
/// the text types as they are. Types by OID and bytes taken as they are: this runs for every
/// cell of millions of events.
fn text_cell(r: &PgRow, i: usize) -> Result<Option<String>> {
    const UUID_OID: u32 = 2950;
    const JSONB_OID: u32 = 3802;
    let value = r.try_get_raw(i).map_err(map_error)?;
    if value.is_null() {
        return Ok(None);
    }
    let bad = |e: &dyn std::fmt::Display| Error::Internal(format!("event column {i}: {e}"));
    let binary = value.format() == sqlx::postgres::PgValueFormat::Binary;
    let oid = value.type_info().oid().map(|o| o.0);
    let bytes = value.as_bytes().map_err(|e| bad(&e))?;
    let text = match oid {
        Some(UUID_OID) if binary => {
            let id = uuid::Uuid::from_slice(bytes).map_err(|e| bad(&e))?;
            let mut buffer = uuid::Uuid::encode_buffer();
            return Ok(Some(id.hyphenated().encode_lower(&mut buffer).to_owned()));
        }
        // Binary JSONB is a version byte (1) and the JSON text.
        Some(JSONB_OID) if binary => bytes.get(1..).unwrap_or_default(),
        _ => bytes,
    };
    std::str::from_utf8(text)
        .map(|t| Some(t.to_owned()))
        .map_err(|e| bad(&e))
}

/// `x.time, x.sequence, x.id` (after the aggregate id when `by_aggregate`).
pub(super) fn order_by(spec: &EventsSpec, by_aggregate: bool) -> String {
    let mut columns = Vec::new();
    if by_aggregate {
        columns.push(format!("x.{}", spec.aggregate_id_column.pg()));
    }
    columns.push(format!("x.{}", spec.time_column.pg()));
    columns.extend(spec.sequence_column.iter().map(|c| format!("x.{}", c.pg())));
    columns.extend(spec.id_column.iter().map(|c| format!("x.{}", c.pg())));
    columns.join(", ")
}

/// ` and x."tenant_id"::text = $n` for a row-tier tenant (binding its id), else nothing.
/// The tenant id is cast to the column's type (`columns`: the log's, from the catalog), so an
/// index on the tenant column serves the filter.
pub(super) fn tenant_condition(
    space: &TenantSpace,
    spec: &EventsSpec,
    columns: &[TableColumn],
    binds: &mut Vec<String>,
    tenant: &Tenant,
) -> String {
    match &space.row_filter {
        Some((row_column, _)) => {
            let column = spec.tenant_column.as_ref().unwrap_or(row_column);
            let cast = columns
                .iter()
                .find(|c| c.name == column.as_str())
                .map(TableColumn::cast)
                .filter(|cast| cast.normalize(&tenant.id).is_some())
                .unwrap_or(Cast::Other);
            binds.push(
                cast.normalize(&tenant.id)
                    .unwrap_or_else(|| tenant.id.clone()),
            );
            format!(
                " and {}",
                cast.eq(&format!("x.{}", column.pg()), binds.len())
            )
        }
        None => String::new(),
    }
}

/// The log's columns in the tenant's space.
pub(super) async fn log_columns(
    platform: &Platform,
    space: &TenantSpace,
) -> Result<Vec<TableColumn>> {
    let spec = platform.profile.events_spec()?;
    with_timeout(
        StoreKind::Postgres,
        platform.timeout,
        table_columns(space, &spec.table),
    )
    .await
}

/// An event from a row of [`select_list`].
pub(super) fn logged_event(r: &PgRow) -> Result<LoggedEvent> {
    // By position and unchecked: `select_list` fixes every column's place and type (text but
    // for the sequence and the time), and a name lookup and type check per cell add up over
    // millions of events.
    let text = |i: usize| text_cell(r, i);
    Ok(LoggedEvent {
        aggregate_type: text(8)?,
        aggregate_id: text(9)?,
        event: RawEvent {
            id: text(0)?,
            sequence: r.try_get_unchecked(1).map_err(map_error)?,
            time: r
                .try_get_unchecked::<Option<chrono::DateTime<chrono::Utc>>, _>(2)
                .map_err(map_error)?
                .unwrap_or_default(),
            event_type: text(3)?.unwrap_or_default(),
            actor: text(4)?,
            causation: text(5)?,
            correlation: text(6)?,
            payload: text(7)?,
        },
    })
}

/// Runs `select` (text binds, in order) through a server-side cursor in a read-only
/// transaction and calls `each` per event until it returns false.
pub(super) async fn run_cursor(
    platform: &Platform,
    space: &TenantSpace,
    select: &str,
    binds: &[String],
    mut each: impl FnMut(LoggedEvent) -> bool,
) -> Result<()> {
    let mut cursor = EventCursor::open(platform, space, select, binds);
    while let Some(batch) = cursor.next_batch().await? {
        for event in batch {
            if !each(event) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// A server-side cursor over the log, read in a task of its own one batch ahead: the server
/// produces the next batch while this one is folded. Dropping it stops the reader.
pub(super) struct EventCursor {
    batches: tokio::sync::mpsc::Receiver<Result<Vec<PgRow>>>,
    reader: tokio::task::JoinHandle<()>,
}

impl EventCursor {
    pub fn open(platform: &Platform, space: &TenantSpace, select: &str, binds: &[String]) -> Self {
        let (tx_batches, batches) = tokio::sync::mpsc::channel::<Result<Vec<PgRow>>>(2);
        let pool = space.postgres.pool().clone();
        let declare = format!("declare {CURSOR} no scroll cursor for {select}");
        let binds = binds.to_vec();
        let limit = platform.timeout * 5;
        let reader = tokio::spawn(async move {
            let result: Result<()> = async {
                let mut tx = pool.begin().await.map_err(map_error)?;
                // (JIT is off for every Storelens session: see `stores::postgres`.)
                sqlx::query("set transaction read only")
                    .execute(&mut *tx)
                    .await
                    .map_err(map_error)?;
                let mut q = sqlx::query(&declare);
                for b in &binds {
                    q = q.bind(b);
                }
                q.execute(&mut *tx).await.map_err(map_error)?;
                let fetch = format!("fetch forward {BATCH} from {CURSOR}");
                loop {
                    let rows = with_timeout(StoreKind::Postgres, limit, async {
                        // Not a cached statement: the same text fetches from cursors of other
                        // shapes (a fold reads fewer columns than an event view) on a pooled
                        // connection, and a cached description would decode these rows as
                        // those.
                        sqlx::query(&fetch)
                            .persistent(false)
                            .fetch_all(&mut *tx)
                            .await
                            .map_err(map_error)
                    })
                    .await?;
                    let done = rows.len() < BATCH;
                    if tx_batches.send(Ok(rows)).await.is_err() || done {
                        break;
                    }
                }
                let _ = tx.rollback().await;
                Ok(())
            }
            .await;
            if let Err(e) = result {
                let _ = tx_batches.send(Err(e)).await;
            }
        });
        Self { batches, reader }
    }

    /// The next batch of events; `None` at the end of the log.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<LoggedEvent>>> {
        match self.batches.recv().await {
            Some(batch) => batch?
                .iter()
                .map(logged_event)
                .collect::<Result<_>>()
                .map(Some),
            None => {
                (&mut self.reader)
                    .await
                    .map_err(|e| Error::Internal(format!("event reader failed: {e}")))?;
                Ok(None)
            }
        }
    }
}

/// The tenants whose log has events of `aggregate_id`: one query per shared (row-tier) log,
/// one per isolated tenant's log. The id is compared as the log column's type.
pub(super) async fn tenants_with_events(
    platform: &Platform,
    tenants: Vec<Tenant>,
    aggregate_id: &str,
) -> Result<Vec<Tenant>> {
    let spec = platform.profile.events_spec()?;
    let mut shared: std::collections::BTreeMap<(String, String), (TenantSpace, Vec<Tenant>)> =
        std::collections::BTreeMap::new();
    let mut found = Vec::new();
    for t in tenants {
        let space = platform.tenant_space(&t)?;
        match &space.row_filter {
            Some((column, _)) => {
                let column = spec.tenant_column.as_ref().unwrap_or(column).to_string();
                shared
                    .entry((space.schema.to_string(), column))
                    .or_insert_with(|| (space.clone(), Vec::new()))
                    .1
                    .push(t);
            }
            None => {
                if has_events(platform, &space, aggregate_id, None)
                    .await?
                    .contains(&String::new())
                {
                    found.push(t);
                }
            }
        }
    }
    for ((_, column), (space, members)) in shared {
        let owners = has_events(platform, &space, aggregate_id, Some(&column)).await?;
        found.extend(members.into_iter().filter(|t| owners.contains(&t.id)));
    }
    Ok(found)
}

/// The tenant ids (by `tenant_column`) with events of the aggregate in this space's log, or
/// `[""]` when the space (without a tenant column) has some.
async fn has_events(
    platform: &Platform,
    space: &TenantSpace,
    aggregate_id: &str,
    tenant_column: Option<&str>,
) -> Result<Vec<String>> {
    let spec = platform.profile.events_spec()?;
    let columns = match table_columns(space, &spec.table).await {
        Ok(c) => c,
        // A tenant space without the log has no events of anything.
        Err(Error::NotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let Some(cast) = columns
        .iter()
        .find(|c| c.name == spec.aggregate_id_column.as_str())
        .map(|c| c.cast())
    else {
        return Ok(Vec::new());
    };
    let Some(id) = cast.normalize(aggregate_id) else {
        return Ok(Vec::new());
    };
    let owner = match tenant_column {
        Some(c) => format!("x.{}::text", Ident::parse(c)?.pg()),
        None => "''".to_owned(),
    };
    let sql = format!(
        "select distinct {owner} from {} x where {}",
        space.table(&spec.table),
        cast.eq(&format!("x.{}", spec.aggregate_id_column.pg()), 1)
    );
    with_timeout(StoreKind::Postgres, platform.timeout * 5, async {
        sqlx::query_scalar::<_, Option<String>>(&sql)
            .bind(id)
            .fetch_all(space.postgres.pool())
            .await
            .map(|v| v.into_iter().flatten().collect())
            .map_err(map_error)
    })
    .await
}
