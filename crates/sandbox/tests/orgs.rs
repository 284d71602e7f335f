//! Seeds the "orgs" fixture platform (`profiles/orgs.toml`) into the real servers of
//! `scripts/stack` and checks every store holds exactly the generated data, and that a second
//! seed gives the same stores (deterministic, idempotent).
//!
//! Needs `eval "$(scripts/stack env)"`; skipped (with a printed reason) only when
//! STORELENS_PG_URL is unset. One test: both seeds replace the same data.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::time::Instant;

use futures::TryStreamExt;
use neo4rs::{query, ConfigBuilder, Graph};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::ObjectStore;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use storelens_sandbox::orgs::{
    self, bucket_name, database_name, generate, schema_name, Isolation, Kind, OrgData, OrgsReport,
    APP_SCHEMA, FEED_LEN, GRAPH_DATABASE, PG_DATABASE, WIDGET_TTL,
};
use storelens_sandbox::SandboxTargets;

fn targets() -> Option<SandboxTargets> {
    if std::env::var_os("STORELENS_PG_URL").is_none() {
        eprintln!("skipped: STORELENS_PG_URL is unset (run `eval \"$(scripts/stack env)\"`)");
        return None;
    }
    Some(SandboxTargets::from_env().expect("STORELENS_* variables"))
}

async fn pool(t: &SandboxTargets, database: &str) -> PgPool {
    let opts = PgConnectOptions::from_str(&t.pg_url)
        .expect("pg url")
        .database(database)
        .options([("timezone", "UTC")]);
    PgPoolOptions::new()
        .max_connections(2)
        .connect_with(opts)
        .await
        .expect("pg connect")
}

async fn bolt(t: &SandboxTargets, database: Option<&str>) -> Graph {
    let mut cfg = ConfigBuilder::default()
        .uri(t.bolt_url.as_str())
        .user(t.bolt_user.as_str())
        .password(t.bolt_password.as_str());
    if let Some(db) = database {
        cfg = cfg.db(db);
    }
    Graph::connect(cfg.build().expect("bolt config")).expect("bolt")
}

async fn strings(graph: &Graph, cypher: &str) -> Vec<String> {
    let mut rows = graph
        .execute(query(cypher))
        .await
        .unwrap_or_else(|e| panic!("{cypher}: {e}"));
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.expect("row") {
        out.push(row.get::<String>("s").expect("column s"));
    }
    out.sort();
    out
}

async fn redis_db(t: &SandboxTargets, db: u32) -> redis::aio::MultiplexedConnection {
    let mut u = url::Url::parse(&t.redis_urls[0]).expect("redis url");
    u.set_path(&format!("/{db}"));
    let client = redis::Client::open(u.as_str()).expect("redis client");
    client
        .get_multiplexed_async_connection()
        .await
        .expect("redis")
}

async fn scan(conn: &mut redis::aio::MultiplexedConnection, pattern: &str) -> BTreeSet<String> {
    storelens_sandbox::orgs::scan(conn, pattern)
        .await
        .expect("scan")
        .into_iter()
        .collect()
}

fn bucket(t: &SandboxTargets, name: &str) -> impl ObjectStore {
    AmazonS3Builder::new()
        .with_endpoint(&t.s3_endpoint)
        .with_allow_http(true)
        .with_region(&t.s3_region)
        .with_bucket_name(name)
        .with_access_key_id(&t.s3_access_key)
        .with_secret_access_key(&t.s3_secret_key)
        .build()
        .expect("s3")
}

/// `schema`-qualified rows of a space as sorted text, for the snapshot and the counts.
async fn table_text(pool: &PgPool, schema: &str, table: &str, order: &str) -> Vec<String> {
    sqlx::query_scalar(&format!(
        "SELECT to_jsonb(x)::text FROM \"{schema}\".\"{table}\" x ORDER BY {order}"
    ))
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("{schema}.{table}: {e}"))
}

/// The space (database, schema) of an org.
fn space(d: &OrgData) -> (String, String) {
    match d.org.isolation {
        Isolation::Shared => (PG_DATABASE.to_owned(), APP_SCHEMA.to_owned()),
        Isolation::DedicatedSchema => (PG_DATABASE.to_owned(), schema_name(d.org.handle)),
        Isolation::DedicatedDb => (database_name(d.org.handle), APP_SCHEMA.to_owned()),
    }
}

