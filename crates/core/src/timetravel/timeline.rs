//! A tenant's event timeline: its events in (time, sequence) order, filtered by aggregate type,
//! aggregate, event type, actor, correlation id, causation id or event id, page by page with a
//! keyset cursor. Causation and correlation chains are followed by filtering: the events an
//! event caused are those whose causation id is its id; its cause is the event with its
//! causation id; its conversation is its correlation id.

use serde::{Deserialize, Serialize};

use super::load::{log_columns, logged_event, order_by, select_list, tenant_condition, Columns};
use super::EventView;
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::platform::Platform;
use crate::stores::postgres::map_error;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

pub const DEFAULT_EVENTS: u32 = 100;
pub const MAX_EVENTS: u32 = 1_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventFilter {
    pub aggregate_type: Option<String>,
    pub aggregate_id: Option<String>,
    pub event_type: Option<String>,
    pub actor: Option<String>,
    pub correlation: Option<String>,
    pub causation: Option<String>,
    pub event_id: Option<String>,
    /// The `nextAfter` of the previous page.
    pub after: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TimelineEvent {
    pub aggregate_id: Option<String>,
    pub aggregate_type: Option<String>,
    pub event: EventView,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub events: Vec<TimelineEvent>,
    pub next_after: Option<String>,
}

pub async fn events(
    platform: &Platform,
    tenant: &Tenant,
    filter: &EventFilter,
) -> Result<EventPage> {
    let spec = platform.profile.events_spec()?;
    let space = platform.tenant_space(tenant)?;
    let columns = log_columns(platform, &space).await?;
    let limit = filter.limit.unwrap_or(DEFAULT_EVENTS).clamp(1, MAX_EVENTS);
    let mut binds: Vec<String> = Vec::new();
    let mut conditions = vec!["true".to_owned()];
    let mut equal = |column: Option<&Ident>, value: &Option<String>, what: &str| -> Result<()> {
        if let Some(v) = value {
            let column = column.ok_or_else(|| {
                Error::InvalidInput(format!("the profile's event log has no {what} column"))
            })?;
            binds.push(v.trim().to_owned());
            conditions.push(format!("x.{}::text = ${}", column.pg(), binds.len()));
        }
        Ok(())
    };
    equal(
        Some(&spec.aggregate_type_column),
        &filter.aggregate_type,
        "aggregate type",
    )?;
    equal(
        Some(&spec.aggregate_id_column),
        &filter.aggregate_id,
        "aggregate id",
    )?;
    equal(
        Some(&spec.event_type_column),
        &filter.event_type,
        "event type",
    )?;
    equal(spec.actor_column.as_ref(), &filter.actor, "actor")?;
    equal(
        spec.correlation_column.as_ref(),
        &filter.correlation,
        "correlation",
    )?;
    equal(
        spec.causation_column.as_ref(),
        &filter.causation,
        "causation",
    )?;
    equal(spec.id_column.as_ref(), &filter.event_id, "event id")?;
    if let Some(after) = &filter.after {
        let (time, seq) = after
            .split_once('|')
            .ok_or_else(|| Error::InvalidInput(format!("cursor {after:?} is not time|sequence")))?;
        chrono::DateTime::parse_from_rfc3339(time)
            .map_err(|_| Error::InvalidInput(format!("cursor {after:?} has no valid time")))?;
        binds.push(time.to_owned());
        let t = binds.len();
        let time_column = spec.time_column.pg();
        match (&spec.sequence_column, seq.parse::<i64>()) {
            (Some(column), Ok(s)) => {
                binds.push(s.to_string());
                conditions.push(format!(
                    "(x.{time_column}, x.{}) > (${t}::timestamptz, ${}::bigint)",
                    column.pg(),
                    binds.len()
                ));
            }
            (None, _) => conditions.push(format!("x.{time_column} > ${t}::timestamptz")),
            (Some(_), Err(_)) => {
                return Err(Error::InvalidInput(format!(
                    "cursor {after:?} has no valid sequence"
                )))
            }
        }
    }
    let tenant_filter = tenant_condition(&space, spec, &columns, &mut binds, tenant);
    let sql = format!(
        "select {} from {} x where {}{tenant_filter} order by {} limit {}",
        select_list(spec, Columns::All, &columns),
        space.table(&spec.table),
        conditions.join(" and "),
        order_by(spec, false),
        limit + 1
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = with_timeout(StoreKind::Postgres, platform.timeout * 5, async {
        q.fetch_all(space.postgres.pool()).await.map_err(map_error)
    })
    .await?;
    let more = rows.len() > limit as usize;
    let mut events = Vec::with_capacity(rows.len().min(limit as usize));
    for r in rows.iter().take(limit as usize) {
        let logged = logged_event(r)?;
        events.push(TimelineEvent {
            aggregate_id: logged.aggregate_id,
            aggregate_type: logged.aggregate_type,
            event: EventView::from(&logged.event),
        });
    }
    let next_after = if more {
        events.last().map(|e| {
            format!(
                "{}|{}",
                e.event.time,
                e.event.sequence.as_deref().unwrap_or("")
            )
        })
    } else {
        None
    };
    Ok(EventPage { events, next_after })
}
