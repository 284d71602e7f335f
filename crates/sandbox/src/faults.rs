//! Planted faults: deliberate drift in two designated tenants so that audits find something real.
//!
//! globex (row tier) and cyberdyne (schema tier) hold every fault; all other tenants are fully
//! consistent. Totals: 3 graph nodes without a row, 3 lagging rows, 3 stale cache entries,
//! 3 atom cache keys without TTL, 1 cross-tenant relationship, 1 object without a row.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::content;
use crate::generate::{choose_distinct, supernode_id, TenantData};
use crate::model::{EntityType, Row};
use crate::project::{GraphEdge, GraphNode, StoredObject};
use crate::rng;
use crate::tenants::{BIG_TENANT, FAULTY_ROW_TENANT, FAULTY_SCHEMA_TENANT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// A graph node (of a labelled entity type) with no read-model row.
    GraphNodeWithoutRow,
    /// A read-model row that reflects the state before its aggregate's last Updated event.
    ReadModelLag,
    /// A cached atom whose JSON differs from its row.
    StaleCache,
    /// An atom cache key without a TTL.
    CacheKeyWithoutTtl,
    /// A relationship from a node of one tenant to a node of another.
    CrossTenantRelationship,
    /// An object under a tenant's documents prefix with no `documents` row.
    ObjectWithoutRow,
}

/// One planted fault. `store` is `postgres`, `graph`, `redis` or `objects`; `subject` is the
/// entity id (postgres, graph), the Redis key, or the full object key in the bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedFault {
    pub kind: FaultKind,
    pub tenant_slug: String,
    pub store: String,
    pub subject: String,
    pub note: String,
}

/// How the projections of one tenant deviate from its consistent form.
#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    pub faults: Vec<PlantedFault>,
    /// Aggregates whose row (and so graph node and cache entry) is the previous fold.
    pub lagged: HashSet<Uuid>,
    /// Atoms whose cached JSON is this (stale) row instead of the current one.
    pub stale_cache: HashMap<Uuid, Row>,
    /// Atoms cached without TTL.
    pub no_ttl: HashSet<Uuid>,
    pub extra_nodes: Vec<GraphNode>,
    pub extra_edges: Vec<GraphEdge>,
    pub extra_objects: Vec<StoredObject>,
}

/// How many of each fault a faulty tenant gets.
struct Quota {
    lag_atoms: usize,
    lag_molecules: usize,
    stale: usize,
    no_ttl: usize,
    orphan_atom_node: bool,
    deleted_molecule_node: bool,
    deleted_document_node: bool,
    cross_tenant_edge: bool,
    orphan_object: bool,
}

fn quota(slug: &str) -> Option<Quota> {
    match slug {
        FAULTY_ROW_TENANT => Some(Quota {
            lag_atoms: 1,
            lag_molecules: 1,
            stale: 2,
            no_ttl: 2,
            orphan_atom_node: true,
            deleted_molecule_node: true,
            deleted_document_node: false,
            cross_tenant_edge: true,
            orphan_object: true,
        }),
        FAULTY_SCHEMA_TENANT => Some(Quota {
            lag_atoms: 1,
            lag_molecules: 0,
            stale: 1,
            no_ttl: 1,
            orphan_atom_node: false,
            deleted_molecule_node: false,
            deleted_document_node: true,
            cross_tenant_edge: false,
            orphan_object: false,
        }),
        _ => None,
    }
}

/// Whether this tenant holds planted faults (its data must be generated with history).
pub fn is_faulty(slug: &str) -> bool {
    quota(slug).is_some()
}

fn fault(kind: FaultKind, slug: &str, store: &str, subject: String, note: String) -> PlantedFault {
    PlantedFault {
        kind,
        tenant_slug: slug.to_owned(),
        store: store.to_owned(),
        subject,
        note,
    }
}

