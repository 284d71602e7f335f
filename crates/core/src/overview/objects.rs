//! Object storage part of the overview: one listing of the shared bucket, each object given to
//! the tenant its prefix names; or, for per-tenant buckets, one listing per tenant bucket.

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use object_store::ObjectStore;

use super::{PartResult, TenantIndex};
use crate::error::{Error, Result};
use crate::lookup::pattern::Pattern;
use crate::platform::Platform;
use crate::profile::{fill_pattern, ObjectLayout};
use crate::stores::objects::map_error;
use crate::tenants::Tenant;

const CONCURRENT_BUCKETS: usize = 8;

#[derive(Debug, Default)]
pub(crate) struct ObjectTotals {
    pub objects: u64,
    pub bytes: u64,
}

pub(super) async fn measure(
    platform: &Platform,
    tenants: &[Tenant],
) -> Result<PartResult<ObjectTotals>> {
    let objects = platform.objects()?;
    let spec = platform.profile.objects_spec()?;
    let mut by_tenant: HashMap<String, ObjectTotals> = HashMap::new();
    match spec.layout {
        ObjectLayout::Shared => {
            let pattern = Pattern::parse(&spec.tenant_prefix)?;
            if !pattern.names_tenant() {
                return Err(Error::Profile(
                    "objects.tenant_prefix names no tenant ({tenant_id} or {tenant_slug})".into(),
                ));
            }
            let index = TenantIndex::new(tenants);
            let store = objects.bucket(&spec.bucket)?;
            let mut listing = store.list(None);
            let (mut listed, mut foreign) = (0u64, 0u64);
            while let Some(meta) = listing.next().await {
                let meta = meta.map_err(map_error)?;
                listed += 1;
                let owner = pattern
                    .match_prefix(meta.location.as_ref())
                    .and_then(|(caps, _)| index.named(&caps));
                match owner {
                    Some(t) => {
                        let totals = by_tenant.entry(t.id.clone()).or_default();
                        totals.objects += 1;
                        totals.bytes += meta.size;
                    }
                    None => foreign += 1,
                }
            }
            Ok(PartResult {
                detail: format!(
                    "{listed} objects listed in bucket {}; {foreign} under no known tenant's prefix",
                    spec.bucket
                ),
                by_tenant,
            })
        }
        ObjectLayout::PerTenant => {
            // Futures built first, for a `Send` future (see the PostgreSQL part).
            let jobs: Vec<_> = tenants
                .iter()
                .map(|t| async move {
                    let result = async {
                        let bucket = fill_pattern(&spec.bucket, &t.vars())?;
                        let prefix = fill_pattern(&spec.tenant_prefix, &t.vars())?;
                        let store = objects.bucket(&bucket)?;
                        let mut listing = store.list(None);
                        let mut totals = ObjectTotals::default();
                        while let Some(meta) = listing.next().await {
                            let meta = meta.map_err(map_error)?;
                            if meta.location.as_ref().starts_with(&prefix) {
                                totals.objects += 1;
                                totals.bytes += meta.size;
                            }
                        }
                        Ok(totals)
                    }
                    .await;
                    (t.id.clone(), result)
                })
                .collect();
            let listed: Vec<(String, Result<ObjectTotals>)> = stream::iter(jobs)
                .buffer_unordered(CONCURRENT_BUCKETS)
                .collect()
                .await;
            let buckets = listed.len();
            let mut failed = Vec::new();
            for (id, result) in listed {
                match result {
                    Ok(totals) => {
                        by_tenant.insert(id, totals);
                    }
                    // A tenant without its bucket holds no objects; other failures are named.
                    Err(Error::NotFound(_)) => {}
                    Err(e) => failed.push(format!("{id}: {e}")),
                }
            }
            let mut detail = format!("{buckets} tenant buckets listed");
            if !failed.is_empty() {
                detail.push_str(&format!("; failed: {}", failed.join("; ")));
            }
            Ok(PartResult { detail, by_tenant })
        }
    }
}
