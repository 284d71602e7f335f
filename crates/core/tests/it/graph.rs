//! Graph traversal on the seeded sandbox, checked against plain Cypher over the same Bolt
//! server: one hop draws exactly a node's relationships, pages of a supernode add up to its
//! neighbours, filters and directions hold, wide hops hold supernodes back, the planted
//! cross-tenant relationship is drawn and flagged but never followed, paths stay inside the
//! tenant, and hostile labels, types and ids are refused or literal.

use std::collections::{BTreeMap, BTreeSet};

use storelens_core::console::{ConsoleRequest, QueryLanguage};
use storelens_core::graph::expand::ExpandRequest;
use storelens_core::graph::path::PathRequest;
use storelens_core::graph::search::SearchRequest;
use storelens_core::graph::{Direction, GraphView, NodeRef};
use storelens_core::{ErrorCode, Storelens};
use storelens_sandbox::generate::supernode_id;
use storelens_sandbox::{planted_faults, FaultKind, SeedOptions, DEFAULT_RNG_SEED};

use crate::support::{sandbox_fixture, sandbox_with_closed_graph_port};

/// Plain Cypher over the app's own Bolt pool: `(type, outgoing, neighbour id)` of each
/// relationship of the tenant's node with this id.
async fn neighbours(app: &Storelens, tenant: &str, id: &str) -> BTreeSet<(String, bool, String)> {
    let platform = app.platform("sandbox").await.expect("open");
    let graph = platform.graph().expect("graph");
    let q = neo4rs::query(
        "MATCH (n) WHERE n.id = $id AND n.tenantId = $t MATCH (n)-[r]-(m) \
         RETURN type(r) AS t, startNode(r) = n AS o, m.id AS m",
    )
    .param("id", id)
    .param("t", tenant);
    let mut rows = graph.bolt().execute_read(q).await.expect("plain cypher");
    let mut out = BTreeSet::new();
    while let Some(row) = rows.next().await.expect("row") {
        out.insert((
            row.get("t").expect("t"),
            row.get("o").expect("o"),
            row.get("m").expect("m"),
        ));
    }
    out
}

/// The first row of a plain Cypher query over the app's own Bolt pool.
async fn first_row(app: &Storelens, q: neo4rs::Query) -> neo4rs::Row {
    let platform = app.platform("sandbox").await.expect("open");
    let mut rows = platform
        .graph()
        .expect("graph")
        .bolt()
        .execute_read(q)
        .await
        .expect("plain cypher");
    rows.next().await.expect("row").expect("a row")
}

/// The same triples as drawn by a view, seen from the node with id `id`.
fn drawn(view: &GraphView, id: &str) -> BTreeSet<(String, bool, String)> {
    let by_key: BTreeMap<&str, &str> = view
        .nodes
        .iter()
        .map(|n| (n.key.as_str(), n.id.as_deref().unwrap_or("")))
        .collect();
    view.edges
        .iter()
        .filter_map(|e| {
            let (s, t) = (by_key[e.source.as_str()], by_key[e.target.as_str()]);
            match (s == id, t == id) {
                (true, _) => Some((e.rel_type.clone(), true, t.to_owned())),
                (_, true) => Some((e.rel_type.clone(), false, s.to_owned())),
                _ => None,
            }
        })
        .collect()
}

fn one(tenant: &str, id: &str) -> ExpandRequest {
    ExpandRequest {
        tenant: tenant.into(),
        start: vec![NodeRef {
            id: id.into(),
            label: None,
        }],
        hops: None,
        labels: Vec::new(),
        types: Vec::new(),
        direction: None,
        limit: None,
        skip: None,
        supernode_degree: None,
    }
}

/// The planted cross-tenant relationship: globex's molecule that REQUIRES acme's supernode.
fn planted_breach() -> String {
    planted_faults(&SeedOptions::default())
        .into_iter()
        .find(|f| f.kind == FaultKind::CrossTenantRelationship)
        .expect("a planted cross-tenant relationship")
        .subject
}

async fn tenant_id(app: &Storelens, slug: &str) -> String {
    app.get_tenant("sandbox", slug).await.expect("tenant").id
}