/// Plans the faults of one tenant (empty for consistent tenants). `td` must have been generated
/// with history. Deterministic in (seed, tenant data).
pub fn plan(seed: u64, td: &TenantData, tenant_ids: &HashMap<String, Uuid>) -> FaultPlan {
    let mut p = FaultPlan::default();
    let Some(q) = quota(&td.tenant.slug) else {
        return p;
    };
    let slug = td.tenant.slug.as_str();
    let t = &td.tenant;
    let mut rng = rng::stream(seed, &format!("faults/{slug}"));

    // Live aggregates whose last event is an Updated (every live one has at least one update).
    let candidates = |entity: EntityType| -> Vec<usize> {
        td.aggregates
            .iter()
            .enumerate()
            .filter(|(_, a)| a.entity == entity && a.row.is_some() && a.prev_row.is_some())
            .map(|(i, _)| i)
            .collect()
    };
    let atoms = candidates(EntityType::Atom);
    let picked = choose_distinct(&mut rng, &atoms, q.lag_atoms + q.stale + q.no_ttl);
    let (lag_atoms, rest) = picked.split_at(q.lag_atoms.min(picked.len()));
    let (stale, no_ttl) = rest.split_at(q.stale.min(rest.len()));
    let lag_molecules =
        choose_distinct(&mut rng, &candidates(EntityType::Molecule), q.lag_molecules);

    for &i in lag_atoms.iter().chain(&lag_molecules) {
        let a = &td.aggregates[i];
        p.lagged.insert(a.id);
        p.faults.push(fault(
            FaultKind::ReadModelLag,
            slug,
            "postgres",
            a.id.to_string(),
            format!(
                "{} row is at version {} of {} events: the last {}Updated is not applied",
                a.entity.aggregate_type(),
                a.event_count - 1,
                a.event_count,
                a.entity.event_prefix()
            ),
        ));
    }
    for &i in stale {
        let a = &td.aggregates[i];
        if let Some(prev) = &a.prev_row {
            p.stale_cache.insert(a.id, prev.clone());
        }
        p.faults.push(fault(
            FaultKind::StaleCache,
            slug,
            "redis",
            t.atom_cache_key(a.id),
            format!(
                "cached atom is version {} but the row is version {}",
                a.event_count - 1,
                a.event_count
            ),
        ));
    }
    for &i in no_ttl {
        let a = &td.aggregates[i];
        p.no_ttl.insert(a.id);
        p.faults.push(fault(
            FaultKind::CacheKeyWithoutTtl,
            slug,
            "redis",
            t.atom_cache_key(a.id),
            "atom cache key has no TTL (the profile makes TTL mandatory)".into(),
        ));
    }

    if q.orphan_atom_node {
        let id = rng::uuid(&mut rng);
        p.extra_nodes.push(GraphNode::new(
            "Atom",
            id,
            t.id,
            "orphan-atom",
            "NumberAtom",
        ));
        p.faults.push(fault(
            FaultKind::GraphNodeWithoutRow,
            slug,
            "graph",
            id.to_string(),
            "Atom node with no atoms row and no events".into(),
        ));
    }
    for (wanted, entity) in [
        (q.deleted_molecule_node, EntityType::Molecule),
        (q.deleted_document_node, EntityType::Document),
    ] {
        if !wanted {
            continue;
        }
        let deleted: Vec<usize> = td
            .aggregates
            .iter()
            .enumerate()
            .filter(|(_, a)| a.entity == entity && a.row.is_none() && a.prev_row.is_some())
            .map(|(i, _)| i)
            .collect();
        if let Some(&i) = choose_distinct(&mut rng, &deleted, 1).first() {
            let a = &td.aggregates[i];
            if let Some(node) = a.prev_row.as_ref().and_then(GraphNode::from_row) {
                p.extra_nodes.push(node);
                p.faults.push(fault(
                    FaultKind::GraphNodeWithoutRow,
                    slug,
                    "graph",
                    a.id.to_string(),
                    format!(
                        "{} node left behind after {}Deleted (no {} row)",
                        entity.label().unwrap_or_default(),
                        entity.event_prefix(),
                        entity.table()
                    ),
                ));
            }
        }
    }

    if q.cross_tenant_edge {
        let molecules: Vec<Uuid> = td
            .live_rows(EntityType::Molecule)
            .map(|r| r.id)
            .filter(|id| !p.lagged.contains(id))
            .collect();
        if let (Some(&from), Some(&other)) = (
            choose_distinct(&mut rng, &molecules, 1).first(),
            tenant_ids.get(BIG_TENANT),
        ) {
            let to = supernode_id(seed);
            p.extra_edges.push(GraphEdge {
                rel: "REQUIRES",
                from_label: "Molecule",
                from_id: from,
                from_tenant: t.id,
                to_label: "Atom",
                to_id: to,
                to_tenant: other,
            });
            p.faults.push(fault(
                FaultKind::CrossTenantRelationship,
                slug,
                "graph",
                from.to_string(),
                format!("(:Molecule {from}) of {slug} -[:REQUIRES]-> (:Atom {to}) of tenant {BIG_TENANT}"),
            ));
        }
    }

    if q.orphan_object {
        let id = rng::uuid(&mut rng);
        let key = format!("{}documents/{id}.md", t.object_prefix());
        let body = format!("# Orphaned draft {id}\n\nThis document has no row in documents.\n");
        p.extra_objects.push(StoredObject {
            key: key.clone(),
            bytes: content::document_bytes("markdown", &body),
        });
        p.faults.push(fault(
            FaultKind::ObjectWithoutRow,
            slug,
            "objects",
            key,
            "object under the documents prefix with no documents row".into(),
        ));
    }
    p
}
