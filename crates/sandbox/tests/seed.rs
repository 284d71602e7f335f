//! Seeds the SMALL sandbox into the real servers of `scripts/stack` and checks it.
//!
//! Needs `eval "$(scripts/stack env)"`; skipped (with a printed reason) only when
//! STORELENS_PG_URL is unset. Everything runs in one test: seeding resets shared servers.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use futures::TryStreamExt;
use neo4rs::{query, Graph};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::ObjectStore;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::Row as _;
use uuid::Uuid;

use storelens_sandbox::fold;
use storelens_sandbox::model::{parse_ts, EntityType, EventKind, Tenant, Tier};
use storelens_sandbox::tenants;
use storelens_sandbox::{
    planted_faults, seed, FaultKind, PlantedFault, SandboxTargets, SeedOptions, SeedReport,
};

struct Stores {
    targets: SandboxTargets,
    tenants: Vec<Tenant>,
    graph: Graph,
    redis: Kv,
    objects: Box<dyn ObjectStore>,
}

impl Stores {
    async fn open(targets: SandboxTargets) -> Self {
        let graph = Graph::new(
            &targets.bolt_url,
            &targets.bolt_user,
            &targets.bolt_password,
        )
        .expect("bolt");
        let redis = Kv::open(&targets).await;
        let objects = AmazonS3Builder::new()
            .with_endpoint(&targets.s3_endpoint)
            .with_allow_http(true)
            .with_region(&targets.s3_region)
            .with_bucket_name(&targets.s3_bucket)
            .with_access_key_id(&targets.s3_access_key)
            .with_secret_access_key(&targets.s3_secret_key)
            .build()
            .expect("s3");
        let tenants = tenants::list(&SeedOptions::default());
        Stores {
            targets,
            tenants,
            graph,
            redis,
            objects: Box::new(objects),
        }
    }

    fn tenant(&self, slug: &str) -> &Tenant {
        self.tenants
            .iter()
            .find(|t| t.slug == slug)
            .expect("tenant")
    }

    /// A pool on the tenant's space (public, its schema, or its database), in UTC.
    async fn space(&self, t: &Tenant) -> PgPool {
        let base = PgConnectOptions::from_str(&self.targets.pg_url)
            .expect("pg url")
            .options([("timezone", "UTC")]);
        let opts = match t.tier {
            Tier::Row => base,
            Tier::Schema => base.options([("search_path", t.schema_name())]),
            Tier::Database => base.database(&t.database_name()),
        };
        PgPoolOptions::new()
            .max_connections(2)
            .connect_with(opts)
            .await
            .expect("pg connect")
    }

    async fn graph_count(&self, cypher: &str, params: Vec<(&str, String)>) -> i64 {
        let mut q = query(cypher);
        for (k, v) in params {
            q = q.param(k, v);
        }
        let mut rows = self.graph.execute(q).await.expect("cypher");
        let mut n = 0;
        while let Some(row) = rows.next().await.expect("row") {
            n = row.get::<i64>("c").expect("c");
        }
        n
    }

    async fn redis_keys(&mut self) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for node in &mut self.redis.nodes {
            let mut cursor: u64 = 0;
            loop {
                let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("COUNT")
                    .arg(5_000)
                    .query_async(node)
                    .await
                    .expect("scan");
                keys.extend(batch);
                if next == 0 {
                    break;
                }
                cursor = next;
            }
        }
        keys
    }
}

/// Redis as the seeder sees it: one node, or a cluster (every URL is a master to SCAN).
struct Kv {
    nodes: Vec<redis::aio::MultiplexedConnection>,
    cluster: Option<redis::cluster_async::ClusterConnection>,
}

