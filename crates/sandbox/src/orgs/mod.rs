//! A second fixture platform, "orgs", shaped unlike the sandbox in every name, so that
//! Storelens can be shown to handle a platform by its profile alone (`profiles/orgs.toml`).
//!
//! It lives next to the sandbox on the same servers and never touches the sandbox's data:
//! - PostgreSQL database `storelens_orgs`: `control.organizations` (`org_id` like `org-7f3a`,
//!   `handle`, `display_name`, `isolation`) and `control.org_shards` (`org_id`, `host`,
//!   `dbname`); shared orgs in schema `app` (`widgets`, `gadgets`, `domain_events`, rows tagged
//!   by `owner_org`); the dedicated-schema org in `org_<handle>`; the dedicated-database org in
//!   database `storelens_org_<handle>`, schema `app`.
//! - Events `WidgetAdded/WidgetChanged/WidgetRemoved` and `GadgetAdded/GadgetChanged`, each
//!   body the whole new state; the rows are their fold.
//! - Graph: ArcadeDB database `orgs` (created over the HTTP API), `Widget` and `Gadget` nodes
//!   with `uid` and `orgId`, `(:Gadget)-[:USES]->(:Widget)`.
//! - Redis database 1: `org:{orgId}:widget:{id}` JSON with a TTL, `org:{orgId}:feed` lists.
//! - Objects: one bucket per org, `orgs-<handle>`, holding `widgets/<id>.json`.
//!
//! Seeding is deterministic (no RNG, fixed times) and idempotent: it replaces only what it owns
//! (its two databases, its graph database, the `org:*` keys of Redis database 1, its buckets'
//! objects). In Redis cluster mode there is no database 1, so Redis is skipped and reported.

mod data;
mod graph;
mod objects;
mod postgres;
mod redis_db;
pub use redis_db::scan;

use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

pub use data::{
    fold, generate, ts, CacheEntry, DomainEvent, Kind, Node, OrgData, Row, StoredObject, Uses,
    BASE_TIME, FEED_LEN,
};

use crate::SandboxTargets;

/// The platform's main PostgreSQL database (on the sandbox's server).
pub const PG_DATABASE: &str = "storelens_orgs";
/// Schema of `organizations` and `org_shards`.
pub const CONTROL_SCHEMA: &str = "control";
/// Schema of the shared tables, and of the tables inside a dedicated database.
pub const APP_SCHEMA: &str = "app";
/// The ArcadeDB (Bolt) database.
pub const GRAPH_DATABASE: &str = "orgs";
/// The Redis database index (single node only).
pub const REDIS_DB: u32 = 1;
/// TTL of the cached widgets, in seconds.
pub const WIDGET_TTL: u64 = 86_400;

/// How an organization is isolated: the platform's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Isolation {
    /// Rows in the shared `app` tables, tagged by `owner_org`.
    Shared,
    /// Its own schema `org_<handle>`.
    DedicatedSchema,
    /// Its own database `storelens_org_<handle>` (listed in `control.org_shards`).
    DedicatedDb,
}

impl Isolation {
    pub const ALL: [Isolation; 3] = [
        Isolation::Shared,
        Isolation::DedicatedSchema,
        Isolation::DedicatedDb,
    ];

    /// The value of `control.organizations.isolation`; `profiles/orgs.toml` maps it to a tier
    /// with `[tenants.tier_values]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Isolation::Shared => "shared",
            Isolation::DedicatedSchema => "dedicated_schema",
            Isolation::DedicatedDb => "dedicated_db",
        }
    }
}

/// One organization of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Org {
    pub id: &'static str,
    pub handle: &'static str,
    pub name: &'static str,
    pub isolation: Isolation,
}

/// The organizations, fixed: two shared, one dedicated schema, one dedicated database.
pub const ORGS: [Org; 4] = [
    Org {
        id: "org-7f3a",
        handle: "nimbus",
        name: "Nimbus Labs",
        isolation: Isolation::Shared,
    },
    Org {
        id: "org-2b91",
        handle: "quarry",
        name: "Quarry Collective",
        isolation: Isolation::Shared,
    },
    Org {
        id: "org-c4d0",
        handle: "lattice",
        name: "Lattice Works",
        isolation: Isolation::DedicatedSchema,
    },
    Org {
        id: "org-9e15",
        handle: "fjord",
        name: "Fjord Systems",
        isolation: Isolation::DedicatedDb,
    },
];

