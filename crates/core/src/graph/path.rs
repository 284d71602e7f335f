//! Shortest paths between two of a tenant's nodes, through the tenant's nodes only. When there
//! is none, the same search without the tenant condition tells whether the two are joined
//! through other tenants' nodes; such a path is drawn with its breaches flagged.

use neo4rs::{query, BoltNode, BoltRelation};
use serde::{Deserialize, Serialize};

use super::schema::Schema;
use super::start::{candidate_labels, resolve, Anchor};
use super::{GraphView, NodeRef, ViewBuilder};
use crate::error::{Error, Result, StoreKind};
use crate::profile::{GraphSpec, Profile};
use crate::stores::graph::{map_error, Graph};
use crate::tenants::Tenant;

pub const DEFAULT_MAX_HOPS: u8 = 6;
pub const MAX_PATH_HOPS: u8 = 12;
/// Most paths drawn by an all-shortest-paths search.
pub const MAX_PATHS: u32 = 50;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PathRequest {
    /// Tenant id or slug.
    pub tenant: String,
    pub from: NodeRef,
    pub to: NodeRef,
    /// Longest path searched, in relationships (default 6, at most 12).
    pub max_hops: Option<u8>,
    /// Every shortest path (up to 50), not only one.
    #[serde(default)]
    pub all: bool,
}

fn path_cypher(
    spec: &GraphSpec,
    from: &Anchor,
    to: &Anchor,
    hops: u8,
    all: bool,
    scoped: bool,
) -> String {
    let function = if all {
        "allShortestPaths"
    } else {
        "shortestPath"
    };
    let within = if scoped {
        format!(
            " WHERE all(x IN nodes(p) WHERE x.{} = $tenant)",
            spec.tenant_property.cypher()
        )
    } else {
        String::new()
    };
    format!(
        "MATCH (a:{la}) WHERE a.{id} = $from AND a.{tenant} = $tenant \
         MATCH (b:{lb}) WHERE b.{id} = $to AND b.{tenant} = $tenant \
         MATCH p = {function}((a)-[*..{hops}]-(b)){within} \
         RETURN nodes(p) AS ns, relationships(p) AS rs LIMIT {MAX_PATHS}",
        la = from.label.cypher(),
        lb = to.label.cypher(),
        id = spec.id_property.cypher(),
        tenant = spec.tenant_property.cypher(),
    )
}

pub async fn shortest(
    graph: &Graph,
    profile: &Profile,
    schema: &Schema,
    tenant: &Tenant,
    request: &PathRequest,
) -> Result<GraphView> {
    let started = std::time::Instant::now();
    let hops = request.max_hops.unwrap_or(DEFAULT_MAX_HOPS);
    if !(1..=MAX_PATH_HOPS).contains(&hops) {
        return Err(Error::InvalidInput(format!(
            "a path has 1 to {MAX_PATH_HOPS} hops, not {hops}"
        )));
    }
    let spec = profile.graph_spec()?;
    let mut view = ViewBuilder::new(profile, Some(tenant.id.clone()))?;
    let mut ends = Vec::new();
    for r in [&request.from, &request.to] {
        let labels = candidate_labels(schema, profile, r)?;
        let found = resolve(graph, spec, &labels, tenant, r, false, &mut view).await?;
        ends.push(
            found
                .into_iter()
                .next()
                .expect("resolve finds at least one node"),
        );
    }
    let (from, to) = (&ends[0], &ends[1]);
    if from.key == to.key {
        view.notes.push("the two ends are the same node".into());
        return Ok(view.finish(started));
    }
    let found = paths(
        graph,
        spec,
        tenant,
        from,
        to,
        hops,
        request.all,
        true,
        &mut view,
    )
    .await?;
    if found == 0 {
        let across = paths(graph, spec, tenant, from, to, hops, false, false, &mut view).await?;
        view.notes.push(if across == 0 {
            format!("no path of at most {hops} relationships joins the two nodes")
        } else {
            "no path within the tenant; the one drawn passes through another tenant's nodes \
             (isolation breach)"
                .to_owned()
        });
    }
    Ok(view.finish(started))
}

#[allow(clippy::too_many_arguments)]
async fn paths(
    graph: &Graph,
    spec: &GraphSpec,
    tenant: &Tenant,
    from: &Anchor,
    to: &Anchor,
    hops: u8,
    all: bool,
    scoped: bool,
    view: &mut ViewBuilder<'_>,
) -> Result<usize> {
    let text = path_cypher(spec, from, to, hops, all, scoped);
    let q = query(&text)
        .param("from", from.id.as_str())
        .param("to", to.id.as_str())
        .param("tenant", tenant.id.as_str());
    let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
    let mut found = 0;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let err = |e| Error::query(StoreKind::Graph, e);
        let nodes: Vec<BoltNode> = row.get("ns").map_err(err)?;
        let rels: Vec<BoltRelation> = row.get("rs").map_err(err)?;
        for n in &nodes {
            view.node(n);
        }
        let mut keys = Vec::with_capacity(rels.len());
        for r in &rels {
            view.relation(r);
            keys.push(r.id.value.to_string());
        }
        view.paths.push(keys);
        found += 1;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::Ident;

    #[test]
    fn the_path_stays_in_the_tenant_and_names_are_quoted() {
        let spec = crate::graph::test_spec(&[]);
        let anchor = |label: &str| Anchor {
            key: "1".into(),
            label: Ident::parse(label).expect("ident"),
            id: "x".into(),
            degree: 1,
        };
        let q = path_cypher(&spec, &anchor("Atom"), &anchor("Molecule"), 6, false, true);
        assert_eq!(
            q,
            "MATCH (a:`Atom`) WHERE a.`id` = $from AND a.`tenantId` = $tenant \
             MATCH (b:`Molecule`) WHERE b.`id` = $to AND b.`tenantId` = $tenant \
             MATCH p = shortestPath((a)-[*..6]-(b)) WHERE all(x IN nodes(p) WHERE x.`tenantId` = $tenant) \
             RETURN nodes(p) AS ns, relationships(p) AS rs LIMIT 50"
        );
        let across = path_cypher(&spec, &anchor("Atom"), &anchor("Atom"), 3, true, false);
        assert!(
            across.contains("allShortestPaths((a)-[*..3]-(b)) RETURN"),
            "{across}"
        );
    }
}