impl Kv {
    async fn open(targets: &SandboxTargets) -> Self {
        let mut nodes = Vec::new();
        for url in &targets.redis_urls {
            let client = redis::Client::open(url.as_str()).expect("redis url");
            nodes.push(
                client
                    .get_multiplexed_async_connection()
                    .await
                    .expect("redis"),
            );
        }
        let cluster = if targets.redis_cluster {
            let client =
                redis::cluster::ClusterClient::new(targets.redis_urls.clone()).expect("cluster");
            Some(
                client
                    .get_async_connection()
                    .await
                    .expect("cluster connection"),
            )
        } else {
            None
        };
        Kv { nodes, cluster }
    }

    /// Runs a single-key command.
    async fn key_cmd<T: redis::FromRedisValue>(&mut self, name: &str, key: &str) -> T {
        let mut cmd = redis::cmd(name);
        cmd.arg(key);
        match &mut self.cluster {
            Some(c) => cmd.query_async(c).await,
            None => cmd.query_async(&mut self.nodes[0]).await,
        }
        .unwrap_or_else(|e| panic!("{name} {key}: {e}"))
    }
}

fn sha(parts: impl IntoIterator<Item = String>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(b"\n");
    }
    format!("{:x}", h.finalize())
}

/// A fingerprint of everything seeded: events and rows of every space, graph, keys, objects.
async fn snapshot(s: &mut Stores) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let spaces: Vec<Tenant> = s
        .tenants
        .iter()
        .filter(|t| t.tier != Tier::Row || t.slug == "acme")
        .cloned()
        .collect();
    for t in &spaces {
        let pool = s.space(t).await;
        let events: Vec<String> = sqlx::query(
            "SELECT sequence, id::text, event_type, aggregate_id::text, event_data::text, occurred_at::text, \
             coalesce(causation_id::text, ''), correlation_id::text FROM knowledge_events ORDER BY sequence",
        )
        .fetch_all(&pool)
        .await
        .expect("events")
        .iter()
        .map(|r| {
            (0..8)
                .map(|i| r.try_get::<String, _>(i).unwrap_or_else(|_| r.get::<i64, _>(i).to_string()))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
        assert!(!events.is_empty(), "no events in the space of {}", t.slug);
        out.insert(format!("pg/{}/events", t.slug), sha(events));
        for e in EntityType::ALL {
            let rows: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT to_jsonb(x)::text FROM {} x ORDER BY id",
                e.table()
            ))
            .fetch_all(&pool)
            .await
            .expect("rows");
            out.insert(format!("pg/{}/{}", t.slug, e.table()), sha(rows));
        }
        pool.close().await;
    }
    let mut nodes = Vec::new();
    let mut rows = s
        .graph
        .execute(query(
            "MATCH (n) RETURN labels(n) AS l, n.id AS id, n.tenantId AS t, n.name AS name",
        ))
        .await
        .expect("nodes");
    while let Some(r) = rows.next().await.expect("row") {
        let labels: Vec<String> = r.get("l").expect("labels");
        let name: Option<String> = r.get("name").ok();
        nodes.push(format!(
            "{labels:?} {} {} {name:?}",
            r.get::<String>("id").expect("id"),
            r.get::<String>("t").expect("t")
        ));
    }
    nodes.sort();
    out.insert("graph/nodes".into(), sha(nodes));
    let rels = s
        .graph_count("MATCH ()-[r]->() RETURN count(r) AS c", vec![])
        .await;
    out.insert("graph/relationships".into(), rels.to_string());
    let keys = s.redis_keys().await;
    let mut atom_values = Vec::new();
    for k in keys.iter().filter(|k| k.contains(":atom:")) {
        let v: String = s.redis.key_cmd("GET", k).await;
        atom_values.push(format!("{k}={v}"));
    }
    out.insert("redis/keys".into(), sha(keys));
    out.insert("redis/atoms".into(), sha(atom_values));
    let mut objects: Vec<String> = s
        .objects
        .list(None)
        .map_ok(|m| format!("{} {}", m.location, m.size))
        .try_collect()
        .await
        .expect("list");
    objects.sort();
    out.insert("objects".into(), sha(objects));
    out
}

