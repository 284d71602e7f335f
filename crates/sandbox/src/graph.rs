//! The graph over Bolt (ArcadeDB here, Neo4j 5 compatible Cypher): reset, index, and bulk-load
//! nodes and relationships with `UNWIND $rows AS r CREATE (...)` batches and inline maps.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use neo4rs::{query, BoltList, BoltMap, BoltString, BoltType, ConfigBuilder, Graph};

use crate::project::{GraphEdge, GraphNode};
use crate::targets::SandboxTargets;

const NODE_BATCH: usize = 5_000;
const EDGE_BATCH: usize = 5_000;
const DELETE_BATCH: usize = 50_000;
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
    let graph = Graph::connect(cfg.build()?)
        .context("connecting to the Bolt server (STORELENS_BOLT_URL)")?;
    // A wrong password only shows at the first query.
    count(&graph, "RETURN 1 AS c")
        .await
        .context("querying the Bolt server")?;
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

/// Deletes every relationship, then every node, in batches (relationships first: DETACH DELETE
/// of supernodes is much slower on ArcadeDB), then makes sure the id indexes exist. The same
/// Cypher goes over ArcadeDB's HTTP API when it is known (several times faster than over Bolt).
pub async fn reset(
    graph: &Graph,
    targets: &SandboxTargets,
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<()> {
    let http = match &targets.arcadedb_http {
        Some(url) => Some(ArcadeHttp::new(url, targets)?),
        None => None,
    };
    for (what, cypher) in [
        (
            "relationships",
            format!("MATCH ()-[r]->() WITH r LIMIT {DELETE_BATCH} DELETE r RETURN count(*) AS c"),
        ),
        (
            "nodes",
            format!("MATCH (n) WITH n LIMIT {DELETE_BATCH} DETACH DELETE n RETURN count(*) AS c"),
        ),
    ] {
        let mut total = 0;
        loop {
            let t = std::time::Instant::now();
            let deleted = match &http {
                Some(h) => h.count(&cypher).await,
                None => count(graph, &cypher).await,
            }
            .context("emptying the graph")?;
            if deleted == 0 {
                break;
            }
            total += deleted;
            progress(&format!(
                "graph reset: {total} {what} deleted ({} ms for the last {deleted})",
                t.elapsed().as_millis()
            ));
        }
    }
    for label in LABELS {
        let lower = label.to_lowercase();
        let cypher =
            format!("CREATE INDEX sandbox_{lower}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)");
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
    let mut pairs = vec![
        ("id", s(n.id)),
        ("tenantId", s(n.tenant_id)),
        ("name", s(&n.name)),
        ("type", s(&n.kind)),
    ];
    if let Some(f) = &n.file {
        pairs.push(("file", s(f)));
    }
    if let Some(l) = n.line {
        pairs.push(("line", BoltType::from(l)));
    }
    map(pairs)
}

fn edge_row(e: &GraphEdge) -> BoltType {
    map(vec![
        ("from", s(e.from_id)),
        ("ft", s(e.from_tenant)),
        ("to", s(e.to_id)),
        ("tt", s(e.to_tenant)),
    ])
}

async fn run_batch(graph: &Graph, cypher: &str, rows: Vec<BoltType>) -> Result<()> {
    let list = BoltType::List(BoltList::from(rows));
    graph
        .run(query(cypher).param("rows", list))
        .await
        .with_context(|| format!("running {cypher}"))
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
        let extra = if *label == "Code" {
            ", file: r.file, line: r.line"
        } else {
            ""
        };
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
        by_shape
            .entry((e.rel, e.from_label, e.to_label))
            .or_default()
            .push(e);
    }
    for ((rel, from, to), group) in &by_shape {
        let cypher = format!(
            "UNWIND $rows AS r MATCH (a:{from} {{id: r.from}}) WHERE a.tenantId = r.ft \
             MATCH (b:{to} {{id: r.to}}) WHERE b.tenantId = r.tt CREATE (a)-[:{rel}]->(b)"
        );
        for chunk in group.chunks(EDGE_BATCH) {
            run_batch(graph, &cypher, chunk.iter().map(|e| edge_row(e)).collect()).await?;
        }
        progress(&format!(
            "graph: {} {rel} relationships ({from} -> {to})",
            group.len()
        ));
    }
    Ok((nodes.len(), edges.len()))
}

/// (nodes, relationships) in the graph.
pub async fn totals(graph: &Graph) -> Result<(i64, i64)> {
    let nodes = count(graph, "MATCH (n) RETURN count(n) AS c").await?;
    let rels = count(graph, "MATCH ()-[r]->() RETURN count(r) AS c").await?;
    Ok((nodes, rels))
}

/// ArcadeDB's HTTP command API (`POST /api/v1/command/<db>`), for Cypher.
struct ArcadeHttp {
    client: reqwest::Client,
    url: String,
    user: String,
    password: String,
}

impl ArcadeHttp {
    fn new(base: &str, targets: &SandboxTargets) -> Result<Self> {
        let db = if targets.bolt_database.is_empty() {
            "neo4j"
        } else {
            targets.bolt_database.as_str()
        };
        Ok(ArcadeHttp {
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(600))
                .build()?,
            url: format!("{}/api/v1/command/{db}", base.trim_end_matches('/')),
            user: targets.bolt_user.clone(),
            password: targets.bolt_password.clone(),
        })
    }

    /// Runs a Cypher command and returns the column `c` of its first row.
    async fn count(&self, cypher: &str) -> Result<i64> {
        let body = serde_json::json!({"language": "cypher", "command": cypher}).to_string();
        let resp = self
            .client
            .post(&self.url)
            .basic_auth(&self.user, Some(&self.password))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .with_context(|| format!("POST {}", self.url))?;
        let status = resp.status();
        let text = resp.text().await?;
        anyhow::ensure!(status.is_success(), "ArcadeDB HTTP {status}: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).context("ArcadeDB HTTP response")?;
        Ok(v.pointer("/result/0/c")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0))
    }
}
