//! The cross-store lookup against the seeded sandbox: ids, cache keys and object keys resolve
//! to their tenant and entity in every store; hostile input is never executed.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStore;
use sqlx::PgPool;
use storelens_core::lookup::{EntityHit, LookupResult, NeedleKind};
use storelens_core::{ErrorCode, StoreKind};

use crate::support::{fixture, sandbox, sandbox_fixture, Fixture, TIMEOUT};

async fn pool(f: &Fixture) -> PgPool {
    f.app
        .platform("sandbox")
        .await
        .expect("open")
        .postgres()
        .expect("pg")
        .pool()
        .clone()
}

async fn tenant_id(pg: &PgPool, slug: &str) -> String {
    sqlx::query_scalar("select id::text from public.tenants where slug = $1")
        .bind(slug)
        .fetch_one(pg)
        .await
        .expect("tenant id")
}

/// An atom of a row-tier tenant that is part of a molecule, so its graph node has edges.
async fn linked_atom(pg: &PgPool, slug: &str) -> String {
    sqlx::query_scalar(
        "select a.id::text from public.atoms a join public.tenants t on t.id = a.tenant_id \
         join public.molecules m on m.tenant_id = a.tenant_id and a.id = any(m.atom_ids) \
         where t.slug = $1 order by a.id limit 1",
    )
    .bind(slug)
    .fetch_one(pg)
    .await
    .expect("a linked atom")
}

fn one_hit<'a>(r: &'a LookupResult, slug: &str, entity: &str) -> &'a EntityHit {
    let hits: Vec<&EntityHit> = r
        .hits
        .iter()
        .filter(|h| h.tenant.as_ref().is_some_and(|t| t.slug == slug) && h.entity_type == entity)
        .collect();
    assert_eq!(hits.len(), 1, "one {entity} hit of {slug} expected: {r:#?}");
    hits[0]
}

fn row_tenant(hit: &EntityHit) -> String {
    hit.row
        .as_ref()
        .and_then(|r| r.row.get("tenant_id"))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn assert_cached_with_ttl(hit: &EntityHit) {
    let key = hit
        .cache
        .first()
        .unwrap_or_else(|| panic!("no cache key checked: {hit:#?}"));
    assert!(
        key.present,
        "{} is not in Redis. Atom keys expire an hour after seeding: reseed with `scripts/stack seed`",
        key.key
    );
    let ttl: i64 = key
        .ttl_ms
        .as_deref()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    assert!(ttl > 0, "{key:?}");
    assert_eq!(key.key_type.as_deref(), Some("string"));
}

#[tokio::test]
async fn a_row_tier_atom_is_found_in_every_store() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let hooli = tenant_id(&pg, "hooli").await;
    let id = linked_atom(&pg, "hooli").await;
    let r = f.app.find("sandbox", &id, None).await.expect("find");
    assert_eq!(r.kind, NeedleKind::EntityId);
    assert!(r.errors.is_empty() && !r.capped, "{r:#?}");
    assert_eq!(r.hits.len(), 1, "{r:#?}");
    let hit = one_hit(&r, "hooli", "atom");
    assert_eq!(
        hit.tenant.as_ref().map(|t| t.id.as_str()),
        Some(hooli.as_str())
    );
    let row = hit.row.as_ref().expect("row");
    assert_eq!(
        row.row.get("id").and_then(|v| v.as_str()),
        Some(id.as_str())
    );
    assert_eq!(row.table, "public.atoms");
    let events = hit.events.as_ref().expect("events");
    assert!(
        events.total >= 1 && !events.recent.is_empty() && events.recent.len() <= 20,
        "{events:?}"
    );
    assert!(events
        .recent
        .iter()
        .all(|e| e.event_type.starts_with("Atom") && e.sequence.is_some() && e.time.is_some()));
    assert!(
        events
            .recent
            .last()
            .is_some_and(|e| e.event_type == "AtomCreated")
            || events.total > 20,
        "{events:?}"
    );
    let node = hit.graph.first().expect("graph node");
    assert_eq!(hit.graph.len(), 1);
    assert!(node.degree > 0, "{node:?}");
    assert_eq!(node.tenant_value.as_deref(), Some(hooli.as_str()));
    assert!(node.labels.iter().any(|l| l == "Atom"));
    assert_cached_with_ttl(hit);
    assert_eq!(
        hit.stores,
        [StoreKind::Postgres, StoreKind::Graph, StoreKind::Redis]
    );
}

