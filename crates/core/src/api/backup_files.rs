//! Where a backup's files are: a local folder, or an S3 prefix on the connection's object
//! storage (uploaded after the run, downloaded into a local folder to verify or restore).

use std::path::PathBuf;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::backup::catalog;
use crate::backup::location::{BackupLocation, RemoteBackups};
use crate::backup::manifest::Manifest;
use crate::backup::run::{self, BackupProgress, BackupScope};
use crate::backup::verify;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;

use super::Storelens;

impl Storelens {
    /// The destination a caller named (a folder or `s3://bucket/prefix`), or `backups` in the
    /// data folder.
    pub(super) fn backup_location(&self, destination: Option<&str>) -> Result<BackupLocation> {
        BackupLocation::parse(destination, self.dirs.data.join("backups"))
    }

    /// Where a run writes: the folder itself, or a local staging folder and the S3 prefix it is
    /// uploaded to.
    pub(super) async fn backup_target(
        &self,
        connection: &str,
        destination: Option<&str>,
    ) -> Result<(PathBuf, Option<RemoteBackups>)> {
        Ok(match self.backup_location(destination)? {
            BackupLocation::Local(folder) => (folder, None),
            BackupLocation::S3 { bucket, prefix } => (
                self.dirs.data.join("backups-staging"),
                Some(
                    self.remote_backups(Some(connection), &bucket, &prefix)
                        .await?,
                ),
            ),
        })
    }

    /// Backups under `s3://bucket/prefix` on the connection's object-storage server, never in
    /// the platform's own bucket.
    pub(super) async fn remote_backups(
        &self,
        connection: Option<&str>,
        bucket: &str,
        prefix: &str,
    ) -> Result<RemoteBackups> {
        let Some(connection) = connection else {
            return Err(Error::InvalidInput(
                "backups in S3 are reached through a connection's object storage: name one".into(),
            ));
        };
        let platform = self.platform(connection).await?;
        let objects = platform.objects()?;
        if platform
            .connection
            .objects
            .as_ref()
            .is_some_and(|o| o.bucket == bucket)
        {
            return Err(Error::InvalidInput(format!(
                "backups go to a bucket other than the platform's own ({bucket})"
            )));
        }
        Ok(RemoteBackups {
            store: objects.bucket(bucket)?,
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// A backup's folder on this machine: its own, or a fresh download of one kept in S3.
    pub(super) async fn open_backup(
        &self,
        connection: &str,
        destination: Option<&str>,
        id: &str,
    ) -> Result<OpenBackup> {
        match self.backup_location(destination)? {
            BackupLocation::Local(folder) => Ok(OpenBackup {
                dir: catalog::backup_dir(&folder, id)?,
                remote: None,
            }),
            BackupLocation::S3 { bucket, prefix } => {
                catalog::check_id(id)?;
                let remote = self
                    .remote_backups(Some(connection), &bucket, &prefix)
                    .await?;
                let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
                let dir = self
                    .dirs
                    .data
                    .join("backups-cache")
                    .join(format!("{id}.{suffix}"));
                if let Err(e) = remote.download(id, &dir).await {
                    let _ = tokio::fs::remove_dir_all(&dir).await;
                    return Err(e);
                }
                Ok(OpenBackup {
                    dir,
                    remote: Some((remote, id.to_owned())),
                })
            }
        }
    }
}

/// A backup opened on this machine; one downloaded from S3 is removed again by `close`, which
/// first uploads its new verification when asked.
pub(super) struct OpenBackup {
    pub dir: PathBuf,
    remote: Option<(RemoteBackups, String)>,
}

impl OpenBackup {
    pub async fn close(self, upload_verification: bool) -> Result<()> {
        let Some((remote, id)) = self.remote else {
            return Ok(());
        };
        let uploaded = if upload_verification {
            let file = self.dir.join(verify::VERIFICATION_FILE);
            remote.put_file(&id, verify::VERIFICATION_FILE, &file).await
        } else {
            Ok(())
        };
        let _ = tokio::fs::remove_dir_all(&self.dir).await;
        uploaded
    }
}

/// A backup run, then its upload when it goes to S3 (the local copy is removed after). Owned
/// arguments: it runs as its own task.
pub(super) async fn run_owned(
    platform: Arc<Platform>,
    scope: BackupScope,
    folder: PathBuf,
    remote: Option<RemoteBackups>,
    token: CancellationToken,
    progress: impl Fn(BackupProgress) + Send + Sync + 'static,
) -> Result<(Manifest, String)> {
    let (manifest, path) = run::run(&platform, &scope, &folder, &token, &progress).await?;
    let Some(remote) = remote else {
        return Ok((manifest, path.display().to_string()));
    };
    let parts = manifest.parts.len() as u32;
    let say = |message: String| {
        progress(BackupProgress {
            store: StoreKind::Objects,
            parts_done: parts,
            parts,
            message,
        });
    };
    let uploaded = remote.upload(&manifest.id, &path, &say).await;
    let _ = tokio::fs::remove_dir_all(&path).await;
    uploaded?;
    let path = remote.describe(&manifest.id);
    Ok((manifest, path))
}