/// Everything the platform holds, as text: PostgreSQL tables, graph, Redis database 1, buckets.
/// Also checks each store against the generated data.
async fn snapshot(t: &SandboxTargets, data: &[OrgData]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();

    // PostgreSQL: the control tables, then every space.
    let main = pool(t, PG_DATABASE).await;
    let orgs: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT org_id, handle, display_name, isolation FROM control.organizations ORDER BY org_id",
    )
    .fetch_all(&main)
    .await
    .expect("organizations");
    let mut want: Vec<_> = data
        .iter()
        .map(|d| {
            (
                d.org.id.to_owned(),
                d.org.handle.to_owned(),
                d.org.name.to_owned(),
                d.org.isolation.as_str().to_owned(),
            )
        })
        .collect();
    want.sort();
    assert_eq!(orgs, want);
    let shards: Vec<(String, String, String)> =
        sqlx::query_as("SELECT org_id, host, dbname FROM control.org_shards")
            .fetch_all(&main)
            .await
            .expect("shards");
    let dedicated: Vec<&OrgData> = data
        .iter()
        .filter(|d| d.org.isolation == Isolation::DedicatedDb)
        .collect();
    assert_eq!(shards.len(), dedicated.len());
    for (org_id, host, dbname) in &shards {
        let d = dedicated
            .iter()
            .find(|d| d.org.id == org_id)
            .expect("shard of a dedicated_db org");
        assert_eq!(dbname, &database_name(d.org.handle));
        assert_eq!(host, &t.pg_host_port().expect("host"));
    }
    out.insert(
        "pg/control".into(),
        orgs.iter()
            .map(|o| format!("{o:?}"))
            .chain(shards.iter().map(|s| format!("{s:?}")))
            .collect(),
    );
    main.close().await;

    let mut spaces: BTreeMap<(String, String), Vec<&OrgData>> = BTreeMap::new();
    for d in data {
        spaces.entry(space(d)).or_default().push(d);
    }
    for ((database, schema), members) in &spaces {
        let pool = pool(t, database).await;
        let events = table_text(&pool, schema, "domain_events", "position").await;
        let want_events: usize = members.iter().map(|d| d.events.len()).sum();
        assert_eq!(
            events.len(),
            want_events,
            "{database}.{schema}.domain_events"
        );
        let positions: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT position FROM \"{schema}\".domain_events ORDER BY position"
        ))
        .fetch_all(&pool)
        .await
        .expect("positions");
        assert_eq!(
            positions,
            (1..=want_events as i64).collect::<Vec<_>>(),
            "{database}.{schema}: positions 1..n"
        );
        out.insert(format!("pg/{database}/{schema}/domain_events"), events);
        for kind in Kind::ALL {
            let rows = table_text(&pool, schema, kind.table(), kind.id_column()).await;
            let ids: BTreeSet<String> = sqlx::query_scalar(&format!(
                "SELECT {}::text FROM \"{schema}\".{}",
                kind.id_column(),
                kind.table()
            ))
            .fetch_all(&pool)
            .await
            .expect("ids")
            .into_iter()
            .collect();
            let want: BTreeSet<String> = members
                .iter()
                .flat_map(|d| d.rows_of(kind).map(|r| r.id.clone()))
                .collect();
            assert_eq!(ids, want, "{database}.{schema}.{}", kind.table());
            out.insert(format!("pg/{database}/{schema}/{}", kind.table()), rows);
        }
        // Each row's owner is an org of this space; dedicated spaces hold one org only.
        let owners: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT owner_org FROM \"{schema}\".widgets ORDER BY 1"
        ))
        .fetch_all(&pool)
        .await
        .expect("owners");
        let mut want_owners: Vec<String> = members.iter().map(|d| d.org.id.to_owned()).collect();
        want_owners.sort();
        assert_eq!(owners, want_owners, "{database}.{schema}: owners");
        pool.close().await;
    }

    // Graph: database `orgs` over Bolt, as Storelens reads it.
    let graph = bolt(t, Some(GRAPH_DATABASE)).await;
    let nodes = strings(
        &graph,
        "MATCH (n) RETURN labels(n)[0] + ' ' + n.orgId + ' ' + n.uid + ' ' + n.name AS s",
    )
    .await;
    let mut want_nodes: Vec<String> = data
        .iter()
        .flat_map(OrgData::nodes)
        .map(|n| format!("{} {} {} {}", n.label, n.org_id, n.uid, n.name))
        .collect();
    want_nodes.sort();
    assert_eq!(nodes, want_nodes, "graph nodes");
    let edges = strings(
        &graph,
        "MATCH (g:Gadget)-[r:USES]->(w:Widget) WHERE g.orgId = w.orgId RETURN g.uid + '->' + w.uid AS s",
    )
    .await;
    let mut want_edges: Vec<String> = data
        .iter()
        .flat_map(OrgData::uses)
        .map(|u| format!("{}->{}", u.gadget, u.widget))
        .collect();
    want_edges.sort();
    assert_eq!(edges, want_edges, "USES edges, all within one org");
    let all_edges = strings(&graph, "MATCH ()-[r]->() RETURN type(r) AS s").await;
    assert_eq!(all_edges.len(), want_edges.len(), "no other relationships");
    out.insert("graph/nodes".into(), nodes);
    out.insert("graph/edges".into(), edges);
    // Nothing of the platform went into the server's default graph database.
    let default = bolt(t, None).await;
    let leaked = strings(
        &default,
        "MATCH (n) WHERE n:Widget OR n:Gadget OR n.orgId IS NOT NULL RETURN n.uid AS s LIMIT 5",
    )
    .await;
    assert!(
        leaked.is_empty(),
        "orgs nodes in the default graph database: {leaked:?}"
    );

    // Redis database 1 (single node only).
    if !t.redis_cluster {
        let mut db1 = redis_db(t, orgs::REDIS_DB).await;
        let keys = scan(&mut db1, "org:*").await;
        let want_keys: BTreeSet<String> = data
            .iter()
            .flat_map(OrgData::cache)
            .map(|e| e.key().to_owned())
            .collect();
        assert_eq!(keys, want_keys, "org:* keys of Redis database 1");
        let mut values = Vec::new();
        for key in &keys {
            if key.ends_with(":feed") {
                let items: Vec<String> = redis::cmd("LRANGE")
                    .arg(key)
                    .arg(0)
                    .arg(-1)
                    .query_async(&mut db1)
                    .await
                    .expect("lrange");
                assert_eq!(items.len(), FEED_LEN, "{key}");
                values.push(format!("{key}={items:?}"));
            } else {
                let ttl: i64 = redis::cmd("TTL")
                    .arg(key)
                    .query_async(&mut db1)
                    .await
                    .expect("ttl");
                assert!(ttl > 0 && ttl <= WIDGET_TTL as i64, "{key} has TTL {ttl}");
                let value: String = redis::cmd("GET")
                    .arg(key)
                    .query_async(&mut db1)
                    .await
                    .expect("get");
                let json: serde_json::Value = serde_json::from_str(&value).expect("widget JSON");
                assert!(
                    key.ends_with(json["widget_id"].as_str().expect("widget_id")),
                    "{key}: {value}"
                );
                values.push(format!("{key}={value}"));
            }
        }
        out.insert("redis/1".into(), values);
        // Database 0 (the sandbox's) holds none of them.
        let mut db0 = redis_db(t, 0).await;
        assert!(
            scan(&mut db0, "org:*").await.is_empty(),
            "org:* keys in Redis database 0"
        );
    }

    // Objects: one bucket per org, exactly its live widgets.
    for d in data {
        let name = bucket_name(d.org.handle);
        let store = bucket(t, &name);
        let mut listed: Vec<String> = store
            .list(None)
            .map_ok(|m| m.location.to_string())
            .try_collect()
            .await
            .expect("list bucket");
        listed.sort();
        let want: Vec<String> = d
            .objects()
            .into_iter()
            .map(|o| o.key)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(listed, want, "bucket {name}");
        for o in d.objects() {
            let bytes = store
                .get(&Path::from(o.key.as_str()))
                .await
                .expect("get")
                .bytes()
                .await
                .expect("bytes");
            assert_eq!(bytes.as_ref(), o.bytes.as_slice(), "{name}/{}", o.key);
        }
        out.insert(format!("objects/{name}"), listed);
    }
    out
}