#[tokio::test]
async fn a_database_tier_atom_is_found_in_its_own_database() {
    let f = sandbox_fixture("sandbox").await;
    let platform = f.app.platform("sandbox").await.expect("open");
    let aperture = f
        .app
        .get_tenant("sandbox", "aperture")
        .await
        .expect("aperture");
    let space = platform.tenant_space(&aperture).expect("space");
    let id: String = sqlx::query_scalar("select id::text from public.atoms order by id limit 1")
        .fetch_one(space.postgres.pool())
        .await
        .expect("an aperture atom");
    let r = f.app.find("sandbox", &id, None).await.expect("find");
    assert!(r.errors.is_empty(), "{r:#?}");
    let hit = one_hit(&r, "aperture", "atom");
    assert_eq!(
        hit.row.as_ref().map(|r| r.table.as_str()),
        Some("storelens_tenant_aperture/public.atoms")
    );
    assert!(
        hit.events.as_ref().is_some_and(|e| e.total >= 1),
        "{hit:#?}"
    );
    assert_eq!(row_tenant(hit), aperture.id);
}

#[tokio::test]
async fn a_shared_atom_id_gives_one_hit_per_tenant_and_narrows_by_tenant() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let initech = tenant_id(&pg, "initech").await;
    let tyrell = tenant_id(&pg, "tyrell").await;
    let id: String = sqlx::query_scalar(
        "select a.id::text from public.atoms a join tenant_tyrell.atoms b on b.id = a.id \
         where a.tenant_id = $1::uuid order by a.id limit 1",
    )
    .bind(&initech)
    .fetch_one(&pg)
    .await
    .expect("a shared atom id");

    let r = f.app.find("sandbox", &id, None).await.expect("find");
    assert!(r.errors.is_empty(), "{r:#?}");
    let slugs: Vec<&str> = r
        .hits
        .iter()
        .filter_map(|h| h.tenant.as_ref())
        .map(|t| t.slug.as_str())
        .collect();
    assert_eq!(slugs, ["initech", "tyrell"], "{r:#?}");
    assert_eq!(row_tenant(one_hit(&r, "initech", "atom")), initech);
    assert_eq!(row_tenant(one_hit(&r, "tyrell", "atom")), tyrell);
    assert_eq!(
        one_hit(&r, "tyrell", "atom")
            .row
            .as_ref()
            .map(|r| r.table.as_str()),
        Some("tenant_tyrell.atoms")
    );
    for hit in &r.hits {
        let tenant = hit.tenant.as_ref().expect("tenant");
        assert!(
            hit.graph
                .iter()
                .all(|n| n.tenant_value.as_deref() == Some(tenant.id.as_str())),
            "{hit:#?}"
        );
        assert!(
            hit.cache.iter().all(|k| k.key.contains(&tenant.id)),
            "{hit:#?}"
        );
    }

    for (filter, slug) in [("initech", "initech"), (tyrell.as_str(), "tyrell")] {
        let r = f
            .app
            .find("sandbox", &id, Some(filter))
            .await
            .expect("find narrowed");
        assert_eq!(r.hits.len(), 1, "--tenant {filter}: {r:#?}");
        let hit = one_hit(&r, slug, "atom");
        assert!(hit.row.is_some() && !hit.graph.is_empty(), "{hit:#?}");
    }
    let err = f
        .app
        .find("sandbox", &id, Some("no-such-tenant"))
        .await
        .expect_err("unknown tenant");
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn a_cache_key_resolves_to_its_tenant_and_entity() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let hooli = tenant_id(&pg, "hooli").await;
    let id = linked_atom(&pg, "hooli").await;
    let key = format!("tenant:{hooli}:atom:{id}");
    let r = f.app.find("sandbox", &key, None).await.expect("find");
    assert_eq!(r.kind, NeedleKind::CacheKey);
    assert!(r.errors.is_empty(), "{r:#?}");
    assert_eq!(r.key_tenant.as_deref(), Some(hooli.as_str()));
    assert_eq!(r.tenant.as_ref().map(|t| t.slug.as_str()), Some("hooli"));
    let entity = r.key_entity.as_ref().expect("key entity");
    assert_eq!(
        (entity.entity_type.as_str(), entity.id.as_str()),
        ("atom", id.as_str())
    );
    let cached = r.cache_key.as_ref().expect("the key");
    assert!(
        cached.present && cached.memory_bytes.is_some(),
        "{cached:?}"
    );
    let hit = one_hit(&r, "hooli", "atom");
    assert!(hit.row.is_some() && !hit.graph.is_empty(), "{hit:#?}");
    assert_cached_with_ttl(hit);
    assert_eq!(r.hits.len(), 1);

    // A key of the tenant that names no entity: its tenant, no hits.
    let stream = format!("tenant:{hooli}:updates:log");
    let r = f
        .app
        .find("sandbox", &stream, None)
        .await
        .expect("find stream");
    assert_eq!(
        (r.kind, r.tenant.as_ref().map(|t| t.slug.as_str())),
        (NeedleKind::CacheKey, Some("hooli"))
    );
    let cached = r.cache_key.as_ref().expect("the key");
    assert_eq!(
        (cached.present, cached.key_type.as_deref()),
        (true, Some("stream")),
        "{r:#?}"
    );
    assert!(r.hits.is_empty() && r.key_entity.is_none());

    // The key's tenant wins over a different --tenant.
    let err = f
        .app
        .find("sandbox", &key, Some("acme"))
        .await
        .expect_err("other tenant");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn an_object_key_resolves_to_its_tenant_and_document() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let (doc, reference): (String, String) = sqlx::query_as(
        "select d.id::text, d.storage_reference from public.documents d join public.tenants t on t.id = d.tenant_id \
         where t.slug = 'hooli' and d.storage_reference is not null order by d.id limit 1",
    )
    .fetch_one(&pg)
    .await
    .expect("a hooli document");
    let key = format!("tenant-hooli/{reference}");
    let r = f.app.find("sandbox", &key, None).await.expect("find");
    assert_eq!(r.kind, NeedleKind::ObjectKey);
    assert!(r.errors.is_empty(), "{r:#?}");
    assert_eq!(r.key_tenant.as_deref(), Some("hooli"));
    assert_eq!(r.tenant.as_ref().map(|t| t.slug.as_str()), Some("hooli"));
    let object = r.object.as_ref().expect("the object");
    assert!(
        object.present
            && object.size.as_deref().is_some_and(|s| s != "0")
            && object.last_modified.is_some(),
        "{object:?}"
    );
    assert_eq!(
        r.key_entity
            .as_ref()
            .map(|e| (e.entity_type.as_str(), e.id.as_str())),
        Some(("document", doc.as_str()))
    );
    let hit = one_hit(&r, "hooli", "document");
    assert_eq!(hit.id, doc);
    assert!(hit.row.is_some() && hit.events.is_some(), "{hit:#?}");
    assert_eq!(
        hit.objects
            .iter()
            .map(|o| (o.key.as_str(), o.present))
            .collect::<Vec<_>>(),
        [(key.as_str(), true)]
    );
    assert!(
        hit.stores.contains(&StoreKind::Objects) && hit.stores.contains(&StoreKind::Postgres),
        "{hit:#?}"
    );

    // The same through s3://bucket/key.
    let r2 = f
        .app
        .find("sandbox", &format!("s3://knowledge-os/{key}"), None)
        .await
        .expect("find s3 url");
    assert_eq!(r2.hits.len(), 1, "{r2:#?}");
}

