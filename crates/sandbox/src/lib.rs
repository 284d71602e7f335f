//! Deterministic seeder of the Storelens sandbox platform (see `profiles/sandbox.toml`).
//!
//! `seed` resets the four sandbox stores it owns (PostgreSQL tenant schemas and databases, the
//! graph, Redis, the bucket) and fills them from a fixed RNG seed: events first, the read model
//! as their fold, then the graph, cache and object projections of the rows, with a few planted
//! faults in two designated tenants. Same seed and size give identical data.

mod cache;
pub mod content;
mod faults;
pub mod fold;
pub mod generate;
mod graph;
pub mod model;
mod objects;
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
        SeedOptions { size: SeedSize::Small, rng_seed: DEFAULT_RNG_SEED }
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
