//! Reading one aggregate's events through a server-side cursor (`DECLARE ... CURSOR` in a
//! read-only transaction, fetched in batches), in (time, sequence, id) order. The aggregate id
//! is compared as its column's type, so the log's index serves the read.

use sqlx::Row;

use super::fold::RawEvent;
use crate::error::{Error, Result, StoreKind};
use crate::pg_types::table_columns;
use crate::platform::Platform;
use crate::stores::postgres::map_error;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

/// Rows per FETCH: memory holds one batch.
const BATCH: usize = 2_000;
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
    let text = |c: Option<&crate::ident::Ident>| match c {
        Some(c) => format!("x.{}::text", c.pg()),
        None => "null::text".to_owned(),
    };
    let time = spec.time_column.pg();
    let sequence = match &spec.sequence_column {
        Some(c) => format!("x.{}::bigint", c.pg()),
        None => "null::bigint".to_owned(),
    };
    let order_sequence = spec
        .sequence_column
        .as_ref()
        .map(|c| format!(", x.{}", c.pg()))
        .unwrap_or_default();
    let order_id = spec
        .id_column
        .as_ref()
        .map(|c| format!(", x.{}", c.pg()))
        .unwrap_or_default();
    let sql = format!(
        "declare {CURSOR} no scroll cursor for \
         select {id_col} as id, {sequence} as seq, \
         to_char(x.{time} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as at, \
         x.{ty}::text as event_type, {actor} as actor, {causation} as causation, \
         {correlation} as correlation, x.{payload}::text as payload, x.{agg_type}::text as agg_type \
         from {table} x where {filter}{tenant} order by x.{time}{order_sequence}{order_id}",
        id_col = text(spec.id_column.as_ref()),
        ty = spec.event_type_column.pg(),
        actor = text(spec.actor_column.as_ref()),
        causation = text(spec.causation_column.as_ref()),
        correlation = text(spec.correlation_column.as_ref()),
        payload = spec.payload_column.pg(),
        agg_type = spec.aggregate_type_column.pg(),
        table = space.table(&spec.table),
        filter = cast.eq(&format!("x.{}", spec.aggregate_id_column.pg()), 1),
        tenant = match (&space.row_filter, &spec.tenant_column) {
            (Some(_), Some(col)) => format!(" and x.{}::text = $2", col.pg()),
            (Some((col, _)), None) => format!(" and x.{}::text = $2", col.pg()),
            (None, _) => String::new(),
        },
    );
    let mut tx = space.postgres.pool().begin().await.map_err(map_error)?;
    sqlx::query("set transaction read only")
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
    let mut declare = sqlx::query(&sql).bind(&id);
    if space.row_filter.is_some() {
        declare = declare.bind(&tenant.id);
    }
    declare.execute(&mut *tx).await.map_err(map_error)?;
    let fetch = format!("fetch forward {BATCH} from {CURSOR}");
    let mut aggregate_type = None;
    loop {
        let rows = with_timeout(StoreKind::Postgres, platform.timeout * 5, async {
            sqlx::query(&fetch)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_error)
        })
        .await?;
        let done = rows.len() < BATCH;
        for r in rows {
            if aggregate_type.is_none() {
                aggregate_type = r.try_get("agg_type").map_err(map_error)?;
            }
            let event = RawEvent {
                id: r.try_get("id").map_err(map_error)?,
                sequence: r.try_get("seq").map_err(map_error)?,
                time: r
                    .try_get::<Option<String>, _>("at")
                    .map_err(map_error)?
                    .unwrap_or_default(),
                event_type: r
                    .try_get::<Option<String>, _>("event_type")
                    .map_err(map_error)?
                    .unwrap_or_default(),
                actor: r.try_get("actor").map_err(map_error)?,
                causation: r.try_get("causation").map_err(map_error)?,
                correlation: r.try_get("correlation").map_err(map_error)?,
                payload: r.try_get("payload").map_err(map_error)?,
            };
            if !each(event) {
                let _ = tx.rollback().await;
                return Ok(aggregate_type);
            }
        }
        if done {
            break;
        }
    }
    let _ = tx.rollback().await;
    Ok(aggregate_type)
}
