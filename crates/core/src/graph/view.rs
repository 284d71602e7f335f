//! Collects nodes and relationships from Bolt answers into one [`GraphView`]: each node and
//! relationship once, nodes named by the profile (id, tenant, caption, entity, cache key), and
//! at the end every relationship whose two ends belong to different tenants marked a breach.

use std::collections::{HashMap, HashSet};

use neo4rs::{BoltNode, BoltPath, BoltRelation, BoltType, BoltUnboundedRelation};

use super::values::{map_json, property_text};
use super::{GraphEdge, GraphNode, GraphView, Supernode};
use crate::error::Result;
use crate::profile::{fill_pattern, GraphSpec, PatternVars, Profile};

pub struct ViewBuilder<'a> {
    profile: &'a Profile,
    spec: &'a GraphSpec,
    tenant: Option<String>,
    nodes: Vec<GraphNode>,
    index: HashMap<String, usize>,
    edges: Vec<GraphEdge>,
    edge_keys: HashSet<String>,
    pub paths: Vec<Vec<String>>,
    pub supernodes: Vec<Supernode>,
    pub truncated: bool,
    pub notes: Vec<String>,
}

impl<'a> ViewBuilder<'a> {
    /// A view scoped to `tenant` (its id), or unscoped.
    pub fn new(profile: &'a Profile, tenant: Option<String>) -> Result<Self> {
        Ok(Self {
            profile,
            spec: profile.graph_spec()?,
            tenant,
            nodes: Vec::new(),
            index: HashMap::new(),
            edges: Vec::new(),
            edge_keys: HashSet::new(),
            paths: Vec::new(),
            supernodes: Vec::new(),
            truncated: false,
            notes: Vec::new(),
        })
    }

    /// Adds a node (once) and returns it.
    pub fn node(&mut self, n: &BoltNode) -> &mut GraphNode {
        let key = n.id.value.to_string();
        let at = match self.index.get(&key) {
            Some(at) => *at,
            None => {
                let node = self.describe(key.clone(), n);
                self.nodes.push(node);
                self.index.insert(key, self.nodes.len() - 1);
                self.nodes.len() - 1
            }
        };
        &mut self.nodes[at]
    }

