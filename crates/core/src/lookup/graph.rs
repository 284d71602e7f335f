//! The graph part of a lookup: nodes of each entity's label whose id property is the id.
//!
//! `MATCH (n:`Label`) WHERE n.`id` = $id` uses the label's id index; the label and property come
//! from the profile as `Ident`s, the id and tenants are parameters. Reads run in Bolt READ mode.

use futures::future::join_all;
use neo4rs::query;

use super::{GraphHit, Report, Scope, MAX_MATCHES};
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::platform::Platform;
use crate::stores::graph::{map_error, Graph};
use crate::stores::with_timeout;

pub(super) struct NodeFound {
    pub entity: usize,
    pub id: String,
    pub hit: GraphHit,
}

/// The Cypher for one label; `narrowed` adds the tenant filter.
fn cypher(label: &Ident, id_property: &Ident, tenant_property: &Ident, narrowed: bool) -> String {
    let filter = if narrowed {
        format!(" AND n.{} IN $tenants", tenant_property.cypher())
    } else {
        String::new()
    };
    format!(
        "MATCH (n:{label}) WHERE n.{id} = $id{filter} \
         RETURN labels(n) AS labels, n.{tenant} AS tenant, size([(n)--() | 1]) AS degree, properties(n) AS props \
         LIMIT {MAX_MATCHES}",
        label = label.cypher(),
        id = id_property.cypher(),
        tenant = tenant_property.cypher(),
    )
}

pub(super) async fn nodes(
    platform: &Platform,
    scope: &Scope,
    id: &str,
    entities: &[usize],
) -> (Vec<NodeFound>, Report) {
    let mut report = Report::default();
    let profile = &platform.profile;
    let Some(spec) = &profile.graph else {
        return (Vec::new(), report);
    };
    let graph = match &platform.graph {
        Some(Ok(g)) => g,
        Some(Err(e)) => {
            report.error(
                StoreKind::Graph,
                None,
                &Error::Config(format!("the graph cannot be used: {e}")),
            );
            return (Vec::new(), report);
        }
        None => return (Vec::new(), report),
    };
    let labelled: Vec<(usize, &Ident)> = entities
        .iter()
        .filter_map(|i| {
            profile
                .entities
                .get(*i)?
                .graph_label
                .as_ref()
                .map(|l| (*i, l))
        })
        .collect();
    let queries = labelled.iter().map(|(entity, label)| {
        let text = cypher(
            label,
            &spec.id_property,
            &spec.tenant_property,
            scope.narrowed.is_some(),
        );
        async move {
            let found = with_timeout(
                StoreKind::Graph,
                platform.timeout,
                run(graph, text, id, scope.narrowed.as_deref()),
            )
            .await;
            (*entity, found)
        }
    });
    let mut out = Vec::new();
    for (entity, found) in join_all(queries).await {
        match found {
            Ok(hits) => {
                if hits.len() >= MAX_MATCHES {
                    let label = profile.entities[entity]
                        .graph_label
                        .as_ref()
                        .map(Ident::to_string)
                        .unwrap_or_default();
                    report.cap(format!(
                        "graph: only the first {MAX_MATCHES} {label} nodes with this id were read"
                    ));
                }
                out.extend(hits.into_iter().map(|hit| NodeFound {
                    entity,
                    id: id.to_owned(),
                    hit,
                }));
            }
            Err(e) => report.error(StoreKind::Graph, None, &e),
        }
    }
    (out, report)
}

async fn run(
    graph: &Graph,
    text: String,
    id: &str,
    tenants: Option<&[String]>,
) -> Result<Vec<GraphHit>> {
    let mut q = query(&text).param("id", id);
    if let Some(t) = tenants {
        q = q.param("tenants", t.to_vec());
    }
    let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let labels: Vec<String> = row.get("labels").unwrap_or_default();
        let tenant: serde_json::Value = row.get("tenant").unwrap_or_default();
        let degree: i64 = row
            .get("degree")
            .map_err(|e| Error::query(StoreKind::Graph, e))?;
        let properties: serde_json::Value = row.get("props").unwrap_or_default();
        let tenant_value = match tenant {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s),
            other => Some(other.to_string()),
        };
        out.push(GraphHit {
            labels,
            tenant_value,
            degree: u32::try_from(degree).unwrap_or(u32::MAX),
            properties,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_quoted_from_the_profile_and_values_stay_parameters() {
        let i = |s: &str| Ident::parse(s).expect("ident");
        let q = cypher(&i("Atom"), &i("id"), &i("tenantId"), true);
        assert!(
            q.starts_with(
                "MATCH (n:`Atom`) WHERE n.`id` = $id AND n.`tenantId` IN $tenants RETURN"
            ),
            "{q}"
        );
        assert!(!cypher(&i("Atom"), &i("id"), &i("tenantId"), false).contains("$tenants"));
    }
}
