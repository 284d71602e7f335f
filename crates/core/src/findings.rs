//! One model for what a check finds wrong with a tenant's data, whichever store and area the
//! check belongs to: the kind, how bad, which stores, what (entity, key or object), the values
//! on each side, and what to do about it. Cache audits produce these now; graph, time-travel,
//! object and backup checks feed the same model, and the tenant audit gathers them.

use serde::Serialize;
use serde_json::Value;

use crate::error::StoreKind;

/// Ordered: `Info < Low < Medium < High < Critical`, so a gate can say "at or above".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A cached entity differs from its read-model row.
    CacheStale,
    /// A cached entity has no read-model row.
    CacheOrphaned,
    /// A key the profile says must expire has no TTL.
    CacheMissingTtl,
}

impl FindingKind {
    /// The severity a finding of this kind has unless its check says otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Self::CacheStale => Severity::High,
            Self::CacheOrphaned => Severity::Medium,
            Self::CacheMissingTtl => Severity::Medium,
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