    pub fn node_mut(&mut self, key: &str) -> Option<&mut GraphNode> {
        self.index.get(key).map(|at| &mut self.nodes[*at])
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Adds a relationship (once); false when it was already there.
    pub fn relation(&mut self, r: &BoltRelation) -> bool {
        self.edge(
            r.id.value,
            &r.typ.value,
            r.start_node_id.value,
            r.end_node_id.value,
            &r.properties,
        )
    }

    fn unbound(&mut self, r: &BoltUnboundedRelation, start: i64, end: i64) -> String {
        self.edge(r.id.value, &r.typ.value, start, end, &r.properties);
        r.id.value.to_string()
    }

    fn edge(
        &mut self,
        id: i64,
        rel_type: &str,
        start: i64,
        end: i64,
        properties: &neo4rs::BoltMap,
    ) -> bool {
        let key = id.to_string();
        if !self.edge_keys.insert(key.clone()) {
            return false;
        }
        self.edges.push(GraphEdge {
            key,
            rel_type: rel_type.to_owned(),
            source: start.to_string(),
            target: end.to_string(),
            properties: map_json(properties),
            breach: false,
        });
        true
    }

    /// Adds every node, relationship and path inside a value (lists and maps searched too).
    pub fn value(&mut self, v: &BoltType) {
        match v {
            BoltType::Node(n) => {
                self.node(n);
            }
            BoltType::Relation(r) => {
                self.relation(r);
            }
            BoltType::Path(p) => {
                self.path(p);
            }
            BoltType::List(l) => l.value.iter().for_each(|x| self.value(x)),
            BoltType::Map(m) => m.value.values().for_each(|x| self.value(x)),
            _ => {}
        }
    }

    /// Adds a path's nodes and relationships; returns its relationships' keys in order.
    /// Bolt sends a path as its distinct nodes and relationships plus `indices`: pairs of a
    /// relationship index (1-based, negative when walked backwards) and the next node's index.
    pub fn path(&mut self, p: &BoltPath) -> Vec<String> {
        let nodes: Vec<&BoltNode> = p
            .nodes
            .value
            .iter()
            .filter_map(|n| match n {
                BoltType::Node(n) => Some(n),
                _ => None,
            })
            .collect();
        for n in &nodes {
            self.node(n);
        }
        let indices: Vec<i64> = p
            .indices
            .value
            .iter()
            .filter_map(|i| match i {
                BoltType::Integer(i) => Some(i.value),
                _ => None,
            })
            .collect();
        let mut keys = Vec::new();
        let Some(mut previous) = nodes.first().map(|n| n.id.value) else {
            return keys;
        };
        for pair in indices.chunks_exact(2) {
            let (rel, next) = (pair[0], pair[1]);
            let rel_at = usize::try_from(rel.unsigned_abs()).unwrap_or(usize::MAX);
            let Some(BoltType::UnboundedRelation(r)) = p.rels.value.get(rel_at.wrapping_sub(1))
            else {
                break;
            };
            let Some(next) = usize::try_from(next).ok().and_then(|i| nodes.get(i)) else {
                break;
            };
            let next = next.id.value;
            let (start, end) = if rel > 0 {
                (previous, next)
            } else {
                (next, previous)
            };
            keys.push(self.unbound(r, start, end));
            previous = next;
        }
        keys
    }

    fn describe(&self, key: String, n: &BoltNode) -> GraphNode {
        let labels: Vec<String> = n
            .labels
            .value
            .iter()
            .filter_map(|l| match l {
                BoltType::String(s) => Some(s.value.clone()),
                _ => None,
            })
            .collect();
        let id = property_text(&n.properties, self.spec.id_property.as_str());
        let tenant = property_text(&n.properties, self.spec.tenant_property.as_str());
        let caption = self
            .spec
            .caption_property
            .as_ref()
            .and_then(|c| property_text(&n.properties, c.as_str()))
            .or_else(|| id.clone())
            .or_else(|| labels.first().cloned())
            .unwrap_or_default();
        let entity = self.profile.entities.iter().find(|e| {
            e.graph_label
                .as_ref()
                .is_some_and(|l| labels.iter().any(|x| x == l.as_str()))
        });
        let cache_key = entity
            .and_then(|e| e.cache_key.as_deref())
            .zip(id.as_deref())
            .and_then(|(pattern, id)| {
                let vars = PatternVars {
                    tenant_id: tenant.as_deref(),
                    tenant_slug: None,
                    id: Some(id),
                    entity_type: entity.map(|e| e.entity_type.as_str()),
                };
                fill_pattern(pattern, &vars).ok()
            });
        let foreign = self
            .tenant
            .as_deref()
            .is_some_and(|t| tenant.as_deref() != Some(t));
        GraphNode {
            key,
            labels,
            id,
            tenant,
            caption,
            properties: map_json(&n.properties),
            foreign,
            degree: None,
            entity_type: entity.map(|e| e.entity_type.clone()),
            cache_key,
        }
    }

    /// The view: relationships between different tenants marked as breaches; relationships
    /// whose ends are not both in the view left out (and counted in a note).
    pub fn finish(mut self, started: std::time::Instant) -> GraphView {
        let tenants: HashMap<&str, Option<&str>> = self
            .nodes
            .iter()
            .map(|n| (n.key.as_str(), n.tenant.as_deref()))
            .collect();
        let before = self.edges.len();
        let mut breaches = 0;
        let edges: Vec<GraphEdge> = std::mem::take(&mut self.edges)
            .into_iter()
            .filter_map(|mut e| {
                let (s, t) = (
                    tenants.get(e.source.as_str())?,
                    tenants.get(e.target.as_str())?,
                );
                e.breach = s != t;
                breaches += usize::from(e.breach);
                Some(e)
            })
            .collect();
        if edges.len() < before {
            self.notes.push(format!(
                "{} relationships are not drawn: the answer did not include both of their nodes",
                before - edges.len()
            ));
        }
        if breaches > 0 {
            self.notes.push(format!(
                "{breaches} relationship(s) join nodes of different tenants (isolation breach)"
            ));
        }
        GraphView {
            tenant: self.tenant,
            nodes: self.nodes,
            edges,
            paths: self.paths,
            supernodes: self.supernodes,
            truncated: self.truncated,
            notes: self.notes,
            elapsed_ms: crate::tasks::elapsed_ms(started),
        }
    }
}