/// `org_<handle>`.
pub fn schema_name(handle: &str) -> String {
    format!("org_{handle}")
}

/// `storelens_org_<handle>`.
pub fn database_name(handle: &str) -> String {
    format!("storelens_org_{handle}")
}

/// `orgs-<handle>`.
pub fn bucket_name(handle: &str) -> String {
    format!("orgs-{handle}")
}

/// The single-node Redis URL with database [`REDIS_DB`] selected.
pub fn redis_url(base: &str) -> Result<String> {
    let mut u = url::Url::parse(base).map_err(|e| anyhow::anyhow!("Redis URL: {e}"))?;
    u.set_path(&format!("/{REDIS_DB}"));
    Ok(u.to_string())
}

/// The sandbox's PostgreSQL URL pointed at another database of the same server.
pub fn pg_url(base: &str, database: &str) -> Result<String> {
    let mut u = url::Url::parse(base).map_err(|e| anyhow::anyhow!("PostgreSQL URL: {e}"))?;
    u.set_path(&format!("/{database}"));
    Ok(u.to_string())
}

/// What a seed wrote.
#[derive(Debug, Clone, Serialize)]
pub struct OrgsReport {
    pub orgs: usize,
    pub events: usize,
    /// Live widget and gadget rows.
    pub rows: usize,
    pub graph_nodes: usize,
    pub graph_relationships: usize,
    /// Keys written to Redis database 1.
    pub redis_keys: usize,
    /// Why Redis was not seeded (cluster mode), if it was not.
    pub redis_skipped: Option<String>,
    pub buckets: Vec<String>,
    pub objects: usize,
    pub elapsed_ms: u64,
    /// Milliseconds per store, each measured from the start (they run concurrently).
    pub phase_ms: Vec<(String, u64)>,
}

/// Replaces the orgs platform's data in every store with the fixed data of [`generate`].
pub async fn seed_orgs(
    targets: &SandboxTargets,
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<OrgsReport> {
    let start = Instant::now();
    let data = generate();
    let lock = postgres::lock(targets).await?;
    let since = |name: &str| {
        let ms = start.elapsed().as_millis() as u64;
        progress(&format!("orgs: {name} done in {ms} ms"));
        (name.to_owned(), ms)
    };
    let (pg, gr, rd, ob) = tokio::try_join!(
        async {
            postgres::load(targets, &data)
                .await
                .map(|r| (r, since("postgres")))
        },
        async {
            graph::load(targets, &data)
                .await
                .map(|r| (r, since("graph")))
        },
        async {
            if targets.redis_cluster {
                return Ok((None, since("redis")));
            }
            redis_db::load(targets, &data)
                .await
                .map(|r| (Some(r), since("redis")))
        },
        async {
            objects::load(targets, &data)
                .await
                .map(|r| (r, since("objects")))
        },
    )?;
    postgres::unlock(lock).await?;
    let ((events, rows), pg_ms) = pg;
    let ((graph_nodes, graph_relationships), gr_ms) = gr;
    let (redis_keys, rd_ms) = rd;
    let ((buckets, objects), ob_ms) = ob;
    let report = OrgsReport {
        orgs: data.len(),
        events,
        rows,
        graph_nodes,
        graph_relationships,
        redis_keys: redis_keys.unwrap_or(0),
        redis_skipped: redis_keys.is_none().then(|| {
            "Redis cluster mode has no database 1; the orgs keys were not written".to_owned()
        }),
        buckets,
        objects,
        elapsed_ms: start.elapsed().as_millis() as u64,
        phase_ms: vec![pg_ms, gr_ms, rd_ms, ob_ms],
    };
    tracing::info!(?report, "orgs platform seeded");
    Ok(report)
}