#[tokio::test]
async fn one_hop_draws_exactly_the_nodes_relationships_and_flags_the_cross_tenant_one() {
    let f = sandbox_fixture("sandbox").await;
    let globex = tenant_id(&f.app, "globex").await;
    let acme = tenant_id(&f.app, "acme").await;
    let molecule = planted_breach();
    let view = f
        .app
        .graph_expand("sandbox", one("globex", &molecule))
        .await
        .expect("expand");
    assert_eq!(
        drawn(&view, &molecule),
        neighbours(&f.app, &globex, &molecule).await
    );
    let start = view
        .nodes
        .iter()
        .find(|n| n.id.as_deref() == Some(molecule.as_str()))
        .expect("start");
    assert_eq!(start.degree, Some(view.edges.len() as u32), "{view:#?}");
    assert_eq!(start.entity_type.as_deref(), Some("molecule"));
    // Exactly one relationship leaves the tenant: to acme's supernode, which is not expanded.
    let supernode = supernode_id(DEFAULT_RNG_SEED).to_string();
    let breaches: Vec<_> = view.edges.iter().filter(|e| e.breach).collect();
    assert_eq!(breaches.len(), 1, "{view:#?}");
    let foreign: Vec<_> = view.nodes.iter().filter(|n| n.foreign).collect();
    assert_eq!(foreign.len(), 1);
    assert_eq!(foreign[0].id.as_deref(), Some(supernode.as_str()));
    assert_eq!(foreign[0].tenant.as_deref(), Some(acme.as_str()));
    assert_eq!(breaches[0].target, foreign[0].key);
    assert!(
        view.notes.iter().any(|n| n.contains("isolation breach")),
        "{:?}",
        view.notes
    );
    // Two hops never pass through the foreign node: acme's 2,000+ molecules stay out.
    let mut two = one("globex", &molecule);
    two.hops = Some(2);
    let wider = f.app.graph_expand("sandbox", two).await.expect("two hops");
    let outside: Vec<_> = wider.nodes.iter().filter(|n| n.foreign).collect();
    assert_eq!(
        outside.len(),
        1,
        "only the supernode is outside: {outside:#?}"
    );
    // Starting from the other tenant's node is refused, saying whose it is.
    let e = f
        .app
        .graph_expand("sandbox", one("globex", &supernode))
        .await
        .expect_err("foreign");
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert!(e.to_string().contains(&acme), "{e}");
}

