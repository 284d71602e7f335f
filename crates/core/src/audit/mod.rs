//! The tenant audit: every check of a tenant's data across the stores, run in turn with
//! progress and cancel, gathered into one report of [`Finding`]s. A check that cannot run (its
//! store is down, the profile gives it nothing) is reported as failed or skipped and the others
//! go on.
//!
//! Checks: the read model against the fold of the log; graph nodes against rows, and
//! relationships that leave the tenant; the cache (stale, orphaned, without a mandatory TTL);
//! objects against rows; the tenant's id under another tenant's keys or objects; sensitive
//! values where the profile forbids them; the newest verified backup's age.

mod backups;
mod graph;
pub mod html;
mod isolation;
mod objects;
mod row_ids;
pub mod sensitive;

use std::time::Instant;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::error::{Error, ErrorCode, Result};
use crate::findings::{Finding, Severity};
use crate::lookup::TenantRef;
use crate::platform::Platform;
use crate::tenants::Tenant;

/// The checks, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AuditCheck {
    ReadModel,
    GraphNodes,
    CrossTenantRelationships,
    Cache,
    Objects,
    Isolation,
    SensitiveCacheValues,
    Backups,
}

impl AuditCheck {
    pub const ALL: [AuditCheck; 8] = [
        Self::ReadModel,
        Self::GraphNodes,
        Self::CrossTenantRelationships,
        Self::Cache,
        Self::Objects,
        Self::Isolation,
        Self::SensitiveCacheValues,
        Self::Backups,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Self::ReadModel => "read model against the fold of the event log",
            Self::GraphNodes => "graph nodes against rows (and sensitive properties)",
            Self::CrossTenantRelationships => "relationships to other tenants' nodes",
            Self::Cache => "cache entries against rows, and mandatory TTLs",
            Self::Objects => "objects against rows",
            Self::Isolation => "the tenant's id under other tenants' keys and objects",
            Self::SensitiveCacheValues => "sensitive values in cached values",
            Self::Backups => "the newest verified backup",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditProgress {
    pub check: AuditCheck,
    /// Checks finished, of `checks`.
    pub checks_done: u32,
    pub checks: u32,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Ran and found nothing.
    Clean,
    /// Ran and found something.
    Findings,
    /// Could not run to its end (see `error`); its findings so far are not kept.
    Failed,
    /// Nothing to check here (the profile or the connection has no such store or rule).
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CheckError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CheckRun {
    pub check: AuditCheck,
    pub status: CheckStatus,
    /// Items examined: rows, aggregates, nodes, keys, objects, backups.
    pub checked: String,
    pub findings: u32,
    /// What a reader should know (why skipped, the newest backup's age, ...).
    pub notes: Vec<String>,
    pub error: Option<CheckError>,
    pub elapsed_ms: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SeverityCount {
    pub severity: Severity,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    /// Names this report for exports.
    pub id: String,
    pub connection: String,
    pub profile: String,
    pub tenant: TenantRef,
    pub started_at: String,
    pub elapsed_ms: u32,
    pub checks: Vec<CheckRun>,
    /// Worst first.
    pub findings: Vec<Finding>,
    /// Findings per severity, worst first (severities without findings left out).
    pub summary: Vec<SeverityCount>,
}

impl AuditReport {
    /// Whether a finding at or above `severity` exists.
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= severity)
    }
}

/// What one check did.
#[derive(Default)]
pub(crate) struct Outcome {
    pub checked: u64,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    /// Nothing to check (the reason is the first note).
    pub skipped: bool,
}

impl Outcome {
    pub fn skipped(why: impl Into<String>) -> Self {
        Self {
            skipped: true,
            notes: vec![why.into()],
            ..Self::default()
        }
    }
}

/// What the checks share: the platform, the tenant, the row ids read once per entity table.
pub(crate) struct AuditContext<'a> {
    pub platform: &'a Platform,
    pub tenant: &'a Tenant,
    pub cancel: &'a CancellationToken,
    pub progress: &'a (dyn Fn(String) + Send + Sync),
    pub row_ids: &'a row_ids::RowIds,
    /// Where to look for backups.
    pub backups: &'a std::path::Path,
}

/// Runs every check on `tenant`.
pub async fn audit(
    platform: &Platform,
    tenant: &Tenant,
    backups: std::path::PathBuf,
    cancel: &CancellationToken,
    progress: &(dyn Fn(AuditProgress) + Send + Sync),
) -> Result<AuditReport> {
    let started = Instant::now();
    let started_at = crate::timetravel::fold::rfc3339(&chrono::Utc::now());
    let total = AuditCheck::ALL.len() as u32;
    let say = |check: AuditCheck, done: u32, message: String| {
        progress(AuditProgress {
            check,
            checks_done: done,
            checks: total,
            message,
        });
    };
    say(AuditCheck::ReadModel, 0, "reading row ids".into());
    let row_ids = row_ids::RowIds::read(platform, tenant, cancel).await;
    let mut checks = Vec::new();
    let mut findings = Vec::new();
    for (i, check) in AuditCheck::ALL.into_iter().enumerate() {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let done = i as u32;
        say(check, done, format!("{}: starting", check.describe()));
        let report = move |message: String| say(check, done, message);
        let cx = AuditContext {
            platform,
            tenant,
            cancel,
            progress: &report,
            row_ids: &row_ids,
            backups: &backups,
        };
        let check_started = Instant::now();
        let outcome = run_check(&cx, check).await;
        let elapsed_ms = crate::tasks::elapsed_ms(check_started);
        let run = match outcome {
            Ok(o) => {
                let status = match (o.skipped, o.findings.is_empty()) {
                    (true, _) => CheckStatus::Skipped,
                    (false, true) => CheckStatus::Clean,
                    (false, false) => CheckStatus::Findings,
                };
                let run = CheckRun {
                    check,
                    status,
                    checked: o.checked.to_string(),
                    findings: o.findings.len() as u32,
                    notes: o.notes,
                    error: None,
                    elapsed_ms,
                };
                findings.extend(o.findings);
                run
            }
            Err(Error::Cancelled) => return Err(Error::Cancelled),
            Err(e) => CheckRun {
                check,
                status: CheckStatus::Failed,
                checked: "0".into(),
                findings: 0,
                notes: Vec::new(),
                error: Some(CheckError {
                    code: e.code(),
                    message: e.to_string(),
                }),
                elapsed_ms,
            },
        };
        checks.push(run);
    }
    say(AuditCheck::Backups, total, "done".into());
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.subject.cmp(&b.subject))
    });
    let mut summary: Vec<SeverityCount> = Vec::new();
    for f in &findings {
        match summary.last_mut() {
            Some(s) if s.severity == f.severity => s.count += 1,
            _ => summary.push(SeverityCount {
                severity: f.severity,
                count: 1,
            }),
        }
    }
    Ok(AuditReport {
        id: format!(
            "{}-{}",
            tenant.slug,
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ),
        connection: platform.name().to_owned(),
        profile: platform.profile.name.clone(),
        tenant: TenantRef::from(tenant),
        started_at,
        elapsed_ms: crate::tasks::elapsed_ms(started),
        checks,
        findings,
        summary,
    })
}

