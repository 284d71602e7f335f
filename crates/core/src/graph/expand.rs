//! Expanding a tenant's nodes hop by hop.
//!
//! Each hop reads the relationships of the frontier (the tenant's nodes reached by the last
//! hop), a label at a time so the id index is used, ordered so that pages are stable, and at
//! most `limit` per hop. A frontier node with more than `supernode_degree` relationships is not
//! expanded by a wide hop: it is listed with its neighbour counts, to be paged on its own (a
//! one-hop expansion of that node alone, with `skip`). Neighbours of another tenant are drawn
//! and flagged but never become frontier.

use std::collections::{BTreeMap, HashSet};

use futures::future::try_join_all;
use neo4rs::{query, BoltNode, BoltRelation};
use serde::{Deserialize, Serialize};

use super::schema::Schema;
use super::start::{candidate_labels, resolve, Anchor};
use super::{
    Direction, GraphView, NeighbourCount, NodeRef, Supernode, ViewBuilder, DEFAULT_LIMIT,
    DEFAULT_SUPERNODE_DEGREE, MAX_HOPS, MAX_LIMIT,
};
use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::profile::{GraphSpec, Profile};
use crate::stores::graph::{map_error, Graph};
use crate::tenants::Tenant;

/// Most start nodes per request.
pub const MAX_START: usize = 100;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ExpandRequest {
    /// Tenant id or slug.
    pub tenant: String,
    pub start: Vec<NodeRef>,
    /// 1 to 4 (default 1).
    pub hops: Option<u8>,
    /// Only neighbours with one of these labels (all when empty).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Only relationships of these types (all when empty).
    #[serde(default)]
    pub types: Vec<String>,
    pub direction: Option<Direction>,
    /// Relationships read per hop (default 500, at most 5,000).
    pub limit: Option<u32>,
    /// Relationships to pass over first: paging one node's neighbours (one start, one hop).
    pub skip: Option<u32>,
    /// Degree above which a node is not expanded by a wide hop (default 200).
    pub supernode_degree: Option<u32>,
}

struct Settings {
    hops: u8,
    limit: u32,
    skip: u32,
    supernode_degree: u32,
    direction: Direction,
}

impl Settings {
    fn of(r: &ExpandRequest) -> Result<Self> {
        let hops = r.hops.unwrap_or(1);
        if !(1..=MAX_HOPS).contains(&hops) {
            return Err(Error::InvalidInput(format!(
                "hops is 1 to {MAX_HOPS}, not {hops}"
            )));
        }
        let limit = r.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Error::InvalidInput(format!(
                "the limit per hop is 1 to {MAX_LIMIT}, not {limit}"
            )));
        }
        if r.start.is_empty() || r.start.len() > MAX_START {
            return Err(Error::InvalidInput(format!(
                "an expansion starts from 1 to {MAX_START} nodes"
            )));
        }
        let skip = r.skip.unwrap_or(0);
        if skip > 0 && (hops > 1 || r.start.len() > 1) {
            return Err(Error::InvalidInput(
                "skip pages one node's neighbours: one start node, one hop".into(),
            ));
        }
        Ok(Self {
            hops,
            limit,
            skip,
            supernode_degree: r
                .supernode_degree
                .unwrap_or(DEFAULT_SUPERNODE_DEGREE)
                .max(1),
            direction: r.direction.unwrap_or_default(),
        })
    }
}

/// The hop's Cypher for the frontier nodes of one label (`$ids`), with the filters as
/// parameters; one more row than `$limit` is asked for, to know whether more exist.
/// With `degree`, each neighbour's relationship count comes along (worth it only where the
/// neighbours are distinct, as around one node: a neighbour shared by many would be counted
/// once per row).
fn hop_cypher(
    spec: &GraphSpec,
    label: &Ident,
    direction: Direction,
    labels: bool,
    types: bool,
    degree: bool,
) -> String {
    let mut filters = Vec::new();
    if types {
        filters.push("type(r) IN $types".to_owned());
    }
    if labels {
        filters.push("any(l IN labels(m) WHERE l IN $labels)".to_owned());
    }
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    let degree = if degree {
        ", size([(m)--() | 1]) AS degree"
    } else {
        ""
    };
    format!(
        "MATCH (n:{label}) WHERE n.{id} IN $ids AND n.{tenant} = $tenant \
         MATCH {pattern}{filter} \
         WITH n, r, m ORDER BY n.{id}, type(r), m.{id} SKIP $skip LIMIT $limit \
         RETURN r, m{degree}",
        label = label.cypher(),
        id = spec.id_property.cypher(),
        tenant = spec.tenant_property.cypher(),
        pattern = direction.pattern(),
    )
}

