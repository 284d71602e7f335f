//! Finding a tenant's nodes to start from: by exact id, or by a substring of the profile's
//! search properties (case-insensitive), on every label the graph has (or one).

use neo4rs::{query, BoltNode};
use serde::{Deserialize, Serialize};

use super::schema::Schema;
use super::{GraphView, ViewBuilder};
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::profile::{GraphSpec, Profile};
use crate::stores::graph::{map_error, Graph};
use crate::tenants::Tenant;

pub const DEFAULT_HITS: u32 = 50;
pub const MAX_HITS: u32 = 500;
const MAX_TEXT_BYTES: usize = 1_024;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    /// Tenant id or slug.
    pub tenant: String,
    /// An exact id, or a part of a search property's value.
    pub text: String,
    /// Only nodes of this label.
    pub label: Option<String>,
    /// Nodes returned (default 50, at most 500).
    pub limit: Option<u32>,
}

fn search_cypher(spec: &GraphSpec, label: &Ident) -> String {
    let mut matches = vec![format!("n.{} = $text", spec.id_property.cypher())];
    matches.extend(
        spec.search_properties
            .iter()
            .map(|p| format!("toLower(toString(n.{})) CONTAINS $lower", p.cypher())),
    );
    format!(
        "MATCH (n:{label}) WHERE n.{tenant} = $tenant AND ({matches}) \
         RETURN n, size([(n)--() | 1]) AS degree LIMIT $limit",
        label = label.cypher(),
        tenant = spec.tenant_property.cypher(),
        matches = matches.join(" OR "),
    )
}

pub async fn search(
    graph: &Graph,
    profile: &Profile,
    schema: &Schema,
    tenant: &Tenant,
    request: &SearchRequest,
) -> Result<GraphView> {
    let started = std::time::Instant::now();
    let text = request.text.trim();
    if text.is_empty() || text.len() > MAX_TEXT_BYTES {
        return Err(Error::InvalidInput(format!(
            "a search text has 1 to {MAX_TEXT_BYTES} bytes"
        )));
    }
    let limit = request.limit.unwrap_or(DEFAULT_HITS);
    if !(1..=MAX_HITS).contains(&limit) {
        return Err(Error::InvalidInput(format!(
            "a search returns 1 to {MAX_HITS} nodes, not {limit}"
        )));
    }
    let spec = profile.graph_spec()?;
    let labels: Vec<Ident> = match request.label.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => vec![schema.label(l)?],
        None => schema
            .labels
            .iter()
            .filter_map(|l| Ident::parse(l).ok())
            .collect(),
    };
    let mut view = ViewBuilder::new(profile, Some(tenant.id.clone()))?;
    let lower = text.to_lowercase();
    let mut exact = Vec::new();
    let mut partial = Vec::new();
    for label in &labels {
        let remaining = limit as usize - exact.len() - partial.len();
        if remaining == 0 {
            view.truncated = true;
            break;
        }
        let cypher = search_cypher(spec, label);
        let q = query(&cypher)
            .param("tenant", tenant.id.as_str())
            .param("text", text)
            .param("lower", lower.as_str())
            .param("limit", remaining as i64 + 1);
        let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
        let mut read = 0;
        while let Some(row) = rows.next().await.map_err(map_error)? {
            if read == remaining {
                view.truncated = true;
                break;
            }
            read += 1;
            let err = |e| Error::query(StoreKind::Graph, e);
            let node: BoltNode = row.get("n").map_err(err)?;
            let degree: i64 = row.get("degree").map_err(err)?;
            let drawn = view.node(&node);
            drawn.degree = Some(u32::try_from(degree).unwrap_or(u32::MAX));
            let key = drawn.key.clone();
            if drawn.id.as_deref() == Some(text) {
                exact.push(key);
            } else {
                partial.push(key);
            }
        }
    }
    if view.truncated {
        view.notes
            .push(format!("only the first {limit} matches are listed"));
    }
    let mut result = view.finish(started);
    // Exact id matches first, then the rest as found.
    let rank = |key: &str| exact.iter().position(|k| k == key).map_or(1, |_| 0);
    result.nodes.sort_by_key(|n| rank(&n.key));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_a_parameter_and_properties_come_from_the_profile() {
        let spec = crate::graph::test_spec(&["name"]);
        assert_eq!(
            search_cypher(&spec, &Ident::parse("Atom").expect("ident")),
            "MATCH (n:`Atom`) WHERE n.`tenantId` = $tenant AND (n.`id` = $text OR \
             toLower(toString(n.`name`)) CONTAINS $lower) \
             RETURN n, size([(n)--() | 1]) AS degree LIMIT $limit"
        );
    }
}
