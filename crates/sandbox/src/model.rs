//! The sandbox platform's vocabulary: tenants, tiers, aggregate types, events and rows.
//!
//! Every name here equals the one in `profiles/sandbox.toml` (tables, columns, labels, event
//! types); the migrations in `migrations/` create exactly these tables and columns.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

/// 2026-01-01T00:00:00Z: every seeded time is this plus a deterministic offset.
pub const BASE_TIME: i64 = 1_767_225_600;

/// Time to live of cached atoms and the longest session TTL, in seconds. Thirty days: long
/// enough that a sandbox seeded once stays browsable (and its planted faults stay the only
/// keys without a TTL) across sessions, while every entity key still carries a TTL.
pub const ATOM_CACHE_TTL: u64 = 30 * 24 * 3600;

/// A tenant's isolation tier, as stored in `tenants.tier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    Row,
    Schema,
    Database,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Row => "row",
            Tier::Schema => "schema",
            Tier::Database => "database",
        }
    }
}

/// How much data a tenant gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantShape {
    pub atoms: usize,
    pub molecules: usize,
    pub documents: usize,
    pub annotations: usize,
    pub sessions: usize,
    /// The first atom is a supernode: every molecule REQUIRES it.
    pub supernode: bool,
    /// If > 0, the second atom gets this many events (1 Created + n-1 Updated).
    pub hot_aggregate_events: usize,
}

/// One tenant of the sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    pub index: usize,
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub tier: Tier,
    /// Unix seconds.
    pub created_at: i64,
    pub shape: TenantShape,
}

impl Tenant {
    /// `tenant_<slug>` for schema-tier tenants.
    pub fn schema_name(&self) -> String {
        format!("tenant_{}", self.slug)
    }
    /// `storelens_tenant_<slug>` for database-tier tenants.
    pub fn database_name(&self) -> String {
        format!("storelens_tenant_{}", self.slug)
    }
    /// `tenant-<slug>/`: the tenant's prefix in the shared bucket.
    pub fn object_prefix(&self) -> String {
        format!("tenant-{}/", self.slug)
    }
    /// `tenant:<id>:`: every Redis key of the tenant starts with this.
    pub fn cache_prefix(&self) -> String {
        format!("tenant:{}:", self.id)
    }
    /// `tenant:<tenant id>:atom:<atom id>`.
    pub fn atom_cache_key(&self, atom_id: Uuid) -> String {
        format!("tenant:{}:atom:{}", self.id, atom_id)
    }
}

/// An aggregate type; the lowercase name is the profile's entity `type` and `aggregate_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Atom,
    Molecule,
    Document,
    Annotation,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Atom,
        EntityType::Molecule,
        EntityType::Document,
        EntityType::Annotation,
    ];

    /// `knowledge_events.aggregate_type` value.
    pub fn aggregate_type(self) -> &'static str {
        match self {
            EntityType::Atom => "atom",
            EntityType::Molecule => "molecule",
            EntityType::Document => "document",
            EntityType::Annotation => "annotation",
        }
    }

    pub fn from_aggregate_type(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.aggregate_type() == s)
    }

    /// Read-model table.
    pub fn table(self) -> &'static str {
        match self {
            EntityType::Atom => "atoms",
            EntityType::Molecule => "molecules",
            EntityType::Document => "documents",
            EntityType::Annotation => "annotations",
        }
    }

    /// Graph label, for the types projected into the graph.
    pub fn label(self) -> Option<&'static str> {
        match self {
            EntityType::Atom => Some("Atom"),
            EntityType::Molecule => Some("Molecule"),
            EntityType::Document => Some("Document"),
            EntityType::Annotation => None,
        }
    }

    /// Prefix of event type names: `Atom` in `AtomCreated`.
    pub fn event_prefix(self) -> &'static str {
        match self {
            EntityType::Atom => "Atom",
            EntityType::Molecule => "Molecule",
            EntityType::Document => "Document",
            EntityType::Annotation => "Annotation",
        }
    }

    /// The state columns (event payload keys), without id, tenant_id, version and times.
    pub fn state_columns(self) -> &'static [&'static str] {
        match self {
            EntityType::Atom => &[
                "atom_type",
                "name",
                "description",
                "text_value",
                "number_value",
                "boolean_value",
                "date_value",
                "json_value",
                "confidence",
                "source",
            ],
            EntityType::Molecule => &[
                "molecule_type",
                "name",
                "root_atom_id",
                "atom_ids",
                "required_atom_ids",
                "conflicts_with_molecules",
                "implements_code_refs",
                "configuration",
                "validation_rules",
                "enforcement_level",
            ],
            EntityType::Document => &[
                "title",
                "path",
                "format",
                "mime_type",
                "content",
                "content_hash",
                "storage_backend",
                "storage_reference",
            ],
            EntityType::Annotation => &[
                "document_id",
                "target_type",
                "start_offset",
                "end_offset",
                "css_selector",
                "knowledge_type",
                "knowledge_id",
                "layer",
                "confidence",
                "source",
                "style",
                "validated_by",
                "validated_at",
            ],
        }
    }

    /// Every column of the read-model table, in table order.
    pub fn columns(self) -> Vec<&'static str> {
        let mut cols = vec!["id", "tenant_id"];
        cols.extend_from_slice(self.state_columns());
        cols.extend_from_slice(&["version", "created_at", "updated_at"]);
        cols
    }
}

