//! A second platform, shaped unlike the sandbox in every name ("orgs": `control.organizations`,
//! `org_id` like `org-7f3a`, `owner_org`, `Widget`/`orgId`/`uid`, `org:{orgId}:` keys in Redis
//! database 1, a bucket per org), reached by its profile `profiles/orgs.toml` alone.
//!
//! The tests seed it themselves through the sandbox crate (idempotent, about a second; the
//! sandbox's own data is never touched) and connect to the same servers as the sandbox, with
//! database `storelens_orgs` and Redis database 1. Entity pages, the overview and the consoles
//! run on it too.

use std::collections::BTreeSet;
use std::path::PathBuf;

use futures::StreamExt;
use storelens_core::connection::{ConnectionDraft, SecretsInput};
use storelens_core::connection_env::draft_from_env;
use storelens_core::health::StoreState;
use storelens_core::ident::Ident;
use storelens_core::platform::Platform;
use storelens_core::profile::{fill_pattern, Profile};
use storelens_core::tenants::{Tenant, TenantLocation, TenantQuery, Tier};
use storelens_core::ErrorCode;
use storelens_sandbox::orgs::{self, Isolation, Kind, OrgData};
use storelens_sandbox::{SandboxTargets, SeedOptions};
use tokio::sync::OnceCell;

use crate::support::{fixture, Fixture};

const CONNECTION: &str = "orgs";

fn profile_path() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../profiles/orgs.toml");
    path.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .display()
        .to_string()
}

/// Seeds the orgs platform once per test binary and returns its data.
async fn seeded() -> Vec<OrgData> {
    static SEEDED: OnceCell<()> = OnceCell::const_new();
    SEEDED
        .get_or_init(|| async {
            let targets = SandboxTargets::from_env().unwrap_or_else(|e| {
                panic!("{e:#}: start the servers with `scripts/stack up` and `eval \"$(scripts/stack env)\"`")
            });
            orgs::seed_orgs(&targets, &|_| {}).await.expect("seed the orgs platform");
        })
        .await;
    orgs::generate()
}

/// The stack's endpoints, pointed at the orgs platform's database, Redis database and bucket.
fn orgs_connection(data: &[OrgData]) -> (ConnectionDraft, SecretsInput) {
    let (mut draft, secrets) = draft_from_env(CONNECTION, &profile_path(), true)
        .unwrap_or_else(|e| panic!("{e}: start the servers with `scripts/stack up` and `eval \"$(scripts/stack env)\"`"));
    let pg = draft.postgres.as_mut().expect("postgres endpoint");
    pg.url = orgs::pg_url(&pg.url, orgs::PG_DATABASE).expect("pg url");
    let redis = draft.redis.as_mut().expect("redis endpoint");
    if !redis.cluster {
        redis.urls = redis
            .urls
            .iter()
            .map(|u| orgs::redis_url(u).expect("redis url"))
            .collect();
    }
    // The graph database comes from the profile.
    draft.graph.as_mut().expect("graph endpoint").database = None;
    // Per-org buckets come from the profile; the connection's own bucket is any one of them.
    draft.objects.as_mut().expect("objects endpoint").bucket =
        orgs::bucket_name(data[0].org.handle);
    (draft, secrets)
}

async fn orgs_fixture() -> (Fixture, Vec<OrgData>) {
    let data = seeded().await;
    let f = fixture();
    let (draft, secrets) = orgs_connection(&data);
    f.app
        .save_connection(draft, secrets)
        .await
        .expect("save the orgs connection");
    (f, data)
}

fn tier_of(isolation: Isolation) -> Tier {
    match isolation {
        Isolation::Shared => Tier::Row,
        Isolation::DedicatedSchema => Tier::Schema,
        Isolation::DedicatedDb => Tier::Database,
    }
}

