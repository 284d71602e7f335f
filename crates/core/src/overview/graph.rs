//! Graph part of the overview: nodes by tenant property, and relationships by the tenant of
//! the node they leave (as a tenant's footprint counts them), two queries in READ mode.

use std::collections::HashMap;

use neo4rs::query;

use super::PartResult;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::stores::graph::{map_error, Graph};

#[derive(Debug, Default)]
pub(crate) struct GraphTotals {
    pub nodes: u64,
    pub relationships: u64,
}

pub(super) async fn measure(platform: &Platform) -> Result<PartResult<GraphTotals>> {
    let graph = platform.graph()?;
    let spec = platform.profile.graph_spec()?;
    let prop = spec.tenant_property.cypher();
    let nodes = format!(
        "MATCH (n) WHERE n.{prop} IS NOT NULL RETURN toString(n.{prop}) AS t, count(*) AS c"
    );
    let relationships = format!(
        "MATCH (n)-[r]->() WHERE n.{prop} IS NOT NULL RETURN toString(n.{prop}) AS t, count(r) AS c"
    );
    let (nodes, relationships) = tokio::join!(counts(graph, &nodes), counts(graph, &relationships));
    let (nodes, relationships) = (nodes?, relationships?);
    let mut by_tenant: HashMap<String, GraphTotals> = HashMap::new();
    let (mut node_total, mut rel_total) = (0u64, 0u64);
    for (t, n) in nodes {
        node_total += n;
        by_tenant.entry(t).or_default().nodes += n;
    }
    for (t, n) in relationships {
        rel_total += n;
        by_tenant.entry(t).or_default().relationships += n;
    }
    Ok(PartResult {
        detail: format!("{node_total} tenant nodes and {rel_total} relationships in 2 queries"),
        by_tenant,
    })
}

async fn counts(graph: &Graph, cypher: &str) -> Result<Vec<(String, u64)>> {
    let mut rows = graph
        .bolt()
        .execute_read(query(cypher))
        .await
        .map_err(map_error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let t: Option<String> = row
            .get("t")
            .map_err(|e| Error::query(StoreKind::Graph, e))?;
        let c: i64 = row
            .get("c")
            .map_err(|e| Error::query(StoreKind::Graph, e))?;
        if let Some(t) = t {
            out.push((t, u64::try_from(c).unwrap_or(0)));
        }
    }
    Ok(out)
}