fn norm(v: &Value) -> Value {
    match v {
        Value::Number(n) => n.as_f64().map(Value::from).unwrap_or(Value::Null),
        Value::String(s) => match parse_ts(s) {
            Some(t) if s.len() >= 19 && s.as_bytes().get(4) == Some(&b'-') => Value::from(t),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        _ => v.clone(),
    }
}

/// (aggregate id -> (entity, folded row JSON, event count)) from the tenant's events in PostgreSQL.
async fn folds(pool: &PgPool, t: &Tenant) -> BTreeMap<Uuid, (EntityType, Option<Value>, usize)> {
    let rows = sqlx::query(
        "SELECT event_type, aggregate_type, aggregate_id, event_data, \
         extract(epoch FROM occurred_at)::bigint AS at \
         FROM knowledge_events WHERE tenant_id = $1 ORDER BY occurred_at, sequence",
    )
    .bind(t.id)
    .fetch_all(pool)
    .await
    .expect("events");
    type Events = Vec<(EventKind, Value, i64)>;
    let mut grouped: BTreeMap<Uuid, (EntityType, Events)> = BTreeMap::new();
    for r in rows {
        let kind = EventKind::from_event_type(r.get("event_type")).expect("event type");
        let entity =
            EntityType::from_aggregate_type(r.get("aggregate_type")).expect("aggregate type");
        let data: Value = r.get("event_data");
        grouped
            .entry(r.get("aggregate_id"))
            .or_insert((entity, Vec::new()))
            .1
            .push((kind, data, r.get("at")));
    }
    grouped
        .into_iter()
        .map(|(id, (entity, evs))| {
            let state = fold::fold(evs.iter().map(|(k, d, at)| (*k, d, *at)));
            let row = state.map(|s| Value::Object(fold::to_row(entity, t.id, id, &s).json));
            (id, (entity, row, evs.len()))
        })
        .collect()
}

async fn stored_row(pool: &PgPool, entity: EntityType, t: &Tenant, id: Uuid) -> Option<Value> {
    sqlx::query_scalar(&format!(
        "SELECT to_jsonb(x) FROM {} x WHERE tenant_id = $1 AND id = $2",
        entity.table()
    ))
    .bind(t.id)
    .bind(id)
    .fetch_optional(pool)
    .await
    .expect("row")
}

/// A consistent tenant: rows equal folds, and every live aggregate is in the graph, cache and bucket.
async fn check_clean_tenant(s: &mut Stores, slug: &str) {
    let t = s.tenant(slug).clone();
    let pool = s.space(&t).await;
    let folded = folds(&pool, &t).await;
    assert!(folded.len() >= 75, "{slug}: {} aggregates", folded.len());
    let mut live = 0;
    for (id, (entity, row, _)) in &folded {
        let stored = stored_row(&pool, *entity, &t, *id).await;
        assert_eq!(
            stored.as_ref().map(norm),
            row.as_ref().map(norm),
            "{slug} {entity:?} {id}: row differs from the fold"
        );
        let Some(row) = row else { continue };
        live += 1;
        let in_graph = s
            .graph_count(
                "MATCH (n) WHERE n.id = $id AND n.tenantId = $t RETURN count(n) AS c",
                vec![("id", id.to_string()), ("t", t.id.to_string())],
            )
            .await;
        assert_eq!(
            in_graph,
            i64::from(entity.label().is_some()),
            "{slug} {entity:?} {id}: graph node count"
        );
        if *entity == EntityType::Atom {
            let key = t.atom_cache_key(*id);
            let ttl: i64 = s.redis.key_cmd("TTL", &key).await;
            assert!(ttl > 0, "{key}: ttl {ttl}");
            let cached: String = s.redis.key_cmd("GET", &key).await;
            let cached: Value = serde_json::from_str(&cached).expect("json");
            assert_eq!(norm(&cached), norm(row), "{key}: cache differs from row");
        }
        if *entity == EntityType::Document {
            let key = format!(
                "{}{}",
                t.object_prefix(),
                row["storage_reference"].as_str().expect("reference")
            );
            let bytes = s
                .objects
                .get(&Path::from(key.as_str()))
                .await
                .expect("object")
                .bytes()
                .await
                .expect("bytes");
            assert_eq!(
                Value::String(format!("{:x}", Sha256::digest(&bytes))),
                row["content_hash"],
                "{key}: content_hash"
            );
        }
    }
    let deleted = folded.values().filter(|(_, r, _)| r.is_none()).count();
    assert!(
        deleted > 0 && live > 0,
        "{slug}: {live} live, {deleted} deleted"
    );
    // Nothing else of this tenant in the graph.
    let nodes = s
        .graph_count(
            "MATCH (n) WHERE n.tenantId = $t AND NOT n:Code RETURN count(n) AS c",
            vec![("t", t.id.to_string())],
        )
        .await;
    let labelled = folded
        .values()
        .filter(|(e, r, _)| r.is_some() && e.label().is_some())
        .count();
    assert_eq!(nodes as usize, labelled, "{slug}: graph nodes");
    pool.close().await;
}

async fn check_fault(s: &mut Stores, f: &PlantedFault) {
    let t = s.tenant(&f.tenant_slug).clone();
    let pool = s.space(&t).await;
    let in_any_table = |id: Uuid| {
        let pool = pool.clone();
        let t = t.clone();
        async move {
            let mut n = 0;
            for e in EntityType::ALL {
                n += usize::from(stored_row(&pool, e, &t, id).await.is_some());
            }
            n
        }
    };
    match f.kind {
        FaultKind::GraphNodeWithoutRow => {
            let id = Uuid::parse_str(&f.subject).expect("uuid");
            let nodes = s
                .graph_count(
                    "MATCH (n) WHERE n.id = $id AND n.tenantId = $t RETURN count(n) AS c",
                    vec![("id", f.subject.clone()), ("t", t.id.to_string())],
                )
                .await;
            assert_eq!(nodes, 1, "{f:?}");
            assert_eq!(in_any_table(id).await, 0, "{f:?}");
        }
        FaultKind::ReadModelLag => {
            let id = Uuid::parse_str(&f.subject).expect("uuid");
            let folded = folds(&pool, &t).await;
            let (entity, row, count) = folded.get(&id).cloned().expect("aggregate has events");
            let stored = stored_row(&pool, entity, &t, id).await.expect("row exists");
            assert_eq!(stored["version"], Value::from(count as i64 - 1), "{f:?}");
            assert_ne!(Some(norm(&stored)), row.as_ref().map(norm), "{f:?}");
        }
        FaultKind::StaleCache => {
            let id = Uuid::parse_str(f.subject.rsplit(':').next().expect("id")).expect("uuid");
            let cached: String = s.redis.key_cmd("GET", &f.subject).await;
            let cached: Value = serde_json::from_str(&cached).expect("json");
            let stored = stored_row(&pool, EntityType::Atom, &t, id)
                .await
                .expect("row");
            assert_ne!(norm(&cached), norm(&stored), "{f:?}");
        }
        FaultKind::CacheKeyWithoutTtl => {
            let ttl: i64 = s.redis.key_cmd("TTL", &f.subject).await;
            assert_eq!(ttl, -1, "{f:?}");
        }
        FaultKind::CrossTenantRelationship => {
            let n = s
                .graph_count(
                    "MATCH (a)-[r]->(b) WHERE a.tenantId <> b.tenantId RETURN count(r) AS c",
                    vec![],
                )
                .await;
            assert_eq!(n, 1, "{f:?}");
            let from = s
                .graph_count("MATCH (a)-[r]->(b) WHERE a.tenantId <> b.tenantId AND a.id = $id AND a.tenantId = $t RETURN count(r) AS c", vec![("id", f.subject.clone()), ("t", t.id.to_string())])
                .await;
            assert_eq!(from, 1, "{f:?}");
        }
        FaultKind::ObjectWithoutRow => {
            s.objects
                .head(&Path::from(f.subject.as_str()))
                .await
                .expect("object exists");
            let reference = f
                .subject
                .strip_prefix(&t.object_prefix())
                .expect("tenant prefix");
            let rows: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM documents WHERE tenant_id = $1 AND storage_reference = $2",
            )
            .bind(t.id)
            .bind(reference)
            .fetch_one(&pool)
            .await
            .expect("count");
            assert_eq!(rows, 0, "{f:?}");
        }
    }
    pool.close().await;
}