fn degree_cypher(spec: &GraphSpec, label: &Ident) -> String {
    format!(
        "MATCH (n:{label}) WHERE n.{id} IN $ids AND n.{tenant} = $tenant \
         RETURN n.{id} AS id, size([(n)--() | 1]) AS degree",
        label = label.cypher(),
        id = spec.id_property.cypher(),
        tenant = spec.tenant_property.cypher(),
    )
}

fn counts_cypher(spec: &GraphSpec, label: &Ident) -> String {
    format!(
        "MATCH (n:{label}) WHERE n.{id} = $id AND n.{tenant} = $tenant \
         MATCH (n)-[r]-(m) \
         RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m) AS labels, count(*) AS c",
        label = label.cypher(),
        id = spec.id_property.cypher(),
        tenant = spec.tenant_property.cypher(),
    )
}

/// Expands from the request's start nodes. `schema` is the graph's labels and types (read
/// beside the tenant's lookup).
pub async fn expand(
    graph: &Graph,
    profile: &Profile,
    schema: &Schema,
    tenant: &Tenant,
    request: &ExpandRequest,
) -> Result<GraphView> {
    let started = std::time::Instant::now();
    let settings = Settings::of(request)?;
    let spec = profile.graph_spec()?;
    schema.check_labels(&request.labels)?;
    schema.check_types(&request.types)?;
    let mut view = ViewBuilder::new(profile, Some(tenant.id.clone()))?;
    // One start node is paged, and its page (or its neighbour counts) gives its degree; several
    // are partitioned by degree before their first hop, so theirs is read with them. (An id that
    // names nodes of two labels is two start nodes of unknown degree, expanded within the cap.)
    let counts_give_degree = request.start.len() == 1;
    let mut frontier: Vec<Anchor> = Vec::new();
    for r in &request.start {
        let labels = candidate_labels(schema, profile, r)?;
        let found = resolve(
            graph,
            spec,
            &labels,
            tenant,
            r,
            !counts_give_degree,
            &mut view,
        );
        frontier.extend(found.await?);
    }
    let mut reached: HashSet<String> = frontier.iter().map(|a| a.key.clone()).collect();
    let single = frontier.len() == 1;
    for hop in 1..=settings.hops {
        if frontier.is_empty() {
            break;
        }
        // One start node's first hop is paged; wider hops hold supernodes back.
        let paged = hop == 1 && single;
        let (wide, held): (Vec<Anchor>, Vec<Anchor>) = frontier
            .into_iter()
            .partition(|a| paged || a.degree <= settings.supernode_degree);
        // Nodes held back are counted while the hop reads; a paged node is counted after its
        // page, and only when the page did not hold all of it (its relationships, unfiltered,
        // are then its degree): a one-shot caller then needs no second connection.
        let held_counts = try_join_all(
            held.iter()
                .map(|a| neighbour_counts(graph, spec, tenant, a)),
        );
        // One node's neighbours are distinct: their degrees come with them when a next hop
        // needs them.
        let with_degree = paged && hop < settings.hops;
        let hop_read = read_hop(
            graph,
            spec,
            tenant,
            request,
            &settings,
            &wide,
            with_degree,
            &mut view,
            &mut reached,
        );
        let (held_counts, read) = tokio::join!(held_counts, hop_read);
        let (held_counts, (fresh, read)) = (held_counts?, read?);
        for (a, counts) in held.iter().zip(held_counts) {
            view.supernodes.push(Supernode {
                node: a.key.clone(),
                degree: a.degree,
                counts,
                shown: 0,
                next_skip: None,
            });
        }
        if paged {
            let a = &wide[0];
            let filtered = !request.labels.is_empty() || !request.types.is_empty();
            let whole = !view.truncated && settings.skip == 0 && !filtered;
            // (A paged node is a lone start node: resolved without its degree.)
            let (degree, counts) = if whole {
                (read, Vec::new())
            } else {
                let counts = neighbour_counts(graph, spec, tenant, a).await?;
                (counts.iter().map(|c| c.count).sum(), counts)
            };
            if let Some(n) = view.node_mut(&a.key) {
                n.degree = Some(degree);
            }
            // Listed when it has more than one page.
            if degree > settings.limit || settings.skip > 0 {
                view.supernodes.push(Supernode {
                    node: a.key.clone(),
                    degree,
                    counts,
                    shown: read,
                    next_skip: view.truncated.then_some(settings.skip + read),
                });
            }
        }
        if view.truncated {
            view.notes.push(format!(
                "hop {hop} stopped at {} relationships; more exist",
                settings.limit
            ));
        }
        // The next frontier with its degrees; the last hop's nodes stay leaves (reading their
        // degree would cost as much as the hop's own statement).
        frontier = if hop < settings.hops {
            anchors_of(graph, spec, schema, tenant, &fresh, &mut view).await?
        } else {
            Vec::new()
        };
    }
    Ok(view.finish(started))
}

