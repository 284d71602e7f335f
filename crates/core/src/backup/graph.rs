//! The graph part of a tenant backup: the tenant's nodes (labels and every property) and every
//! relationship with an end among them (type, properties, and each end by label, id and
//! tenant), streamed over Bolt as JSON lines in the order the server gives (a large tenant's
//! nodes cannot be sorted within ArcadeDB's query heap), hashed as a multiset. A relationship
//! to another tenant's node is kept (it is part of this tenant's picture) and counted apart.

use std::path::Path;

use neo4rs::{query, BoltNode, BoltType};
use tokio_util::sync::CancellationToken;

use super::artifact::{ArtifactWriter, MultisetHash};
use super::manifest::{Measure, Part};
use super::stop_if_cancelled;
use crate::error::{Error, Result, StoreKind};
use crate::graph::values::{map_json, to_json};
use crate::platform::Platform;
use crate::stores::graph::map_error;
use crate::tenants::Tenant;

const STORE: StoreKind = StoreKind::Graph;

pub async fn backup(
    platform: &Platform,
    tenant: &Tenant,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<Part> {
    let graph = platform.graph()?;
    let spec = platform.profile.graph_spec()?;
    let (t, id) = (spec.tenant_property.cypher(), spec.id_property.cypher());

    let nodes_cypher = format!("MATCH (n) WHERE n.{t} = $tenant RETURN n");
    let mut out = ArtifactWriter::create(root, "graph/nodes.jsonl").await?;
    let mut sha = MultisetHash::default();
    let mut nodes = 0_u64;
    let mut rows = graph
        .bolt()
        .execute_read(query(&nodes_cypher).param("tenant", tenant.id.as_str()))
        .await
        .map_err(map_error)?;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let n: BoltNode = row.get("n").map_err(|e| Error::query(STORE, e))?;
        let labels: Vec<serde_json::Value> = n.labels.value.iter().map(to_json).collect();
        let line = serde_json::json!({"labels": labels, "properties": map_json(&n.properties)});
        write_line(&mut out, &mut sha, &line).await?;
        nodes += 1;
        if nodes % 10_000 == 0 {
            stop_if_cancelled(token)?;
            progress(format!("graph: {nodes} nodes"));
        }
    }
    let nodes_artifact = out.finish().await?;
    let nodes_hash = sha.hex();

    let rels_cypher = format!(
        "MATCH (a)-[r]->(b) WHERE a.{t} = $tenant OR b.{t} = $tenant \
         RETURN labels(a) AS al, a.{id} AS ai, a.{t} AS at, type(r) AS type, properties(r) AS props, \
         labels(b) AS bl, b.{id} AS bi, b.{t} AS bt"
    );
    let mut out = ArtifactWriter::create(root, "graph/relationships.jsonl").await?;
    let mut sha = MultisetHash::default();
    let (mut rels, mut across) = (0_u64, 0_u64);
    let mut rows = graph
        .bolt()
        .execute_read(query(&rels_cypher).param("tenant", tenant.id.as_str()))
        .await
        .map_err(map_error)?;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let get = |k: &str| -> Result<serde_json::Value> {
            row.get::<BoltType>(k)
                .map(|v| to_json(&v))
                .map_err(|e| Error::query(STORE, e))
        };
        let (at, bt) = (get("at")?, get("bt")?);
        across += u64::from(at != bt);
        let line = serde_json::json!({
            "type": get("type")?,
            "properties": get("props")?,
            "from": {"labels": get("al")?, "id": get("ai")?, "tenant": at},
            "to": {"labels": get("bl")?, "id": get("bi")?, "tenant": bt},
        });
        write_line(&mut out, &mut sha, &line).await?;
        rels += 1;
        if rels % 10_000 == 0 {
            stop_if_cancelled(token)?;
            progress(format!("graph: {rels} relationships"));
        }
    }
    Ok(Part {
        store: STORE,
        method: "graph_jsonl".into(),
        artifacts: vec![nodes_artifact, out.finish().await?],
        measures: vec![
            Measure::new("nodes", nodes, Some(nodes_hash)),
            Measure::new("relationships", rels, Some(sha.hex())),
            Measure::new("relationships to another tenant", across, None),
        ],
        source: format!(
            "nodes with {} = {}",
            spec.tenant_property.as_str(),
            tenant.id
        ),
        elapsed_ms: 0, // set by the run
    })
}

async fn write_line(
    out: &mut ArtifactWriter,
    sha: &mut MultisetHash,
    line: &serde_json::Value,
) -> Result<()> {
    let mut text =
        serde_json::to_vec(line).map_err(|e| Error::Internal(format!("encoding a line: {e}")))?;
    text.push(b'\n');
    sha.add(&text);
    out.write(&text).await
}
