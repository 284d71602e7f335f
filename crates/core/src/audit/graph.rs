//! The graph against the rows: one pass over the tenant's nodes finds nodes of an entity label
//! without a row, rows without a node, and (where the profile forbids them) sensitive values in
//! properties; one query finds relationships from the tenant's nodes to another tenant's.
//!
//! A relationship belongs to the tenant of its start node: the tenant it points into does not
//! report it again.

use std::collections::HashSet;

use neo4rs::query;

use super::sensitive::find_in_json;
use super::{AuditContext, Outcome};
use crate::cache::audit::normalize_id;
use crate::error::{Error, Result, StoreKind};
use crate::findings::{Finding, FindingKind};
use crate::graph::values::column_json;
use crate::profile::SensitiveStore;
use crate::stores::graph::map_error;

const STORE: StoreKind = StoreKind::Graph;
/// Cross-tenant relationships listed at most.
const MAX_CROSSING: usize = 10_000;

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) async fn nodes(cx: &AuditContext<'_>) -> Result<Outcome> {
    let (Some(_), Some(spec)) = (&cx.platform.graph, &cx.platform.profile.graph) else {
        return Ok(Outcome::skipped(
            "no graph on this connection or in the profile",
        ));
    };
    let graph = cx.platform.graph()?;
    let entities = &cx.platform.profile.entities;
    let sensitive = cx
        .platform
        .profile
        .audit
        .no_sensitive_values_in
        .contains(&SensitiveStore::Graph);
    let (t, id) = (spec.tenant_property.cypher(), spec.id_property.cypher());
    let cypher = format!(
        "MATCH (n) WHERE n.{t} = $tenant RETURN labels(n) AS labels, n.{id} AS id{}",
        if sensitive {
            ", properties(n) AS props"
        } else {
            ""
        }
    );
    let mut out = Outcome::default();
    let mut nodes: Vec<HashSet<String>> = vec![HashSet::new(); entities.len()];
    let mut rows = graph
        .bolt()
        .execute_read(query(&cypher).param("tenant", cx.tenant.id.as_str()))
        .await
        .map_err(map_error)?;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let get = |k: &str| column_json(&row, k);
        let labels = get("labels")?;
        let node_id = text(&get("id")?);
        for (i, e) in entities.iter().enumerate() {
            let Some(label) = &e.graph_label else {
                continue;
            };
            if labels
                .as_array()
                .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(label.as_str())))
            {
                nodes[i].insert(normalize_id(&node_id));
            }
        }
        if sensitive {
            let mut props = get("props")?;
            if let serde_json::Value::Object(m) = &mut props {
                m.remove(spec.id_property.as_str());
                m.remove(spec.tenant_property.as_str());
            }
            if let Some((kind, masked)) = find_in_json(&props) {
                out.findings.push(
                    Finding::new(
                        FindingKind::SensitiveValue,
                        node_id.clone(),
                        format!(
                            "node {labels} {node_id} has {} in its properties",
                            kind.describe()
                        ),
                    )
                    .evidence(STORE, format!("{labels} {node_id}"), Some(masked.into()))
                    .remedy("remove the value from the projection (the profile forbids it in the graph)"),
                );
            }
        }
        out.checked += 1;
        if out.checked % 10_000 == 0 {
            if cx.cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            (cx.progress)(format!("graph: {} nodes read", out.checked));
        }
    }
    for (i, e) in entities.iter().enumerate() {
        let Some(label) = &e.graph_label else {
            continue;
        };
        let rows = cx.row_ids.of(i)?;
        let table = e.table.as_str();
        let mut without_row: Vec<&String> = nodes[i].difference(rows).collect();
        without_row.sort();
        for node_id in without_row {
            out.findings.push(
                Finding::new(
                    FindingKind::GraphNodeWithoutRow,
                    node_id.clone(),
                    format!("(:{label} {node_id}) has no row in {table}"),
                )
                .entity_type(e.entity_type.clone())
                .evidence(STORE, format!(":{label} {{{}: {node_id:?}}}", spec.id_property), None)
                .evidence(StoreKind::Postgres, format!("{table} {node_id}"), None)
                .remedy("delete the node (DETACH DELETE), or replay the aggregate if the row is what is missing"),
            );
        }
        let mut without_node: Vec<&String> = rows.difference(&nodes[i]).collect();
        without_node.sort();
        for row_id in without_node {
            out.findings.push(
                Finding::new(
                    FindingKind::RowWithoutGraphNode,
                    row_id.clone(),
                    format!("{table} {row_id} has no (:{label}) node"),
                )
                .entity_type(e.entity_type.clone())
                .evidence(StoreKind::Postgres, format!("{table} {row_id}"), None)
                .remedy("replay the aggregate's events into the graph projection"),
            );
        }
    }
    out.notes
        .push(format!("{} of the tenant's nodes read", out.checked));
    Ok(out)
}

