use storelens_core::footprint::{FootprintPart, TenantFootprint};
use storelens_core::tenants::{Tenant, Tier};
use storelens_core::ErrorCode;

use crate::support::{fixture, sandbox, sandbox_fixture, sandbox_with_closed_graph_port};

fn value<T>(part: &FootprintPart<T>) -> &T {
    part.value
        .as_ref()
        .unwrap_or_else(|| panic!("{:?} part failed: {:?}", part.store, part.error))
}

fn n(text: &str) -> i64 {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not a count: {e}"))
}

fn table_rows(f: &TenantFootprint, table: &str) -> i64 {
    let t = value(&f.postgres)
        .tables
        .iter()
        .find(|t| t.table == table)
        .unwrap_or_else(|| panic!("no table {table}"));
    n(t.rows
        .as_deref()
        .unwrap_or_else(|| panic!("{table}: {:?}", t.error)))
}

/// `count(*)` of a sandbox table, as a person would write it: the tenant filter for the row
/// tier, the whole table of the tenant's own schema or database otherwise.
async fn plain_count(f: &crate::support::Fixture, tenant: &Tenant, table: &str) -> i64 {
    let platform = f.app.platform("sandbox").await.expect("open");
    let space = platform.tenant_space(tenant).expect("space");
    let (sql, filtered) = match tenant.tier {
        Tier::Row => (
            format!("select count(*) from public.{table} where tenant_id::text = $1"),
            true,
        ),
        _ => (
            format!("select count(*) from {}.{table}", space.schema),
            false,
        ),
    };
    let mut q = sqlx::query_scalar(&sql);
    if filtered {
        q = q.bind(&tenant.id);
    }
    q.fetch_one(space.postgres.pool())
        .await
        .expect("plain count")
}

#[tokio::test]
async fn every_tier_has_a_footprint_in_every_store() {
    let f = sandbox_fixture("sandbox").await;
    for (slug, tier) in [
        ("initech", Tier::Row),
        ("tyrell", Tier::Schema),
        ("aperture", Tier::Database),
    ] {
        let fp = f
            .app
            .tenant_footprint("sandbox", slug, false)
            .await
            .expect("footprint");
        assert_eq!((fp.tenant.slug.as_str(), fp.tenant.tier), (slug, tier));
        assert!(table_rows(&fp, "atoms") > 0, "{slug}: {fp:?}");
        let pg = value(&fp.postgres);
        assert!(
            pg.tables.iter().all(|t| t.error.is_none()),
            "{slug}: {pg:?}"
        );
        let events = pg
            .events
            .as_ref()
            .unwrap_or_else(|| panic!("{slug}: no events: {:?}", pg.events_error));
        assert!(n(&events.count) > 0, "{slug}: {events:?}");
        let (first, last) = (
            events.first_at.as_deref().expect("first"),
            events.last_at.as_deref().expect("last"),
        );
        assert!(first <= last, "{slug}: {first} > {last}");
        assert!(
            !events.types.is_empty() && events.types.len() <= 20,
            "{slug}: {events:?}"
        );
        let typed: i64 =
            events.types.iter().map(|t| n(&t.count)).sum::<i64>() + n(&events.other_types_count);
        assert_eq!(typed, n(&events.count), "{slug}: the histogram adds up");

        let graph = value(&fp.graph);
        let atoms = graph
            .labels
            .iter()
            .find(|l| l.name == "Atom")
            .map_or(0, |l| n(&l.count));
        assert!(atoms > 0, "{slug}: {graph:?}");
        assert!(n(&graph.relationships) > 0, "{slug}: {graph:?}");

        let redis = value(&fp.redis);
        assert_eq!(redis.prefix, format!("tenant:{}:", fp.tenant.id));
        let atom_keys = redis
            .namespaces
            .iter()
            .find(|ns| ns.namespace == "atom")
            .map_or(0, |ns| n(&ns.keys));
        assert!(atom_keys > 0, "{slug}: {redis:?}");
        assert!(n(&redis.bytes) > 0, "{slug}: {redis:?}");

        let objects = value(&fp.objects);
        assert_eq!(objects.prefix, format!("tenant-{slug}/"));
        let documents = objects
            .prefixes
            .iter()
            .find(|p| p.prefix == "documents/")
            .map_or(0, |p| n(&p.objects));
        assert!(
            documents > 0 && n(&objects.bytes) > 0,
            "{slug}: {objects:?}"
        );
    }
}

