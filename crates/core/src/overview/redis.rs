//! Redis part of the overview: one SCAN (per master, in a cluster) of the keys that start with
//! the literal head of the profile's tenant prefix; each key goes to the tenant its prefix
//! names. The first [`SIZED_KEYS_PER_TENANT`] keys of each tenant are sized with
//! `MEMORY USAGE` and the tenant's bytes extrapolated from them.

use std::collections::{HashMap, HashSet};

use super::{OverviewProgress, PartResult, Progress, TenantIndex, SIZED_KEYS_PER_TENANT};
use crate::error::{Error, Result, StoreKind};
use crate::footprint::redis::{escape_glob, hash};
use crate::lookup::pattern::Pattern;
use crate::platform::Platform;
use crate::stores::redis_scan::KeyspaceScan;
use crate::tenants::Tenant;

const SCAN_COUNT: u32 = 1_000;
/// Keys between two progress reports.
const REPORT_EVERY: u64 = 100_000;

#[derive(Debug, Default)]
pub(crate) struct KeyTotals {
    pub keys: u64,
    sized: u32,
    sized_bytes: u64,
}

impl KeyTotals {
    /// The sample's average size times the keys.
    pub fn bytes_estimate(&self) -> u64 {
        if self.sized == 0 {
            return 0;
        }
        (self.sized_bytes as f64 / f64::from(self.sized) * self.keys as f64).round() as u64
    }
}

pub(super) async fn measure(
    platform: &Platform,
    tenants: &[Tenant],
    progress: Progress<'_>,
) -> Result<PartResult<KeyTotals>> {
    let redis = platform.redis()?;
    let spec = platform.profile.cache_spec()?;
    let pattern = Pattern::parse(&spec.tenant_prefix)?;
    if !pattern.names_tenant() {
        return Err(Error::Profile(
            "cache.tenant_prefix names no tenant ({tenant_id} or {tenant_slug})".into(),
        ));
    }
    let head = spec.tenant_prefix.split('{').next().unwrap_or("");
    let glob = format!("{}*", escape_glob(head));
    let index = TenantIndex::new(tenants);
    let mut by_tenant: HashMap<String, KeyTotals> = HashMap::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let (mut scanned, mut foreign) = (0u64, 0u64);
    let mut scan =
        KeyspaceScan::start(redis, glob.as_bytes(), SCAN_COUNT, platform.timeout).await?;
    while let Some(keys) = scan.next_page().await? {
        let mut to_size: Vec<(String, Vec<u8>)> = Vec::new();
        for key in keys {
            if !seen.insert(hash(&key)) {
                continue;
            }
            scanned += 1;
            if scanned % REPORT_EVERY == 0 {
                progress(OverviewProgress {
                    store: StoreKind::Redis,
                    done: false,
                    detail: format!("{scanned} keys scanned"),
                });
            }
            let text = String::from_utf8_lossy(&key);
            let owner = pattern
                .match_prefix(&text)
                .and_then(|(caps, _)| index.named(&caps));
            let Some(tenant) = owner else {
                foreign += 1;
                continue;
            };
            // No key-sized allocation per key: the tenant's entry is looked up first.
            let totals = match by_tenant.get_mut(&tenant.id) {
                Some(t) => t,
                None => by_tenant.entry(tenant.id.clone()).or_default(),
            };
            totals.keys += 1;
            if totals.keys <= SIZED_KEYS_PER_TENANT as u64 {
                to_size.push((tenant.id.clone(), key));
            }
        }
        for (id, _, size) in scan.memory_usages(to_size).await? {
            if let (Some(t), Some(bytes)) = (by_tenant.get_mut(&id), size) {
                t.sized += 1;
                t.sized_bytes += bytes;
            }
        }
    }
    let nodes_text = match scan.nodes().len() {
        1 => "1 node".to_owned(),
        n => format!("{n} masters"),
    };
    Ok(PartResult {
        detail: format!(
            "{scanned} keys matching {glob} scanned on {nodes_text}; {foreign} name no known tenant"
        ),
        by_tenant,
    })
}
