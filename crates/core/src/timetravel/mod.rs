//! Point-in-time reconstruction ("time travel"): an aggregate's events from the log, folded
//! with the profile's semantics ([`fold`]) into its state at any time or sequence, step by step
//! with the diff of each step, and the diff between two points.
//!
//! Events are read through a server-side cursor ([`load`]) in (time, sequence) order and folded
//! as they arrive, so memory holds one batch and the state, however long the stream. Only the
//! steps asked for are kept.

mod against;
pub mod compare;
pub mod fold;
mod load;
pub mod read_model;
pub mod tenant_state;
pub mod timeline;

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::lookup::TenantRef;
use crate::platform::Platform;
use crate::profile::EventKind;
use crate::tenants::{self, Tenant};
pub use against::{compare, Comparison};
use fold::{diff, Anomaly, Folder, PathChange, RawEvent};

/// Steps returned by one history call at most.
pub const MAX_STEPS: u32 = 5_000;

/// Where in an aggregate's history: after every event up to a time, or up to (and including)
/// the event with a sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    Time(DateTime<Utc>),
    Sequence(i64),
}

impl Point {
    /// A whole number is a sequence; otherwise RFC 3339 (`2026-02-21T14:30:00Z`), a date and
    /// time without a zone (taken as UTC), or a date (00:00 UTC).
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if let Ok(seq) = text.parse::<i64>() {
            return Ok(Self::Sequence(seq));
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(Self::Time(t.with_timezone(&Utc)));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, format) {
                return Ok(Self::Time(t.and_utc()));
            }
        }
        if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Self::Time(
                d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            ));
        }
        Err(Error::InvalidInput(format!(
            "{text:?} is neither a sequence number nor a time (RFC 3339, e.g. 2026-02-21T14:30:00Z)"
        )))
    }

    fn label(&self) -> String {
        match self {
            Self::Time(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            Self::Sequence(s) => format!("sequence {s}"),
        }
    }
}

/// One event as shown: 64-bit sequences as strings; the payload as JSON when it parses, else
/// as its raw text (`payloadText`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EventView {
    pub id: Option<String>,
    pub sequence: Option<String>,
    pub time: String,
    pub event_type: String,
    pub actor: Option<String>,
    pub causation: Option<String>,
    pub correlation: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
    pub payload: Option<Value>,
    pub payload_text: Option<String>,
}

