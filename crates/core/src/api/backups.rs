//! Backups: take a tenant's, list them, verify one (files, and a restore into scratch), restore
//! one over a tenant's live data.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::backup::catalog::{self, Catalog};
use crate::backup::location::BackupLocation;
use crate::backup::manifest::{Manifest, TenantRef};
use crate::backup::restore::{restore_all, scratch_unavailable, Destination, RestoreCheck};
use crate::backup::run::{BackupProgress, BackupRequest, BackupScope};
use crate::backup::verify::{self, ScratchRestore, Verification};
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::tasks::TaskGuard;
use crate::tenants::Tenant;
use crate::write_log::WriteEntry;

use super::backup_files::run_owned;
use super::tenants::tenant_of;
use super::Storelens;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BackupSummary {
    pub path: String,
    pub manifest: Manifest,
}

impl Storelens {
    /// Backs up a tenant in every store, or one whole store (task `task_id`, progress per part).
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn backup_run(
        &self,
        connection: &str,
        request: BackupRequest,
        task_id: &str,
        progress: impl Fn(BackupProgress) + Send + Sync + 'static,
    ) -> Result<BackupSummary> {
        let task = self.tasks.start(task_id)?;
        let platform = self.platform(connection).await?;
        let scope = match (request.tenant.as_deref().map(str::trim), request.store) {
            (Some(t), None) if !t.is_empty() => BackupScope::Tenant(tenant_of(&platform, t).await?),
            (None, Some(store)) => BackupScope::Store(store),
            _ => {
                return Err(Error::InvalidInput(
                    "back up either a tenant or a whole store".into(),
                ))
            }
        };
        let (folder, remote) = self
            .backup_target(connection, request.destination.as_deref())
            .await?;
        let token = task.token().clone();
        // Its own task: it owns what it uses, and a long backup stays off the IPC worker.
        let (manifest, path) =
            tokio::spawn(run_owned(platform, scope, folder, remote, token, progress))
                .await
                .map_err(|e| Error::Internal(format!("the backup task failed: {e}")))??;
        drop(task);
        tracing::info!(id = %manifest.id, %path, "backup complete");
        Ok(BackupSummary { path, manifest })
    }

    /// The backups in a destination, newest first (an S3 destination needs the connection
    /// whose object storage holds it).
    #[tracing::instrument(skip(self), err)]
    pub async fn backup_list(
        &self,
        connection: Option<&str>,
        destination: Option<String>,
    ) -> Result<Catalog> {
        match self.backup_location(destination.as_deref())? {
            BackupLocation::Local(folder) => catalog::list(&folder).await,
            BackupLocation::S3 { bucket, prefix } => {
                let remote = self.remote_backups(connection, &bucket, &prefix).await?;
                catalog::list_remote(&remote).await
            }
        }
    }

    /// Checks a backup's files against its manifest and, when asked, restores it into scratch
    /// targets and compares (a guarded write: writes must be unlocked, and each store's
    /// scratch restore is entered in the write log first). Records the result beside it.
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn backup_verify(
        &self,
        connection: &str,
        request: VerifyRequest,
        task_id: &str,
        progress: impl Fn(BackupProgress) + Send + Sync + 'static,
    ) -> Result<Verification> {
        let task = self.tasks.start(task_id)?;
        let backup = self
            .open_backup(connection, request.destination.as_deref(), &request.id)
            .await?;
        let verified = self
            .verify_open(connection, &backup.dir, request.restore, &task, progress)
            .await;
        backup.close(verified.is_ok()).await?;
        drop(task);
        verified
    }

    async fn verify_open(
        &self,
        connection: &str,
        dir: &std::path::Path,
        restore: bool,
        task: &TaskGuard,
        progress: impl Fn(BackupProgress) + Send + Sync + 'static,
    ) -> Result<Verification> {
        if !restore {
            return verify::verify(dir, None).await;
        }
        let (platform, manifest, tenant) = self.restore_target(connection, dir).await?;
        let _scratch = self.scratch.lock().await;
        // Parts without a scratch target are skipped: nothing is written for them.
        let written = manifest
            .parts
            .iter()
            .map(|p| p.store)
            .filter(|&s| scratch_unavailable(&platform, tenant.is_none(), s).is_none())
            .collect();
        self.log_restore(
            connection,
            &manifest,
            written,
            "backup.verify_restore",
            "into scratch targets",
        )
        .await?;
        let token = task.token().clone();
        let dir = dir.to_path_buf();
        tokio::spawn(verify_owned(dir, platform, tenant, token, progress))
            .await
            .map_err(|e| Error::Internal(format!("the verification task failed: {e}")))?
    }

    /// Restores a tenant's backup over its live data in every store (a guarded write): rows,
    /// graph, keys and objects replaced by the backup's, events the log lacks added.
    #[tracing::instrument(skip(self, progress), err)]
    pub async fn backup_restore(
        &self,
        connection: &str,
        request: RestoreRequest,
        task_id: &str,
        progress: impl Fn(BackupProgress) + Send + Sync + 'static,
    ) -> Result<RestoreReport> {
        let task = self.tasks.start(task_id)?;
        let backup = self
            .open_backup(connection, request.destination.as_deref(), &request.id)
            .await?;
        let restored = self
            .restore_open(connection, backup.dir.clone(), &task, progress)
            .await;
        backup.close(false).await?;
        drop(task);
        restored
    }

