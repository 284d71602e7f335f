//! Restoring the object-storage part: every object of the index put back under its key, either
//! below a scratch prefix `storelens-scratch/<backup>/` of the tenant's bucket (deleted
//! afterwards) or over the tenant's live prefix (objects the backup does not hold are deleted).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;
use sha2::{Digest, Sha256};
use tokio::io::AsyncBufReadExt;
use tokio_util::sync::CancellationToken;

use super::{then_clean, Destination, RestoreContext, Restored};
use crate::backup::artifact::{hex, read_error};
use crate::backup::manifest::{Measure, Part};
use crate::backup::objects::{IndexEntry, ObjectsMeasure};
use crate::error::{Error, Result};
use crate::stores::objects::map_error;

const AT_ONCE: usize = 8;
const SCRATCH: &str = "storelens-scratch";

pub(super) async fn restore(
    cx: &RestoreContext<'_>,
    _part: &Part,
    to: Destination,
) -> Result<Restored> {
    let spec = cx.platform.profile.objects_spec()?;
    let at = cx.platform.objects()?.tenant_objects(spec, cx.tenant()?)?;
    let index = read_index(cx).await?;
    match to {
        Destination::Scratch => {
            let scratch = format!("{SCRATCH}/{}/", cx.manifest.id);
            let folder = ObjectPath::parse(scratch.trim_end_matches('/'))
                .map_err(|e| Error::InvalidInput(format!("scratch prefix {scratch}: {e}")))?;
            let work = async {
                put_all(cx, &at.store, &index, &scratch).await?;
                measure(&at.store, Some(&folder), &scratch, &scratch).await
            };
            let clear = delete_under(&at.store, &folder);
            let (measures, note) = then_clean(work, clear).await?;
            Ok(Restored {
                target: format!("scratch prefix {}/{scratch}", at.bucket),
                measures,
                notes: note.into_iter().collect(),
            })
        }
        Destination::Live => {
            let wanted: BTreeSet<&str> = index.iter().map(|e| e.key.as_str()).collect();
            let present = list(&at.store, at.list_from.as_ref(), &at.prefix).await?;
            let mut removed = 0;
            for key in present.iter().filter(|k| !wanted.contains(k.as_ref())) {
                at.store.delete(key).await.map_err(map_error)?;
                removed += 1;
            }
            put_all(cx, &at.store, &index, "").await?;
            let measures = measure(&at.store, at.list_from.as_ref(), &at.prefix, "").await?;
            Ok(Restored {
                target: format!(
                    "tenant {} (live prefix {}/{})",
                    cx.tenant()?.slug,
                    at.bucket,
                    at.prefix
                ),
                measures,
                notes: vec![format!("{removed} objects not in the backup were deleted")],
            })
        }
    }
}

async fn read_index(cx: &RestoreContext<'_>) -> Result<Vec<IndexEntry>> {
    let path = cx.dir.join("objects/index.jsonl");
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| read_error(&path, &e))?;
    let mut lines = tokio::io::BufReader::new(file).lines();
    let mut out = Vec::new();
    while let Some(text) = lines.next_line().await.map_err(|e| read_error(&path, &e))? {
        out.push(serde_json::from_str(&text).map_err(|e| {
            Error::InvalidInput(format!("objects/index.jsonl line {}: {e}", out.len() + 1))
        })?);
    }
    Ok(out)
}

/// Every object of the index under `prefix` + its key, a few at a time.
async fn put_all(
    cx: &RestoreContext<'_>,
    store: &Arc<AmazonS3>,
    index: &[IndexEntry],
    prefix: &str,
) -> Result<()> {
    let jobs: Vec<(PathBuf, String)> = index
        .iter()
        .map(|e| (cx.dir.join(&e.file), format!("{prefix}{}", e.key)))
        .collect();
    let mut puts = futures::stream::iter(
        jobs.into_iter()
            .map(|(file, key)| put_one(store.clone(), file, key, cx.token.clone())),
    )
    .buffer_unordered(AT_ONCE);
    let mut done = 0;
    while let Some(put) = puts.next().await {
        put?;
        done += 1;
        if done % 100 == 0 {
            (cx.progress)(format!("objects: {done} of {} restored", index.len()));
        }
    }
    Ok(())
}

/// One file of the backup put at `key` (owned arguments: the puts run as a stream).
async fn put_one(
    store: Arc<AmazonS3>,
    file: PathBuf,
    key: String,
    token: CancellationToken,
) -> Result<()> {
    crate::backup::stop_if_cancelled(&token)?;
    let data = tokio::fs::read(&file)
        .await
        .map_err(|err| read_error(&file, &err))?;
    let path = ObjectPath::parse(&key)
        .map_err(|err| Error::InvalidInput(format!("object key {key}: {err}")))?;
    store.put(&path, data.into()).await.map_err(map_error)?;
    Ok(())
}

/// Keys under `prefix`, listed from `from`, sorted.
async fn list(
    store: &Arc<AmazonS3>,
    from: Option<&ObjectPath>,
    prefix: &str,
) -> Result<Vec<ObjectPath>> {
    let mut keys: Vec<ObjectPath> = store
        .list(from)
        .map_err(map_error)
        .try_filter(|m| futures::future::ready(m.location.as_ref().starts_with(prefix)))
        .map_ok(|m| m.location)
        .try_collect()
        .await?;
    keys.sort();
    Ok(keys)
}

/// The objects under `prefix` measured as the backup measured them, with `strip` (a scratch
/// prefix) taken off each key first.
async fn measure(
    store: &Arc<AmazonS3>,
    from: Option<&ObjectPath>,
    prefix: &str,
    strip: &str,
) -> Result<Vec<Measure>> {
    let keys = list(store, from, prefix).await?;
    let mut sums = futures::stream::iter(keys.into_iter().map(|key| sum_one(store.clone(), key)))
        .buffered(AT_ONCE);
    let mut measured = ObjectsMeasure::default();
    while let Some(sum) = sums.next().await {
        let (key, sha, bytes) = sum?;
        let key = key.as_ref();
        measured.add(key.strip_prefix(strip).unwrap_or(key), &sha, bytes);
    }
    Ok(measured.measures())
}

/// An object's key, SHA-256 and size (owned arguments: the reads run as a stream).
async fn sum_one(store: Arc<AmazonS3>, key: ObjectPath) -> Result<(ObjectPath, String, u64)> {
    let data = store
        .get(&key)
        .await
        .map_err(map_error)?
        .bytes()
        .await
        .map_err(map_error)?;
    let sha = hex(&Sha256::digest(&data));
    Ok((key, sha, data.len() as u64))
}

async fn delete_under(store: &Arc<AmazonS3>, folder: &ObjectPath) -> Result<()> {
    let keys: Vec<ObjectPath> = store
        .list(Some(folder))
        .map_ok(|m| m.location)
        .try_collect()
        .await
        .map_err(map_error)?;
    for key in keys {
        store.delete(&key).await.map_err(map_error)?;
    }
    Ok(())
}