impl From<&RawEvent> for EventView {
    fn from(e: &RawEvent) -> Self {
        let parsed = e
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        Self {
            id: e.id.clone(),
            sequence: e.sequence.map(|s| s.to_string()),
            time: fold::rfc3339(&e.time),
            event_type: e.event_type.clone(),
            actor: e.actor.clone(),
            causation: e.causation.clone(),
            correlation: e.correlation.clone(),
            payload_text: if parsed.is_none() {
                e.payload.clone()
            } else {
                None
            },
            payload: parsed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Create,
    Update,
    Delete,
    Other,
}

impl From<EventKind> for StepKind {
    fn from(k: EventKind) -> Self {
        match k {
            EventKind::Create => Self::Create,
            EventKind::Update => Self::Update,
            EventKind::Delete => Self::Delete,
            EventKind::Other => Self::Other,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct HistoryStep {
    /// 0-based position in the aggregate's (time, sequence) order.
    pub index: u32,
    pub event: EventView,
    pub kind: StepKind,
    /// Whether the event changed the state (a skipped event did not).
    pub applied: bool,
    /// Events applied up to and including this one.
    pub version: u32,
    pub changes: Vec<PathChange>,
    pub anomalies: Vec<Anomaly>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AggregateHistory {
    pub tenant: TenantRef,
    pub aggregate_id: String,
    pub aggregate_type: Option<String>,
    pub total_events: u32,
    /// The steps `offset .. offset + steps.len()` of `total_events`.
    pub offset: u32,
    pub steps: Vec<HistoryStep>,
    /// The state after every event (`null` when deleted or never created).
    #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
    pub state: Option<Value>,
    /// Steps with an anomaly, over the whole history.
    pub anomaly_count: u32,
    pub elapsed_ms: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StateAt {
    pub tenant: TenantRef,
    pub aggregate_id: String,
    pub aggregate_type: Option<String>,
    /// The point as understood (`2026-02-21T14:30:00.000Z` or `sequence 8242`).
    pub at: String,
    /// Events at or before the point, of `total_events`.
    pub events_before: u32,
    pub total_events: u32,
    pub version: u32,
    #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
    pub state: Option<Value>,
    pub last_event: Option<EventView>,
    /// Anomalies of the events folded, with their step index.
    pub anomalies: Vec<IndexedAnomaly>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct IndexedAnomaly {
    pub index: u32,
    pub event_id: Option<String>,
    pub anomaly: Anomaly,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StateDiff {
    pub from: StateAt,
    pub to: StateAt,
    pub changes: Vec<PathChange>,
}

/// The aggregate's tenant: the one named, or the only tenant whose log has events of it.
pub async fn resolve_tenant(
    platform: &Platform,
    aggregate_id: &str,
    tenant: Option<&str>,
) -> Result<Tenant> {
    if let Some(t) = tenant {
        return tenants::get(platform.postgres()?, &platform.profile, t).await;
    }
    // Only the event logs are asked: one query per shared log, one per isolated tenant.
    let (all, _) = tenants::all(
        platform.postgres()?,
        &platform.profile,
        crate::overview::MAX_TENANTS,
    )
    .await?;
    let owners = load::tenants_with_events(platform, all, aggregate_id).await?;
    match owners.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(Error::NotFound(format!(
            "no tenant's event log has events of aggregate {aggregate_id:?}"
        ))),
        many => Err(Error::InvalidInput(format!(
            "aggregate {aggregate_id:?} has events in {} tenants ({}): name one with --tenant",
            many.len(),
            many.iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The aggregate's steps `offset .. offset + limit` with their diffs, and its final state.
pub async fn history(
    platform: &Platform,
    tenant: &Tenant,
    aggregate_id: &str,
    offset: u32,
    limit: u32,
) -> Result<AggregateHistory> {
    let started = Instant::now();
    let spec = platform.profile.events_spec()?;
    let limit = limit.clamp(1, MAX_STEPS);
    let mut folder = Folder::new(&spec.semantics);
    let mut steps = Vec::new();
    let (mut index, mut anomaly_count) = (0u32, 0u32);
    let aggregate_type = load::each_event(platform, tenant, aggregate_id, |event| {
        let keep = index >= offset && index < offset.saturating_add(limit);
        let before = if keep { folder.state().cloned() } else { None };
        let step = folder.apply(&event);
        if !step.anomalies.is_empty() {
            anomaly_count += 1;
        }
        if keep {
            steps.push(HistoryStep {
                index,
                event: EventView::from(&event),
                kind: step.kind.into(),
                applied: step.applied,
                version: folder.version() as u32,
                changes: diff(before.as_ref(), folder.state()),
                anomalies: step.anomalies,
            });
        }
        index += 1;
        true
    })
    .await?;
    if index == 0 {
        return Err(no_events(aggregate_id, tenant));
    }
    Ok(AggregateHistory {
        tenant: TenantRef::from(tenant),
        aggregate_id: aggregate_id.to_owned(),
        aggregate_type,
        total_events: index,
        offset,
        steps,
        state: folder.into_state(),
        anomaly_count,
        elapsed_ms: crate::tasks::elapsed_ms(started),
    })
}

/// The aggregate's state at a point.
pub async fn state_at(
    platform: &Platform,
    tenant: &Tenant,
    aggregate_id: &str,
    at: &Point,
) -> Result<StateAt> {
    let spec = platform.profile.events_spec()?;
    let mut folder = Folder::new(&spec.semantics);
    let (mut index, mut before) = (0u32, 0u32);
    let mut last_event = None;
    let mut anomalies = Vec::new();
    let mut reached = false;
    let aggregate_type = load::each_event(platform, tenant, aggregate_id, |event| {
        let inside = !reached
            && match at {
                Point::Time(t) => event.time <= *t,
                Point::Sequence(_) => true,
            };
        if inside {
            let step = folder.apply(&event);
            anomalies.extend(step.anomalies.into_iter().map(|anomaly| IndexedAnomaly {
                index,
                event_id: event.id.clone(),
                anomaly,
            }));
            before += 1;
            if let Point::Sequence(s) = at {
                reached = event.sequence == Some(*s);
            }
            last_event = Some(EventView::from(&event));
        } else {
            reached = true;
        }
        index += 1;
        true
    })
    .await?;
    if index == 0 {
        return Err(no_events(aggregate_id, tenant));
    }
    if let Point::Sequence(s) = at {
        if last_event.as_ref().and_then(|e| e.sequence.as_deref()) != Some(s.to_string().as_str()) {
            return Err(Error::NotFound(format!(
                "aggregate {aggregate_id:?} has no event with sequence {s}"
            )));
        }
    }
    Ok(StateAt {
        tenant: TenantRef::from(tenant),
        aggregate_id: aggregate_id.to_owned(),
        aggregate_type,
        at: at.label(),
        events_before: before,
        total_events: index,
        version: folder.version() as u32,
        state: folder.into_state(),
        last_event,
        anomalies,
    })
}

/// The states at two points and the changes between them.
pub async fn diff_between(
    platform: &Platform,
    tenant: &Tenant,
    aggregate_id: &str,
    from: &Point,
    to: &Point,
) -> Result<StateDiff> {
    let (from, to) = tokio::try_join!(
        state_at(platform, tenant, aggregate_id, from),
        state_at(platform, tenant, aggregate_id, to)
    )?;
    let changes = diff(from.state.as_ref(), to.state.as_ref());
    Ok(StateDiff { from, to, changes })
}

fn no_events(aggregate_id: &str, tenant: &Tenant) -> Error {
    Error::NotFound(format!(
        "tenant {} has no events of aggregate {aggregate_id:?}",
        tenant.slug
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<&str>) {
        assert_eq!(
            Point::parse(input).ok().map(|p| p.label()).as_deref(),
            expect,
            "{input}"
        );
    }

    #[test]
    fn points_are_sequences_or_times() {
        check("8242", Some("sequence 8242"));
        check("2026-02-21T14:30:00Z", Some("2026-02-21T14:30:00.000Z"));
        check(
            "2026-02-21T16:30:00+02:00",
            Some("2026-02-21T14:30:00.000Z"),
        );
        check("2026-02-21 14:30", Some("2026-02-21T14:30:00.000Z"));
        check("2026-02-21", Some("2026-02-21T00:00:00.000Z"));
        check("yesterday", None);
        check("1; drop table x", None);
    }
}