fn counts(r: &OrgsReport) -> (usize, usize, usize, usize, usize, usize, usize, usize) {
    (
        r.orgs,
        r.events,
        r.rows,
        r.graph_nodes,
        r.graph_relationships,
        r.redis_keys,
        r.buckets.len(),
        r.objects,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_the_orgs_platform_into_every_store_deterministically() {
    let Some(t) = targets() else { return };
    let data = generate();
    let progress = |line: &str| eprintln!("{line}");

    let started = Instant::now();
    let first = orgs::seed_orgs(&t, &progress).await.expect("first seed");
    let first_ms = started.elapsed().as_millis();
    eprintln!("first seed: {first:?} ({first_ms} ms)");
    let want_events: usize = data.iter().map(|d| d.events.len()).sum();
    let want_rows: usize = data.iter().map(|d| d.rows.len()).sum();
    let want_uses: usize = data.iter().map(|d| d.uses().len()).sum();
    let want_keys: usize = if t.redis_cluster {
        0
    } else {
        data.iter().map(|d| d.cache().len()).sum()
    };
    let want_objects: usize = data.iter().map(|d| d.objects().len()).sum();
    assert_eq!(
        counts(&first),
        (
            data.len(),
            want_events,
            want_rows,
            want_rows,
            want_uses,
            want_keys,
            data.len(),
            want_objects
        )
    );
    assert_eq!(first.redis_skipped.is_some(), t.redis_cluster);
    for isolation in Isolation::ALL {
        assert!(
            data.iter().any(|d| d.org.isolation == isolation),
            "an org of every isolation: {isolation:?}"
        );
    }
    let before = snapshot(&t, &data).await;

    let started = Instant::now();
    let second = orgs::seed_orgs(&t, &progress).await.expect("second seed");
    let second_ms = started.elapsed().as_millis();
    eprintln!("second seed: {second_ms} ms");
    assert_eq!(
        counts(&second),
        counts(&first),
        "reseeding writes the same amounts"
    );
    let after = snapshot(&t, &data).await;
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (k, v) in &before {
        assert_eq!(v, &after[k], "{k} differs between two seeds");
    }
}
