//! The manifest: what a backup holds and how to check it. Written last, into the backup's
//! folder, only when every part is complete; a folder without one is not a backup.

use serde::{Deserialize, Serialize};

use crate::error::StoreKind;
pub use crate::lookup::TenantRef;

pub const MANIFEST_FILE: &str = "manifest.json";
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: u32,
    /// The folder's name: time, scope and a random suffix.
    pub id: String,
    pub connection: String,
    /// The platform profile's name.
    pub profile: String,
    pub scope: Scope,
    /// RFC 3339.
    pub started_at: String,
    pub finished_at: String,
    /// The event log's position (highest sequence, as text) in the snapshot the backup read:
    /// every part reflects the log up to here.
    pub event_position: Option<String>,
    pub parts: Vec<Part>,
    /// Storelens and external tools (pg_dump) with their versions.
    pub tools: Vec<Version>,
    /// The servers read, with their versions.
    pub servers: Vec<Version>,
}

/// A whole store, or one tenant in every store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    pub tenant: Option<TenantRef>,
    pub store: Option<StoreKind>,
}

/// One store's share of a backup.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Part {
    pub store: StoreKind,
    /// How it was taken, e.g. `copy_csv`, `pg_dump_directory`, `graph_jsonl`, `redis_dump`,
    /// `objects_copy`.
    pub method: String,
    pub artifacts: Vec<Artifact>,
    /// What the part holds, counted (and hashed where a restore can be compared) at the source.
    pub measures: Vec<Measure>,
    /// Where it came from, e.g. `schema tenant_tyrell of storelens_sandbox`.
    pub source: String,
    /// How long the part took.
    pub elapsed_ms: u32,
}

/// A file of the backup, relative to its folder, with its size and SHA-256.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    pub path: String,
    pub bytes: String,
    pub sha256: String,
}

/// A count (and content hash) of one kind of item, e.g. the rows of a table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Measure {
    pub what: String,
    pub count: String,
    /// A hash of the items' content in a fixed order, as the source computed it.
    pub hash: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Version {
    pub name: String,
    pub version: String,
}

impl Manifest {
    /// Total bytes of every artifact.
    pub fn bytes(&self) -> u64 {
        self.parts
            .iter()
            .flat_map(|p| &p.artifacts)
            .filter_map(|a| a.bytes.parse::<u64>().ok())
            .sum()
    }
}

impl Measure {
    pub fn new(what: impl Into<String>, count: u64, hash: Option<String>) -> Self {
        Self {
            what: what.into(),
            count: count.to_string(),
            hash,
        }
    }
}
