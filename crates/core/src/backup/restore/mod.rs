//! Restoring a backup, store by store: into scratch targets, to prove it restores whole (the
//! second half of verification), or over the tenant's live data (a guarded write). Either way the
//! restored data is measured the way the backup measured its source, and compared with the
//! manifest: counts and content hashes, measure by measure.
//!
//! Scratch targets are a new database (or schema) on the PostgreSQL server, the connection's
//! scratch graph database and Redis database index (which must be empty), and a
//! `storelens-scratch/<backup>/` prefix in the bucket; each is emptied again afterwards.

mod graph;
mod objects;
mod postgres;
mod redis;

use std::path::Path;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::manifest::{Manifest, Measure, Part};
use super::run::BackupProgress;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::tenants::Tenant;

/// How the names of scratch databases and schemas begin. A backup of a whole database leaves
/// out such schemas: they belong to a verification running meanwhile, not to the platform.
pub const SCRATCH_PREFIX: &str = "storelens_scratch_";

/// Where a restore writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// Scratch targets, emptied afterwards: a check that the backup restores whole.
    Scratch,
    /// The tenant's own data, replaced by the backup's (events are only ever added).
    Live,
}

/// One part restored and compared with the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RestoreCheck {
    pub store: StoreKind,
    /// Where it was restored, e.g. `scratch database storelens_scratch_1a2b3c`.
    pub target: String,
    pub passed: bool,
    /// Not restored because the connection has no scratch target for this store (the reason
    /// is the first note); neither a pass nor a failure.
    pub skipped: bool,
    pub measures: Vec<MeasureCheck>,
    /// What a reader should know: what was skipped, kept or could not be reconnected.
    pub notes: Vec<String>,
    pub elapsed_ms: u32,
}

/// A measure of the manifest beside the same measure of the restored data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MeasureCheck {
    pub what: String,
    pub expected: String,
    pub found: String,
    /// Whether the content hashes agree (none when the measure has no hash).
    pub same_content: Option<bool>,
    pub passed: bool,
}

/// What a store's restore found.
pub(super) struct Restored {
    pub target: String,
    pub measures: Vec<Measure>,
    pub notes: Vec<String>,
}

/// What every store's restore needs.
pub(super) struct RestoreContext<'a> {
    pub platform: &'a Platform,
    pub manifest: &'a Manifest,
    /// The backup's tenant; none for a backup of a whole store.
    pub tenant: Option<&'a Tenant>,
    /// The backup's folder.
    pub dir: &'a Path,
    pub token: &'a CancellationToken,
    pub progress: &'a (dyn Fn(String) + Send + Sync),
}

impl RestoreContext<'_> {
    /// The tenant whose data a part holds (a part of a whole store holds no tenant's).
    pub fn tenant(&self) -> Result<&Tenant> {
        self.tenant.ok_or_else(|| {
            Error::InvalidInput(format!(
                "backup {} is of a whole store, not of a tenant",
                self.manifest.id
            ))
        })
    }

    /// A name for scratch targets, unique to this run: `storelens_scratch_<6 hex>`.
    pub fn scratch_name(&self) -> String {
        let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
        format!("{SCRATCH_PREFIX}{suffix}")
    }
}

/// Restores every part of the backup to `to`, in manifest order, each compared with the
/// manifest. `tenant` is the backup's tenant, none for a whole store (only into scratch).
/// Into scratch, a part that fails is reported and the next one is tried; over live data the
/// first failure stops the restore (the parts after it are left as they are). Cancelling stops
/// at once with `Cancelled`.
pub async fn restore_all(
    platform: &Platform,
    manifest: &Manifest,
    tenant: Option<&Tenant>,
    dir: &Path,
    to: Destination,
    token: &CancellationToken,
    progress: &(dyn Fn(BackupProgress) + Send + Sync),
) -> Result<Vec<RestoreCheck>> {
    let count = manifest.parts.len() as u32;
    let mut checks = Vec::new();
    for (i, part) in manifest.parts.iter().enumerate() {
        super::stop_if_cancelled(token)?;
        let store = part.store;
        let say = |message: String| {
            progress(BackupProgress {
                store,
                parts_done: i as u32,
                parts: count,
                message,
            });
        };
        say(format!("{store}: restoring"));
        let cx = RestoreContext {
            platform,
            manifest,
            tenant,
            dir,
            token,
            progress: &say,
        };
        let check = restore_part(&cx, part, to).await?;
        let failed = !check.passed && !check.skipped;
        checks.push(check);
        if failed && to == Destination::Live {
            break;
        }
    }
    Ok(checks)
}

