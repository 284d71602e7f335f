//! The orgs graph: its own ArcadeDB database `orgs` (created through ArcadeDB's HTTP API when
//! missing), emptied and filled over Bolt with `Widget`/`Gadget` nodes and `USES` edges.

use anyhow::{bail, Context, Result};
use neo4rs::{query, BoltList, BoltMap, BoltString, BoltType, ConfigBuilder, Graph};
use serde_json::Value;

use super::data::{Kind, OrgData};
use super::GRAPH_DATABASE;
use crate::targets::SandboxTargets;

/// Creates the graph database unless it exists: `GET /api/v1/exists/<db>`, then
/// `POST /api/v1/server {"command": "create database <db>"}` (ArcadeDB's server command API).
async fn ensure_arcadedb_database(base: &str, targets: &SandboxTargets) -> Result<()> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()?;
    let base = base.trim_end_matches('/');
    let auth =
        |r: reqwest::RequestBuilder| r.basic_auth(&targets.bolt_user, Some(&targets.bolt_password));
    let url = format!("{base}/api/v1/exists/{GRAPH_DATABASE}");
    let resp = auth(client.get(&url))
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    let text = resp.text().await?;
    anyhow::ensure!(
        status.is_success(),
        "ArcadeDB HTTP {status} for GET {url}: {text}"
    );
    let v: Value = serde_json::from_str(&text).context("ArcadeDB exists response")?;
    if v.get("result").and_then(Value::as_bool) == Some(true) {
        return Ok(());
    }
    let url = format!("{base}/api/v1/server");
    let body =
        serde_json::json!({"command": format!("create database {GRAPH_DATABASE}")}).to_string();
    let resp = auth(client.post(&url))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = resp.status();
    let text = resp.text().await?;
    // Another seeder may have created it meanwhile.
    if !status.is_success() && !text.contains("already exists") {
        bail!("ArcadeDB could not create database {GRAPH_DATABASE}: HTTP {status}: {text}");
    }
    Ok(())
}

async fn connect(targets: &SandboxTargets) -> Result<Graph> {
    let cfg = ConfigBuilder::default()
        .uri(targets.bolt_url.as_str())
        .user(targets.bolt_user.as_str())
        .password(targets.bolt_password.as_str())
        .db(GRAPH_DATABASE)
        .max_connections(2)
        .build()?;
    Graph::connect(cfg).context("connecting to the Bolt server (STORELENS_BOLT_URL)")
}

pub async fn count(graph: &Graph, cypher: &str) -> Result<i64> {
    let mut rows = graph
        .execute(query(cypher))
        .await
        .with_context(|| format!("running {cypher}"))?;
    let mut n = 0;
    while let Some(row) = rows.next().await? {
        n = row.get::<i64>("c").unwrap_or(0);
    }
    Ok(n)
}

fn map(pairs: Vec<(&str, BoltType)>) -> BoltType {
    let mut m = BoltMap::with_capacity(pairs.len());
    for (k, v) in pairs {
        m.put(BoltString::from(k), v);
    }
    BoltType::Map(m)
}

fn list(rows: Vec<BoltType>) -> BoltType {
    BoltType::List(BoltList::from(rows))
}

/// Empties database `orgs` and writes every org's nodes and edges. Returns (nodes, edges) as
/// counted in the graph afterwards.
pub async fn load(targets: &SandboxTargets, data: &[OrgData]) -> Result<(usize, usize)> {
    match &targets.arcadedb_http {
        Some(base) => ensure_arcadedb_database(base, targets).await?,
        // Neo4j (Enterprise) creates databases from `system`; elsewhere the database must exist.
        None => {
            if let Ok(system) = Graph::connect(
                ConfigBuilder::default()
                    .uri(targets.bolt_url.as_str())
                    .user(targets.bolt_user.as_str())
                    .password(targets.bolt_password.as_str())
                    .db("system")
                    .build()?,
            ) {
                let create = format!("CREATE DATABASE {GRAPH_DATABASE} IF NOT EXISTS WAIT");
                if let Err(e) = system.run(query(&create)).await {
                    tracing::warn!(error = %e, "could not create graph database {GRAPH_DATABASE}");
                }
            }
        }
    }
    let graph = connect(targets).await?;
    graph
        .run(query("MATCH (n) DETACH DELETE n"))
        .await
        .with_context(|| format!("emptying graph database {GRAPH_DATABASE}"))?;
    for kind in Kind::ALL {
        let rows: Vec<BoltType> = data
            .iter()
            .flat_map(|d| d.nodes())
            .filter(|n| n.label == kind.label())
            .map(|n| {
                map(vec![
                    ("uid", BoltType::from(n.uid)),
                    ("orgId", BoltType::from(n.org_id)),
                    ("name", BoltType::from(n.name)),
                ])
            })
            .collect();
        let cypher = format!(
            "UNWIND $rows AS r CREATE (:{} {{uid: r.uid, orgId: r.orgId, name: r.name}})",
            kind.label()
        );
        graph
            .run(query(&cypher).param("rows", list(rows)))
            .await
            .with_context(|| format!("running {cypher}"))?;
    }
    let edges: Vec<BoltType> = data
        .iter()
        .flat_map(|d| d.uses())
        .map(|u| {
            map(vec![
                ("g", BoltType::from(u.gadget)),
                ("w", BoltType::from(u.widget)),
                ("o", BoltType::from(u.org_id)),
            ])
        })
        .collect();
    let cypher = "UNWIND $rows AS r MATCH (g:Gadget {uid: r.g}) WHERE g.orgId = r.o \
                  MATCH (w:Widget {uid: r.w}) WHERE w.orgId = r.o CREATE (g)-[:USES]->(w)";
    graph
        .run(query(cypher).param("rows", list(edges)))
        .await
        .context("creating USES edges")?;
    let nodes = count(&graph, "MATCH (n) RETURN count(n) AS c").await?;
    let rels = count(&graph, "MATCH ()-[r]->() RETURN count(r) AS c").await?;
    Ok((nodes as usize, rels as usize))
}
