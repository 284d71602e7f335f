//! One model for what a check finds wrong with a tenant's data, whichever store and area the
//! check belongs to: the kind, how bad, which stores, what (entity, key or object), the values
//! on each side, and what to do about it. Every check of the tenant audit (`audit/`) produces
//! these, the cache audit included.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::StoreKind;

/// Ordered: `Info < Low < Medium < High < Critical`, so a gate can say "at or above".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "info" => Some(Self::Info),
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A cached entity differs from its read-model row.
    CacheStale,
    /// A cached entity has no read-model row.
    CacheOrphaned,
    /// A key the profile says must expire has no TTL.
    CacheMissingTtl,
    /// A read-model row holds an earlier state of its aggregate: later events are not applied.
    ReadModelLag,
    /// A read-model row holds a state no point of its aggregate's history had.
    ReadModelDrift,
    /// A live aggregate of the log has no read-model row.
    ReadModelMissing,
    /// A read-model row whose aggregate the log deletes, or never mentions.
    ReadModelOrphaned,
    /// A graph node of an entity label with no read-model row.
    GraphNodeWithoutRow,
    /// A read-model row of an entity with a graph label but no node.
    RowWithoutGraphNode,
    /// A relationship between this tenant's node and another tenant's (or an untenanted) node.
    CrossTenantRelationship,
    /// An object under an entity's prefix with no row.
    ObjectWithoutRow,
    /// A row whose object key names an object that is not there.
    RowWithoutObject,
    /// This tenant's data under another tenant's key prefix or object prefix.
    IsolationBreach,
    /// An email address, token or key in a graph property or cached value.
    SensitiveValue,
    /// No verified backup of the tenant, or the newest is older than the profile allows.
    BackupMissingOrOld,
}

impl FindingKind {
    /// The severity a finding of this kind has unless its check says otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Self::CacheStale | Self::ReadModelDrift | Self::ReadModelMissing => Severity::High,
            Self::CacheOrphaned
            | Self::CacheMissingTtl
            | Self::ReadModelLag
            | Self::ReadModelOrphaned
            | Self::GraphNodeWithoutRow
            | Self::RowWithoutGraphNode
            | Self::ObjectWithoutRow
            | Self::BackupMissingOrOld => Severity::Medium,
            Self::RowWithoutObject | Self::SensitiveValue => Severity::High,
            Self::CrossTenantRelationship | Self::IsolationBreach => Severity::Critical,
        }
    }
}

/// One side of a finding: what a store holds at a location.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub store: StoreKind,
    /// The table and id, the node, the key, the object.
    pub location: String,
    #[cfg_attr(feature = "specta", specta(type = Option<crate::lookup::JsonValue>))]
    pub value: Option<Value>,
    /// The exact key, when the location is a cache key (its text may escape bytes).
    pub key: Option<crate::cache::KeyName>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub stores: Vec<StoreKind>,
    /// What is wrong: an entity id, a cache key, an object key.
    pub subject: String,
    /// The entity type, when the subject is an entity.
    pub entity_type: Option<String>,
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub remedy: String,
}

impl Finding {
    pub fn new(kind: FindingKind, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            severity: kind.default_severity(),
            stores: Vec::new(),
            subject: subject.into(),
            entity_type: None,
            message: message.into(),
            evidence: Vec::new(),
            remedy: String::new(),
        }
    }

    pub fn evidence(
        mut self,
        store: StoreKind,
        location: impl Into<String>,
        value: Option<Value>,
    ) -> Self {
        if !self.stores.contains(&store) {
            self.stores.push(store);
        }
        self.evidence.push(Evidence {
            store,
            location: location.into(),
            value,
            key: None,
        });
        self
    }

    /// Evidence from a cache key: its text as the location, and the key itself.
    pub fn key_evidence(mut self, key: &[u8], value: Option<Value>) -> Self {
        let name = crate::cache::KeyName::from_bytes(key);
        self = self.evidence(StoreKind::Redis, name.text.clone(), value);
        if let Some(last) = self.evidence.last_mut() {
            last.key = Some(name);
        }
        self
    }

    pub fn remedy(mut self, remedy: impl Into<String>) -> Self {
        self.remedy = remedy.into();
        self
    }

    pub fn entity_type(mut self, entity_type: impl Into<String>) -> Self {
        self.entity_type = Some(entity_type.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_key_evidence_keeps_the_exact_key() {
        let f = Finding::new(FindingKind::CacheMissingTtl, "k", "m").key_evidence(b"t:\xff", None);
        let e = &f.evidence[0];
        assert_eq!(
            (e.store, e.location.as_str()),
            (StoreKind::Redis, "t:\\xff")
        );
        let key = e.key.as_ref().map(|k| k.to_bytes().ok());
        assert_eq!(key, Some(Some(b"t:\xff".to_vec())));
        assert_eq!(f.stores, [StoreKind::Redis]);
    }

    #[test]
    fn severities_order_from_info_to_critical() {
        assert!(Severity::Info < Severity::Low && Severity::High < Severity::Critical);
        assert_eq!(Severity::parse(" HIGH "), Some(Severity::High));
        assert_eq!(Severity::parse("urgent"), None);
    }
}
