//! Where backups are kept: a local folder (the default), or `s3://bucket/prefix` on the
//! connection's object-storage server, in a bucket other than the platform's own.
//!
//! A backup to S3 is taken into a local staging folder as usual, then uploaded file by file
//! with its manifest last: a prefix without a manifest is never a backup. Verifying or
//! restoring one downloads it into a local folder first, and a verification is uploaded back
//! beside the manifest.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::TryStreamExt;
use object_store::aws::AmazonS3;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;
use tokio::io::AsyncWriteExt;

use super::artifact::{read_error, write_error};
use crate::error::{Error, Result};
use crate::stores::objects::map_error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupLocation {
    Local(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl BackupLocation {
    /// `s3://bucket[/prefix]`, a folder, or nothing for `default`.
    pub fn parse(text: Option<&str>, default: PathBuf) -> Result<Self> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(Self::Local(default));
        };
        let Some(rest) = text.strip_prefix("s3://") else {
            return Ok(Self::Local(PathBuf::from(text)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        let bucket_ok = !bucket.is_empty()
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !bucket_ok || prefix.split('/').any(|s| s == ".." || s == ".") {
            return Err(Error::InvalidInput(format!(
                "{text:?} is not s3://bucket/prefix (a bucket name of a-z, 0-9, - and .)"
            )));
        }
        if !prefix.is_empty() {
            ObjectPath::parse(prefix).map_err(|e| Error::InvalidInput(format!("{text:?}: {e}")))?;
        }
        Ok(Self::S3 {
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Local(p) => p.display().to_string(),
            Self::S3 { bucket, prefix } if prefix.is_empty() => format!("s3://{bucket}"),
            Self::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
        }
    }
}

/// A bucket and prefix holding backups, one folder (`<prefix>/<id>/`) each.
pub struct RemoteBackups {
    pub store: Arc<AmazonS3>,
    pub bucket: String,
    pub prefix: String,
}

impl RemoteBackups {
    /// The key of `rel` in backup `id`.
    fn key(&self, id: &str, rel: &str) -> Result<ObjectPath> {
        let key = match self.prefix.as_str() {
            "" => format!("{id}/{rel}"),
            p => format!("{p}/{id}/{rel}"),
        };
        ObjectPath::parse(&key).map_err(|e| Error::InvalidInput(format!("{key}: {e}")))
    }

    pub fn describe(&self, id: &str) -> String {
        match self.prefix.as_str() {
            "" => format!("s3://{}/{id}", self.bucket),
            p => format!("s3://{}/{p}/{id}", self.bucket),
        }
    }

    /// Uploads every file of the backup in `dir`, `manifest.json` last; on failure removes
    /// what it uploaded.
    pub async fn upload(
        &self,
        id: &str,
        dir: &Path,
        progress: &(dyn Fn(String) + Send + Sync),
    ) -> Result<()> {
        let mut files = super::artifact::files_under(dir, "").await?;
        files.retain(|f| f != super::manifest::MANIFEST_FILE);
        files.push(super::manifest::MANIFEST_FILE.into());
        let count = files.len();
        for (i, rel) in files.iter().enumerate() {
            if let Err(e) = self.put_file(id, rel, &dir.join(rel)).await {
                let _ = self.remove(id).await;
                return Err(e);
            }
            if (i + 1) % 50 == 0 || i + 1 == count {
                progress(format!("uploading: {} of {count} files", i + 1));
            }
        }
        Ok(())
    }

    /// One local file to `rel` of backup `id`, streamed (multipart when large).
    pub async fn put_file(&self, id: &str, rel: &str, path: &Path) -> Result<()> {
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| read_error(path, &e))?;
        let store: Arc<dyn ObjectStore> = self.store.clone();
        let mut out = object_store::buffered::BufWriter::new(store, self.key(id, rel)?);
        let copied = tokio::io::copy(&mut file, &mut out).await;
        match copied {
            Ok(_) => out.shutdown().await.map_err(|e| upload_error(rel, &e)),
            Err(e) => {
                let _ = out.abort().await;
                Err(upload_error(rel, &e))
            }
        }
    }

    /// Downloads backup `id` into `dir` (which must not exist yet).
    pub async fn download(&self, id: &str, dir: &Path) -> Result<()> {
        let folder = self.key(id, "")?;
        let keys = self.keys_under(&folder).await?;
        if keys.is_empty() {
            return Err(Error::NotFound(format!(
                "no backup {id} in {}",
                self.describe("")
            )));
        }
        let strip = format!("{}/", folder.as_ref());
        for key in keys {
            let rel = key.as_ref().strip_prefix(&strip).unwrap_or(key.as_ref());
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                tokio::fs::create_dir_all(parent)
                    .await
                    .map_err(|e| write_error(parent, &e))?;
            }
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|e| write_error(&path, &e))?;
            let mut body = self.store.get(&key).await.map_err(map_error)?.into_stream();
            while let Some(chunk) = body.try_next().await.map_err(map_error)? {
                out.write_all(&chunk)
                    .await
                    .map_err(|e| write_error(&path, &e))?;
            }
            out.flush().await.map_err(|e| write_error(&path, &e))?;
        }
        Ok(())
    }

    /// The backup ids (folders) under the prefix.
    pub async fn ids(&self) -> Result<Vec<String>> {
        let prefix = (!self.prefix.is_empty()).then(|| ObjectPath::from(self.prefix.as_str()));
        let listing = self
            .store
            .list_with_delimiter(prefix.as_ref())
            .await
            .map_err(map_error)?;
        Ok(listing
            .common_prefixes
            .into_iter()
            .filter_map(|p| p.filename().map(str::to_owned))
            .collect())
    }

    /// A small file of backup `id` (the manifest, the verification), if it is there.
    pub async fn read(&self, id: &str, rel: &str) -> Result<Option<Vec<u8>>> {
        match self.store.get(&self.key(id, rel)?).await {
            Ok(got) => Ok(Some(got.bytes().await.map_err(map_error)?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    async fn keys_under(&self, folder: &ObjectPath) -> Result<Vec<ObjectPath>> {
        self.store
            .list(Some(folder))
            .map_ok(|m| m.location)
            .try_collect()
            .await
            .map_err(map_error)
    }

    async fn remove(&self, id: &str) -> Result<()> {
        let folder = self.key(id, "")?;
        for key in self.keys_under(&folder).await? {
            self.store.delete(&key).await.map_err(map_error)?;
        }
        Ok(())
    }
}

fn upload_error(rel: &str, e: &std::io::Error) -> Error {
    Error::unavailable(
        crate::error::StoreKind::Objects,
        format!("uploading {rel}: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: Option<&str>, expect: std::result::Result<BackupLocation, ()>) {
        let got = BackupLocation::parse(text, PathBuf::from("/data/backups")).map_err(|_| ());
        assert_eq!(got, expect, "{text:?}");
    }

    #[test]
    fn parses_folders_and_buckets() {
        let s3 = |b: &str, p: &str| {
            Ok(BackupLocation::S3 {
                bucket: b.into(),
                prefix: p.into(),
            })
        };
        check(None, Ok(BackupLocation::Local("/data/backups".into())));
        check(
            Some("  "),
            Ok(BackupLocation::Local("/data/backups".into())),
        );
        check(Some("/mnt/b"), Ok(BackupLocation::Local("/mnt/b".into())));
        check(Some("s3://backups"), s3("backups", ""));
        check(Some("s3://backups/"), s3("backups", ""));
        check(Some("s3://backups/prod/eu/"), s3("backups", "prod/eu"));
        check(Some("s3://"), Err(()));
        check(Some("s3://Bad_Bucket/x"), Err(()));
        check(Some("s3://b/../x"), Err(()));
    }
}
