//! Projections of a tenant's read model into the other stores: graph nodes and relationships,
//! Redis entries, and objects. Each is derived from the rows as stored (so a lagging row is
//! projected as it is), then the tenant's fault plan adds its deliberate drift.

use std::collections::BTreeSet;

use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::content;
use crate::faults::FaultPlan;
use crate::generate::TenantData;
use crate::model::{EntityType, Row, ATOM_CACHE_TTL};
use crate::rng;

/// The rows stored in PostgreSQL: the fold of every live aggregate, or the previous fold for a
/// planted lag.
pub fn stored_rows<'a>(
    td: &'a TenantData,
    plan: &'a FaultPlan,
) -> impl Iterator<Item = &'a Row> + 'a {
    td.aggregates.iter().filter_map(move |a| {
        let row = a.row.as_ref()?;
        Some(if plan.lagged.contains(&a.id) {
            a.prev_row.as_ref().unwrap_or(row)
        } else {
            row
        })
    })
}

// ---------- graph ----------

#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub label: &'static str,
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub kind: String,
    /// For Code nodes: the source file and line.
    pub file: Option<String>,
    pub line: Option<i64>,
}

impl GraphNode {
    pub fn new(label: &'static str, id: Uuid, tenant_id: Uuid, name: &str, kind: &str) -> Self {
        GraphNode {
            label,
            id,
            tenant_id,
            name: name.to_owned(),
            kind: kind.to_owned(),
            file: None,
            line: None,
        }
    }

    /// The node of a labelled entity's row: `name` and `type` from the state.
    pub fn from_row(row: &Row) -> Option<Self> {
        let label = row.entity.label()?;
        let (name_col, type_col) = match row.entity {
            EntityType::Atom => ("name", "atom_type"),
            EntityType::Molecule => ("name", "molecule_type"),
            _ => ("title", "format"),
        };
        Some(GraphNode::new(
            label,
            row.id,
            row.get_uuid("tenant_id").unwrap_or_default(),
            row.get_str(name_col).unwrap_or_default(),
            row.get_str(type_col).unwrap_or_default(),
        ))
    }

    /// A `:Code` node for a code reference like `src/tax/module_1.go:45`.
    pub fn code(tenant_id: Uuid, reference: &str) -> Self {
        let (file, line) = reference.rsplit_once(':').unwrap_or((reference, "0"));
        GraphNode {
            file: Some(file.to_owned()),
            line: Some(line.parse().unwrap_or(0)),
            ..GraphNode::new(
                "Code",
                code_node_id(tenant_id, reference),
                tenant_id,
                reference,
                "code",
            )
        }
    }
}

