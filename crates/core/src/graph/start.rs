//! The nodes a traversal starts from: a user's [`NodeRef`] found among the tenant's nodes.

use futures::future::try_join_all;
use neo4rs::{query, BoltNode};

use super::schema::Schema;
use super::{NodeRef, ViewBuilder};
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::profile::GraphSpec;
use crate::stores::graph::{map_error, Graph};
use crate::tenants::Tenant;

/// Longest id accepted.
const MAX_ID_BYTES: usize = 1_024;

/// A node of the tenant a hop can leave from: matched by label, id and tenant (the id index).
#[derive(Debug, Clone)]
pub struct Anchor {
    pub key: String,
    pub label: Ident,
    pub id: String,
    pub degree: u32,
}

/// The labels a reference may have: its own (checked against the graph), else the profile's
/// entity labels the graph has, else every label the graph has.
pub fn candidate_labels(
    schema: &Schema,
    profile: &crate::profile::Profile,
    r: &NodeRef,
) -> Result<Vec<Ident>> {
    if let Some(l) = r.label.as_deref().filter(|l| !l.is_empty()) {
        return Ok(vec![schema.label(l)?]);
    }
    let from_profile: Vec<Ident> = profile
        .entities
        .iter()
        .filter_map(|e| e.graph_label.clone())
        .filter(|l| schema.labels.iter().any(|x| x == l.as_str()))
        .collect();
    if !from_profile.is_empty() {
        return Ok(from_profile);
    }
    Ok(schema
        .labels
        .iter()
        .filter_map(|l| Ident::parse(l).ok())
        .collect())
}

/// Finds the tenant's nodes a reference names (one per label that has it) and adds them to the
/// view, with their degree when `with_degree` (else 0: counting a supernode's relationships is
/// not free, and a caller that counts them by type anyway learns the degree from that).
/// `not_found` says when the id is another tenant's.
pub async fn resolve(
    graph: &Graph,
    spec: &GraphSpec,
    labels: &[Ident],
    tenant: &Tenant,
    r: &NodeRef,
    with_degree: bool,
    view: &mut ViewBuilder<'_>,
) -> Result<Vec<Anchor>> {
    let id = r.id.trim();
    if id.is_empty() || id.len() > MAX_ID_BYTES {
        return Err(Error::InvalidInput(format!(
            "a node id has 1 to {MAX_ID_BYTES} bytes"
        )));
    }
    let found = try_join_all(labels.iter().map(|label| async move {
        let text = format!(
            "MATCH (n:{label}) WHERE n.{id_p} = $id AND n.{tenant_p} = $tenant \
             RETURN n, {degree} AS degree LIMIT 1",
            label = label.cypher(),
            degree = if with_degree {
                "size([(n)--() | 1])"
            } else {
                "0"
            },
            id_p = spec.id_property.cypher(),
            tenant_p = spec.tenant_property.cypher(),
        );
        let q = query(&text)
            .param("id", id)
            .param("tenant", tenant.id.as_str());
        let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
        let row = rows.next().await.map_err(map_error)?;
        row.map(|row| -> Result<(Ident, BoltNode, i64)> {
            let node: BoltNode = row
                .get("n")
                .map_err(|e| Error::query(StoreKind::Graph, e))?;
            let degree: i64 = row
                .get("degree")
                .map_err(|e| Error::query(StoreKind::Graph, e))?;
            Ok((label.clone(), node, degree))
        })
        .transpose()
    }))
    .await?;
    let mut anchors = Vec::new();
    for (label, node, degree) in found.into_iter().flatten() {
        let degree = u32::try_from(degree).unwrap_or(u32::MAX);
        let drawn = view.node(&node);
        if with_degree {
            drawn.degree = Some(degree);
        }
        anchors.push(Anchor {
            key: drawn.key.clone(),
            label,
            id: id.to_owned(),
            degree,
        });
    }
    if anchors.is_empty() {
        return Err(not_found(graph, spec, labels, tenant, id).await);
    }
    Ok(anchors)
}

/// Why no node was found: the id belongs to other tenants, or to nobody.
async fn not_found(
    graph: &Graph,
    spec: &GraphSpec,
    labels: &[Ident],
    tenant: &Tenant,
    id: &str,
) -> Error {
    let names: Vec<&str> = labels.iter().map(Ident::as_str).collect();
    let shown: String = id.chars().take(80).collect();
    let mut owners = Vec::new();
    for label in labels {
        let text = format!(
            "MATCH (n:{label}) WHERE n.{id_p} = $id RETURN DISTINCT n.{tenant_p} AS t LIMIT 5",
            label = label.cypher(),
            id_p = spec.id_property.cypher(),
            tenant_p = spec.tenant_property.cypher(),
        );
        if let Ok(mut rows) = graph
            .bolt()
            .execute_read(query(&text).param("id", id))
            .await
        {
            while let Ok(Some(row)) = rows.next().await {
                let owner = row
                    .get::<String>("t")
                    .unwrap_or_else(|_| "no tenant".into());
                owners.push(format!("{label} of {owner}", label = label.as_str()));
            }
        }
    }
    if owners.is_empty() {
        Error::NotFound(format!(
            "tenant {} has no node with id {shown:?} (labels tried: {})",
            tenant.slug,
            names.join(", ")
        ))
    } else {
        Error::NotFound(format!(
            "node {shown:?} is not tenant {}'s: it is {}",
            tenant.slug,
            owners.join(", ")
        ))
    }
}
