//! Tenant-wide reconstruction at a time: every aggregate of a tenant (or of one type) as of T,
//! folded from one cursor over the tenant's log in (aggregate, time, sequence) order and written
//! as JSON Lines, one aggregate per line, as each aggregate ends. Memory holds one batch and one
//! state; the file is written under a `.partial` name and renamed only when complete.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::fold::{Anomaly, Folder};
use super::load::{log_columns, order_by, run_cursor, select_list, tenant_condition, Columns};
use crate::error::{Error, Result};
use crate::output_file;
use crate::platform::Platform;
use crate::tenants::Tenant;

/// Events between two progress reports.
const REPORT_EVERY: u64 = 50_000;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantStateProgress {
    pub events: String,
    pub aggregates: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TenantStateSummary {
    pub path: String,
    pub at: String,
    pub aggregates: u32,
    /// Aggregates live at T (the others are deleted at T).
    pub live: u32,
    pub events: String,
    /// Aggregates with at least one anomaly.
    pub with_anomalies: u32,
    pub bytes: String,
    pub elapsed_ms: u32,
}

/// One line of the output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line<'a> {
    aggregate_id: &'a str,
    aggregate_type: Option<&'a str>,
    version: u64,
    events: u64,
    deleted: bool,
    state: Option<&'a Value>,
    anomalies: &'a [(String, Anomaly)],
}

/// Folds every aggregate of `tenant` (of `aggregate_type` when given) up to `at` into `dest`.
#[allow(clippy::too_many_arguments)] // one use case
pub async fn tenant_state(
    platform: &Platform,
    tenant: &Tenant,
    at: chrono::DateTime<chrono::Utc>,
    aggregate_type: Option<&str>,
    dest: &Path,
    cancel: &CancellationToken,
    progress: &(dyn Fn(TenantStateProgress) + Send + Sync),
) -> Result<TenantStateSummary> {
    let started = std::time::Instant::now();
    let spec = platform.profile.events_spec()?;
    let space = platform.tenant_space(tenant)?;
    let columns = log_columns(platform, &space).await?;
    let at_text = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut binds = vec![at_text.clone()];
    let mut condition = format!("x.{} <= $1::timestamptz", spec.time_column.pg());
    if let Some(t) = aggregate_type {
        binds.push(t.to_owned());
        condition.push_str(&format!(
            " and x.{}::text = ${}",
            spec.aggregate_type_column.pg(),
            binds.len()
        ));
    }
    condition.push_str(&tenant_condition(
        &space, spec, &columns, &mut binds, tenant,
    ));
    let sql = format!(
        "select {} from {} x where {condition} order by {}",
        select_list(spec, Columns::Fold, &columns),
        space.table(&spec.table),
        order_by(spec, true)
    );

    let (file, partial) = output_file::create(dest)?;
    let mut out = std::io::BufWriter::with_capacity(output_file::WRITE_BUFFER, file);

    let mut current: Option<(String, Option<String>)> = None;
    let mut folder = Folder::new(&spec.semantics);
    let mut anomalies: Vec<(String, Anomaly)> = Vec::new();
    let mut counts = Counts::default();
    let mut failure: Option<Error> = None;
    let result = run_cursor(platform, &space, &sql, &binds, |logged| {
        if cancel.is_cancelled() {
            failure = Some(Error::Cancelled);
            return false;
        }
        let id = logged.aggregate_id.unwrap_or_default();
        if current.as_ref().is_some_and(|(c, _)| *c != id) {
            let (cid, cty) = current.take().unwrap_or_default();
            if let Err(e) = counts.write(&mut out, &cid, cty.as_deref(), &folder, &anomalies) {
                failure = Some(output_file::write_error(&partial, &e));
                return false;
            }
            folder = Folder::new(&spec.semantics);
            anomalies.clear();
        }
        if current.is_none() {
            current = Some((id, logged.aggregate_type));
        }
        let step = folder.apply(&logged.event);
        for a in step.anomalies {
            anomalies.push((logged.event.id.clone().unwrap_or_default(), a));
        }
        counts.events += 1;
        counts.aggregate_events += 1;
        if counts.events % REPORT_EVERY == 0 {
            progress(counts.progress());
        }
        true
    })
    .await;
    let finished = result
        .and_then(|()| failure.take().map_or(Ok(()), Err))
        .and_then(|()| {
            if let Some((cid, cty)) = current.take() {
                counts
                    .write(&mut out, &cid, cty.as_deref(), &folder, &anomalies)
                    .map_err(|e| output_file::write_error(&partial, &e))?;
            }
            let file = out
                .into_inner()
                .map_err(|e| output_file::write_error(&partial, &e))?;
            output_file::finish(file, &partial, dest)
        });
    match finished {
        Ok(bytes) => {
            progress(counts.progress());
            Ok(TenantStateSummary {
                path: dest.display().to_string(),
                at: at_text,
                aggregates: counts.aggregates,
                live: counts.live,
                events: counts.events.to_string(),
                with_anomalies: counts.with_anomalies,
                bytes: bytes.to_string(),
                elapsed_ms: crate::tasks::elapsed_ms(started),
            })
        }
        Err(e) => {
            output_file::discard(&partial);
            Err(e)
        }
    }
}

#[derive(Default)]
struct Counts {
    events: u64,
    /// Events of the aggregate being folded.
    aggregate_events: u64,
    aggregates: u32,
    live: u32,
    with_anomalies: u32,
}

impl Counts {
    fn progress(&self) -> TenantStateProgress {
        TenantStateProgress {
            events: self.events.to_string(),
            aggregates: self.aggregates,
        }
    }

    /// Writes the line of a finished aggregate and counts it.
    fn write(
        &mut self,
        out: &mut impl Write,
        id: &str,
        ty: Option<&str>,
        folder: &Folder<'_>,
        anomalies: &[(String, Anomaly)],
    ) -> std::io::Result<()> {
        self.aggregates += 1;
        if folder.state().is_some() {
            self.live += 1;
        }
        if !anomalies.is_empty() {
            self.with_anomalies += 1;
        }
        let line = Line {
            aggregate_id: id,
            aggregate_type: ty,
            version: folder.version(),
            events: self.aggregate_events,
            deleted: folder.state().is_none(),
            state: folder.state(),
            anomalies,
        };
        self.aggregate_events = 0;
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")
    }
}