    async fn restore_open(
        &self,
        connection: &str,
        dir: PathBuf,
        task: &TaskGuard,
        progress: impl Fn(BackupProgress) + Send + Sync + 'static,
    ) -> Result<RestoreReport> {
        let (platform, manifest, tenant) = self.restore_target(connection, &dir).await?;
        let Some(tenant) = tenant else {
            return Err(Error::InvalidInput(format!(
                "backup {} is of a whole store; Storelens restores tenant backups over live data \
                 (a whole database or graph is only restored into scratch, by verify --restore)",
                manifest.id
            )));
        };
        if manifest.connection != connection {
            return Err(Error::InvalidInput(format!(
                "backup {} was taken on connection {}; restore it there, not on {connection}",
                manifest.id, manifest.connection
            )));
        }
        // The files must be sound before anything live is replaced.
        let files = verify::verify(&dir, None).await?;
        if !files.passed {
            return Err(Error::InvalidInput(format!(
                "backup {} does not match its manifest; it is not restored (see its verification)",
                manifest.id
            )));
        }
        let log_entries = self
            .log_restore(
                connection,
                &manifest,
                manifest.parts.iter().map(|p| p.store).collect(),
                "backup.restore",
                "over the tenant's live data",
            )
            .await?;
        let token = task.token().clone();
        let tenant_ref = TenantRef::from(&tenant);
        let parts = tokio::spawn(restore_owned(
            dir,
            platform,
            manifest.clone(),
            tenant,
            token,
            progress,
        ))
        .await
        .map_err(|e| Error::Internal(format!("the restore task failed: {e}")))??;
        Ok(RestoreReport {
            backup: manifest.id,
            tenant: tenant_ref,
            passed: parts.len() == manifest.parts.len() && parts.iter().all(|p| p.passed),
            parts,
            log_entries,
        })
    }

    /// The platform (writes unlocked), the backup's manifest and its tenant on that platform
    /// (none for a whole store).
    async fn restore_target(
        &self,
        connection: &str,
        dir: &std::path::Path,
    ) -> Result<(Arc<Platform>, Manifest, Option<Tenant>)> {
        self.require_unlocked(connection)?;
        let manifest = catalog::read_manifest(dir).await?;
        let platform = self.platform(connection).await?;
        if manifest.profile != platform.profile.name {
            return Err(Error::InvalidInput(format!(
                "backup {} was taken with profile {}, connection {connection} uses {}",
                manifest.id, manifest.profile, platform.profile.name
            )));
        }
        let tenant = match &manifest.scope.tenant {
            Some(scope) => Some(tenant_of(&platform, &scope.id).await?),
            None => None,
        };
        Ok((platform, manifest, tenant))
    }

    /// One write log entry per store the restore writes to (`stores`), before it writes.
    async fn log_restore(
        &self,
        connection: &str,
        manifest: &Manifest,
        stores: Vec<StoreKind>,
        action: &'static str,
        how: &'static str,
    ) -> Result<Vec<WriteEntry>> {
        let (log, name) = (self.write_log.clone(), connection.to_owned());
        let id = manifest.id.clone();
        let of = match (&manifest.scope.tenant, manifest.scope.store) {
            (Some(t), _) => format!("tenant {}", t.slug),
            (None, Some(store)) => format!("whole {store}"),
            (None, None) => "nothing".to_owned(),
        };
        crate::tasks::blocking(move || {
            stores
                .into_iter()
                .map(|store| {
                    log.append(
                        &name,
                        store,
                        action,
                        vec![id.clone()],
                        format!("restore of {of} from backup {id} {how}"),
                    )
                })
                .collect()
        })
        .await
    }
}

/// Owned arguments: these run as their own tasks (a long restore stays off the IPC worker).
async fn verify_owned(
    dir: PathBuf,
    platform: Arc<Platform>,
    tenant: Option<Tenant>,
    token: CancellationToken,
    progress: impl Fn(BackupProgress) + Send + Sync + 'static,
) -> Result<Verification> {
    let restore = ScratchRestore {
        platform: &platform,
        tenant: tenant.as_ref(),
        token: &token,
        progress: &progress,
    };
    verify::verify(&dir, Some(restore)).await
}

async fn restore_owned(
    dir: PathBuf,
    platform: Arc<Platform>,
    manifest: Manifest,
    tenant: Tenant,
    token: CancellationToken,
    progress: impl Fn(BackupProgress) + Send + Sync + 'static,
) -> Result<Vec<RestoreCheck>> {
    restore_all(
        &platform,
        &manifest,
        Some(&tenant),
        &dir,
        Destination::Live,
        &token,
        &progress,
    )
    .await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct VerifyRequest {
    pub id: String,
    pub destination: Option<String>,
    /// Also restore into scratch targets and compare (needs unlocked writes).
    pub restore: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RestoreRequest {
    pub id: String,
    pub destination: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub backup: String,
    pub tenant: TenantRef,
    /// Every part restored and equal to the manifest.
    pub passed: bool,
    /// Part by part, in manifest order; a failure stops the restore, so later parts are absent.
    pub parts: Vec<RestoreCheck>,
    /// The write log entries made before writing.
    pub log_entries: Vec<WriteEntry>,
}
