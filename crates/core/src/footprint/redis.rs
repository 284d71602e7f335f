//! Redis part: the tenant's keys and their memory, by namespace (the key segment after the
//! tenant prefix). Keys are found with `SCAN ... MATCH <escaped prefix>* COUNT 1000` on the node,
//! or on every master of a cluster; bytes are `MEMORY USAGE key SAMPLES 0` of at most
//! [`SAMPLE_PER_NAMESPACE`] keys per namespace, extrapolated, unless `exact` sizes every key.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use super::{NamespaceFootprint, RedisFootprint};
use crate::error::{Error, Result};
use crate::profile::{fill_pattern, CacheSpec};
use crate::stores::redis::Redis;
use crate::stores::redis_scan::KeyspaceScan;
use crate::tenants::Tenant;

const SCAN_COUNT: u32 = 1_000;
/// Keys sized per namespace when not `exact`.
pub const SAMPLE_PER_NAMESPACE: u32 = 200;

/// Escapes the glob characters of `MATCH` (`*`, `?`, `[`, `]`, `\`) so `literal` matches itself.
pub fn escape_glob(literal: &str) -> String {
    let escaped = crate::cache::browse::escape_glob_bytes(literal.as_bytes());
    String::from_utf8(escaped)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The namespace of a key under `prefix`: the segment up to the first `delimiter` after the
/// prefix (`atom` for `tenant:T:atom:42`), or the whole rest for a leaf key (`tenant:T:flags`).
pub fn namespace_of(key: &[u8], prefix: &[u8], delimiter: &str) -> String {
    let rest = key.strip_prefix(prefix).unwrap_or(key);
    let delimiter = delimiter.as_bytes();
    let end = if delimiter.is_empty() {
        rest.len()
    } else {
        rest.windows(delimiter.len())
            .position(|w| w == delimiter)
            .unwrap_or(rest.len())
    };
    String::from_utf8_lossy(&rest[..end]).into_owned()
}

#[derive(Default)]
struct Tally {
    keys: u64,
    /// Keys sent to `MEMORY USAGE`.
    queued: u32,
    /// Keys that answered (a key may expire in between).
    sized: u32,
    sized_bytes: u64,
}

pub async fn measure(
    redis: &Redis,
    spec: &CacheSpec,
    tenant: &Tenant,
    exact: bool,
    timeout: std::time::Duration,
) -> Result<RedisFootprint> {
    let prefix = fill_pattern(&spec.tenant_prefix, &tenant.vars())?;
    if prefix.is_empty() {
        return Err(Error::Profile(
            "cache.tenant_prefix is empty: every key would be the tenant's".into(),
        ));
    }
    let pattern = format!("{}*", escape_glob(&prefix));
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    // SCAN may return a key more than once (while the table rehashes); count each once.
    let mut seen: HashSet<u64> = HashSet::new();
    let mut scan = KeyspaceScan::start(redis, pattern.as_bytes(), SCAN_COUNT, timeout).await?;
    while let Some(keys) = scan.next_page().await? {
        let mut to_size = Vec::new();
        for key in keys {
            if !key.starts_with(prefix.as_bytes()) || !seen.insert(hash(&key)) {
                continue;
            }
            let namespace = namespace_of(&key, prefix.as_bytes(), &spec.delimiter);
            let tally = tallies.entry(namespace.clone()).or_default();
            tally.keys += 1;
            if exact || tally.queued < SAMPLE_PER_NAMESPACE {
                tally.queued += 1;
                to_size.push((namespace, key));
            }
        }
        for (namespace, _, size) in scan.memory_usages(to_size).await? {
            let Some(tally) = tallies.get_mut(&namespace) else {
                continue;
            };
            match size {
                Some(bytes) => {
                    tally.sized += 1;
                    tally.sized_bytes += bytes;
                }
                // Gone between SCAN and MEMORY USAGE: an exact count leaves it out.
                None if exact => tally.keys = tally.keys.saturating_sub(1),
                None => {}
            }
        }
    }
    let mut namespaces: Vec<(String, u64, u64, bool, u32)> = tallies
        .into_iter()
        .filter(|(_, t)| t.keys > 0)
        .map(|(namespace, t)| {
            let estimated = u64::from(t.sized) < t.keys;
            let bytes = match (estimated, t.sized) {
                (false, _) => t.sized_bytes,
                (true, 0) => 0,
                // Average of the sample times the keys; f64 is exact far beyond any key count.
                (true, n) => (t.sized_bytes as f64 / f64::from(n) * t.keys as f64).round() as u64,
            };
            (namespace, t.keys, bytes, estimated, t.sized)
        })
        .collect();
    namespaces.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(RedisFootprint {
        prefix,
        nodes_scanned: u32::try_from(scan.nodes().len()).unwrap_or(u32::MAX),
        keys: namespaces.iter().map(|n| n.1).sum::<u64>().to_string(),
        bytes: namespaces.iter().map(|n| n.2).sum::<u64>().to_string(),
        bytes_estimated: namespaces.iter().any(|n| n.3),
        namespaces: namespaces
            .into_iter()
            .map(
                |(namespace, keys, bytes, bytes_estimated, sampled_keys)| NamespaceFootprint {
                    namespace,
                    keys: keys.to_string(),
                    bytes: bytes.to_string(),
                    bytes_estimated,
                    sampled_keys,
                },
            )
            .collect(),
    })
}

pub(crate) fn hash(key: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `input` is `glob:<literal>` or `ns:<key>` (under the prefix `tenant:T:`, delimiter `:`).
    fn check(input: &str, expect: &str) {
        let got = match input.split_once(':') {
            Some(("glob", literal)) => escape_glob(literal),
            Some(("ns", key)) => namespace_of(key.as_bytes(), b"tenant:T:", ":"),
            _ => panic!("bad case {input}"),
        };
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn escapes_glob_characters_in_the_literal_prefix() {
        check("glob:tenant:abc:", "tenant:abc:");
        check("glob:tenant:a*b?:", "tenant:a\\*b\\?:");
        check("glob:t[x]:", "t\\[x\\]:");
        check("glob:back\\slash", "back\\\\slash");
        check("glob:", "");
    }

    #[test]
    fn splits_the_namespace_after_the_prefix() {
        check("ns:tenant:T:atom:42", "atom");
        check("ns:tenant:T:document:7:annotations", "document");
        check("ns:tenant:T:updates:log", "updates");
        check("ns:tenant:T:flags", "flags");
        check("ns:tenant:T:", "");
        check("ns:tenant:T::x", "");
    }
}