/// What an event does to its aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Created,
    Updated,
    Deleted,
}

impl EventKind {
    pub fn suffix(self) -> &'static str {
        match self {
            EventKind::Created => "Created",
            EventKind::Updated => "Updated",
            EventKind::Deleted => "Deleted",
        }
    }

    /// Classifies an event type name by the profile's `*Created` / `*Updated` / `*Deleted`.
    pub fn from_event_type(event_type: &str) -> Option<Self> {
        [EventKind::Created, EventKind::Updated, EventKind::Deleted]
            .into_iter()
            .find(|k| event_type.ends_with(k.suffix()))
    }
}

/// One row of `knowledge_events` (without `sequence`, which the database assigns in insert order).
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub entity: EntityType,
    pub kind: EventKind,
    pub aggregate_id: Uuid,
    /// `event_data`, serialized JSON.
    pub data: Box<str>,
    /// `metadata`, serialized JSON.
    pub metadata: Box<str>,
    pub causation_id: Option<Uuid>,
    pub correlation_id: Uuid,
    pub user_id: Uuid,
    /// Unix seconds.
    pub occurred_at: i64,
}

impl Event {
    pub fn event_type(&self) -> String {
        format!("{}{}", self.entity.event_prefix(), self.kind.suffix())
    }
}

/// A read-model row: every column of the entity's table, as JSON (null where absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub entity: EntityType,
    pub id: Uuid,
    pub json: Map<String, Value>,
}

impl Row {
    pub fn get_str(&self, column: &str) -> Option<&str> {
        self.json.get(column).and_then(Value::as_str)
    }

    pub fn get_uuid(&self, column: &str) -> Option<Uuid> {
        self.get_str(column).and_then(|s| Uuid::parse_str(s).ok())
    }

    pub fn get_uuids(&self, column: &str) -> Vec<Uuid> {
        self.json
            .get(column)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn get_strs(&self, column: &str) -> Vec<String> {
        self.json
            .get(column)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The row as one JSON object string (the cached form).
    pub fn to_json_string(&self) -> String {
        Value::Object(self.json.clone()).to_string()
    }
}

/// A timestamp as PostgreSQL's `to_jsonb(timestamptz)` prints it in UTC (whole seconds).
pub fn ts(unix_seconds: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Parses a timestamp (RFC 3339 or PostgreSQL text form) to unix seconds.
pub fn parse_ts(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%#z"))
        .ok()
        .map(|d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_print_like_postgres_utc() {
        assert_eq!(ts(BASE_TIME), "2026-01-01T00:00:00+00:00");
        assert_eq!(parse_ts("2026-01-01T00:00:05+00:00"), Some(BASE_TIME + 5));
        assert_eq!(parse_ts("2026-01-01 00:00:05+00"), Some(BASE_TIME + 5));
    }

    #[test]
    fn event_types_classify_by_suffix() {
        assert_eq!(
            EventKind::from_event_type("AtomCreated"),
            Some(EventKind::Created)
        );
        assert_eq!(
            EventKind::from_event_type("MoleculeUpdated"),
            Some(EventKind::Updated)
        );
        assert_eq!(
            EventKind::from_event_type("DocumentDeleted"),
            Some(EventKind::Deleted)
        );
        assert_eq!(EventKind::from_event_type("Whatever"), None);
    }

    #[test]
    fn columns_start_with_id_and_tenant() {
        for e in EntityType::ALL {
            let cols = e.columns();
            assert_eq!(&cols[..2], &["id", "tenant_id"]);
            assert_eq!(cols.last(), Some(&"updated_at"));
        }
    }
}
