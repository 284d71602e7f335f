//! The Cypher console: [`cypher_guard`](super::cypher_guard) first, then the statement in Bolt
//! READ access mode with `$tenant` bound to the tenant's id (when one is chosen). Values come
//! back as JSON text: nodes as `{"labels", "properties"}`, relationships as `{"type",
//! "properties"}`, lists and maps as JSON.

use std::time::Duration;

use neo4rs::{query, BoltType};

use super::cypher_guard::check_read_only;
use super::Grid;
use crate::error::{Error, Result, StoreKind};
use crate::graph::values::to_json;
use crate::graph::{GraphView, ViewBuilder};
use crate::platform::Platform;
use crate::stores::graph::map_error;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

pub(super) async fn run(
    platform: &Platform,
    text: &str,
    tenant: Option<&Tenant>,
    cap: usize,
) -> Result<(Grid, String, Option<GraphView>)> {
    check_read_only(text)?;
    let graph = platform.graph()?;
    let mut q = query(text);
    let scope = match tenant {
        Some(t) => {
            q = q.param("tenant", t.id.as_str());
            format!("graph, $tenant = {:?}", t.id)
        }
        None => "graph ($tenant not bound)".to_owned(),
    };
    let started = std::time::Instant::now();
    // A profile without a [graph] section still runs Cypher; it just draws nothing.
    let mut view = ViewBuilder::new(&platform.profile, tenant.map(|t| t.id.clone())).ok();
    let grid = with_timeout(StoreKind::Graph, STATEMENT_TIMEOUT, async {
        let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
        let mut grid: Option<Grid> = None;
        while let Some(row) = rows.next().await.map_err(map_error)? {
            let g = grid.get_or_insert_with(|| {
                let keys: Vec<String> = row.keys().iter().map(|k| k.value.clone()).collect();
                Grid::new(column_order(text, keys), cap)
            });
            let values = g
                .columns
                .iter()
                .map(|key| {
                    row.get::<BoltType>(key)
                        .map_err(|e| Error::query(StoreKind::Graph, e))
                })
                .collect::<Result<Vec<_>>>()?;
            if !g.push(values.iter().map(cell).collect()) {
                break;
            }
            if let Some(view) = view.as_mut() {
                values.iter().for_each(|v| view.value(v));
            }
        }
        Ok(grid.unwrap_or_else(|| Grid::new(Vec::new(), cap)))
    })
    .await?;
    let graph = view
        .filter(|v| v.node_count() > 0)
        .map(|v| v.finish(started));
    Ok((grid, scope, graph))
}

/// A Bolt value as the grid shows it: strings as they are, `null` as no cell, the rest as JSON.
fn cell(value: &BoltType) -> Option<String> {
    match value {
        BoltType::Null(_) => None,
        BoltType::String(s) => Some(s.value.clone()),
        other => Some(to_json(other).to_string()),
    }
}

/// Bolt records come as a map, so the statement's column order is recovered from its last
/// `RETURN`: each key where it stands as a whole return item (`x AS key`, or the expression
/// itself before `,` or the end). Keys not found keep their name order, after the others.
fn column_order(statement: &str, mut keys: Vec<String>) -> Vec<String> {
    let upper = statement.to_ascii_uppercase();
    let tail_start = upper.rfind("RETURN").map_or(0, |i| i + "RETURN".len());
    let tail = &statement[tail_start..];
    let position = |key: &str| -> Option<usize> {
        let mut from = 0;
        while let Some(found) = tail[from..].find(key) {
            let start = from + found;
            let end = start + key.len();
            let before = tail[..start].trim_end();
            let after = tail[end..].trim_start();
            let before_ok = before.is_empty()
                || before.ends_with(',')
                || before.to_ascii_uppercase().ends_with(" AS")
                || before.to_ascii_uppercase().ends_with("DISTINCT");
            let after_upper = after.to_ascii_uppercase();
            let after_ok = after.is_empty()
                || after.starts_with(',')
                || after_upper.starts_with("ORDER ")
                || after_upper.starts_with("LIMIT ")
                || after_upper.starts_with("SKIP ");
            if before_ok && after_ok {
                return Some(start);
            }
            from = end;
        }
        None
    };
    keys.sort_by_key(|k| (position(k).unwrap_or(usize::MAX), k.clone()));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(statement: &str, keys: &[&str], expect: &[&str]) {
        let keys = keys.iter().map(|k| (*k).to_owned()).collect();
        assert_eq!(column_order(statement, keys), expect, "{statement}");
    }

    #[test]
    fn columns_follow_the_return_clause() {
        check("MATCH (n) RETURN n.id AS id, n", &["n", "id"], &["id", "n"]);
        check("MATCH (n) RETURN n.id, n", &["n", "n.id"], &["n.id", "n"]);
        check(
            "MATCH (n) RETURN labels(n) AS l, count(*) AS c ORDER BY c",
            &["c", "l"],
            &["l", "c"],
        );
        check(
            "MATCH (n) WITH n RETURN DISTINCT n.tenantId AS t, n.id AS id LIMIT 3",
            &["id", "t"],
            &["t", "id"],
        );
        check("CALL db.labels()", &["label"], &["label"]);
    }
}
