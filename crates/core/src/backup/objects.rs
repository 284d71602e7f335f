//! The object-storage part of a tenant backup: a copy of every object under the tenant's
//! prefix (its own bucket or the shared one, by the profile), each stored as a numbered file
//! (object keys are not safe file names) and listed in `objects/index.jsonl` with its key, size
//! and SHA-256. Measures: objects and bytes, with a hash over every key and checksum.

use std::path::Path;

use futures::StreamExt;
use object_store::ObjectStore;
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use super::artifact::{hex, ArtifactWriter};
use super::manifest::{Measure, Part};
use super::stop_if_cancelled;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::stores::objects::map_error;
use crate::tenants::Tenant;

const STORE: StoreKind = StoreKind::Objects;
const COPIES_AT_ONCE: usize = 8;

#[derive(serde::Serialize, serde::Deserialize)]
pub struct IndexEntry {
    pub key: String,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The tenant's prefix, or (`None`) the connection's whole bucket.
pub async fn backup(
    platform: &Platform,
    tenant: Option<&Tenant>,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<Part> {
    let objects = platform.objects()?;
    let (store, bucket, prefix, list_from) = match tenant {
        Some(tenant) => {
            let at = objects.tenant_objects(platform.profile.objects_spec()?, tenant)?;
            (at.store, at.bucket, at.prefix, at.list_from)
        }
        None => (
            objects.default_bucket(),
            platform
                .connection
                .objects
                .as_ref()
                .map(|o| o.bucket.clone())
                .unwrap_or_default(),
            String::new(),
            None,
        ),
    };
    let mut keys = Vec::new();
    let mut listing = store.list(list_from.as_ref());
    while let Some(meta) = listing.next().await {
        let meta = meta.map_err(map_error)?;
        if meta.location.as_ref().starts_with(prefix.as_str()) {
            keys.push(meta.location);
        }
    }
    keys.sort();
    let mut artifacts = Vec::new();
    let mut index = ArtifactWriter::create(root, "objects/index.jsonl").await?;
    let mut measured = ObjectsMeasure::default();
    // Copies run a few at a time (each file is synced on its own); the index keeps key order.
    let mut copies = futures::stream::iter(
        keys.iter()
            .cloned()
            .enumerate()
            .map(|(i, key)| copy_one(store.clone(), root.to_path_buf(), i, key, token.clone())),
    )
    .buffered(COPIES_AT_ONCE);
    let mut done = 0;
    while let Some(copied) = copies.next().await {
        let (key, file, artifact) = copied?;
        let bytes: u64 = artifact.bytes.parse().unwrap_or(0);
        measured.add(key.as_ref(), &artifact.sha256, bytes);
        let entry = IndexEntry {
            key: key.to_string(),
            file,
            bytes,
            sha256: artifact.sha256.clone(),
        };
        let mut line = serde_json::to_vec(&entry)
            .map_err(|e| Error::Internal(format!("encoding the index: {e}")))?;
        line.push(b'\n');
        index.write(&line).await?;
        artifacts.push(artifact);
        done += 1;
        if done % 100 == 0 {
            progress(format!("objects: {done} of {}", keys.len()));
        }
    }
    artifacts.insert(0, index.finish().await?);
    Ok(Part {
        store: STORE,
        method: "objects_copy".into(),
        artifacts,
        measures: measured.measures(),
        source: format!("{bucket}/{prefix}"),
        elapsed_ms: 0, // set by the run
    })
}

/// Objects counted and hashed in key order: each key and its SHA-256.
#[derive(Default)]
pub(super) struct ObjectsMeasure {
    sha: Sha256,
    objects: u64,
    bytes: u64,
}

impl ObjectsMeasure {
    pub fn add(&mut self, key: &str, sha256: &str, bytes: u64) {
        self.sha.update(key.as_bytes());
        self.sha.update([0]);
        self.sha.update(sha256.as_bytes());
        self.objects += 1;
        self.bytes += bytes;
    }

    pub fn measures(self) -> Vec<Measure> {
        vec![
            Measure::new("objects", self.objects, Some(hex(&self.sha.finalize()))),
            Measure::new("bytes", self.bytes, None),
        ]
    }
}

/// One object into `objects/<i>.bin` (owned arguments: the copies run as a stream).
async fn copy_one(
    store: std::sync::Arc<object_store::aws::AmazonS3>,
    root: std::path::PathBuf,
    i: usize,
    key: object_store::path::Path,
    token: CancellationToken,
) -> Result<(object_store::path::Path, String, super::manifest::Artifact)> {
    stop_if_cancelled(&token)?;
    let file = format!("objects/{i:08}.bin");
    let mut out = ArtifactWriter::create(&root, &file).await?;
    let mut body = store.get(&key).await.map_err(map_error)?.into_stream();
    while let Some(chunk) = body.next().await {
        out.write(&chunk.map_err(map_error)?).await?;
    }
    Ok((key, file, out.finish().await?))
}
