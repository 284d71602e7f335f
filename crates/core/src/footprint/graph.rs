//! Graph part: the tenant's nodes by label and the relationships leaving them by type, read in
//! Bolt READ mode. The tenant property is a profile `Ident` (quoted); the tenant id is a
//! parameter.

use neo4rs::query;

use super::{sorted_counts, GraphFootprint};
use crate::error::{Error, Result, StoreKind};
use crate::profile::GraphSpec;
use crate::stores::graph::{map_error, Graph};
use crate::tenants::Tenant;

const STORE: StoreKind = StoreKind::Graph;

pub async fn measure(graph: &Graph, spec: &GraphSpec, tenant: &Tenant) -> Result<GraphFootprint> {
    let prop = spec.tenant_property.cypher();
    let nodes =
        format!("MATCH (n) WHERE n.{prop} = $tenant RETURN labels(n) AS labels, count(*) AS c");
    let relationships =
        format!("MATCH (n)-[r]->() WHERE n.{prop} = $tenant RETURN type(r) AS t, count(*) AS c");
    let (labels, types) = tokio::join!(
        counts(graph, &nodes, &tenant.id, |row| {
            let mut labels: Vec<String> = row.get("labels").map_err(|e| Error::query(STORE, e))?;
            labels.sort_unstable();
            Ok(labels.join(":"))
        }),
        counts(graph, &relationships, &tenant.id, |row| row
            .get::<String>("t")
            .map_err(|e| Error::query(STORE, e))),
    );
    let (labels, types) = (labels?, types?);
    let total = |pairs: &[(String, i64)]| pairs.iter().map(|(_, n)| n).sum::<i64>().to_string();
    Ok(GraphFootprint {
        tenant_property: spec.tenant_property.to_string(),
        nodes: total(&labels),
        relationships: total(&types),
        labels: sorted_counts(labels),
        relationship_types: sorted_counts(types),
    })
}

/// Runs a `RETURN <name>, count(*) AS c` query and collects `(name, c)`.
async fn counts(
    graph: &Graph,
    cypher: &str,
    tenant: &str,
    name: impl Fn(&neo4rs::Row) -> Result<String>,
) -> Result<Vec<(String, i64)>> {
    let mut rows = graph
        .bolt()
        .execute_read(query(cypher).param("tenant", tenant))
        .await
        .map_err(map_error)?;
    let mut out: Vec<(String, i64)> = Vec::new();
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let key = name(&row)?;
        let c: i64 = row.get("c").map_err(|e| Error::query(STORE, e))?;
        // Servers may split one key over rows (e.g. label order); fold them.
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += c,
            None => out.push((key, c)),
        }
    }
    Ok(out)
}