/// One hop: the relationships of the `wide` anchors, a label at a time, at most `limit` in all.
/// Returns the nodes reached for the first time and the relationships read.
#[allow(clippy::too_many_arguments)]
async fn read_hop(
    graph: &Graph,
    spec: &GraphSpec,
    tenant: &Tenant,
    request: &ExpandRequest,
    settings: &Settings,
    wide: &[Anchor],
    with_degree: bool,
    view: &mut ViewBuilder<'_>,
    reached: &mut HashSet<String>,
) -> Result<(Vec<BoltNode>, u32)> {
    let mut budget = settings.limit;
    let mut fresh: Vec<BoltNode> = Vec::new();
    let mut by_label: BTreeMap<&Ident, Vec<&Anchor>> = BTreeMap::new();
    for a in wide {
        by_label.entry(&a.label).or_default().push(a);
    }
    for (label, anchors) in by_label {
        if budget == 0 {
            view.truncated = true;
            break;
        }
        let ids: Vec<String> = anchors.iter().map(|a| a.id.clone()).collect();
        let text = hop_cypher(
            spec,
            label,
            settings.direction,
            !request.labels.is_empty(),
            !request.types.is_empty(),
            with_degree,
        );
        let q = query(&text)
            .param("ids", ids)
            .param("tenant", tenant.id.as_str())
            .param("labels", request.labels.clone())
            .param("types", request.types.clone())
            .param("skip", i64::from(settings.skip))
            .param("limit", i64::from(budget) + 1);
        let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
        while let Some(row) = rows.next().await.map_err(map_error)? {
            if budget == 0 {
                view.truncated = true;
                break;
            }
            budget -= 1;
            let r: BoltRelation = row
                .get("r")
                .map_err(|e| Error::query(StoreKind::Graph, e))?;
            let m: BoltNode = row
                .get("m")
                .map_err(|e| Error::query(StoreKind::Graph, e))?;
            view.relation(&r);
            let drawn = view.node(&m);
            if with_degree {
                let degree: i64 = row
                    .get("degree")
                    .map_err(|e| Error::query(StoreKind::Graph, e))?;
                drawn.degree = Some(u32::try_from(degree).unwrap_or(u32::MAX));
            }
            if reached.insert(drawn.key.clone()) {
                fresh.push(m);
            }
        }
    }
    Ok((fresh, settings.limit - budget))
}

/// The tenant's nodes among `nodes` as anchors of the next hop, with their degree (read, one
/// query per label, for those whose hop did not bring it). Another tenant's nodes, and nodes
/// without an id, stay leaves.
async fn anchors_of(
    graph: &Graph,
    spec: &GraphSpec,
    schema: &Schema,
    tenant: &Tenant,
    nodes: &[BoltNode],
    view: &mut ViewBuilder<'_>,
) -> Result<Vec<Anchor>> {
    let mut anchors = Vec::new();
    let mut unknown: BTreeMap<Ident, Vec<(String, String)>> = BTreeMap::new();
    let mut without_id = 0;
    for n in nodes {
        let drawn = view.node(n);
        if drawn.foreign {
            continue;
        }
        let label = drawn.labels.iter().find_map(|l| schema.label(l).ok());
        match (label, drawn.id.clone(), drawn.degree) {
            (Some(label), Some(id), Some(degree)) => anchors.push(Anchor {
                key: drawn.key.clone(),
                label,
                id,
                degree,
            }),
            (Some(label), Some(id), None) => unknown
                .entry(label)
                .or_default()
                .push((id, drawn.key.clone())),
            _ => without_id += 1,
        }
    }
    if without_id > 0 {
        view.notes.push(format!(
            "{without_id} nodes have no {} property or label to be expanded by",
            spec.id_property.as_str()
        ));
    }
    for (label, members) in unknown {
        let ids: Vec<String> = members.iter().map(|(id, _)| id.clone()).collect();
        let text = degree_cypher(spec, &label);
        let q = query(&text)
            .param("ids", ids)
            .param("tenant", tenant.id.as_str());
        let mut degrees = std::collections::HashMap::new();
        let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
        while let Some(row) = rows.next().await.map_err(map_error)? {
            let id: String = row
                .get("id")
                .map_err(|e| Error::query(StoreKind::Graph, e))?;
            let degree: i64 = row
                .get("degree")
                .map_err(|e| Error::query(StoreKind::Graph, e))?;
            degrees.insert(id, u32::try_from(degree).unwrap_or(u32::MAX));
        }
        for (id, key) in members {
            let Some(degree) = degrees.get(&id).copied() else {
                continue;
            };
            if let Some(n) = view.node_mut(&key) {
                n.degree = Some(degree);
            }
            anchors.push(Anchor {
                key,
                label: label.clone(),
                id,
                degree,
            });
        }
    }
    Ok(anchors)
}

