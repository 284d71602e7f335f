//! Graph traversal for the graph screen and the CLI: find nodes of a tenant, expand their
//! neighbourhoods hop by hop, find shortest paths, and turn Cypher results into the same view.
//!
//! Every traversal is tenant-scoped by the profile's tenant property: a hop only leaves from the
//! tenant's nodes. A neighbour of another tenant (or of none) is drawn, marked `foreign`, and its
//! relationship marked a `breach`, but it is never expanded. Labels and relationship types a
//! user names are checked against the graph's own lists (`schema.rs`) and then travel as
//! parameters; only labels from that list or the profile are spliced in, quoted, as `Ident`s.

pub mod expand;
pub mod path;
pub mod schema;
pub mod search;
mod start;
pub mod typed_json;
pub mod values;
mod view;

use serde::{Deserialize, Serialize};

#[cfg(feature = "specta")]
use crate::lookup::JsonValue;

pub use view::ViewBuilder;

/// Longest a traversal statement may run.
pub const STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// Relationships read per hop unless the caller says otherwise, and at most.
pub const DEFAULT_LIMIT: u32 = 500;
pub const MAX_LIMIT: u32 = 5_000;
pub const MAX_HOPS: u8 = 4;
/// A node with more relationships than this is not expanded as part of a wider hop; it is
/// listed as a supernode with its neighbour counts, to be paged through on its own.
pub const DEFAULT_SUPERNODE_DEGREE: u32 = 200;

/// A node as the views draw it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GraphNode {
    /// The server's identity of the node within this view (opaque; Bolt's node id as text).
    pub key: String,
    pub labels: Vec<String>,
    /// The profile's id property, when the node has one.
    pub id: Option<String>,
    /// The profile's tenant property, when the node has one.
    pub tenant: Option<String>,
    /// A short name to draw: the profile's caption property, else the id, else the label.
    pub caption: String,
    /// Every property, as JSON.
    #[cfg_attr(feature = "specta", specta(type = JsonValue))]
    pub properties: serde_json::Value,
    /// Not the scoped tenant's node (another tenant's, or no tenant property at all).
    pub foreign: bool,
    /// Its relationships in all, when read.
    pub degree: Option<u32>,
    /// The profile's entity type whose label the node has, for links to rows, events and keys.
    pub entity_type: Option<String>,
    /// The entity's cache key by the profile's pattern, for the cache viewer.
    pub cache_key: Option<String>,
}

/// A relationship as the views draw it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GraphEdge {
    pub key: String,
    #[serde(rename = "type")]
    pub rel_type: String,
    /// Keys of its start and end node.
    pub source: String,
    pub target: String,
    #[cfg_attr(feature = "specta", specta(type = JsonValue))]
    pub properties: serde_json::Value,
    /// Its two ends belong to different tenants: an isolation breach.
    pub breach: bool,
}

/// How many neighbours a node has by relationship type, direction and neighbour label.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NeighbourCount {
    #[serde(rename = "type")]
    pub rel_type: String,
    /// The relationship leaves the node.
    pub outgoing: bool,
    /// The neighbour's labels, joined by `:`.
    pub label: String,
    pub count: u32,
}

/// A node with more neighbours than a view draws: what it has, and where the next page starts.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Supernode {
    pub node: String,
    pub degree: u32,
    pub counts: Vec<NeighbourCount>,
    /// Its neighbours drawn by this answer.
    pub shown: u32,
    /// `skip` for the next page when this answer paged it; `None` when it was not expanded
    /// (too many neighbours for a wide hop) or no page is left.
    pub next_skip: Option<u32>,
}

/// Nodes and relationships to draw, with what was left out.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GraphView {
    /// The tenant's id the view is scoped to (`None` for an unscoped Cypher query).
    pub tenant: Option<String>,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Paths found, each as its relationships' keys from the first node to the last.
    pub paths: Vec<Vec<String>>,
    pub supernodes: Vec<Supernode>,
    /// A cap was reached: more neighbours exist than were read.
    pub truncated: bool,
    /// What the reader should know (caps, skipped nodes, breaches).
    pub notes: Vec<String>,
    pub elapsed_ms: u32,
}

/// A node named by the user: its id property, and its label when known (else every label the
/// profile's entities use is tried).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NodeRef {
    pub id: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Both,
    Outgoing,
    Incoming,
}

impl Direction {
    /// The relationship pattern between `n` and `m`.
    fn pattern(self) -> &'static str {
        match self {
            Self::Both => "(n)-[r]-(m)",
            Self::Outgoing => "(n)-[r]->(m)",
            Self::Incoming => "(n)<-[r]-(m)",
        }
    }
}

/// The sandbox's graph names, for unit tests of the Cypher built here.
#[cfg(test)]
pub(crate) fn test_spec(search_properties: &[&str]) -> crate::profile::GraphSpec {
    let ident = |s: &str| crate::ident::Ident::parse(s).expect("ident");
    crate::profile::GraphSpec {
        tenant_property: ident("tenantId"),
        id_property: ident("id"),
        database: String::new(),
        caption_property: None,
        search_properties: search_properties.iter().map(|p| ident(p)).collect(),
    }
}
