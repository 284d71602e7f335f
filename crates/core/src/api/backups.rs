//! Backups: take a tenant's, list them, verify one.

use std::path::PathBuf;

use serde::Serialize;

use crate::backup::catalog::{self, Catalog};
use crate::backup::manifest::Manifest;
use crate::backup::run::{self, BackupProgress, BackupRequest};
use crate::backup::verify::{self, Verification};
use crate::error::Result;

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
    /// The destination a caller named, or `backups` in the data folder.
    fn backup_destination(&self, destination: Option<&str>) -> PathBuf {
        match destination.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => PathBuf::from(d),
            None => self.dirs.data.join("backups"),
        }
    }

    /// Backs up a tenant in every store (task `task_id`, progress per part).
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
        let tenant = tenant_of(&platform, &request.tenant).await?;
        let destination = self.backup_destination(request.destination.as_deref());
        let token = task.token().clone();
        // Its own task: it owns what it uses, and a long backup stays off the IPC worker.
        let (manifest, path) = tokio::spawn(async move {
            run::run(&platform, &tenant, &destination, &token, &progress).await
        })
        .await
        .map_err(|e| crate::error::Error::Internal(format!("the backup task failed: {e}")))??;
        drop(task);
        tracing::info!(id = %manifest.id, path = %path.display(), "backup complete");
        Ok(BackupSummary {
            path: path.display().to_string(),
            manifest,
        })
    }

    /// The backups in a destination, newest first.
    #[tracing::instrument(skip(self), err)]
    pub async fn backup_list(&self, destination: Option<String>) -> Result<Catalog> {
        catalog::list(&self.backup_destination(destination.as_deref())).await
    }

    /// Checks a backup's files against its manifest and records the result.
    #[tracing::instrument(skip(self), err)]
    pub async fn backup_verify(
        &self,
        id: &str,
        destination: Option<String>,
    ) -> Result<Verification> {
        let dir = catalog::backup_dir(&self.backup_destination(destination.as_deref()), id)?;
        verify::checksums(&dir).await
    }
}
