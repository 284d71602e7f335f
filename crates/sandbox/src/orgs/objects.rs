//! One bucket per org (`orgs-<handle>`), holding `widgets/<id>.json` for each live widget.
//!
//! `object_store` has no CreateBucket, so a missing bucket is created with a presigned
//! `PUT /<bucket>/` (SigV4 from `object_store`'s own signer, sent by reqwest): the S3 API's
//! CreateBucket, which s3s-fs answers by making the bucket's directory.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures::stream::{self, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{ObjectStore, PutPayload};

use super::bucket_name;
use super::data::OrgData;
use crate::targets::SandboxTargets;

pub fn connect(targets: &SandboxTargets, bucket: &str) -> Result<Arc<AmazonS3>> {
    let store = AmazonS3Builder::new()
        .with_endpoint(targets.s3_endpoint.as_str())
        .with_allow_http(true)
        .with_region(targets.s3_region.as_str())
        .with_bucket_name(bucket)
        .with_access_key_id(targets.s3_access_key.as_str())
        .with_secret_access_key(targets.s3_secret_key.as_str())
        .with_virtual_hosted_style_request(false)
        .build()
        .context("configuring the S3 client (STORELENS_S3_*)")?;
    Ok(Arc::new(store))
}

/// Creates the bucket unless it exists (HeadBucket, then CreateBucket).
async fn ensure_bucket(store: &AmazonS3, bucket: &str) -> Result<()> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let bucket_root = Path::from("");
    let head = store
        .signed_url(
            reqwest::Method::HEAD,
            &bucket_root,
            Duration::from_secs(300),
        )
        .await?;
    let status = client
        .head(head)
        .send()
        .await
        .context("HeadBucket")?
        .status();
    if status.is_success() {
        return Ok(());
    }
    let put = store
        .signed_url(reqwest::Method::PUT, &bucket_root, Duration::from_secs(300))
        .await?;
    let resp = client.put(put).send().await.context("CreateBucket")?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    // A concurrent seeder may have created it meanwhile.
    if !status.is_success()
        && !text.contains("BucketAlreadyOwnedByYou")
        && !text.contains("BucketAlreadyExists")
    {
        bail!("could not create bucket {bucket}: HTTP {status}: {text}");
    }
    Ok(())
}

/// Empties and fills every org's bucket. Returns (buckets, objects written).
pub async fn load(targets: &SandboxTargets, data: &[OrgData]) -> Result<(Vec<String>, usize)> {
    let mut buckets = Vec::new();
    let mut written = 0;
    for d in data {
        let bucket = bucket_name(d.org.handle);
        let store = connect(targets, &bucket)?;
        ensure_bucket(&store, &bucket).await?;
        let stale: Vec<Path> = store
            .list(None)
            .map_ok(|m| m.location)
            .try_collect()
            .await
            .with_context(|| format!("listing bucket {bucket}"))?;
        store
            .delete_stream(stream::iter(stale.into_iter().map(Ok)).boxed())
            .try_collect::<Vec<Path>>()
            .await
            .with_context(|| format!("emptying bucket {bucket}"))?;
        let objects = d.objects();
        written += objects.len();
        stream::iter(objects)
            .map(|o| {
                let store = Arc::clone(&store);
                async move {
                    store
                        .put(&Path::from(o.key.as_str()), PutPayload::from(o.bytes))
                        .await
                        .with_context(|| format!("putting {}/{}", o.bucket, o.key))
                }
            })
            .buffer_unordered(8)
            .try_collect::<Vec<_>>()
            .await?;
        buckets.push(bucket);
    }
    Ok((buckets, written))
}
