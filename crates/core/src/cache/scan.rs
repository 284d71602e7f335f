//! The complete key-space scan behind the namespace tree: `SCAN ... MATCH ... COUNT n` on the
//! node, or on every master of a cluster, to the end, with a pause between pages so a
//! production server is not hurt. Every key counts once (SCAN may return a key twice while
//! the table rehashes). Progress per page, cancel between pages; a server that goes away ends
//! the scan with an error saying how far it got.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::tree::{Namespace, NamespaceCounter};
use crate::error::{Error, Result, StoreKind};
use crate::footprint::redis::hash;
use crate::stores::redis::Redis;
use crate::stores::redis_scan::KeyspaceScan;
use crate::stores::with_timeout;

pub const DEFAULT_COUNT: u32 = 1_000;
pub const DEFAULT_MAX_DEPTH: u32 = 6;
pub const DEFAULT_MAX_CHILDREN: u32 = 200;
/// Keys between two progress reports.
const REPORT_EVERY: u64 = 50_000;
/// About this many keys are sized with MEMORY USAGE per scan (one key in DBSIZE / this).
const MEMORY_SAMPLES: u64 = 20_000;
/// The largest sampled keys reported.
const BIG_KEYS: usize = 20;

/// How to scan. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ScanRequest {
    /// Only this tenant's keys (slug or id; its prefix comes from the profile).
    pub tenant: Option<String>,
    /// A Redis glob (`*`, `?`, `[..]`); with a tenant, it applies after the tenant's prefix.
    pub pattern: Option<String>,
    /// SCAN's COUNT hint (1 to 100,000; default 1,000).
    pub count: Option<u32>,
    /// Pause between SCAN pages in milliseconds (default 0).
    pub pause_ms: Option<u32>,
    /// Folder levels counted (default 6); deeper folders count in their ancestors.
    pub max_depth: Option<u32>,
    /// Subfolders listed per folder, the largest first (default 200).
    pub max_children: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ScanProgress {
    pub keys: String,
    /// The node being scanned (`single node` or a master's `host:port`).
    pub node: String,
    pub nodes_done: u32,
    pub nodes: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct KeyScan {
    /// The MATCH pattern sent.
    pub pattern: String,
    pub delimiter: String,
    pub nodes: Vec<String>,
    pub keys: String,
    /// Keys SCAN returned more than once (counted once).
    pub duplicates: String,
    pub count: u32,
    pub pause_ms: u32,
    pub namespaces: Vec<Namespace>,
    /// One key in this many was sized with MEMORY USAGE (1: every key).
    pub memory_sample_every: u32,
    /// The largest of the sized keys, largest first.
    pub big_keys: Vec<BigKey>,
    pub elapsed_ms: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BigKey {
    pub key: super::KeyName,
    pub bytes: String,
}

/// The options with their defaults, checked.
pub struct ScanSettings {
    pub count: u32,
    pub pause: Duration,
    pub max_depth: usize,
    pub max_children: usize,
}

impl ScanSettings {
    pub fn of(request: &ScanRequest) -> Result<Self> {
        let count = request.count.unwrap_or(DEFAULT_COUNT);
        if !(1..=100_000).contains(&count) {
            return Err(Error::InvalidInput(format!(
                "COUNT {count} is outside 1..=100000"
            )));
        }
        let pause_ms = request.pause_ms.unwrap_or(0);
        if pause_ms > 60_000 {
            return Err(Error::InvalidInput(format!(
                "a pause of {pause_ms} ms between pages is more than a minute"
            )));
        }
        Ok(Self {
            count,
            pause: Duration::from_millis(u64::from(pause_ms)),
            max_depth: request.max_depth.unwrap_or(DEFAULT_MAX_DEPTH).clamp(1, 64) as usize,
            max_children: request
                .max_children
                .unwrap_or(DEFAULT_MAX_CHILDREN)
                .clamp(1, 10_000) as usize,
        })
    }
}

/// Scans every key matching `pattern` (a MATCH glob) and counts them into the namespace tree.
pub async fn scan(
    redis: &Redis,
    timeout: Duration,
    pattern: &[u8],
    delimiter: &str,
    settings: &ScanSettings,
    cancel: &CancellationToken,
    progress: &(dyn Fn(ScanProgress) + Send + Sync),
) -> Result<KeyScan> {
    let started = Instant::now();
    let mut scan = KeyspaceScan::start(redis, pattern, settings.count, timeout)
        .await?
        .cancelled_by(cancel);
    let nodes: Vec<String> = scan.nodes().iter().map(ToString::to_string).collect();
    let mut counter = NamespaceCounter::new(delimiter, settings.max_depth);
    let mut seen: HashSet<u64> = HashSet::new();
    let mut duplicates = 0u64;
    let sample_every = sample_every(redis, timeout, nodes.len()).await;
    let mut big: std::collections::BinaryHeap<std::cmp::Reverse<(u64, Vec<u8>)>> =
        std::collections::BinaryHeap::new();
    // The node being scanned (the last one once all are done) and how many are done.
    let report = |keys: u64, done: usize| {
        progress(ScanProgress {
            keys: keys.to_string(),
            node: nodes[done.min(nodes.len() - 1)].clone(),
            nodes_done: u32::try_from(done).unwrap_or(u32::MAX),
            nodes: u32::try_from(nodes.len()).unwrap_or(u32::MAX),
        })
    };
    report(0, 0);
    loop {
        let done_before = scan.nodes_done();
        let Some(keys) = scan.next_page().await? else {
            break;
        };
        let before = counter.keys();
        let mut to_size = Vec::new();
        for key in keys {
            let h = hash(&key);
            if seen.insert(h) {
                counter.add(&key);
                if h % sample_every == 0 {
                    to_size.push(((), key));
                }
            } else {
                duplicates += 1;
            }
        }
        for ((), key, size) in scan.memory_usages(to_size).await? {
            // A key gone since SCAN has no size; it still counts as a key seen.
            if let Some(bytes) = size {
                counter.add_sample(&key, bytes);
                big.push(std::cmp::Reverse((bytes, key)));
                if big.len() > BIG_KEYS {
                    big.pop();
                }
            }
        }
        let next_node = scan.nodes_done() != done_before;
        if next_node || counter.keys() / REPORT_EVERY != before / REPORT_EVERY {
            report(counter.keys(), scan.nodes_done());
        }
        if scan.position().is_some() && !settings.pause.is_zero() {
            tokio::select! {
                () = tokio::time::sleep(settings.pause) => {}
                () = cancel.cancelled() => return Err(Error::Cancelled),
            }
        }
    }
    Ok(KeyScan {
        pattern: super::key_name::display_bytes(pattern),
        nodes,
        delimiter: delimiter.to_owned(),
        keys: counter.keys().to_string(),
        duplicates: duplicates.to_string(),
        count: settings.count,
        pause_ms: u32::try_from(settings.pause.as_millis()).unwrap_or(u32::MAX),
        namespaces: counter.into_namespaces(settings.max_children),
        memory_sample_every: u32::try_from(sample_every).unwrap_or(u32::MAX),
        big_keys: big
            .into_sorted_vec()
            .into_iter()
            .map(|std::cmp::Reverse((bytes, key))| BigKey {
                key: super::KeyName::from_bytes(&key),
                bytes: bytes.to_string(),
            })
            .collect(),
        elapsed_ms: crate::tasks::elapsed_ms(started),
    })
}

/// One key in how many to size: every key of a small key space, about [`MEMORY_SAMPLES`]
/// of a large one (DBSIZE of a node times the nodes; 1 when DBSIZE cannot be read).
async fn sample_every(redis: &Redis, timeout: Duration, nodes: usize) -> u64 {
    let size = match with_timeout(StoreKind::Redis, timeout, redis.command(&[b"DBSIZE"])).await {
        Ok(redis::Value::Int(n)) => u64::try_from(n).unwrap_or(0),
        _ => 0,
    };
    (size * nodes as u64 / MEMORY_SAMPLES).max(1)
}