pub fn code_node_id(tenant_id: Uuid, reference: &str) -> Uuid {
    Uuid::new_v5(&tenant_id, reference.as_bytes())
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraphEdge {
    pub rel: &'static str,
    pub from_label: &'static str,
    pub from_id: Uuid,
    pub from_tenant: Uuid,
    pub to_label: &'static str,
    pub to_id: Uuid,
    pub to_tenant: Uuid,
}

pub fn graph(td: &TenantData, plan: &FaultPlan) -> (Vec<GraphNode>, Vec<GraphEdge>) {
    let t = td.tenant.id;
    let mut nodes: Vec<GraphNode> = stored_rows(td, plan)
        .filter_map(GraphNode::from_row)
        .collect();
    let mut edges = Vec::new();
    let mut code_refs = BTreeSet::new();
    let edge = |rel, from_label, from_id, to_label, to_id| GraphEdge {
        rel,
        from_label,
        from_id,
        from_tenant: t,
        to_label,
        to_id,
        to_tenant: t,
    };
    let mut annotates = BTreeSet::new();
    for row in stored_rows(td, plan) {
        match row.entity {
            EntityType::Molecule => {
                for a in row.get_uuids("atom_ids") {
                    edges.push(edge("PART_OF", "Atom", a, "Molecule", row.id));
                }
                for a in row.get_uuids("required_atom_ids") {
                    edges.push(edge("REQUIRES", "Molecule", row.id, "Atom", a));
                }
                for m in row.get_uuids("conflicts_with_molecules") {
                    edges.push(edge("CONFLICTS_WITH", "Molecule", row.id, "Molecule", m));
                }
                for r in row.get_strs("implements_code_refs") {
                    edges.push(edge(
                        "IMPLEMENTS",
                        "Molecule",
                        row.id,
                        "Code",
                        code_node_id(t, &r),
                    ));
                    code_refs.insert(r);
                }
            }
            EntityType::Annotation if row.get_str("knowledge_type") == Some("atom") => {
                if let (Some(d), Some(a)) =
                    (row.get_uuid("document_id"), row.get_uuid("knowledge_id"))
                {
                    annotates.insert((d, a));
                }
            }
            _ => {}
        }
    }
    for (d, a) in annotates {
        edges.push(edge("ANNOTATES", "Document", d, "Atom", a));
    }
    nodes.extend(code_refs.iter().map(|r| GraphNode::code(t, r)));
    nodes.extend(plan.extra_nodes.iter().cloned());
    edges.extend(plan.extra_edges.iter().cloned());
    (nodes, edges)
}

// ---------- cache ----------

#[derive(Debug, Clone, PartialEq)]
pub enum CacheValue {
    String {
        value: String,
        ttl: Option<u64>,
    },
    Hash {
        fields: Vec<(String, String)>,
        ttl: Option<u64>,
    },
    SortedSet {
        members: Vec<(f64, String)>,
    },
    /// Entries with explicit ids (`<ms>-<seq>`), oldest first.
    Stream {
        entries: Vec<(String, Vec<(String, String)>)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CacheEntry {
    pub key: String,
    pub value: CacheValue,
}

const ROUTES: [&str; 4] = ["atoms", "molecules", "documents", "search"];
const RECENT_ATOMS: usize = 50;
const STREAM_ENTRIES: usize = 10;

pub fn cache(seed: u64, td: &TenantData, plan: &FaultPlan) -> Vec<CacheEntry> {
    let t = &td.tenant;
    let p = t.cache_prefix();
    let mut out = Vec::new();
    let mut recent: Vec<(i64, Uuid)> = Vec::new();
    let mut layers: std::collections::BTreeMap<(Uuid, String), Vec<Value>> = Default::default();
    for row in stored_rows(td, plan) {
        match row.entity {
            EntityType::Atom => {
                let cached = plan.stale_cache.get(&row.id).unwrap_or(row);
                let ttl = (!plan.no_ttl.contains(&row.id)).then_some(ATOM_CACHE_TTL);
                out.push(CacheEntry {
                    key: t.atom_cache_key(row.id),
                    value: CacheValue::String {
                        value: cached.to_json_string(),
                        ttl,
                    },
                });
                let updated = row
                    .get_str("updated_at")
                    .and_then(crate::model::parse_ts)
                    .unwrap_or(0);
                recent.push((updated, row.id));
            }
            EntityType::Annotation => {
                if let Some(doc) = row.get_uuid("document_id") {
                    let layer = row.get_str("layer").unwrap_or("atom").to_owned();
                    layers.entry((doc, layer)).or_default().push(json!({
                        "id": row.id,
                        "start": row.json.get("start_offset"),
                        "end": row.json.get("end_offset"),
                        "knowledge_type": row.json.get("knowledge_type"),
                        "knowledge_id": row.json.get("knowledge_id"),
                    }));
                }
            }
            _ => {}
        }
    }
    let mut by_doc: std::collections::BTreeMap<Uuid, Vec<(String, String)>> = Default::default();
    for ((doc, layer), items) in layers {
        by_doc
            .entry(doc)
            .or_default()
            .push((format!("layer:{layer}"), Value::Array(items).to_string()));
    }
    for (doc, fields) in by_doc {
        out.push(CacheEntry {
            key: format!("{p}document:{doc}:annotations"),
            value: CacheValue::Hash { fields, ttl: None },
        });
    }
    recent.sort_by(|a, b| b.cmp(a));
    recent.truncate(RECENT_ATOMS);
    if !recent.is_empty() {
        let members = recent
            .iter()
            .map(|(s, id)| (*s as f64, id.to_string()))
            .collect();
        out.push(CacheEntry {
            key: format!("{p}recent:atoms"),
            value: CacheValue::SortedSet { members },
        });
    }

    let mut rng = rng::stream(seed, &format!("cache/{}", t.slug));
    for _ in 0..t.shape.sessions {
        let sid = rng::uuid(&mut rng);
        let user = td.users[rng.gen_range(0..td.users.len())];
        let started = crate::model::BASE_TIME + rng.gen_range(0..90 * 86_400);
        let fields = vec![
            ("user_id".to_owned(), user.to_string()),
            (
                "persona".to_owned(),
                ["domain_expert", "developer", "product_owner"][rng.gen_range(0..3)].to_owned(),
            ),
            ("started_at".to_owned(), crate::model::ts(started)),
        ];
        let ttl = Some(rng.gen_range(600..=ATOM_CACHE_TTL));
        out.push(CacheEntry {
            key: format!("{p}session:{sid}"),
            value: CacheValue::Hash { fields, ttl },
        });
    }
    for route in ROUTES {
        let value = rng.gen_range(0..500_u32).to_string();
        out.push(CacheEntry {
            key: format!("{p}ratelimit:{route}"),
            value: CacheValue::String { value, ttl: None },
        });
    }

    let mut last: Vec<&crate::model::Event> = td.events.iter().collect();
    last.sort_by_key(|e| e.occurred_at);
    let tail = &last[last.len().saturating_sub(STREAM_ENTRIES)..];
    let mut entries = Vec::new();
    let mut prev = (i64::MIN, 0_u64);
    for e in tail {
        let ms = e.occurred_at * 1000;
        let seq = if ms == prev.0 { prev.1 + 1 } else { 0 };
        prev = (ms, seq);
        entries.push((
            format!("{ms}-{seq}"),
            vec![
                ("event_id".to_owned(), e.id.to_string()),
                ("event_type".to_owned(), e.event_type()),
                (
                    "aggregate_type".to_owned(),
                    e.entity.aggregate_type().to_owned(),
                ),
                ("aggregate_id".to_owned(), e.aggregate_id.to_string()),
            ],
        ));
    }
    if !entries.is_empty() {
        out.push(CacheEntry {
            key: format!("{p}updates:log"),
            value: CacheValue::Stream { entries },
        });
    }
    out
}

// ---------- objects ----------

#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    /// Full key in the bucket, including the tenant prefix.
    pub key: String,
    pub bytes: Vec<u8>,
}

pub fn objects(td: &TenantData, plan: &FaultPlan) -> Vec<StoredObject> {
    let prefix = td.tenant.object_prefix();
    let mut out: Vec<StoredObject> = stored_rows(td, plan)
        .filter(|r| r.entity == EntityType::Document)
        .filter_map(|r| {
            let reference = r.get_str("storage_reference")?;
            let bytes = content::document_bytes(r.get_str("format")?, r.get_str("content")?);
            Some(StoredObject {
                key: format!("{prefix}{reference}"),
                bytes,
            })
        })
        .collect();
    out.extend(plan.extra_objects.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate;
    use crate::tenants;
    use crate::SeedOptions;

    #[test]
    fn consistent_tenant_projects_every_live_aggregate() {
        let opts = SeedOptions::default();
        let t = tenants::list(&opts)
            .into_iter()
            .find(|t| t.slug == "hooli")
            .expect("hooli");
        let td = generate::tenant(opts.rng_seed, &t, false);
        let plan = FaultPlan::default();
        let (nodes, edges) = graph(&td, &plan);
        let live = |e| td.live_rows(e).count();
        let labelled =
            live(EntityType::Atom) + live(EntityType::Molecule) + live(EntityType::Document);
        assert_eq!(nodes.iter().filter(|n| n.label != "Code").count(), labelled);
        let ids: BTreeSet<Uuid> = nodes.iter().map(|n| n.id).collect();
        assert!(edges
            .iter()
            .all(|e| ids.contains(&e.from_id) && ids.contains(&e.to_id)));
        let entries = cache(opts.rng_seed, &td, &plan);
        let atoms = entries.iter().filter(|e| e.key.contains(":atom:")).count();
        assert_eq!(atoms, live(EntityType::Atom));
        assert_eq!(objects(&td, &plan).len(), live(EntityType::Document));
    }
}
