//! `storelens events history|state|diff <aggregate-id>`: an aggregate's event log folded into its
//! state at any point. Exit code 0, or 1 when the folded events had anomalies (malformed
//! payloads, updates before a create, duplicate or out-of-order sequences), 2 on an error.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::Value;
use storelens_core::timetravel::compare::Verdict;
use storelens_core::timetravel::fold::PathChange;
use storelens_core::timetravel::timeline::EventFilter;
use storelens_core::timetravel::{AggregateHistory, Comparison, StateAt, StateDiff};
use storelens_core::{Result, Storelens};

use crate::output::{grid, Output};

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Every event of an aggregate in (time, sequence) order, each with what it changed.
    History {
        #[command(flatten)]
        aggregate: AggregateArgs,
        /// First step shown (0-based).
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Steps shown (at most 5,000; the final state covers every event).
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// The aggregate's state at a time (RFC 3339) or after the event with a sequence number.
    State {
        #[command(flatten)]
        aggregate: AggregateArgs,
        #[arg(long)]
        at: String,
    },
    /// The current fold against the read-model row, the graph node and the cached value: in
    /// sync, lagging (a later event explains it) or drifting. Exit code 1 when a store differs.
    Compare {
        #[command(flatten)]
        aggregate: AggregateArgs,
    },
    /// A tenant's events in (time, sequence) order, filtered; follow causation and correlation
    /// chains with --causation/--event/--correlation. Prints the next page's --after.
    List {
        /// Tenant id or slug.
        tenant: String,
        #[arg(long = "type")]
        aggregate_type: Option<String>,
        #[arg(long)]
        aggregate: Option<String>,
        #[arg(long)]
        event_type: Option<String>,
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        correlation: Option<String>,
        /// Events caused by this event id.
        #[arg(long)]
        causation: Option<String>,
        /// The event with this id (e.g. another event's causation id).
        #[arg(long)]
        event: Option<String>,
        #[arg(long)]
        after: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// The connection; defaults to `sandbox`, or the only connection there is.
        #[arg(long, short)]
        connection: Option<String>,
    },
    /// Every aggregate of a tenant as of a time, folded from the log, as JSON Lines.
    TenantState {
        /// Tenant id or slug.
        tenant: String,
        #[arg(long)]
        at: String,
        /// Only aggregates of this type.
        #[arg(long = "type")]
        aggregate_type: Option<String>,
        /// The file to write (must not exist); default: a new file in the exports folder.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The connection; defaults to `sandbox`, or the only connection there is.
        #[arg(long, short)]
        connection: Option<String>,
    },
    /// What changed between two points (times or sequence numbers).
    Diff {
        #[command(flatten)]
        aggregate: AggregateArgs,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

#[derive(Args)]
pub struct AggregateArgs {
    pub aggregate_id: String,
    /// The tenant (id or slug); needed only when several tenants have events of this id.
    #[arg(long, short)]
    pub tenant: Option<String>,
    /// The connection; defaults to `sandbox`, or the only connection there is.
    #[arg(long, short)]
    pub connection: Option<String>,
}

pub async fn run(app: &Storelens, command: EventsCommand, out: &Output) -> Result<ExitCode> {
    let (anomalies, ok) = match command {
        EventsCommand::History {
            aggregate: a,
            offset,
            limit,
        } => {
            let name = app.resolve_name(a.connection.as_deref())?;
            let h = app
                .event_history(&name, &a.aggregate_id, a.tenant.as_deref(), offset, limit)
                .await?;
            out.print(&h, render_history);
            (h.anomaly_count, true)
        }
        EventsCommand::State { aggregate: a, at } => {
            let name = app.resolve_name(a.connection.as_deref())?;
            let s = app
                .state_at(&name, &a.aggregate_id, a.tenant.as_deref(), &at)
                .await?;
            out.print(&s, render_state);
            (s.anomalies.len() as u32, true)
        }
        EventsCommand::List {
            tenant,
            aggregate_type,
            aggregate,
            event_type,
            actor,
            correlation,
            causation,
            event,
            after,
            limit,
            connection,
        } => {
            let name = app.resolve_name(connection.as_deref())?;
            let filter = EventFilter {
                aggregate_type,
                aggregate_id: aggregate,
                event_type,
                actor,
                correlation,
                causation,
                event_id: event,
                after,
                limit: Some(limit),
            };
            let page = app.tenant_events(&name, &tenant, filter).await?;
            out.print(&page, |p| {
                let columns = [
                    "time",
                    "seq",
                    "aggregate",
                    "type",
                    "event type",
                    "actor",
                    "event id",
                    "causation",
                    "correlation",
                ]
                .map(String::from)
                .to_vec();
                let rows: Vec<Vec<Option<String>>> = p
                    .events
                    .iter()
                    .map(|e| {
                        vec![
                            Some(e.event.time.clone()),
                            e.event.sequence.clone(),
                            e.aggregate_id.clone(),
                            e.aggregate_type.clone(),
                            Some(e.event.event_type.clone()),
                            e.event.actor.clone(),
                            e.event.id.clone(),
                            e.event.causation.clone(),
                            e.event.correlation.clone(),
                        ]
                    })
                    .collect();
                let next = match &p.next_after {
                    Some(n) => format!("next page: --after '{n}'"),
                    None => "last page".to_owned(),
                };
                format!(
                    "{}\n{} events; {next}",
                    grid(&columns, &rows),
                    p.events.len()
                )
            });
            (0, true)
        }
        EventsCommand::TenantState {
            tenant,
            at,
            aggregate_type,
            out: dest,
            connection,
        } => {
            let name = app.resolve_name(connection.as_deref())?;
            let task = format!("cli-tenant-state-{}", std::process::id());
            let summary = app
                .tenant_state(
                    &name,
                    &tenant,
                    &at,
                    aggregate_type.as_deref(),
                    dest,
                    &task,
                    |p| eprintln!("… {} events, {} aggregates", p.events, p.aggregates),
                )
                .await?;
            out.print(&summary, |s| {
                format!(
                    "{} aggregates ({} live) from {} events as of {}, {} with anomalies: {} ({} bytes, {} ms)",
                    s.aggregates, s.live, s.events, s.at, s.with_anomalies, s.path, s.bytes, s.elapsed_ms
                )
            });
            (summary.with_anomalies, true)
        }
        EventsCommand::Compare { aggregate: a } => {
            let name = app.resolve_name(a.connection.as_deref())?;
            let c = app
                .compare_stores(&name, &a.aggregate_id, a.tenant.as_deref())
                .await?;
            out.print(&c, render_comparison);
            let differs = c
                .stores
                .iter()
                .any(|s| !matches!(s.verdict, Verdict::InSync));
            (0, !differs)
        }
        EventsCommand::Diff {
            aggregate: a,
            from,
            to,
        } => {
            let name = app.resolve_name(a.connection.as_deref())?;
            let d = app
                .state_diff(&name, &a.aggregate_id, a.tenant.as_deref(), &from, &to)
                .await?;
            out.print(&d, render_diff);
            ((d.from.anomalies.len() + d.to.anomalies.len()) as u32, true)
        }
    };
    Ok(if anomalies > 0 || !ok {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn change_line(c: &PathChange) -> String {
    match c {
        PathChange::Added { path, value } if path.is_empty() => {
            format!("  + (created) {}", json(value))
        }
        PathChange::Removed { path, .. } if path.is_empty() => "  - (deleted)".to_owned(),
        PathChange::Added { path, value } => format!("  + {path} = {}", json(value)),
        PathChange::Removed { path, old } => format!("  - {path} (was {})", json(old)),
        PathChange::Changed { path, old, new } => {
            format!("  ~ {path}: {} -> {}", json(old), json(new))
        }
    }
}

fn render_history(h: &AggregateHistory) -> String {
    let mut out = vec![format!(
        "{} {} of tenant {}: {} events, {} with anomalies ({} ms)",
        h.aggregate_type.as_deref().unwrap_or("aggregate"),
        h.aggregate_id,
        h.tenant.slug,
        h.total_events,
        h.anomaly_count,
        h.elapsed_ms
    )];
    for s in &h.steps {
        let seq = s.event.sequence.as_deref().unwrap_or("-");
        out.push(format!(
            "#{:<5} seq {seq:<8} {}  {}  v{}{}",
            s.index,
            s.event.time,
            s.event.event_type,
            s.version,
            s.event
                .actor
                .as_deref()
                .map(|a| format!("  by {a}"))
                .unwrap_or_default()
        ));
        out.extend(s.changes.iter().map(change_line));
        out.extend(s.anomalies.iter().map(|a| {
            format!(
                "  ! {} (event {})",
                a.message,
                s.event.id.as_deref().unwrap_or("?")
            )
        }));
    }
    if (h.offset as usize + h.steps.len()) < h.total_events as usize {
        out.push(format!(
            "(steps {}..{} of {}; --offset for more)",
            h.offset,
            h.offset as usize + h.steps.len(),
            h.total_events
        ));
    }
    out.push(format!(
        "state: {}",
        h.state
            .as_ref()
            .map_or("(none: deleted or never created)".into(), |s| {
                serde_json::to_string_pretty(s).unwrap_or_default()
            })
    ));
    out.join("\n")
}

fn render_state(s: &StateAt) -> String {
    let mut out = vec![format!(
        "{} {} of tenant {} at {}: {} of {} events, version {}",
        s.aggregate_type.as_deref().unwrap_or("aggregate"),
        s.aggregate_id,
        s.tenant.slug,
        s.at,
        s.events_before,
        s.total_events,
        s.version
    )];
    if let Some(e) = &s.last_event {
        out.push(format!(
            "last event: {} {} (seq {})",
            e.time,
            e.event_type,
            e.sequence.as_deref().unwrap_or("-")
        ));
    }
    out.extend(s.anomalies.iter().map(|a| {
        format!(
            "! #{} {} (event {})",
            a.index,
            a.anomaly.message,
            a.event_id.as_deref().unwrap_or("?")
        )
    }));
    out.push(
        s.state
            .as_ref()
            .map_or("(no state: deleted or not yet created)".into(), |v| {
                serde_json::to_string_pretty(v).unwrap_or_default()
            }),
    );
    out.join("\n")
}

fn render_comparison(c: &Comparison) -> String {
    let mut out = vec![format!(
        "{} {} of tenant {}: version {} of {} events",
        c.aggregate_type.as_deref().unwrap_or("aggregate"),
        c.aggregate_id,
        c.tenant.slug,
        c.version,
        c.total_events
    )];
    for s in &c.stores {
        let verdict = match &s.verdict {
            Verdict::InSync => "in sync".to_owned(),
            Verdict::Lag {
                behind,
                at_sequence,
                at_time,
            } => format!(
                "LAG: {behind} event(s) behind (reflects seq {} at {})",
                at_sequence.as_deref().unwrap_or("-"),
                at_time.as_deref().unwrap_or("-")
            ),
            Verdict::Drift => "DRIFT: matches no point of the history".to_owned(),
            Verdict::Missing => "MISSING: the aggregate is live".to_owned(),
            Verdict::Orphaned => "ORPHANED: the aggregate is deleted".to_owned(),
            Verdict::Unknown { reason } => format!("unknown: {reason}"),
        };
        out.push(format!(
            "{:<9} {:<50} {verdict}",
            s.store.as_str(),
            s.location
        ));
        out.extend(s.differences.iter().map(change_line));
    }
    out.join("\n")
}

fn render_diff(d: &StateDiff) -> String {
    let mut out = vec![format!(
        "{} from {} (version {}) to {} (version {}): {} changes",
        d.from.aggregate_id,
        d.from.at,
        d.from.version,
        d.to.at,
        d.to.version,
        d.changes.len()
    )];
    out.extend(d.changes.iter().map(change_line));
    out.join("\n")
}