/// The planted orphan object of globex: present in the bucket, no row refers to it.
#[tokio::test]
async fn an_orphan_object_has_its_tenant_and_no_hits() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let platform = f.app.platform("sandbox").await.expect("open");
    let bucket = platform
        .objects
        .as_ref()
        .expect("objects")
        .as_ref()
        .expect("usable")
        .default_bucket();
    let keys: Vec<String> = bucket
        .list(Some(&ObjectPath::from("tenant-globex/documents")))
        .map_ok(|m| m.location.to_string())
        .try_collect()
        .await
        .expect("list");
    let references: Vec<String> = sqlx::query_scalar(
        "select 'tenant-globex/' || d.storage_reference from public.documents d join public.tenants t on t.id = d.tenant_id \
         where t.slug = 'globex' and d.storage_reference is not null",
    )
    .fetch_all(&pg)
    .await
    .expect("references");
    let orphan = keys
        .iter()
        .find(|k| !references.contains(k))
        .expect("the planted orphan object");
    let r = f.app.find("sandbox", orphan, None).await.expect("find");
    assert!(r.object.as_ref().is_some_and(|o| o.present), "{r:#?}");
    assert_eq!(r.tenant.as_ref().map(|t| t.slug.as_str()), Some("globex"));
    assert!(r.hits.is_empty() && r.errors.is_empty(), "{r:#?}");
}