fn assert_counts(r: &SeedReport) {
    assert_eq!(r.tenants, 13);
    for (what, n) in [
        ("events", r.events),
        ("rows", r.read_model_rows),
        ("nodes", r.graph_nodes),
        ("relationships", r.graph_relationships),
        ("redis keys", r.redis_keys as usize),
        ("objects", r.objects),
    ] {
        assert!(n > 0, "no {what} seeded");
    }
    assert!(r.elapsed_ms < 30_000, "small seed took {} ms", r.elapsed_ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_seed_is_deterministic_consistent_and_plants_its_faults() {
    if std::env::var("STORELENS_PG_URL").is_err() {
        eprintln!("skipped: STORELENS_PG_URL is unset (start the stack and `eval \"$(scripts/stack env)\"`)");
        return;
    }
    let targets = SandboxTargets::from_env().expect("STORELENS_* environment");
    let opts = SeedOptions::default();
    let progress = |line: &str| eprintln!("seed: {line}");

    let first = seed(&targets, &opts, &progress).await.expect("first seed");
    eprintln!(
        "first seed: {}",
        serde_json::to_string(&first).expect("json")
    );
    assert_counts(&first);
    let mut s = Stores::open(targets.clone()).await;
    let before = snapshot(&mut s).await;

    let second = seed(&targets, &opts, &progress).await.expect("second seed");
    assert_counts(&second);
    let after = snapshot(&mut s).await;
    assert_eq!(
        before, after,
        "reseeding with the same seed changed the data"
    );
    assert_eq!(
        (
            first.events,
            first.read_model_rows,
            first.graph_nodes,
            first.graph_relationships,
            first.redis_keys,
            first.objects
        ),
        (
            second.events,
            second.read_model_rows,
            second.graph_nodes,
            second.graph_relationships,
            second.redis_keys,
            second.objects
        )
    );

    // The planted faults are the documented ones, and each really is there.
    let faults = planted_faults(&opts);
    assert_eq!(faults, second.planted_faults);
    // Their number per kind is checked by the unit test next to `planted_faults`.
    for f in &faults {
        check_fault(&mut s, f).await;
    }

    // Consistent tenants of each tier: rows are the fold of their events, projections complete.
    for slug in ["hooli", "initech", "tyrell", "soylent", "aperture"] {
        check_clean_tenant(&mut s, slug).await;
    }

    // The supernode: an acme atom with at least 2,000 relationships.
    let acme = s.tenant("acme").id.to_string();
    let supernode = s
        .graph_count(
            "MATCH (a:Atom)-[r]-() WHERE a.tenantId = $t WITH a, count(r) AS d RETURN max(d) AS c",
            vec![("t", acme)],
        )
        .await;
    assert!(supernode >= 2_000, "supernode degree {supernode}");

    // Shared atom ids between a row-tier and a schema-tier tenant.
    let (a, b) = (s.tenant("initech").clone(), s.tenant("tyrell").clone());
    let (pa, pb) = (s.space(&a).await, s.space(&b).await);
    let ids = |p: PgPool, t: Uuid| async move {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM atoms WHERE tenant_id = $1")
            .bind(t)
            .fetch_all(&p)
            .await
            .expect("ids")
            .into_iter()
            .collect::<BTreeSet<_>>()
    };
    let shared = ids(pa, a.id)
        .await
        .intersection(&ids(pb, b.id).await)
        .count();
    assert!(shared >= 5, "{shared} shared atom ids");
}