fn handle<'a, T>(slot: &'a Option<storelens_core::Result<T>>, what: &str) -> &'a T {
    slot.as_ref()
        .unwrap_or_else(|| panic!("no {what}"))
        .as_ref()
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Every name that identifies the sandbox platform: its tenants' slugs and ids, and every
/// table, column, schema, label, property, key pattern and bucket of its profile.
fn sandbox_names() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = storelens_sandbox::tenants::list(&SeedOptions::default())
        .iter()
        .flat_map(|t| [t.slug.clone(), t.id.to_string()])
        .collect();
    names.extend(profile_strings(&Profile::sandbox()));
    names
}

/// The names a profile gives (identifiers, patterns, tier words), not Storelens' own vocabulary
/// (the object layout, the update mode) nor the key delimiter.
fn profile_strings(profile: &Profile) -> BTreeSet<String> {
    fn walk(key: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::String(s)
                if !s.is_empty()
                    && !matches!(
                        key,
                        "delimiter"
                            | "description"
                            | "layout"
                            | "update_mode"
                            // Store names the audit rules speak of, not platform names.
                            | "no_sensitive_values_in"
                    ) =>
            {
                out.insert(s.clone());
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(key, x, out)),
            serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| walk(k, x, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(
        "",
        &serde_json::to_value(profile).expect("profile as JSON"),
        &mut out,
    );
    out
}

#[test]
fn the_orgs_profile_loads_and_shares_no_name_with_the_sandbox() {
    let profile =
        Profile::load(std::path::Path::new(&profile_path())).expect("profiles/orgs.toml loads");
    assert_eq!(profile.name, "orgs");
    assert_eq!(profile.tenants.table.as_str(), "organizations");
    assert_eq!(
        profile.graph.as_ref().map(|g| g.database.as_str()),
        Some(orgs::GRAPH_DATABASE)
    );
    let shared: Vec<String> = profile_strings(&profile)
        .intersection(&profile_strings(&Profile::sandbox()))
        .cloned()
        .collect();
    assert!(
        shared.is_empty(),
        "the orgs profile reuses sandbox names: {shared:?}"
    );
}

#[tokio::test]
async fn lists_every_org_with_its_tier_and_location() {
    let (f, data) = orgs_fixture().await;
    let page = f
        .app
        .list_tenants(
            CONNECTION,
            TenantQuery {
                page_size: Some(1_000),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(page.total as usize, data.len(), "{page:?}");
    let handles: Vec<&str> = page.tenants.iter().map(|t| t.slug.as_str()).collect();
    let mut want: Vec<&str> = data.iter().map(|d| d.org.handle).collect();
    want.sort_unstable();
    assert_eq!(handles, want, "sorted by handle");
    let host = SandboxTargets::from_env()
        .expect("targets")
        .pg_host_port()
        .expect("host");
    for d in &data {
        let t = page
            .tenants
            .iter()
            .find(|t| t.slug == d.org.handle)
            .expect("listed");
        assert_eq!(
            (t.id.as_str(), t.name.as_deref(), t.tier),
            (d.org.id, Some(d.org.name), tier_of(d.org.isolation))
        );
        assert_eq!(
            t.created_at, None,
            "the platform has no creation time column"
        );
        let want = match d.org.isolation {
            Isolation::Shared => TenantLocation::Row {
                schema: "app".into(),
                tenant_column: "owner_org".into(),
            },
            Isolation::DedicatedSchema => TenantLocation::Schema {
                schema: format!("org_{}", d.org.handle),
            },
            Isolation::DedicatedDb => TenantLocation::Database {
                host: Some(host.clone()),
                database: format!("storelens_org_{}", d.org.handle),
                schema: "app".into(),
            },
        };
        assert_eq!(t.location, want, "{}", d.org.handle);
    }
    for tier in [Tier::Row, Tier::Schema, Tier::Database] {
        assert!(
            page.tenants.iter().any(|t| t.tier == tier),
            "no {tier:?} org"
        );
    }
    // No value names anything of the sandbox: not its tenants, tables, columns or schemas, nor
    // the schema or database its patterns would give these orgs.
    let sandbox = sandbox_names();
    let sandbox_slugs: Vec<String> = storelens_sandbox::tenants::list(&SeedOptions::default())
        .into_iter()
        .map(|t| t.slug)
        .collect();
    let sandbox_tiers = Profile::sandbox().tenants.tiers;
    for t in &page.tenants {
        let mut forbidden = sandbox.clone();
        forbidden.insert(
            fill_pattern(
                &sandbox_tiers
                    .schema
                    .as_ref()
                    .expect("schema tier")
                    .schema_pattern,
                &t.vars(),
            )
            .expect("fill"),
        );
        let db_pattern = sandbox_tiers
            .database
            .as_ref()
            .and_then(|d| d.database_pattern.clone())
            .expect("db pattern");
        forbidden.insert(fill_pattern(&db_pattern, &t.vars()).expect("fill"));
        let mut values = vec![
            t.id.clone(),
            t.slug.clone(),
            t.name.clone().unwrap_or_default(),
        ];
        match &t.location {
            TenantLocation::Row {
                schema,
                tenant_column,
            } => values.extend([schema.clone(), tenant_column.clone()]),
            TenantLocation::Schema { schema } => values.push(schema.clone()),
            TenantLocation::Database {
                database, schema, ..
            } => values.extend([database.clone(), schema.clone()]),
        }
        for v in &values {
            assert!(
                !forbidden.contains(v),
                "{}: {v:?} is a sandbox name",
                t.slug
            );
            let slug = sandbox_slugs
                .iter()
                .find(|s| v.to_lowercase().contains(s.as_str()));
            assert!(
                slug.is_none(),
                "{}: {v:?} contains the sandbox tenant {slug:?}",
                t.slug
            );
        }
    }
    // Search matches the platform's columns: id, handle and display name.
    for (search, handle) in [
        ("org-9e15", "fjord"),
        ("LATTICE", "lattice"),
        ("Collective", "quarry"),
    ] {
        let page = f
            .app
            .list_tenants(
                CONNECTION,
                TenantQuery {
                    search: Some(search.into()),
                    ..Default::default()
                },
            )
            .await
            .expect("search");
        assert_eq!(
            page.tenants
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>(),
            [handle],
            "search {search:?}"
        );
    }
}

#[tokio::test]
async fn finds_an_org_by_handle_and_by_id_and_no_sandbox_tenant() {
    let (f, data) = orgs_fixture().await;
    for d in &data {
        let by_handle = f
            .app
            .get_tenant(CONNECTION, d.org.handle)
            .await
            .expect("by handle");
        let by_id = f.app.get_tenant(CONNECTION, d.org.id).await.expect("by id");
        assert_eq!(
            (by_handle.id.as_str(), by_id.slug.as_str()),
            (d.org.id, d.org.handle)
        );
        assert_eq!(by_handle.location, by_id.location);
    }
    for unknown in ["acme", "tyrell", "aperture", "org-0000"] {
        let err = f
            .app
            .get_tenant(CONNECTION, unknown)
            .await
            .expect_err("unknown org");
        assert_eq!(err.code(), ErrorCode::NotFound, "{unknown}: {err}");
    }
}

/// Ids of `kind` rows in the tenant's space, through the profile's entity table and id column.
async fn row_ids(
    platform: &Platform,
    tenant: &Tenant,
    entity_type: &str,
) -> (BTreeSet<String>, i64) {
    let entity = platform
        .profile
        .entity(entity_type)
        .expect("entity in the profile");
    let tenant_column = platform
        .profile
        .events
        .as_ref()
        .and_then(|e| e.tenant_column.clone())
        .expect("events tenant column");
    let space = platform.tenant_space(tenant).expect("tenant space");
    let sql = format!(
        "select x.{}::text as id, count(*) filter (where x.{}::text <> $1) over () as foreign_rows from {} x where true{}",
        entity.id_column.pg(),
        tenant_column.pg(),
        space.table(&entity.table),
        space.and_tenant("x.", 1)
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(&tenant.id)
        .fetch_all(space.postgres.pool())
        .await
        .expect("rows");
    let foreign = rows.first().map_or(0, |r| r.1);
    (rows.into_iter().map(|r| r.0).collect(), foreign)
}

/// Each org's tenant space (shared `app` + `owner_org`, its schema, its database) reaches its
/// own widgets, gadgets and events, and no other org's.
#[tokio::test]
async fn every_tier_reaches_its_own_rows_and_events() {
    let (f, data) = orgs_fixture().await;
    let platform = f.app.platform(CONNECTION).await.expect("open");
    assert_eq!(platform.profile.name, "orgs");
    let events = platform.profile.events.clone().expect("events");
    for d in &data {
        let tenant = f
            .app
            .get_tenant(CONNECTION, d.org.handle)
            .await
            .expect("org");
        for kind in Kind::ALL {
            let (ids, foreign) = row_ids(&platform, &tenant, kind.stream_type()).await;
            let want: BTreeSet<String> = d.rows_of(kind).map(|r| r.id.clone()).collect();
            assert!(!want.is_empty());
            assert_eq!(
                ids,
                want,
                "{} {}s ({:?})",
                d.org.handle,
                kind.stream_type(),
                tenant.tier
            );
            assert_eq!(
                foreign,
                0,
                "{} sees other orgs' {}s",
                d.org.handle,
                kind.stream_type()
            );
        }
        let space = platform.tenant_space(&tenant).expect("space");
        let tenant_column = events.tenant_column.as_ref().expect("tenant column");
        let sql = format!(
            "select count(*), count(distinct x.{}::text), coalesce(sum(case when x.{}::text like '%Removed' then 1 else 0 end), 0) \
             from {} x where x.{}::text = $1",
            events.aggregate_id_column.pg(),
            events.event_type_column.pg(),
            space.table(&events.table),
            tenant_column.pg()
        );
        let (count, streams, removed): (i64, i64, i64) = sqlx::query_as(&sql)
            .bind(&tenant.id)
            .fetch_one(space.postgres.pool())
            .await
            .expect("events");
        assert_eq!(count as usize, d.events.len(), "{} events", d.org.handle);
        assert_eq!(
            streams as usize,
            d.rows.len() + d.removed.len(),
            "{} streams",
            d.org.handle
        );
        assert_eq!(
            removed as usize,
            d.removed.len(),
            "{} removals",
            d.org.handle
        );
    }
}

/// The other three stores, named by the profile only: `Widget` nodes by `orgId` in graph
/// database `orgs`, `org:{orgId}:` keys in Redis database 1, objects in `orgs-{handle}`.
#[tokio::test]
async fn every_store_reaches_each_orgs_data_by_profile() {
    let (f, data) = orgs_fixture().await;
    let report = f.app.check_health(CONNECTION).await.expect("health");
    for s in &report.stores {
        assert_eq!(s.state, StoreState::Up, "{s:?}");
    }
    let platform = f.app.platform(CONNECTION).await.expect("open");
    let profile = platform.profile.clone();
    let graph_spec = profile.graph.as_ref().expect("graph");
    let widget = profile.entity("widget").expect("widget");
    let label = widget.graph_label.as_ref().expect("label");
    let graph = handle(&platform.graph, "graph");
    let redis = handle(&platform.redis, "redis");
    let objects = handle(&platform.objects, "objects");
    for d in &data {
        let tenant = f
            .app
            .get_tenant(CONNECTION, d.org.handle)
            .await
            .expect("org");
        let want: BTreeSet<String> = d.rows_of(Kind::Widget).map(|r| r.id.clone()).collect();

        let cypher = format!(
            "MATCH (n:{}) WHERE n.{} = $t RETURN n.{} AS id",
            label.as_str(),
            graph_spec.tenant_property.as_str(),
            graph_spec.id_property.as_str()
        );
        let mut rows = graph
            .bolt()
            .execute_read(neo4rs::query(&cypher).param("t", tenant.id.clone()))
            .await
            .expect("cypher");
        let mut nodes = BTreeSet::new();
        while let Some(row) = rows.next().await.expect("row") {
            nodes.insert(row.get::<String>("id").expect("id"));
        }
        assert_eq!(nodes, want, "{} Widget nodes", d.org.handle);

        if !redis.is_cluster() {
            let prefix = fill_pattern(
                &profile.cache.as_ref().expect("cache").tenant_prefix,
                &tenant.vars(),
            )
            .expect("prefix");
            let mut keys = BTreeSet::new();
            for node in redis.scan_nodes().await.expect("nodes") {
                let mut cursor = 0;
                loop {
                    let (next, page) = redis
                        .scan_page(&node, cursor, format!("{prefix}*").as_bytes(), 500)
                        .await
                        .expect("scan");
                    keys.extend(
                        page.into_iter()
                            .map(|k| String::from_utf8(k).expect("utf-8 key")),
                    );
                    if next == 0 {
                        break;
                    }
                    cursor = next;
                }
            }
            let want_keys: BTreeSet<String> =
                d.cache().iter().map(|e| e.key().to_owned()).collect();
            assert_eq!(keys, want_keys, "{} keys", d.org.handle);
            let cache_key = widget.cache_key.as_deref().expect("cache key");
            for id in &want {
                assert!(
                    keys.contains(&fill_pattern(cache_key, &tenant.vars_with_id(id)).expect("key")),
                    "{id}"
                );
            }
        }

        let bucket_pattern = &profile.objects.as_ref().expect("objects").bucket;
        let bucket = objects
            .bucket(&fill_pattern(bucket_pattern, &tenant.vars()).expect("bucket"))
            .expect("bucket handle");
        let prefix = object_store::path::Path::from(
            widget
                .object_prefix
                .as_deref()
                .expect("prefix")
                .trim_end_matches('/'),
        );
        let listed: BTreeSet<String> =
            object_store::ObjectStore::list(bucket.as_ref(), Some(&prefix))
                .map(|m| m.expect("object").location.to_string())
                .collect()
                .await;
        let want_objects: BTreeSet<String> = d.objects().into_iter().map(|o| o.key).collect();
        assert_eq!(listed, want_objects, "{} objects", d.org.handle);
    }
    // The object key column of each widget row names its object.
    let column = widget.object_key_column.as_ref().map(Ident::as_str);
    assert_eq!(column, Some("blob_key"));
}

/// Entity pages, the overview and the consoles, on the orgs platform by its profile alone.
#[tokio::test]
async fn rows_overview_and_consoles_work_by_profile() {
    use storelens_core::console::{ConsoleRequest, QueryLanguage};
    use storelens_core::rows::RowQuery;

    let (f, data) = orgs_fixture().await;
    let overview = f
        .app
        .tenant_overview(CONNECTION, true, "orgs-overview", |_| {})
        .await
        .expect("overview");
    assert!(
        overview.parts.iter().all(|p| p.error.is_none()),
        "{:?}",
        overview.parts
    );
    for d in &data {
        let tenant = f
            .app
            .get_tenant(CONNECTION, d.org.handle)
            .await
            .expect("org");
        for kind in Kind::ALL {
            let mut query = RowQuery {
                entity: kind.stream_type().into(),
                limit: Some(5),
                ..Default::default()
            };
            let mut ids = BTreeSet::new();
            loop {
                let page = f
                    .app
                    .tenant_rows(CONNECTION, &tenant.id, query.clone())
                    .await
                    .expect("page");
                let id = page.columns.iter().position(|c| c.id).expect("id column");
                ids.extend(page.rows.iter().map(|r| r[id].clone().expect("id")));
                match page.next_after {
                    Some(next) => query.after = Some(next),
                    None => break,
                }
            }
            let want: BTreeSet<String> = d.rows_of(kind).map(|r| r.id.clone()).collect();
            assert_eq!(ids, want, "{} {}s", d.org.handle, kind.stream_type());
        }
        let totals = overview
            .tenants
            .iter()
            .find(|t| t.id == tenant.id)
            .expect("the org in the overview");
        let n = |v: &Option<String>| v.as_deref().expect("a count").parse::<usize>().expect("n");
        assert_eq!(n(&totals.rows), d.rows.len(), "{} rows", d.org.handle);
        assert_eq!(n(&totals.events), d.events.len(), "{} events", d.org.handle);
        assert!(
            n(&totals.nodes) > 0 && n(&totals.keys) > 0 && n(&totals.objects) > 0,
            "{totals:?}"
        );

        let widgets = f
            .app
            .run_console(
                CONNECTION,
                ConsoleRequest {
                    language: QueryLanguage::Cypher,
                    text: "MATCH (w:Widget) WHERE w.orgId = $tenant RETURN count(w) AS n".into(),
                    tenant: Some(d.org.handle.into()),
                    max_rows: None,
                },
            )
            .await
            .expect("cypher");
        assert_eq!(
            widgets.rows[0][0].as_deref(),
            Some(d.rows_of(Kind::ALL[0]).count().to_string().as_str()),
            "{} widgets",
            d.org.handle
        );
    }
}

/// Graph traversal by the orgs profile's names (`uid`, `orgId`, no caption property): each
/// gadget's one hop is exactly the widgets it USES in the seeded data, inside its org.
#[tokio::test]
async fn graph_traversal_follows_the_orgs_profile() {
    use storelens_core::graph::expand::ExpandRequest;
    use storelens_core::graph::NodeRef;

    let (f, data) = orgs_fixture().await;
    for d in &data {
        let tenant = f
            .app
            .get_tenant(CONNECTION, d.org.handle)
            .await
            .expect("org");
        let uses: Vec<_> = d.uses();
        let gadget = &uses.first().expect("a gadget that uses widgets").gadget;
        let want: BTreeSet<String> = uses
            .iter()
            .filter(|u| &u.gadget == gadget)
            .map(|u| u.widget.clone())
            .collect();
        let request = ExpandRequest {
            tenant: d.org.handle.to_owned(),
            start: vec![NodeRef {
                id: gadget.clone(),
                label: Some("Gadget".into()),
            }],
            hops: None,
            labels: vec!["Widget".into()],
            types: vec!["USES".into()],
            direction: None,
            limit: None,
            skip: None,
            supernode_degree: None,
        };
        let view = f
            .app
            .graph_expand(CONNECTION, request)
            .await
            .expect("expand");
        let got: BTreeSet<String> = view
            .nodes
            .iter()
            .filter(|n| n.labels == ["Widget"])
            .map(|n| n.id.clone().expect("uid"))
            .collect();
        assert_eq!(got, want, "{}", d.org.handle);
        assert!(view
            .nodes
            .iter()
            .all(|n| n.tenant.as_deref() == Some(tenant.id.as_str())
                && !n.foreign
                && n.caption == *n.id.as_ref().expect("uid")));
        assert!(view.edges.iter().all(|e| e.rel_type == "USES" && !e.breach));
    }
}

#[tokio::test]
async fn every_org_is_audited_by_profile_and_found_consistent() {
    let (f, data) = orgs_fixture().await;
    for org in &data {
        let handle = org.org.handle;
        let report = f
            .app
            .audit_run(
                CONNECTION,
                handle,
                &format!("it-audit-org-{handle}"),
                |_| {},
            )
            .await
            .unwrap_or_else(|e| panic!("audit {handle}: {e}"));
        assert_eq!(report.tenant.slug, handle);
        for c in &report.checks {
            assert!(
                !matches!(c.status, storelens_core::audit::CheckStatus::Failed),
                "{handle} {:?}: {c:?}",
                c.check
            );
        }
        let read_model = report
            .checks
            .iter()
            .find(|c| c.check == storelens_core::audit::AuditCheck::ReadModel)
            .expect("read model check");
        assert!(
            read_model.checked.parse::<u64>().expect("n") > 0,
            "{read_model:?}"
        );
        assert!(
            report.findings.is_empty(),
            "{handle}: {:#?}",
            report.findings
        );
    }
}