/// The planted node of a deleted globex molecule: no row, but its node and its events.
#[tokio::test]
async fn a_graph_node_without_a_row_is_found_with_its_events() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let globex = tenant_id(&pg, "globex").await;
    let platform = f.app.platform("sandbox").await.expect("open");
    let graph = platform
        .graph
        .as_ref()
        .expect("graph")
        .as_ref()
        .expect("usable");
    let q = neo4rs::query("MATCH (n:`Molecule`) WHERE n.`tenantId` = $t RETURN n.`id` AS id")
        .param("t", globex.as_str());
    let mut rows = graph.bolt().execute_read(q).await.expect("nodes");
    let mut node_ids = Vec::new();
    while let Some(row) = rows.next().await.expect("row") {
        node_ids.push(row.get::<String>("id").expect("id"));
    }
    let live: Vec<String> =
        sqlx::query_scalar("select id::text from public.molecules where tenant_id = $1::uuid")
            .bind(&globex)
            .fetch_all(&pg)
            .await
            .expect("rows");
    let orphan = node_ids
        .iter()
        .find(|id| !live.contains(id))
        .expect("the planted node of a deleted molecule");
    let r = f
        .app
        .find("sandbox", orphan, Some("globex"))
        .await
        .expect("find");
    let hit = one_hit(&r, "globex", "molecule");
    assert!(hit.row.is_none() && hit.graph.len() == 1, "{hit:#?}");
    let events = hit.events.as_ref().expect("its events");
    assert_eq!(
        events.recent.first().map(|e| e.event_type.as_str()),
        Some("MoleculeDeleted"),
        "{events:?}"
    );
    assert_eq!(hit.stores, [StoreKind::Postgres, StoreKind::Graph]);
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Nothing refers to it (and nothing failed).
    Empty,
    /// Refused as `invalid_input`.
    Invalid,
}

async fn check(f: &Fixture, input: &str, tenant: Option<&str>, expect: Expect) {
    let shown: String = input.chars().take(60).collect();
    match (f.app.find("sandbox", input, tenant).await, expect) {
        (Ok(r), Expect::Empty) => {
            assert!(r.is_empty(), "{shown:?} found something: {r:#?}");
            assert!(
                r.errors.is_empty(),
                "{shown:?} made a store fail: {:#?}",
                r.errors
            );
        }
        (Err(e), Expect::Invalid) => {
            assert_eq!(e.code(), ErrorCode::InvalidInput, "{shown:?}: {e}")
        }
        (got, want) => panic!("{shown:?}: want {want:?}, got {got:?}"),
    }
}

