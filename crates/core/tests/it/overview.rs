//! The tenant list with footprints: each store read once for all tenants gives every tenant
//! the same totals as its own exact footprint; a store down fails only its column.

use storelens_core::footprint::{FootprintPart, TenantFootprint};
use storelens_core::overview::TenantOverview;
use storelens_core::{ErrorCode, StoreKind};

use crate::support::{sandbox_fixture, sandbox_with_closed_graph_port, Fixture};

async fn overview(f: &Fixture, exact: bool) -> TenantOverview {
    f.app
        .tenant_overview("sandbox", exact, "overview-test", |_| {})
        .await
        .expect("overview")
}

fn sum<T>(part: &FootprintPart<T>, pick: impl Fn(&T) -> u64) -> Option<u64> {
    part.value.as_ref().map(pick)
}

fn n(text: &str) -> u64 {
    text.parse().expect("a count")
}

#[tokio::test]
async fn every_tenant_gets_the_totals_of_its_own_exact_footprint() {
    let f = sandbox_fixture("sandbox").await;
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heard_by = progress.clone();
    let o = f
        .app
        .tenant_overview("sandbox", true, "overview-exact", move |p| {
            heard_by.lock().expect("lock").push(p.store)
        })
        .await
        .expect("overview");
    let mut heard = progress.lock().expect("lock").clone();
    heard.sort();
    assert_eq!(
        heard,
        StoreKind::ALL.to_vec(),
        "one report per finished store"
    );
    assert!(o.parts.iter().all(|p| p.error.is_none()), "{:?}", o.parts);
    let all = f
        .app
        .list_tenants("sandbox", Default::default())
        .await
        .expect("list");
    assert_eq!(o.tenants.len() as u32, all.total);
    for totals in &o.tenants {
        let fp: TenantFootprint = f
            .app
            .tenant_footprint("sandbox", &totals.slug, true)
            .await
            .expect("footprint");
        let rows = sum(&fp.postgres, |pg| {
            pg.tables
                .iter()
                .filter_map(|t| t.rows.as_deref())
                .map(n)
                .sum()
        });
        let events = fp
            .postgres
            .value
            .as_ref()
            .and_then(|pg| pg.events.as_ref())
            .map(|e| n(&e.count));
        let nodes = sum(&fp.graph, |g| n(&g.nodes));
        let relationships = sum(&fp.graph, |g| n(&g.relationships));
        let keys = sum(&fp.redis, |r| n(&r.keys));
        let objects = sum(&fp.objects, |o| n(&o.objects));
        let object_bytes = sum(&fp.objects, |o| n(&o.bytes));
        let got = |v: &Option<String>| v.as_deref().map(n);
        let slug = &totals.slug;
        assert_eq!(got(&totals.rows), rows, "{slug} rows");
        assert!(!totals.rows_estimated, "{slug}: exact asked");
        assert_eq!(got(&totals.events), events, "{slug} events");
        assert_eq!(got(&totals.nodes), nodes, "{slug} nodes");
        assert_eq!(
            got(&totals.relationships),
            relationships,
            "{slug} relationships"
        );
        assert_eq!(got(&totals.keys), keys, "{slug} keys");
        assert_eq!(got(&totals.objects), objects, "{slug} objects");
        assert_eq!(
            got(&totals.object_bytes),
            object_bytes,
            "{slug} object bytes"
        );
        assert!(
            got(&totals.key_bytes).unwrap_or(0) > 0 || keys == Some(0),
            "{slug} key bytes"
        );
        assert_eq!(
            totals.last_event_at,
            fp.postgres
                .value
                .as_ref()
                .and_then(|pg| pg.events.as_ref())
                .and_then(|e| e.last_at.clone()),
            "{slug} last event"
        );
    }
}

#[tokio::test]
async fn a_closed_graph_port_empties_only_the_graph_columns() {
    let f = sandbox_with_closed_graph_port().await;
    let o = overview(&f, false).await;
    let graph = o
        .parts
        .iter()
        .find(|p| p.store == StoreKind::Graph)
        .expect("graph part");
    let code = graph.error.as_ref().expect("the graph part failed").code;
    assert!(
        matches!(code, ErrorCode::Unavailable | ErrorCode::Timeout),
        "{code:?}"
    );
    for t in &o.tenants {
        assert!(t.nodes.is_none() && t.relationships.is_none(), "{t:?}");
        assert!(
            t.rows.is_some() && t.keys.is_some() && t.objects.is_some(),
            "{t:?}"
        );
    }
    let acme = o.tenants.iter().find(|t| t.slug == "acme").expect("acme");
    assert!(n(acme.keys.as_deref().expect("keys")) > 0);
}
