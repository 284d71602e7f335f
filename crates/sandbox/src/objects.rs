//! S3-compatible object storage: empty the bucket, then put every document object under its
//! tenant prefix (`tenant-<slug>/documents/<id>.<ext>`).

use std::sync::Arc;

use anyhow::{Context, Result};
use futures::stream::{self, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use crate::project::StoredObject;
use crate::targets::SandboxTargets;

const CONCURRENCY: usize = 16;

pub fn connect(targets: &SandboxTargets) -> Result<Arc<dyn ObjectStore>> {
    let store = AmazonS3Builder::new()
        .with_endpoint(targets.s3_endpoint.as_str())
        .with_allow_http(true)
        .with_region(targets.s3_region.as_str())
        .with_bucket_name(targets.s3_bucket.as_str())
        .with_access_key_id(targets.s3_access_key.as_str())
        .with_secret_access_key(targets.s3_secret_key.as_str())
        .with_virtual_hosted_style_request(false)
        .build()
        .context("configuring the S3 client (STORELENS_S3_*)")?;
    Ok(Arc::new(store))
}

/// Deletes every object in the bucket. Returns how many were deleted.
pub async fn reset(store: &Arc<dyn ObjectStore>) -> Result<usize> {
    let keys: Vec<Path> = store
        .list(None)
        .map_ok(|m| m.location)
        .try_collect()
        .await
        .context("listing the bucket")?;
    let n = keys.len();
    let locations = stream::iter(keys.into_iter().map(Ok)).boxed();
    store
        .delete_stream(locations)
        .try_collect::<Vec<Path>>()
        .await
        .context("deleting objects")?;
    Ok(n)
}

/// Puts the objects. Returns how many were written.
pub async fn load(store: &Arc<dyn ObjectStore>, objects: Vec<StoredObject>) -> Result<usize> {
    let n = objects.len();
    stream::iter(objects)
        .map(|o| {
            let store = Arc::clone(store);
            async move {
                store
                    .put(&Path::from(o.key.as_str()), PutPayload::from(o.bytes))
                    .await
                    .with_context(|| format!("putting {}", o.key))
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect::<Vec<_>>()
        .await?;
    Ok(n)
}