async fn neighbour_counts(
    graph: &Graph,
    spec: &GraphSpec,
    tenant: &Tenant,
    a: &Anchor,
) -> Result<Vec<NeighbourCount>> {
    let text = counts_cypher(spec, &a.label);
    let q = query(&text)
        .param("id", a.id.as_str())
        .param("tenant", tenant.id.as_str());
    let mut rows = graph.bolt().execute_read(q).await.map_err(map_error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.map_err(map_error)? {
        let get_err = |e| Error::query(StoreKind::Graph, e);
        let labels: Vec<String> = row.get("labels").map_err(get_err)?;
        let count: i64 = row.get("c").map_err(get_err)?;
        out.push(NeighbourCount {
            rel_type: row.get("type").map_err(get_err)?,
            outgoing: row.get("outgoing").map_err(get_err)?,
            label: labels.join(":"),
            count: u32::try_from(count).unwrap_or(u32::MAX),
        });
    }
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.rel_type.cmp(&b.rel_type))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> GraphSpec {
        crate::graph::test_spec(&[])
    }

    #[test]
    fn hop_cypher_splices_only_quoted_names_and_keeps_filters_as_parameters() {
        let label = Ident::parse("Atom").expect("ident");
        let q = hop_cypher(&spec(), &label, Direction::Outgoing, true, true, false);
        assert_eq!(
            q,
            "MATCH (n:`Atom`) WHERE n.`id` IN $ids AND n.`tenantId` = $tenant \
             MATCH (n)-[r]->(m) WHERE type(r) IN $types AND any(l IN labels(m) WHERE l IN $labels) \
             WITH n, r, m ORDER BY n.`id`, type(r), m.`id` SKIP $skip LIMIT $limit \
             RETURN r, m"
        );
        let plain = hop_cypher(&spec(), &label, Direction::Both, false, false, true);
        assert!(plain.contains("MATCH (n)-[r]-(m) WITH"), "{plain}");
        assert!(
            plain.ends_with("RETURN r, m, size([(m)--() | 1]) AS degree"),
            "{plain}"
        );
    }

    fn request(
        hops: Option<u8>,
        start: usize,
        skip: Option<u32>,
        limit: Option<u32>,
    ) -> ExpandRequest {
        ExpandRequest {
            tenant: "t".into(),
            start: (0..start)
                .map(|i| NodeRef {
                    id: i.to_string(),
                    label: None,
                })
                .collect(),
            hops,
            labels: Vec::new(),
            types: Vec::new(),
            direction: None,
            limit,
            skip,
            supernode_degree: None,
        }
    }

    #[test]
    fn settings_refuse_what_cannot_be_drawn() {
        assert!(Settings::of(&request(None, 1, None, None)).is_ok());
        for bad in [
            request(Some(0), 1, None, None),
            request(Some(5), 1, None, None),
            request(None, 0, None, None),
            request(None, 101, None, None),
            request(None, 1, None, Some(0)),
            request(None, 1, None, Some(5_001)),
            request(Some(2), 1, Some(10), None),
            request(None, 2, Some(10), None),
        ] {
            assert!(Settings::of(&bad).is_err(), "{bad:?}");
        }
    }
}
