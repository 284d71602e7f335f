//! Orchestration: generate, reset the four stores, load them concurrently, report.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Result;
use uuid::Uuid;

use crate::cache::{self, Redis};
use crate::faults::{self, FaultPlan, PlantedFault};
use crate::generate::{self, TenantData};
use crate::model::Tenant;
use crate::project::{self, CacheEntry};
use crate::{graph, objects, postgres, tenants};
use crate::{SandboxTargets, SeedOptions, SeedReport};

/// Redis entries buffered before a write (keeps memory bounded when large).
const REDIS_BUFFER: usize = 50_000;

fn tenant_ids(list: &[Tenant]) -> HashMap<String, Uuid> {
    list.iter().map(|t| (t.slug.clone(), t.id)).collect()
}

/// Generates every tenant and plans the faults.
fn build(opts: &SeedOptions) -> (Vec<TenantData>, Vec<FaultPlan>) {
    let list = tenants::list(opts);
    let ids = tenant_ids(&list);
    let data: Vec<TenantData> = list
        .iter()
        .map(|t| generate::tenant(opts.rng_seed, t, faults::is_faulty(&t.slug)))
        .collect();
    let plans = data
        .iter()
        .map(|td| faults::plan(opts.rng_seed, td, &ids))
        .collect();
    (data, plans)
}

/// The faults a seed with these options plants (deterministic; equal to the report's).
pub fn planted_faults(opts: &SeedOptions) -> Vec<PlantedFault> {
    let list = tenants::list(opts);
    let ids = tenant_ids(&list);
    list.iter()
        .filter(|t| faults::is_faulty(&t.slug))
        .flat_map(|t| {
            faults::plan(
                opts.rng_seed,
                &generate::tenant(opts.rng_seed, t, true),
                &ids,
            )
            .faults
        })
        .collect()
}

struct Phases(Vec<(String, u64)>);

impl Phases {
    fn add(&mut self, name: &str, since: Instant) {
        self.0
            .push((name.to_owned(), since.elapsed().as_millis() as u64));
    }
}