async fn run_check(cx: &AuditContext<'_>, check: AuditCheck) -> Result<Outcome> {
    // Boxed as `Send` here, where the lifetimes are concrete (rust#102211 otherwise).
    let running: futures::future::BoxFuture<'_, Result<Outcome>> = match check {
        AuditCheck::ReadModel => Box::pin(read_model(cx)),
        AuditCheck::GraphNodes => Box::pin(graph::nodes(cx)),
        AuditCheck::CrossTenantRelationships => Box::pin(graph::cross_tenant(cx)),
        AuditCheck::Cache => Box::pin(cache(cx)),
        AuditCheck::Objects => Box::pin(objects::check(cx)),
        AuditCheck::Isolation => Box::pin(isolation::check(cx)),
        AuditCheck::SensitiveCacheValues => Box::pin(isolation::sensitive_cache(cx)),
        AuditCheck::Backups => Box::pin(backups::check(cx)),
    };
    running.await
}

async fn read_model(cx: &AuditContext<'_>) -> Result<Outcome> {
    if cx.platform.profile.events.is_none() {
        return Ok(Outcome::skipped("the profile has no event log"));
    }
    let ids = cx.row_ids.all()?;
    let done =
        crate::timetravel::read_model::check(cx.platform, cx.tenant, ids, cx.cancel, cx.progress)
            .await?;
    Ok(Outcome {
        checked: done.aggregates + done.rows,
        findings: done.findings,
        notes: vec![format!(
            "{} events folded into {} aggregates; {} rows",
            done.events, done.aggregates, done.rows
        )],
        skipped: false,
    })
}

async fn cache(cx: &AuditContext<'_>) -> Result<Outcome> {
    if cx.platform.redis.is_none() || cx.platform.profile.cache.is_none() {
        return Ok(Outcome::skipped(
            "no cache on this connection or in the profile",
        ));
    }
    let progress = |p: crate::cache::audit::CacheAuditProgress| {
        (cx.progress)(format!(
            "cache: {} keys scanned, {} entities compared",
            p.keys_scanned, p.checked
        ));
    };
    let done = crate::cache::audit::audit(cx.platform, cx.tenant, cx.cancel, &progress).await?;
    Ok(Outcome {
        checked: done.keys_scanned.parse().unwrap_or(0),
        findings: done.findings,
        notes: vec![format!(
            "{} keys under {}; {} checked for a TTL; {} entities compared with their rows",
            done.keys_scanned, done.prefix, done.ttl_checked, done.entities_checked
        )],
        skipped: false,
    })
}
