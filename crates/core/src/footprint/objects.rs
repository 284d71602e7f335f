//! Object storage part: objects and bytes under the tenant's prefix, in the shared bucket or the
//! tenant's own bucket (both named by the profile), by the path segment after the prefix.

use std::collections::BTreeMap;

use futures::StreamExt;
use object_store::ObjectStore;

use super::{ObjectsFootprint, PrefixFootprint};
use crate::error::Result;
use crate::profile::ObjectsSpec;
use crate::stores::objects::{map_error, Objects};
use crate::tenants::Tenant;

pub async fn measure(
    objects: &Objects,
    spec: &ObjectsSpec,
    tenant: &Tenant,
) -> Result<ObjectsFootprint> {
    let at = objects.tenant_objects(spec, tenant)?;
    let (bucket, prefix) = (at.bucket, at.prefix);
    let mut listing = at.store.list(at.list_from.as_ref());
    let mut by_prefix: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    while let Some(meta) = listing.next().await {
        let meta = meta.map_err(map_error)?;
        let Some(rest) = meta.location.as_ref().strip_prefix(prefix.as_str()) else {
            continue;
        };
        let group = rest
            .split_once('/')
            .map_or(String::new(), |(first, _)| format!("{first}/"));
        let entry = by_prefix.entry(group).or_default();
        entry.0 += 1;
        entry.1 += meta.size;
    }
    let mut prefixes: Vec<(String, u64, u64)> =
        by_prefix.into_iter().map(|(p, (n, b))| (p, n, b)).collect();
    prefixes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Ok(ObjectsFootprint {
        bucket,
        prefix,
        objects: prefixes.iter().map(|p| p.1).sum::<u64>().to_string(),
        bytes: prefixes.iter().map(|p| p.2).sum::<u64>().to_string(),
        prefixes: prefixes
            .into_iter()
            .map(|(prefix, objects, bytes)| PrefixFootprint {
                prefix,
                objects: objects.to_string(),
                bytes: bytes.to_string(),
            })
            .collect(),
    })
}
