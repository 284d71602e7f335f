//! The graph part of a tenant backup: the tenant's nodes (labels and every property, typed:
//! `graph::typed_json`) and every
//! relationship with an end among them (type, properties, and each end by label, id and
//! tenant), streamed over Bolt as JSON lines in the order the server gives (a large tenant's
//! nodes cannot be sorted within ArcadeDB's query heap), hashed as a multiset. A relationship
//! to another tenant's node is kept (it is part of this tenant's picture) and counted apart.

use std::path::Path;

use neo4rs::{query, BoltNode, Graph as BoltGraph};
use tokio_util::sync::CancellationToken;

use super::artifact::{ArtifactWriter, MultisetHash};
use super::manifest::{Artifact, Measure, Part};
use super::stop_if_cancelled;
use crate::error::{Error, Result, StoreKind};
use crate::graph::typed_json::{typed_json, typed_map_json};
use crate::graph::values::{column_json, to_json};
use crate::platform::Platform;
use crate::profile::GraphSpec;
use crate::stores::graph::map_error;
use crate::tenants::Tenant;

const STORE: StoreKind = StoreKind::Graph;

/// The tenant's subgraph, or (`None`) the whole graph.
pub async fn backup(
    platform: &Platform,
    tenant: Option<&Tenant>,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<Part> {
    let graph = platform.graph()?;
    let spec = platform.profile.graph_spec()?;
    let mut nodes = Lines::new(Some(
        ArtifactWriter::create(root, "graph/nodes.jsonl").await?,
    ));
    let tenant_id = tenant.map(|t| t.id.as_str());
    read_nodes(graph.bolt(), spec, tenant_id, &mut nodes, token, progress).await?;
    let mut rels = Lines::new(Some(
        ArtifactWriter::create(root, "graph/relationships.jsonl").await?,
    ));
    let across =
        read_relationships(graph.bolt(), spec, tenant_id, &mut rels, token, progress).await?;
    let measures = measures(&nodes, &rels, across);
    Ok(Part {
        store: STORE,
        method: "graph_jsonl".into(),
        artifacts: vec![nodes.finish().await?, rels.finish().await?],
        measures,
        source: match tenant {
            Some(t) => format!("nodes with {} = {}", spec.tenant_property.as_str(), t.id),
            None => "every node and relationship".into(),
        },
        elapsed_ms: 0, // set by the run
    })
}

/// The part's measures from what was read.
pub(super) fn measures(nodes: &Lines, rels: &Lines, across: u64) -> Vec<Measure> {
    vec![
        Measure::new("nodes", nodes.count, Some(nodes.sha.hex())),
        Measure::new("relationships", rels.count, Some(rels.sha.hex())),
        Measure::new("relationships to another tenant", across, None),
    ]
}

/// JSON lines counted and hashed as a multiset, and written when there is a file.
pub(super) struct Lines {
    out: Option<ArtifactWriter>,
    sha: MultisetHash,
    count: u64,
}

impl Lines {
    pub fn new(out: Option<ArtifactWriter>) -> Self {
        Self {
            out,
            sha: MultisetHash::default(),
            count: 0,
        }
    }

    async fn push(&mut self, line: &serde_json::Value) -> Result<()> {
        let mut text = serde_json::to_vec(line)
            .map_err(|e| Error::Internal(format!("encoding a line: {e}")))?;
        text.push(b'\n');
        self.sha.add(&text);
        self.count += 1;
        match &mut self.out {
            Some(out) => out.write(&text).await,
            None => Ok(()),
        }
    }

    async fn finish(self) -> Result<Artifact> {
        match self.out {
            Some(out) => out.finish().await,
            None => Err(Error::Internal("no file to finish".into())),
        }
    }
}

/// The tenant's nodes as `{"labels", "properties"}` lines.
pub(super) async fn read_nodes(
    bolt: &BoltGraph,
    spec: &GraphSpec,
    tenant: Option<&str>,
    lines: &mut Lines,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<()> {
    let t = spec.tenant_property.cypher();
    let cypher = match tenant {
        Some(_) => format!("MATCH (n) WHERE n.{t} = $tenant RETURN n"),
        None => "MATCH (n) RETURN n".to_owned(),
    };
    let mut rows = bolt
        .execute_read(query(&cypher).param("tenant", tenant.unwrap_or_default()))
        .await
        .map_err(map_error)?;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let n: BoltNode = row.get("n").map_err(|e| Error::query(STORE, e))?;
        let labels: Vec<serde_json::Value> = n.labels.value.iter().map(to_json).collect();
        let properties = typed_map_json(&n.properties);
        let line = serde_json::json!({"labels": labels, "properties": properties});
        lines.push(&line).await?;
        if lines.count % 10_000 == 0 {
            stop_if_cancelled(token)?;
            progress(format!("graph: {} nodes", lines.count));
        }
    }
    Ok(())
}

/// Every relationship with an end among the tenant's nodes, each end by labels, id and tenant;
/// the number of them whose ends belong to different tenants.
pub(super) async fn read_relationships(
    bolt: &BoltGraph,
    spec: &GraphSpec,
    tenant: Option<&str>,
    lines: &mut Lines,
    token: &CancellationToken,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<u64> {
    let (t, id) = (spec.tenant_property.cypher(), spec.id_property.cypher());
    let condition = match tenant {
        Some(_) => format!("WHERE a.{t} = $tenant OR b.{t} = $tenant"),
        None => String::new(),
    };
    let cypher = format!(
        "MATCH (a)-[r]->(b) {condition} \
         RETURN labels(a) AS al, a.{id} AS ai, a.{t} AS at, type(r) AS type, properties(r) AS props, \
         labels(b) AS bl, b.{id} AS bi, b.{t} AS bt"
    );
    let mut across = 0_u64;
    let mut rows = bolt
        .execute_read(query(&cypher).param("tenant", tenant.unwrap_or_default()))
        .await
        .map_err(map_error)?;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let get = |k: &str| column_json(&row, k);
        let (at, bt) = (get("at")?, get("bt")?);
        across += u64::from(at != bt);
        let line = serde_json::json!({
            "type": get("type")?,
            "properties": row
                .get::<neo4rs::BoltType>("props")
                .map(|p| typed_json(&p))
                .map_err(|e| Error::query(STORE, e))?,
            "from": {"labels": get("al")?, "id": get("ai")?, "tenant": at},
            "to": {"labels": get("bl")?, "id": get("bi")?, "tenant": bt},
        });
        lines.push(&line).await?;
        if lines.count % 10_000 == 0 {
            stop_if_cancelled(token)?;
            progress(format!("graph: {} relationships", lines.count));
        }
    }
    Ok(across)
}