pub(super) async fn cross_tenant(cx: &AuditContext<'_>) -> Result<Outcome> {
    let (Some(_), Some(spec)) = (&cx.platform.graph, &cx.platform.profile.graph) else {
        return Ok(Outcome::skipped(
            "no graph on this connection or in the profile",
        ));
    };
    let graph = cx.platform.graph()?;
    let (t, id) = (spec.tenant_property.cypher(), spec.id_property.cypher());
    let cypher = format!(
        "MATCH (a)-[r]->(b) WHERE a.{t} = $tenant AND (b.{t} IS NULL OR b.{t} <> $tenant) \
         RETURN labels(a) AS al, a.{id} AS ai, type(r) AS type, labels(b) AS bl, b.{id} AS bi, b.{t} AS bt \
         LIMIT {MAX_CROSSING}"
    );
    let mut out = Outcome::default();
    let mut rows = graph
        .bolt()
        .execute_read(query(&cypher).param("tenant", cx.tenant.id.as_str()))
        .await
        .map_err(map_error)?;
    let entities = &cx.platform.profile.entities;
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let get = |k: &str| column_json(&row, k);
        let (al, ai, typ, bl, bi, bt) = (
            get("al")?,
            text(&get("ai")?),
            text(&get("type")?),
            get("bl")?,
            text(&get("bi")?),
            get("bt")?,
        );
        let other = match &bt {
            serde_json::Value::Null => "no tenant".to_owned(),
            v => format!("tenant {}", text(v)),
        };
        let first = |l: &serde_json::Value| {
            l.as_array()
                .and_then(|a| a.first())
                .map(text)
                .unwrap_or_default()
        };
        let entity_type = entities
            .iter()
            .find(|e| {
                e.graph_label
                    .as_ref()
                    .is_some_and(|g| g.as_str() == first(&al))
            })
            .map(|e| e.entity_type.clone());
        let mut f = Finding::new(
            FindingKind::CrossTenantRelationship,
            ai.clone(),
            format!(
                "(:{} {ai}) -[:{typ}]-> (:{} {bi}) of {other}",
                first(&al),
                first(&bl)
            ),
        )
        .evidence(
            STORE,
            format!(":{} {{{}: {ai:?}}}", first(&al), spec.id_property),
            Some(serde_json::json!({"tenant": cx.tenant.id})),
        )
        .evidence(
            STORE,
            format!(":{} {{{}: {bi:?}}}", first(&bl), spec.id_property),
            Some(serde_json::json!({"tenant": bt})),
        )
        .remedy("delete the relationship; find the projection step that linked across tenants");
        if let Some(t) = entity_type {
            f = f.entity_type(t);
        }
        out.findings.push(f);
    }
    if out.findings.len() >= MAX_CROSSING {
        out.notes.push(format!(
            "only the first {MAX_CROSSING} relationships are listed"
        ));
    }
    // How many relationships leave the tenant's nodes at all: what was checked.
    let count = format!("MATCH (a)-[r]->() WHERE a.{t} = $tenant RETURN count(r) AS n");
    let mut rows = graph
        .bolt()
        .execute_read(query(&count).param("tenant", cx.tenant.id.as_str()))
        .await
        .map_err(map_error)?;
    if let Some(row) = rows.next().await.map_err(map_error)? {
        out.checked = row
            .get::<i64>("n")
            .map_err(|e| Error::query(STORE, e))?
            .max(0) as u64;
    }
    Ok(out)
}
