//! The graph over Bolt (ArcadeDB here, Neo4j 5 compatible Cypher): reset, index, and bulk-load
//! nodes and relationships with `UNWIND $rows AS r CREATE (...)` batches and inline maps.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use neo4rs::{query, BoltList, BoltMap, BoltString, BoltType, ConfigBuilder, Graph};

use crate::project::{GraphEdge, GraphNode};
use crate::targets::SandboxTargets;

const NODE_BATCH: usize = 5_000;
const EDGE_BATCH: usize = 5_000;
const DELETE_BATCH: usize = 20_000;
pub const LABELS: [&str; 4] = ["Atom", "Molecule", "Document", "Code"];

pub async fn connect(targets: &SandboxTargets) -> Result<Graph> {
    let mut cfg = ConfigBuilder::default()
        .uri(targets.bolt_url.as_str())
        .user(targets.bolt_user.as_str())
        .password(targets.bolt_password.as_str())
        .max_connections(4)
        .fetch_size(1_000);
    if !targets.bolt_database.is_empty() {
        cfg = cfg.db(targets.bolt_database.as_str());
    }
    let graph = Graph::connect(cfg.build()?).context("connecting to the Bolt server (STORELENS_BOLT_URL)")?;
    // A wrong password only shows at the first query.
    count(&graph, "RETURN 1 AS c").await.context("querying the Bolt server")?;
    Ok(graph)
}

async fn count(graph: &Graph, cypher: &str) -> Result<i64> {
    let mut rows = graph.execute(query(cypher)).await?;
    let mut n = 0;
    while let Some(row) = rows.next().await? {
        n = row.get::<i64>("c").unwrap_or(0);
    }
    Ok(n)
}

/// Deletes every node and relationship, in batches, then makes sure the id indexes exist.
pub async fn reset(graph: &Graph) -> Result<()> {
    loop {
        let deleted = count(
            graph,
            &format!("MATCH (n) WITH n LIMIT {DELETE_BATCH} DETACH DELETE n RETURN count(*) AS c"),
        )
        .await
        .context("deleting graph nodes")?;
        if deleted == 0 {
            break;
        }
        tracing::debug!(deleted, "graph reset batch");
    }
    for label in LABELS {
        let lower = label.to_lowercase();
        let cypher = format!("CREATE INDEX sandbox_{lower}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)");
        if let Err(e) = graph.run(query(&cypher)).await {
            tracing::warn!(%label, error = %e, "could not create the id index; MATCH by id may be slow");
        }
    }
    Ok(())
}

fn map(pairs: Vec<(&str, BoltType)>) -> BoltType {
    let mut m = BoltMap::with_capacity(pairs.len());
    for (k, v) in pairs {
        m.put(BoltString::from(k), v);
    }
    BoltType::Map(m)
}

fn s(v: impl ToString) -> BoltType {
    BoltType::from(v.to_string())
}

fn node_row(n: &GraphNode) -> BoltType {
    let mut pairs = vec![("id", s(n.id)), ("tenantId", s(n.tenant_id)), ("name", s(&n.name)), ("type", s(&n.kind))];
    if let Some(f) = &n.file {
        pairs.push(("file", s(f)));
    }
    if let Some(l) = n.line {
        pairs.push(("line", BoltType::from(l)));
    }
    map(pairs)
}

fn edge_row(e: &GraphEdge) -> BoltType {
    map(vec![("from", s(e.from_id)), ("ft", s(e.from_tenant)), ("to", s(e.to_id)), ("tt", s(e.to_tenant))])
}

async fn run_batch(graph: &Graph, cypher: &str, rows: Vec<BoltType>) -> Result<()> {
    let list = BoltType::List(BoltList::from(rows));
    graph.run(query(cypher).param("rows", list)).await.with_context(|| format!("running {cypher}"))
}

/// Creates the nodes, then the relationships. Returns (nodes, relationships) created.
pub async fn load(
    graph: &Graph,
    nodes: &[GraphNode],
    edges: &[GraphEdge],
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<(usize, usize)> {
    let mut by_label: BTreeMap<&str, Vec<&GraphNode>> = BTreeMap::new();
    for n in nodes {
        by_label.entry(n.label).or_default().push(n);
    }
    for (label, group) in &by_label {
        let extra = if *label == "Code" { ", file: r.file, line: r.line" } else { "" };
        let cypher = format!(
            "UNWIND $rows AS r CREATE (:{label} {{id: r.id, tenantId: r.tenantId, name: r.name, type: r.type{extra}}})"
        );
        for chunk in group.chunks(NODE_BATCH) {
            run_batch(graph, &cypher, chunk.iter().map(|n| node_row(n)).collect()).await?;
        }
        progress(&format!("graph: {} {label} nodes", group.len()));
    }

    let mut by_shape: BTreeMap<(&str, &str, &str), Vec<&GraphEdge>> = BTreeMap::new();
    for e in edges {
        by_shape.entry((e.rel, e.from_label, e.to_label)).or_default().push(e);
    }
    for ((rel, from, to), group) in &by_shape {
        let cypher = format!(
            "UNWIND $rows AS r MATCH (a:{from} {{id: r.from}}) WHERE a.tenantId = r.ft \
             MATCH (b:{to} {{id: r.to}}) WHERE b.tenantId = r.tt CREATE (a)-[:{rel}]->(b)"
        );
        for chunk in group.chunks(EDGE_BATCH) {
            run_batch(graph, &cypher, chunk.iter().map(|e| edge_row(e)).collect()).await?;
        }
        progress(&format!("graph: {} {rel} relationships ({from} -> {to})", group.len()));
    }
    Ok((nodes.len(), edges.len()))
}

/// (nodes, relationships) in the graph.
pub async fn totals(graph: &Graph) -> Result<(i64, i64)> {
    let nodes = count(graph, "MATCH (n) RETURN count(n) AS c").await?;
    let rels = count(graph, "MATCH ()-[r]->() RETURN count(r) AS c").await?;
    Ok((nodes, rels))
}