#[tokio::test]
async fn hostile_input_is_looked_up_literally_or_refused_never_executed() {
    let f = sandbox_fixture("sandbox").await;
    let pg = pool(&f).await;
    let hooli = tenant_id(&pg, "hooli").await;
    let count = |pg: PgPool| async move {
        let atoms: i64 = sqlx::query_scalar("select count(*) from public.atoms")
            .fetch_one(&pg)
            .await
            .expect("count");
        let tenants: i64 = sqlx::query_scalar("select count(*) from public.tenants")
            .fetch_one(&pg)
            .await
            .expect("count");
        (atoms, tenants)
    };
    let before = count(pg.clone()).await;
    let huge = "7".repeat(10 * 1024);
    let prefixed_huge = format!("tenant:{hooli}:{}", "x".repeat(10 * 1024));
    let corpus: Vec<(String, Expect)> = vec![
        ("' or 1=1 --".into(), Expect::Empty),
        ("'; drop table atoms; --".into(), Expect::Empty),
        ("1 OR 1=1".into(), Expect::Empty),
        ("*".into(), Expect::Empty),
        ("%".into(), Expect::Empty),
        ("_".into(), Expect::Empty),
        ("../../etc/passwd".into(), Expect::Empty),
        ("MATCH (n) DETACH DELETE n".into(), Expect::Empty),
        ("x\" }) DETACH DELETE n //".into(), Expect::Empty),
        ("`) MATCH (m) DETACH DELETE m //".into(), Expect::Empty),
        ("$id".into(), Expect::Empty),
        ("FLUSHALL".into(), Expect::Empty),
        ("tenant:*".into(), Expect::Empty),
        (format!("tenant:{hooli}:*"), Expect::Empty),
        (format!("tenant:{hooli}:atom:*"), Expect::Empty),
        (format!("tenant:{hooli}:atom:' or 1=1 --"), Expect::Empty),
        ("tenant:' or 1=1 --:atom:1".into(), Expect::Empty),
        ("tenant:*:atom:*".into(), Expect::Empty),
        ("tenant-hooli/*".into(), Expect::Empty),
        ("tenant-hooli/".into(), Expect::Empty),
        ("tenant-hooli/documents/".into(), Expect::Empty),
        ("tenant-hooli".into(), Expect::Empty),
        ("tenant-'; drop table tenants; --/x".into(), Expect::Empty),
        ("tenant-hooli/documents/' or 1=1 --".into(), Expect::Empty),
        ("tenant-hooli/../../etc/passwd".into(), Expect::Invalid),
        ("tenant-hooli//etc/passwd".into(), Expect::Invalid),
        (
            "s3://knowledge-os/tenant-hooli/../x".into(),
            Expect::Invalid,
        ),
        ("\u{0}".into(), Expect::Invalid),
        ("a\u{0}b".into(), Expect::Invalid),
        ("line\nbreak".into(), Expect::Invalid),
        ("\u{1b}[2J".into(), Expect::Invalid),
        ("".into(), Expect::Invalid),
        ("   ".into(), Expect::Invalid),
        (huge, Expect::Invalid),
        (prefixed_huge, Expect::Invalid),
        ("ünïcödé ✓ \u{202e}gnp.exe".into(), Expect::Empty),
        ("00000000-0000-0000-0000-000000000000".into(), Expect::Empty),
        ("-1".into(), Expect::Empty),
    ];
    for (input, expect) in &corpus {
        check(&f, input, None, *expect).await;
    }
    // The tenant filter is as careful: unknown values are `not_found`, odd ones refused.
    let id = linked_atom(&pg, "hooli").await;
    for hostile in ["' or 1=1 --", "%", "*"] {
        let err = f
            .app
            .find("sandbox", &id, Some(hostile))
            .await
            .expect_err(hostile);
        assert_eq!(err.code(), ErrorCode::NotFound, "{hostile}: {err}");
    }
    check(&f, &id, Some("a\u{0}b"), Expect::Invalid).await;
    assert_eq!(count(pg).await, before, "nothing was written");
    assert_eq!(
        f.app
            .find("sandbox", &id, None)
            .await
            .expect("still there")
            .hits
            .len(),
        1
    );
}

fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[tokio::test]
async fn a_store_that_is_down_is_reported_while_the_others_answer() {
    let probe = sandbox_fixture("sandbox").await;
    let pg = pool(&probe).await;
    let id = linked_atom(&pg, "hooli").await;

    let f = fixture();
    let (mut draft, secrets) = sandbox("partial");
    draft.graph.as_mut().expect("graph").url = format!("bolt://127.0.0.1:{}", closed_port());
    draft.redis.as_mut().expect("redis").urls =
        vec![format!("redis://127.0.0.1:{}", closed_port())];
    f.app.save_connection(draft, secrets).await.expect("save");
    let started = Instant::now();
    let r = f.app.find("partial", &id, None).await.expect("find");
    assert!(
        started.elapsed() < TIMEOUT * 2 + Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    let failed: Vec<StoreKind> = r.errors.iter().map(|e| e.store).collect();
    assert_eq!(failed, [StoreKind::Graph, StoreKind::Redis], "{r:#?}");
    assert!(
        r.errors
            .iter()
            .all(|e| matches!(e.error.code, ErrorCode::Unavailable | ErrorCode::Timeout)),
        "{r:#?}"
    );
    let hit = one_hit(&r, "hooli", "atom");
    assert!(
        hit.row.is_some() && hit.events.is_some() && hit.graph.is_empty(),
        "{hit:#?}"
    );
    assert_eq!(hit.stores, [StoreKind::Postgres]);

    // Without PostgreSQL the graph still finds the node (its tenant unknown without the list).
    let f = fixture();
    let (mut draft, secrets) = sandbox("no-pg");
    draft.postgres.as_mut().expect("pg").url =
        format!("postgres://storelens@127.0.0.1:{}/x", closed_port());
    f.app.save_connection(draft, secrets).await.expect("save");
    let r = f.app.find("no-pg", &id, None).await.expect("find");
    assert_eq!(
        r.errors.iter().map(|e| e.store).collect::<Vec<_>>(),
        [StoreKind::Postgres],
        "{r:#?}"
    );
    assert_eq!(r.hits.len(), 1, "{r:#?}");
    assert!(
        r.hits[0].tenant.is_none() && r.hits[0].graph.len() == 1,
        "{r:#?}"
    );
}
