//! The object storage part of a lookup: HEAD of a pasted key, and of the keys rows point at
//! (the profile's `object_key_column`, relative to the tenant's object prefix).

use futures::future::join_all;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;

use super::{ObjectHit, Report};
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::profile::{fill_pattern, ObjectLayout, Profile};
use crate::stores::objects::{map_error, Objects};
use crate::stores::with_timeout;
use crate::tenants::Tenant;

/// Object keys HEADed for one entity lookup.
const MAX_HEADS: usize = 50;

fn objects_of(platform: &Platform) -> Result<Option<&Objects>> {
    match &platform.objects {
        Some(Ok(o)) => Ok(Some(o)),
        Some(Err(e)) => Err(Error::Config(format!("object storage cannot be used: {e}"))),
        None => Ok(None),
    }
}

/// The bucket and full key of each object the row points at.
pub(super) fn keys_of_row(
    profile: &Profile,
    tenant: &Tenant,
    entity: usize,
    row: &serde_json::Value,
) -> Option<(String, String)> {
    let column = profile.entities.get(entity)?.object_key_column.as_ref()?;
    let relative = row
        .get(column.as_str())?
        .as_str()
        .filter(|s| !s.is_empty())?;
    let spec = profile.objects.as_ref()?;
    let vars = tenant.vars();
    let bucket = match spec.layout {
        ObjectLayout::Shared => fill_pattern(&spec.bucket, &Default::default()).ok()?,
        ObjectLayout::PerTenant => fill_pattern(&spec.bucket, &vars).ok()?,
    };
    let prefix = fill_pattern(&spec.tenant_prefix, &vars).ok()?;
    Some((bucket, format!("{prefix}{relative}")))
}

/// The pasted object key; `Ok(None)` when the connection has no object storage. A key that is
/// not a valid object path (`..`, empty segments) is `invalid_input`.
pub(super) async fn head_needle(
    platform: &Platform,
    bucket: &str,
    key: &str,
) -> Result<Option<ObjectHit>> {
    let path = ObjectPath::parse(key)
        .map_err(|e| Error::InvalidInput(format!("not an object key: {e}")))?;
    let Some(objects) = objects_of(platform)? else {
        return Ok(None);
    };
    head(objects, bucket, path, platform.timeout)
        .await
        .map(Some)
}

/// HEADs the wanted `(tenant id, entity, id, bucket, key)` objects.
pub(super) async fn head_all(
    platform: &Platform,
    mut wanted: Vec<(String, usize, String, String, String)>,
) -> (Vec<(String, usize, String, ObjectHit)>, Report) {
    let mut report = Report::default();
    if wanted.is_empty() {
        return (Vec::new(), report);
    }
    let objects = match objects_of(platform) {
        Ok(Some(o)) => o,
        Ok(None) => return (Vec::new(), report),
        Err(e) => {
            report.error(StoreKind::Objects, None, &e);
            return (Vec::new(), report);
        }
    };
    if wanted.len() > MAX_HEADS {
        report.cap(format!(
            "object storage: {} objects; only the first {MAX_HEADS} were checked",
            wanted.len()
        ));
        wanted.truncate(MAX_HEADS);
    }
    let heads = wanted
        .into_iter()
        .map(|(tenant, entity, id, bucket, key)| async move {
            let hit = match ObjectPath::parse(&key) {
                Ok(path) => head(objects, &bucket, path, platform.timeout).await,
                Err(e) => Err(Error::InvalidInput(format!(
                    "the row's object key {key:?} is not a valid path: {e}"
                ))),
            };
            (tenant, entity, id, hit)
        });
    let mut out = Vec::new();
    for (tenant, entity, id, hit) in join_all(heads).await {
        match hit {
            Ok(hit) => out.push((tenant, entity, id, hit)),
            Err(e) => report.error(StoreKind::Objects, None, &e),
        }
    }
    (out, report)
}

async fn head(
    objects: &Objects,
    bucket: &str,
    path: ObjectPath,
    timeout: std::time::Duration,
) -> Result<ObjectHit> {
    let store = objects.bucket(bucket)?;
    let mut hit = ObjectHit {
        bucket: bucket.to_owned(),
        key: path.to_string(),
        present: false,
        size: None,
        last_modified: None,
        e_tag: None,
    };
    match with_timeout(StoreKind::Objects, timeout, async {
        store.head(&path).await.map_err(map_error)
    })
    .await
    {
        Ok(meta) => {
            hit.present = true;
            hit.size = Some(meta.size.to_string());
            hit.last_modified = Some(meta.last_modified.to_rfc3339());
            hit.e_tag = meta.e_tag;
            Ok(hit)
        }
        Err(Error::NotFound(_)) => Ok(hit),
        Err(e) => Err(e),
    }
}