#[tokio::test]
async fn a_supernode_is_paged_and_its_pages_add_up_to_its_neighbours() {
    let f = sandbox_fixture("sandbox").await;
    let acme = tenant_id(&f.app, "acme").await;
    let supernode = supernode_id(DEFAULT_RNG_SEED).to_string();
    let expected = neighbours(&f.app, &acme, &supernode).await;
    assert!(
        expected.len() > 2_000,
        "the sandbox's supernode has thousands of edges"
    );
    let mut seen = BTreeSet::new();
    let mut skip = None;
    let mut pages = 0;
    loop {
        let mut request = one("acme", &supernode);
        request.limit = Some(1_000);
        request.skip = skip;
        let view = f.app.graph_expand("sandbox", request).await.expect("page");
        let page = drawn(&view, &supernode);
        assert!(page.len() <= 1_000);
        assert!(seen.is_disjoint(&page), "pages overlap");
        seen.extend(page);
        let s = &view.supernodes[0];
        assert_eq!(s.degree as usize, expected.len());
        let counted: u32 = s.counts.iter().map(|c| c.count).sum();
        assert_eq!(counted as usize, expected.len(), "{:?}", s.counts);
        pages += 1;
        match s.next_skip {
            Some(next) => skip = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(1_000));
}

#[tokio::test]
async fn wide_hops_hold_supernodes_back_and_filters_hold() {
    let f = sandbox_fixture("sandbox").await;
    let acme = tenant_id(&f.app, "acme").await;
    let supernode = supernode_id(DEFAULT_RNG_SEED).to_string();
    // A molecule of acme that requires the supernode.
    let molecule = neighbours(&f.app, &acme, &supernode)
        .await
        .into_iter()
        .find(|(t, out, _)| t == "REQUIRES" && !out)
        .expect("a molecule requiring the supernode")
        .2;
    let mut request = one("acme", &molecule);
    request.hops = Some(2);
    request.limit = Some(5_000);
    let view = f
        .app
        .graph_expand("sandbox", request)
        .await
        .expect("two hops");
    assert!(!view.truncated);
    let sn = view
        .nodes
        .iter()
        .find(|n| n.id.as_deref() == Some(supernode.as_str()))
        .expect("drawn");
    let held = view
        .supernodes
        .iter()
        .find(|s| s.node == sn.key)
        .expect("held back");
    assert_eq!((held.shown, held.next_skip), (0, None));
    assert!(held.degree > 2_000);
    // Drawn: the molecule, its neighbours, and the neighbours of those with at most 200
    // relationships (the default supernode degree), by plain Cypher.
    let q = neo4rs::query(
        "MATCH (m:Molecule) WHERE m.id = $id AND m.tenantId = $t MATCH (m)--(x) \
         WITH m, x, size([(x)--() | 1]) AS d \
         OPTIONAL MATCH (x)--(y) WHERE x.tenantId = $t AND d <= 200 \
         RETURN collect(DISTINCT x.id) + collect(DISTINCT y.id) + [m.id] AS ids",
    )
    .param("id", molecule.as_str())
    .param("t", acme.as_str());
    let ids: Vec<String> = first_row(&f.app, q).await.get("ids").expect("ids");
    let expected: BTreeSet<String> = ids.into_iter().collect();
    let drawn_ids: BTreeSet<String> = view.nodes.iter().filter_map(|n| n.id.clone()).collect();
    assert_eq!(drawn_ids, expected);
    assert!(
        drawn_ids.len() < 1_000,
        "the supernode's thousands of neighbours are not drawn"
    );

    // Types, neighbour labels and direction.
    let mut only = one("acme", &molecule);
    only.types = vec!["REQUIRES".into()];
    only.direction = Some(Direction::Outgoing);
    only.labels = vec!["Atom".into()];
    let view = f.app.graph_expand("sandbox", only).await.expect("filtered");
    let expected: BTreeSet<_> = neighbours(&f.app, &acme, &molecule)
        .await
        .into_iter()
        .filter(|(t, out, _)| t == "REQUIRES" && *out)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(drawn(&view, &molecule), expected);
    assert!(view
        .nodes
        .iter()
        .all(|n| n.id.as_deref() == Some(molecule.as_str()) || n.labels == ["Atom"]));
}

#[tokio::test]
async fn hostile_labels_types_and_ids_are_refused_or_literal() {
    let f = sandbox_fixture("sandbox").await;
    let molecule = planted_breach();
    let count = || async {
        let r = f
            .app
            .run_console(
                "sandbox",
                ConsoleRequest {
                    language: QueryLanguage::Cypher,
                    text: "MATCH (n) RETURN count(n) AS c".into(),
                    tenant: None,
                    max_rows: None,
                },
            )
            .await
            .expect("count");
        r.rows[0][0].clone()
    };
    let before = count().await;
    let check = |request: ExpandRequest, code: ErrorCode| {
        let app = &f.app;
        async move {
            let e = app
                .graph_expand("sandbox", request)
                .await
                .expect_err("refused");
            assert_eq!(e.code(), code, "{e}");
        }
    };
    let mut r = one("globex", &molecule);
    r.start[0].label = Some("Molecule`) DETACH DELETE n //".into());
    check(r, ErrorCode::InvalidInput).await;
    let mut r = one("globex", &molecule);
    r.labels = vec!["Atom' OR 1=1".into()];
    check(r, ErrorCode::InvalidInput).await;
    let mut r = one("globex", &molecule);
    r.types = vec!["REQUIRES]-() DETACH DELETE m //".into()];
    check(r, ErrorCode::InvalidInput).await;
    check(
        one("globex", "x' OR 1=1 WITH n MATCH (m) DETACH DELETE m //"),
        ErrorCode::NotFound,
    )
    .await;
    check(one("no-such-tenant", &molecule), ErrorCode::NotFound).await;
    let mut r = one("globex", &molecule);
    r.hops = Some(9);
    check(r, ErrorCode::InvalidInput).await;
    let search = SearchRequest {
        tenant: "globex".into(),
        text: "') DETACH DELETE n //".into(),
        label: None,
        limit: None,
    };
    let found = f
        .app
        .graph_search("sandbox", search)
        .await
        .expect("literal search");
    assert!(found.nodes.is_empty());
    assert_eq!(count().await, before, "nothing was deleted");
}

#[tokio::test]
async fn search_finds_the_tenants_nodes_by_id_and_by_name() {
    let f = sandbox_fixture("sandbox").await;
    let globex = tenant_id(&f.app, "globex").await;
    let molecule = planted_breach();
    let by_id = f
        .app
        .graph_search(
            "sandbox",
            SearchRequest {
                tenant: "globex".into(),
                text: molecule.clone(),
                label: None,
                limit: None,
            },
        )
        .await
        .expect("by id");
    assert_eq!(by_id.nodes.len(), 1);
    let name = by_id.nodes[0].caption.clone();
    let by_name = f
        .app
        .graph_search(
            "sandbox",
            SearchRequest {
                tenant: "globex".into(),
                text: name.to_uppercase(),
                label: Some("Molecule".into()),
                limit: None,
            },
        )
        .await
        .expect("by name");
    assert!(by_name
        .nodes
        .iter()
        .any(|n| n.id.as_deref() == Some(molecule.as_str())));
    assert!(by_name
        .nodes
        .iter()
        .all(|n| n.tenant.as_deref() == Some(globex.as_str())));
    // initech and tyrell share atom ids: each tenant finds only its own node.
    let shared = storelens_sandbox::tenants::SHARED_ATOM_IDS;
    assert!(shared > 0);
    let initech = f
        .app
        .graph_search(
            "sandbox",
            SearchRequest {
                tenant: "initech".into(),
                text: "-".into(),
                label: Some("Atom".into()),
                limit: Some(500),
            },
        )
        .await
        .expect("initech atoms");
    let initech_id = tenant_id(&f.app, "initech").await;
    assert!(!initech.nodes.is_empty());
    assert!(initech
        .nodes
        .iter()
        .all(|n| n.tenant.as_deref() == Some(initech_id.as_str()) && !n.foreign));
}

#[tokio::test]
async fn the_shortest_path_stays_inside_the_tenant_and_is_a_chain() {
    let f = sandbox_fixture("sandbox").await;
    let globex = tenant_id(&f.app, "globex").await;
    let molecule = planted_breach();
    // An atom of globex two hops away (through another molecule), found by plain Cypher.
    let q = neo4rs::query(
        "MATCH (m:Molecule) WHERE m.id = $id AND m.tenantId = $t \
         MATCH (m)-[]-(x)-[]-(a:Atom) WHERE x.tenantId = $t AND a.tenantId = $t AND NOT (m)--(a) \
         RETURN a.id AS a LIMIT 1",
    )
    .param("id", molecule.as_str())
    .param("t", globex.as_str());
    let atom: String = first_row(&f.app, q)
        .await
        .get("a")
        .expect("an atom two hops away");
    let request = PathRequest {
        tenant: "globex".into(),
        from: NodeRef {
            id: atom.clone(),
            label: Some("Atom".into()),
        },
        to: NodeRef {
            id: molecule.clone(),
            label: None,
        },
        max_hops: None,
        all: true,
    };
    let view = f.app.graph_path("sandbox", request).await.expect("path");
    assert!(!view.paths.is_empty(), "{view:#?}");
    let node_of = |key: &str| {
        view.nodes
            .iter()
            .find(|n| n.key == key)
            .expect("drawn node")
    };
    for path in &view.paths {
        assert_eq!(path.len(), 2, "the shortest is two relationships");
        // Consecutive relationships share a node, from the atom to the molecule.
        let mut at = view
            .nodes
            .iter()
            .find(|n| n.id.as_deref() == Some(atom.as_str()))
            .expect("from")
            .key
            .clone();
        for key in path {
            let e = view.edges.iter().find(|e| &e.key == key).expect("edge");
            at = if e.source == at {
                e.target.clone()
            } else {
                assert_eq!(e.target, at, "{path:?} is not a chain");
                e.source.clone()
            };
            assert!(!node_of(&at).foreign && !e.breach);
        }
        assert_eq!(node_of(&at).id.as_deref(), Some(molecule.as_str()));
    }
    // A node and itself.
    let same = PathRequest {
        tenant: "globex".into(),
        from: NodeRef {
            id: atom.clone(),
            label: None,
        },
        to: NodeRef {
            id: atom,
            label: None,
        },
        max_hops: Some(3),
        all: false,
    };
    let view = f.app.graph_path("sandbox", same).await.expect("same");
    assert!(view.paths.is_empty() && view.notes.iter().any(|n| n.contains("same node")));
}

#[tokio::test]
async fn cypher_answers_become_a_graph_view() {
    let f = sandbox_fixture("sandbox").await;
    let run = |text: &str| {
        let app = &f.app;
        let request = ConsoleRequest {
            language: QueryLanguage::Cypher,
            text: text.into(),
            tenant: Some("globex".into()),
            max_rows: Some(25),
        };
        async move { app.run_console("sandbox", request).await.expect("cypher") }
    };
    let r = run("MATCH (n:Molecule)-[r]->(m) WHERE n.tenantId = $tenant RETURN n, r, m").await;
    let g = r.graph.expect("a graph");
    assert_eq!(r.rows.len(), 25);
    assert_eq!(g.edges.len(), 25, "one relationship per kept row");
    let keys: BTreeSet<&str> = g.nodes.iter().map(|n| n.key.as_str()).collect();
    assert!(g
        .edges
        .iter()
        .all(|e| keys.contains(e.source.as_str()) && keys.contains(e.target.as_str())));
    // Paths come back as chains of their relationships.
    let r = run("MATCH p = (a:Atom)-[*2]-(b) WHERE a.tenantId = $tenant RETURN p").await;
    let g = r.graph.expect("a graph of paths");
    assert!(!g.edges.is_empty());
    // Scalars draw nothing.
    let r = run("MATCH (n) WHERE n.tenantId = $tenant RETURN count(n) AS c").await;
    assert!(r.graph.is_none());
}

#[tokio::test]
async fn a_graph_that_is_down_fails_alone_and_clearly() {
    let f = sandbox_with_closed_graph_port().await;
    let e = f
        .app
        .graph_expand("sandbox", one("globex", &planted_breach()))
        .await
        .expect_err("graph down");
    assert_eq!(e.code(), ErrorCode::Unavailable, "{e}");
    // PostgreSQL still answers for the same connection.
    assert!(f.app.get_tenant("sandbox", "globex").await.is_ok());
}
