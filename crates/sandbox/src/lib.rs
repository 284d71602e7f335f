//! Deterministic seeder of the Storelens sandbox platform (see `profiles/sandbox.toml`).
//!
//! `seed` resets the four sandbox stores it owns (PostgreSQL tenant schemas and databases, the
//! graph, Redis, the bucket) and fills them from a fixed RNG seed: events first, the read model
//! as their fold, then the graph, cache and object projections of the rows, with a few planted
//! faults in two designated tenants. Same seed and size give identical data.
//!
//! What is seeded (names as in the profile):
//! - Tenants: row tier `acme globex initech umbrella hooli stark wayne wonka` (in `public`),
//!   schema tier `tyrell cyberdyne soylent` (`tenant_<slug>`), database tier `aperture blackmesa`
//!   (`storelens_tenant_<slug>`, listed in `tenant_shards`); large adds `org-0001`..`org-1000`
//!   (row tier). Ids derive from the seed (`tenants::list`).
//! - Per tenant ~40 atoms, 12 molecules, 8 documents, 15 annotations, each with 2-6 events
//!   (`AtomCreated`, `AtomUpdated` merge patches, some `AtomDeleted` tombstones, ...).
//!   `acme` has 2,300 molecules that REQUIRE its supernode atom (`generate::supernode_id`);
//!   large makes `acme` hold most of the data and one atom with 100,000 events.
//!   `initech` (row) and `tyrell` (schema) share their first 10 atom ids.
//! - Graph: `Atom`/`Molecule`/`Document` nodes for live rows, `Code` nodes for code references;
//!   `PART_OF`, `REQUIRES`, `CONFLICTS_WITH`, `IMPLEMENTS`, `ANNOTATES` from the rows.
//! - Redis: atom JSON (TTL 3600), annotation hashes, recent-atoms zsets, sessions (TTL),
//!   rate-limit counters, the `updates:log` stream. Objects: every live document.
//! - Faults (see `planted_faults`): only in `globex` (row) and `cyberdyne` (schema).

mod cache;
pub mod content;
mod faults;
pub mod fold;
pub mod generate;
mod graph;
pub mod model;
mod objects;
pub mod orgs;
mod postgres;
pub mod project;
pub mod rng;
mod seed;
mod targets;
pub mod tenants;

use serde::Serialize;

pub use faults::{FaultKind, PlantedFault};
pub use seed::{planted_faults, seed};
pub use targets::SandboxTargets;

/// How much data to seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeedSize {
    /// 13 tenants of all tiers, a few thousand events; seconds.
    Small,
    /// 1,013 tenants, over a million events and Redis keys, a hot aggregate of 100,000 events.
    Large,
}

/// The fixed default RNG seed.
pub const DEFAULT_RNG_SEED: u64 = 0x5EED_2026;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedOptions {
    pub size: SeedSize,
    pub rng_seed: u64,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            size: SeedSize::Small,
            rng_seed: DEFAULT_RNG_SEED,
        }
    }
}

/// What a seed wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    pub size: SeedSize,
    pub rng_seed: u64,
    pub tenants: usize,
    pub events: usize,
    pub read_model_rows: usize,
    pub graph_nodes: usize,
    pub graph_relationships: usize,
    /// Keys in Redis after seeding (DBSIZE, summed over masters in cluster mode).
    pub redis_keys: u64,
    pub objects: usize,
    pub elapsed_ms: u64,
    /// Milliseconds per phase (generate, reset, postgres, graph, redis, objects).
    pub phase_ms: Vec<(String, u64)>,
    pub planted_faults: Vec<PlantedFault>,
}