/// Resets the sandbox stores and seeds them. See the crate docs.
pub async fn seed(
    targets: &SandboxTargets,
    opts: &SeedOptions,
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<SeedReport> {
    let start = Instant::now();
    let mut phases = Phases(Vec::new());

    progress(&format!(
        "generating {:?} data (seed {:#x})",
        opts.size, opts.rng_seed
    ));
    let t = Instant::now();
    let (data, plans) = build(opts);
    let events: usize = data.iter().map(|d| d.events.len()).sum();
    phases.add("generate", t);
    progress(&format!(
        "generated {} tenants, {events} events in {} ms",
        data.len(),
        t.elapsed().as_millis()
    ));

    let lock = postgres::lock(targets).await?;
    let graph = graph::connect(targets).await?;
    let mut redis = Redis::connect(targets).await?;
    let store = objects::connect(targets)?;

    let t = Instant::now();
    progress("resetting PostgreSQL, graph, Redis and bucket");
    let timed = |name: &'static str, since: Instant| {
        progress(&format!(
            "{name} reset in {} ms",
            since.elapsed().as_millis()
        ));
    };
    tokio::try_join!(
        async {
            postgres::reset(targets)
                .await
                .map(|()| timed("postgres", t))
        },
        async {
            graph::reset(&graph, targets, progress)
                .await
                .map(|()| timed("graph", t))
        },
        async { redis.flush_all().await.map(|()| timed("redis", t)) },
        async { objects::reset(&store).await.map(|_| timed("objects", t)) },
    )?;
    phases.add("reset", t);

    let pg = async {
        let t = Instant::now();
        let r = postgres::load(targets, &data, &plans, progress).await?;
        progress(&format!("postgres done in {} ms", t.elapsed().as_millis()));
        anyhow::Ok((r, t.elapsed()))
    };
    let gr = async {
        let t = Instant::now();
        let (mut nodes, mut edges) = (Vec::new(), Vec::new());
        for (td, plan) in data.iter().zip(&plans) {
            let (n, e) = project::graph(td, plan);
            nodes.extend(n);
            edges.extend(e);
        }
        let r = graph::load(&graph, &nodes, &edges, progress).await?;
        progress(&format!("graph done in {} ms", t.elapsed().as_millis()));
        anyhow::Ok((r, t.elapsed()))
    };
    let rd = async {
        let t = Instant::now();
        let mut buffer: Vec<CacheEntry> = Vec::new();
        let mut written = 0;
        for (td, plan) in data.iter().zip(&plans) {
            buffer.extend(project::cache(opts.rng_seed, td, plan));
            if buffer.len() >= REDIS_BUFFER {
                written += cache::write(&redis, &buffer).await?;
                buffer.clear();
                progress(&format!("redis: {written} keys"));
            }
        }
        written += cache::write(&redis, &buffer).await?;
        progress(&format!(
            "redis done: {written} keys in {} ms",
            t.elapsed().as_millis()
        ));
        anyhow::Ok(t.elapsed())
    };
    let ob = async {
        let t = Instant::now();
        let all = data
            .iter()
            .zip(&plans)
            .flat_map(|(td, plan)| project::objects(td, plan))
            .collect();
        let n = objects::load(&store, all).await?;
        progress(&format!(
            "objects done: {n} objects in {} ms",
            t.elapsed().as_millis()
        ));
        anyhow::Ok((n, t.elapsed()))
    };
    let (pg, gr, rd, ob) = tokio::try_join!(pg, gr, rd, ob)?;
    let ((copied, rows), pg_t) = pg;
    let ((nodes_sent, rels_sent), gr_t) = gr;
    let (nodes, rels) = graph::totals(&graph).await?;
    if (nodes as usize, rels as usize) != (nodes_sent, rels_sent) {
        tracing::warn!(
            nodes,
            rels,
            nodes_sent,
            rels_sent,
            "the graph holds other counts than were written"
        );
    }
    let (objects, ob_t) = ob;
    for (name, d) in [
        ("postgres", pg_t),
        ("graph", gr_t),
        ("redis", rd),
        ("objects", ob_t),
    ] {
        phases.0.push((name.to_owned(), d.as_millis() as u64));
    }
    let redis_keys = redis.dbsize().await?;
    postgres::unlock(lock).await?;

    let report = SeedReport {
        size: opts.size,
        rng_seed: opts.rng_seed,
        tenants: data.len(),
        events: copied,
        read_model_rows: rows,
        graph_nodes: nodes as usize,
        graph_relationships: rels as usize,
        redis_keys,
        objects,
        elapsed_ms: start.elapsed().as_millis() as u64,
        phase_ms: phases.0,
        planted_faults: plans.into_iter().flat_map(|p| p.faults).collect(),
    };
    tracing::info!(
        tenants = report.tenants,
        events = report.events,
        rows = report.read_model_rows,
        nodes = report.graph_nodes,
        relationships = report.graph_relationships,
        redis_keys = report.redis_keys,
        objects = report.objects,
        elapsed_ms = report.elapsed_ms,
        "sandbox seeded"
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::FaultKind;
    use crate::tenants::{FAULTY_ROW_TENANT, FAULTY_SCHEMA_TENANT};

    #[test]
    fn planted_faults_are_deterministic_and_confined_to_the_faulty_tenants() {
        let opts = SeedOptions::default();
        let faults = planted_faults(&opts);
        assert_eq!(faults, planted_faults(&opts));
        let (_, plans) = build(&opts);
        let from_build: Vec<_> = plans.into_iter().flat_map(|p| p.faults).collect();
        assert_eq!(faults, from_build);
        let count = |k: FaultKind| faults.iter().filter(|f| f.kind == k).count();
        assert_eq!(count(FaultKind::GraphNodeWithoutRow), 3);
        assert_eq!(count(FaultKind::ReadModelLag), 3);
        assert_eq!(count(FaultKind::StaleCache), 3);
        assert_eq!(count(FaultKind::CacheKeyWithoutTtl), 3);
        assert_eq!(count(FaultKind::CrossTenantRelationship), 1);
        assert_eq!(count(FaultKind::ObjectWithoutRow), 1);
        assert!(faults
            .iter()
            .all(|f| [FAULTY_ROW_TENANT, FAULTY_SCHEMA_TENANT].contains(&f.tenant_slug.as_str())));
        let mut subjects: Vec<_> = faults.iter().map(|f| f.subject.as_str()).collect();
        subjects.sort_unstable();
        subjects.dedup();
        assert_eq!(
            subjects.len(),
            faults.len(),
            "each fault has its own subject"
        );
        // Another seed plants other subjects; the large size plants the same faults.
        let other = planted_faults(&SeedOptions {
            rng_seed: 1,
            ..opts
        });
        assert_ne!(faults, other);
        let large = SeedOptions {
            size: crate::SeedSize::Large,
            ..opts
        };
        assert_eq!(faults, planted_faults(&large));
    }
}