/// initech (row tier) and tyrell (schema tier) were seeded with the same atom ids; each
/// footprint still counts only its own rows.
#[tokio::test]
async fn the_isolation_pair_counts_only_its_own_rows() {
    let f = sandbox_fixture("sandbox").await;
    let initech = f
        .app
        .tenant_footprint("sandbox", "initech", true)
        .await
        .expect("initech");
    let tyrell = f
        .app
        .tenant_footprint("sandbox", "tyrell", true)
        .await
        .expect("tyrell");
    let platform = f.app.platform("sandbox").await.expect("open");
    let shared: i64 = sqlx::query_scalar(
        "select count(*) from public.atoms a join tenant_tyrell.atoms b using (id) where a.tenant_id::text = $1",
    )
    .bind(&initech.tenant.id)
    .fetch_one(platform.postgres().expect("pg").pool())
    .await
    .expect("shared ids");
    assert!(shared > 0, "the seeded isolation pair shares atom ids");
    for fp in [&initech, &tyrell] {
        assert_eq!(
            table_rows(fp, "atoms"),
            plain_count(&f, &fp.tenant, "atoms").await,
            "{}",
            fp.tenant.slug
        );
        let events = value(&fp.postgres).events.as_ref().expect("events");
        assert_eq!(
            n(&events.count),
            plain_count(&f, &fp.tenant, "knowledge_events").await,
            "{}",
            fp.tenant.slug
        );
    }
    let (a, b) = (value(&initech.redis), value(&tyrell.redis));
    assert_ne!(a.prefix, b.prefix);
}

#[tokio::test]
async fn an_exact_footprint_equals_plain_counts() {
    let f = sandbox_fixture("sandbox").await;
    for slug in ["acme", "cyberdyne", "blackmesa"] {
        let fp = f
            .app
            .tenant_footprint("sandbox", slug, true)
            .await
            .expect("footprint");
        assert!(fp.exact);
        for t in &value(&fp.postgres).tables {
            assert!(!t.estimated, "{slug}: {t:?}");
            assert_eq!(
                table_rows(&fp, &t.table),
                plain_count(&f, &fp.tenant, &t.table).await,
                "{slug}.{}",
                t.table
            );
        }
        let events = value(&fp.postgres).events.as_ref().expect("events");
        assert_eq!(
            n(&events.count),
            plain_count(&f, &fp.tenant, "knowledge_events").await,
            "{slug}"
        );
        let redis = value(&fp.redis);
        assert!(!redis.bytes_estimated, "{slug}: {redis:?}");
        for ns in &redis.namespaces {
            assert_eq!(
                ns.sampled_keys as i64,
                n(&ns.keys),
                "{slug}: every key sized: {ns:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_closed_graph_port_fails_only_the_graph_part() {
    let f = sandbox_with_closed_graph_port().await;
    let fp = f
        .app
        .tenant_footprint("sandbox", "tyrell", false)
        .await
        .expect("footprint");
    let error = fp.graph.error.as_ref().expect("the graph part is an error");
    assert!(
        matches!(error.code, ErrorCode::Unavailable | ErrorCode::Timeout),
        "{error:?}"
    );
    assert!(fp.graph.value.is_none());
    assert!(table_rows(&fp, "atoms") > 0);
    assert!(value(&fp.redis)
        .namespaces
        .iter()
        .any(|ns| ns.namespace == "atom"));
    assert!(n(&value(&fp.objects).objects) > 0);
}

/// The planner estimate of a table the tenant owns: the sandbox's entity tables are too small
/// for autovacuum to analyze, so a profile that also declares the (analyzed) event table as an
/// entity exercises it. Never analyzed (right after a reseed), it falls back to `count(*)`.
#[tokio::test]
async fn a_schema_tier_table_is_estimated_from_the_planner_statistics() {
    let f = fixture();
    let profile = f.dir.path().join("with-events-entity.toml");
    let text = format!(
        "{}\n[[entities]]\ntype = \"event_row\"\ntable = \"knowledge_events\"\nid_column = \"id\"\n",
        storelens_core::profile::SANDBOX_PROFILE_TOML
    );
    std::fs::write(&profile, text).expect("write profile");
    let (mut draft, secrets) = sandbox("sandbox");
    draft.profile = profile.display().to_string();
    f.app.save_connection(draft, secrets).await.expect("save");
    let fp = f
        .app
        .tenant_footprint("sandbox", "tyrell", false)
        .await
        .expect("footprint");
    let exact = plain_count(&f, &fp.tenant, "knowledge_events").await;
    let t = value(&fp.postgres)
        .tables
        .iter()
        .find(|t| t.table == "knowledge_events")
        .expect("entity table");
    let rows = n(t.rows.as_deref().expect("rows"));
    if t.estimated {
        assert!(
            (rows - exact).abs() <= exact / 2,
            "estimate {rows} is far from {exact}"
        );
    } else {
        assert_eq!(rows, exact);
    }
    let fp = f
        .app
        .tenant_footprint("sandbox", "tyrell", true)
        .await
        .expect("exact footprint");
    let t = value(&fp.postgres)
        .tables
        .iter()
        .find(|t| t.table == "knowledge_events")
        .expect("entity table");
    assert_eq!(
        (t.rows.as_deref().map(n), t.estimated),
        (Some(exact), false)
    );
}

#[tokio::test]
async fn an_unknown_tenant_is_not_found() {
    let f = sandbox_fixture("sandbox").await;
    let err = f
        .app
        .tenant_footprint("sandbox", "no-such-tenant", false)
        .await
        .expect_err("unknown");
    assert_eq!(err.code(), ErrorCode::NotFound);
}