/// Restores one part to `to` and compares it with the manifest; an error (other than a cancel)
/// is a failed check saying why.
async fn restore_part(
    cx: &RestoreContext<'_>,
    part: &Part,
    to: Destination,
) -> Result<RestoreCheck> {
    let started = std::time::Instant::now();
    let skip = match to {
        Destination::Scratch => scratch_unavailable(cx.platform, cx.tenant.is_none(), part.store),
        Destination::Live => None,
    };
    if let Some(why) = skip {
        return Ok(RestoreCheck {
            store: part.store,
            target: String::new(),
            passed: false,
            skipped: true,
            measures: Vec::new(),
            notes: vec![why],
            elapsed_ms: 0,
        });
    }
    // Boxed as `Send` here, where the lifetimes are concrete (rust#102211 otherwise).
    let restoring: futures::future::BoxFuture<'_, Result<Restored>> = match part.store {
        StoreKind::Postgres => Box::pin(postgres::restore(cx, part, to)),
        StoreKind::Graph => Box::pin(graph::restore(cx, part, to)),
        StoreKind::Redis => Box::pin(redis::restore(cx, part, to)),
        StoreKind::Objects => Box::pin(objects::restore(cx, part, to)),
    };
    let restored = restoring.await;
    let elapsed_ms = crate::tasks::elapsed_ms(started);
    let restored = match restored {
        Ok(r) => r,
        Err(Error::Cancelled) => return Err(Error::Cancelled),
        Err(e) => {
            return Ok(RestoreCheck {
                store: part.store,
                target: String::new(),
                passed: false,
                skipped: false,
                measures: Vec::new(),
                notes: vec![e.to_string()],
                elapsed_ms,
            })
        }
    };
    let measures = compare(&part.measures, &restored.measures);
    Ok(RestoreCheck {
        store: part.store,
        target: restored.target,
        passed: measures.iter().all(|m| m.passed),
        skipped: false,
        measures,
        notes: restored.notes,
        elapsed_ms,
    })
}

/// Why a part of `store` (of a whole store when `whole_store`) cannot be restored into scratch
/// on `platform`, if it cannot: a whole Redis or bucket, or no scratch target for its store.
pub fn scratch_unavailable(
    platform: &Platform,
    whole_store: bool,
    store: StoreKind,
) -> Option<String> {
    if whole_store && !matches!(store, StoreKind::Postgres | StoreKind::Graph) {
        return Some(format!(
            "not restored: of a whole store, only a database or a graph is restored into \
             scratch; the {store} part is checked by its files' checksums"
        ));
    }
    let missing = match store {
        StoreKind::Graph => platform.graph_scratch.is_none(),
        StoreKind::Redis => platform.redis_scratch.is_none(),
        StoreKind::Postgres | StoreKind::Objects => false,
    };
    missing.then(|| {
        format!(
            "not restored: connection {} names no scratch {} to restore into",
            platform.name(),
            match store {
                StoreKind::Graph => "graph database",
                _ => "Redis database index (a cluster has none)",
            }
        )
    })
}

/// Each measure of the manifest against the restore's measure of the same name.
pub(super) fn compare(expected: &[Measure], found: &[Measure]) -> Vec<MeasureCheck> {
    expected
        .iter()
        .map(|e| {
            let Some(f) = found.iter().find(|f| f.what == e.what) else {
                return MeasureCheck {
                    what: e.what.clone(),
                    expected: e.count.clone(),
                    found: "not measured".into(),
                    same_content: None,
                    passed: false,
                };
            };
            let same_content = match (&e.hash, &f.hash) {
                (Some(a), Some(b)) => Some(a == b),
                _ => None,
            };
            MeasureCheck {
                what: e.what.clone(),
                expected: e.count.clone(),
                found: f.count.clone(),
                same_content,
                passed: e.count == f.count && same_content != Some(false),
            }
        })
        .collect()
}

/// Runs `work`, then `cleanup` whatever `work` returned; a failed cleanup is a note on success
/// and is logged on failure (the work's own error is the one to report).
pub(super) async fn then_clean<T, W, C>(work: W, cleanup: C) -> Result<(T, Option<String>)>
where
    W: std::future::Future<Output = Result<T>>,
    C: std::future::Future<Output = Result<()>>,
{
    let out = work.await;
    let cleaned = cleanup.await;
    match (out, cleaned) {
        (Ok(v), Ok(())) => Ok((v, None)),
        (Ok(v), Err(e)) => Ok((v, Some(format!("the scratch target was not emptied: {e}")))),
        (Err(e), Ok(())) => Err(e),
        (Err(e), Err(c)) => {
            tracing::warn!(error = %c, "the scratch target was not emptied after a failed restore");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(what: &str, count: u64, hash: Option<&str>) -> Measure {
        Measure::new(what, count, hash.map(str::to_owned))
    }

    fn check(expected: &[Measure], found: &[Measure], expect: &[(&str, bool, Option<bool>)]) {
        let got: Vec<(String, bool, Option<bool>)> = compare(expected, found)
            .into_iter()
            .map(|c| (c.what, c.passed, c.same_content))
            .collect();
        let want: Vec<(String, bool, Option<bool>)> = expect
            .iter()
            .map(|(w, p, s)| ((*w).to_owned(), *p, *s))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn counts_and_hashes_must_both_agree() {
        check(
            &[m("rows a", 3, Some("x")), m("bytes", 10, None)],
            &[m("bytes", 10, None), m("rows a", 3, Some("x"))],
            &[("rows a", true, Some(true)), ("bytes", true, None)],
        );
        check(
            &[m("rows a", 3, Some("x"))],
            &[m("rows a", 3, Some("y"))],
            &[("rows a", false, Some(false))],
        );
        check(
            &[m("rows a", 3, Some("x"))],
            &[m("rows a", 2, Some("x"))],
            &[("rows a", false, Some(true))],
        );
        check(&[m("keys", 1, None)], &[], &[("keys", false, None)]);
    }
}
