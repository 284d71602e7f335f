//! The platform profile: how one platform names its tables, columns, labels, keys and buckets.
//!
//! Nothing in core names a platform's things directly; every adapter asks the profile. The
//! built-in default describes the sandbox platform (`profiles/sandbox.toml`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ident::Ident;

/// The sandbox platform's profile, compiled in so the default needs no file.
pub const SANDBOX_PROFILE_TOML: &str = include_str!("../../../profiles/sandbox.toml");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub tenants: TenantsSpec,
    #[serde(default)]
    pub entities: Vec<EntitySpec>,
    pub events: Option<EventsSpec>,
    pub graph: Option<GraphSpec>,
    pub cache: Option<CacheSpec>,
    pub objects: Option<ObjectsSpec>,
    #[serde(default)]
    pub audit: AuditSpec,
}

/// What the tenant audit holds the platform to, beyond what the other sections imply.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuditSpec {
    /// Stores whose values must not hold email addresses, tokens or keys: `graph`, `cache`.
    #[serde(default)]
    pub no_sensitive_values_in: Vec<SensitiveStore>,
    /// The newest verified backup of a tenant must be at most this old; unset: not required
    /// (the audit still says how old it is).
    pub backup_max_age_hours: Option<u32>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveStore {
    Graph,
    Cache,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TenantsSpec {
    #[serde(default = "public")]
    pub schema: Ident,
    pub table: Ident,
    pub id_column: Ident,
    pub slug_column: Ident,
    pub name_column: Option<Ident>,
    pub tier_column: Option<Ident>,
    pub created_at_column: Option<Ident>,
    /// How the tier column's values map to tiers, when they are not `row`/`schema`/`database`.
    #[serde(default)]
    pub tier_values: TierValues,
    #[serde(default)]
    pub tiers: TiersSpec,
}

/// The platform's own words for each tier, e.g. `row = ["shared"]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TierValues {
    #[serde(default = "row_words")]
    pub row: Vec<String>,
    #[serde(default = "schema_words")]
    pub schema: Vec<String>,
    #[serde(default = "database_words")]
    pub database: Vec<String>,
}

impl Default for TierValues {
    fn default() -> Self {
        Self {
            row: row_words(),
            schema: schema_words(),
            database: database_words(),
        }
    }
}

fn row_words() -> Vec<String> {
    vec!["row".into()]
}

fn schema_words() -> Vec<String> {
    vec!["schema".into()]
}

fn database_words() -> Vec<String> {
    vec!["database".into()]
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TiersSpec {
    pub row: Option<RowTierSpec>,
    pub schema: Option<SchemaTierSpec>,
    pub database: Option<DatabaseTierSpec>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RowTierSpec {
    #[serde(default = "public")]
    pub schema: Ident,
    pub tenant_column: Ident,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SchemaTierSpec {
    pub schema_pattern: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DatabaseTierSpec {
    pub database_pattern: Option<String>,
    #[serde(default = "public")]
    pub schema: Ident,
    #[serde(default = "public")]
    pub shard_schema: Ident,
    pub shard_table: Option<Ident>,
    pub shard_tenant_column: Option<Ident>,
    pub shard_host_column: Option<Ident>,
    pub shard_database_column: Option<Ident>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntitySpec {
    #[serde(rename = "type")]
    pub entity_type: String,
    pub table: Ident,
    pub id_column: Ident,
    pub graph_label: Option<Ident>,
    pub cache_key: Option<String>,
    pub object_prefix: Option<String>,
    pub object_key_column: Option<Ident>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventsSpec {
    pub table: Ident,
    pub id_column: Option<Ident>,
    pub tenant_column: Option<Ident>,
    pub aggregate_type_column: Ident,
    pub aggregate_id_column: Ident,
    pub event_type_column: Ident,
    pub payload_column: Ident,
    pub time_column: Ident,
    pub sequence_column: Option<Ident>,
    pub causation_column: Option<Ident>,
    pub correlation_column: Option<Ident>,
    pub actor_column: Option<Ident>,
    #[serde(default)]
    pub semantics: EventSemantics,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventSemantics {
    pub create: Vec<String>,
    pub update: Vec<String>,
    pub delete: Vec<String>,
    #[serde(default)]
    pub update_mode: UpdateMode,
}

impl Default for EventSemantics {
    fn default() -> Self {
        Self {
            create: vec!["*Created".into()],
            update: vec!["*Updated".into()],
            delete: vec!["*Deleted".into()],
            update_mode: UpdateMode::MergePatch,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UpdateMode {
    /// RFC 7396 JSON merge patch.
    #[default]
    MergePatch,
    /// The payload is the whole new state.
    Replace,
}

/// What an event type does to its aggregate, per the profile's semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Create,
    Update,
    Delete,
    /// Not a state change the profile knows about; folded as a no-op.
    Other,
}

impl EventSemantics {
    pub fn classify(&self, event_type: &str) -> EventKind {
        let hit =
            |patterns: &[String]| patterns.iter().any(|p| type_pattern_matches(p, event_type));
        if hit(&self.create) {
            EventKind::Create
        } else if hit(&self.delete) {
            EventKind::Delete
        } else if hit(&self.update) {
            EventKind::Update
        } else {
            EventKind::Other
        }
    }
}

/// `*` may stand at either end of a pattern; anything else matches exactly.
fn type_pattern_matches(pattern: &str, value: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(suffix), _) if !suffix.is_empty() => value.ends_with(suffix),
        (_, Some(prefix)) => value.starts_with(prefix),
        _ => pattern == value,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GraphSpec {
    pub tenant_property: Ident,
    pub id_property: Ident,
    #[serde(default)]
    pub database: String,
    /// The property a node is drawn by (else its id).
    #[serde(default)]
    pub caption_property: Option<Ident>,
    /// Properties a search matches by substring, besides the exact id.
    #[serde(default)]
    pub search_properties: Vec<Ident>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    pub tenant_prefix: String,
    #[serde(default = "colon")]
    pub delimiter: String,
    #[serde(default)]
    pub ttl_mandatory: Vec<String>,
    pub pubsub_channel: Option<String>,
    pub update_stream: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObjectsSpec {
    pub layout: ObjectLayout,
    /// The shared bucket (layout `shared`), or the per-tenant bucket pattern (`per_tenant`).
    pub bucket: String,
    #[serde(default)]
    pub tenant_prefix: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ObjectLayout {
    Shared,
    PerTenant,
}

fn public() -> Ident {
    Ident::new_static("public")
}

fn colon() -> String {
    ":".into()
}

/// Values a pattern placeholder can be filled with.
#[derive(Debug, Clone, Default)]
pub struct PatternVars<'a> {
    pub tenant_id: Option<&'a str>,
    pub tenant_slug: Option<&'a str>,
    pub id: Option<&'a str>,
    pub entity_type: Option<&'a str>,
}

/// Fills `{tenant_id}`, `{tenant_slug}`, `{id}` and `{type}` in a profile pattern.
/// An unknown placeholder, or one without a value, is an error rather than a silent literal.
pub fn fill_pattern(pattern: &str, vars: &PatternVars<'_>) -> Result<String> {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or_else(|| {
            Error::Profile(format!("unclosed placeholder in pattern {pattern:?}"))
        })?;
        let name = &after[..end];
        let value = match name {
            "tenant_id" => vars.tenant_id,
            "tenant_slug" => vars.tenant_slug,
            "id" => vars.id,
            "type" => vars.entity_type,
            other => {
                return Err(Error::Profile(format!(
                    "unknown placeholder {{{other}}} in pattern {pattern:?}"
                )))
            }
        };
        let value = value.ok_or_else(|| {
            Error::Profile(format!(
                "placeholder {{{name}}} has no value in pattern {pattern:?}"
            ))
        })?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn missing_section(section: &str) -> Error {
    Error::NotFound(format!("the profile has no [{section}] section"))
}

/// What the UI needs to know of a profile: the entity types and the names it shows or offers
/// in query placeholders.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub name: String,
    pub description: String,
    pub entities: Vec<EntitySummary>,
    pub events_table: Option<String>,
    pub graph_tenant_property: Option<String>,
    pub cache_tenant_prefix: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EntitySummary {
    pub entity_type: String,
    pub table: String,
    pub id_column: String,
    pub graph_label: Option<String>,
    pub cache_key: Option<String>,
}

impl Profile {
    /// The `[events]` section, or `not_found`.
    pub fn events_spec(&self) -> Result<&EventsSpec> {
        self.events
            .as_ref()
            .ok_or_else(|| missing_section("events"))
    }

    /// The `[graph]` section, or `not_found` (the store is "not configured" for this profile).
    pub fn graph_spec(&self) -> Result<&GraphSpec> {
        self.graph.as_ref().ok_or_else(|| missing_section("graph"))
    }

    pub fn cache_spec(&self) -> Result<&CacheSpec> {
        self.cache.as_ref().ok_or_else(|| missing_section("cache"))
    }

    pub fn objects_spec(&self) -> Result<&ObjectsSpec> {
        self.objects
            .as_ref()
            .ok_or_else(|| missing_section("objects"))
    }

    pub fn summary(&self) -> ProfileSummary {
        ProfileSummary {
            name: self.name.clone(),
            description: self.description.clone(),
            entities: self
                .entities
                .iter()
                .map(|e| EntitySummary {
                    entity_type: e.entity_type.clone(),
                    table: e.table.to_string(),
                    id_column: e.id_column.to_string(),
                    graph_label: e.graph_label.as_ref().map(ToString::to_string),
                    cache_key: e.cache_key.clone(),
                })
                .collect(),
            events_table: self.events.as_ref().map(|e| e.table.to_string()),
            graph_tenant_property: self.graph.as_ref().map(|g| g.tenant_property.to_string()),
            cache_tenant_prefix: self.cache.as_ref().map(|c| c.tenant_prefix.clone()),
        }
    }

    /// The built-in sandbox profile.
    pub fn sandbox() -> Self {
        // The embedded file is covered by a unit test, so this cannot fail at run time.
        Self::from_toml(SANDBOX_PROFILE_TOML).unwrap_or_else(|e| panic!("built-in profile: {e}"))
    }

    pub fn from_toml(text: &str) -> Result<Self> {
        let profile: Profile =
            toml::from_str(text).map_err(|e| Error::Profile(e.message().to_string()))?;
        profile.validate()?;
        Ok(profile)
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Profile(format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml(&text).map_err(|e| Error::Profile(format!("{}: {e}", path.display())))
    }

    pub fn entity(&self, entity_type: &str) -> Option<&EntitySpec> {
        self.entities.iter().find(|e| e.entity_type == entity_type)
    }

    /// Checks what serde cannot: patterns only use known placeholders, entity types are unique.
    fn validate(&self) -> Result<()> {
        let mut seen = BTreeMap::new();
        for entity in &self.entities {
            if seen.insert(entity.entity_type.as_str(), ()).is_some() {
                return Err(Error::Profile(format!(
                    "entity type {:?} is declared twice",
                    entity.entity_type
                )));
            }
        }
        let all = PatternVars {
            tenant_id: Some("t"),
            tenant_slug: Some("s"),
            id: Some("i"),
            entity_type: Some("y"),
        };
        let mut patterns: Vec<&str> = Vec::new();
        if let Some(s) = &self.tenants.tiers.schema {
            patterns.push(&s.schema_pattern);
        }
        if let Some(d) = &self.tenants.tiers.database {
            patterns.extend(d.database_pattern.as_deref());
        }
        for e in &self.entities {
            patterns.extend(e.cache_key.as_deref());
            patterns.extend(e.object_prefix.as_deref());
        }
        if let Some(c) = &self.cache {
            patterns.push(&c.tenant_prefix);
            patterns.extend(c.ttl_mandatory.iter().map(String::as_str));
            patterns.extend(c.pubsub_channel.as_deref());
            patterns.extend(c.update_stream.as_deref());
        }
        if let Some(o) = &self.objects {
            patterns.push(&o.bucket);
            patterns.push(&o.tenant_prefix);
        }
        for p in patterns {
            fill_pattern(p, &all)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_profile_parses() {
        let p = Profile::sandbox();
        assert_eq!(p.name, "sandbox");
        assert_eq!(
            p.entity("atom")
                .and_then(|e| e.graph_label.as_ref())
                .map(Ident::as_str),
            Some("Atom")
        );
        assert!(p
            .tenants
            .tiers
            .database
            .as_ref()
            .and_then(|d| d.shard_table.as_ref())
            .is_some());
    }

    fn check_fill(pattern: &str, expect: std::result::Result<&str, &str>) {
        let vars = PatternVars {
            tenant_id: Some("T1"),
            tenant_slug: Some("acme"),
            id: Some("42"),
            entity_type: None,
        };
        match (fill_pattern(pattern, &vars), expect) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "pattern {pattern}"),
            (Err(e), Err(want)) => assert!(e.to_string().contains(want), "{e} lacks {want}"),
            (got, want) => panic!("pattern {pattern}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn fills_patterns() {
        check_fill("tenant:{tenant_id}:atom:{id}", Ok("tenant:T1:atom:42"));
        check_fill("tenant_{tenant_slug}", Ok("tenant_acme"));
        check_fill("plain", Ok("plain"));
        check_fill("x{type}", Err("has no value"));
        check_fill("x{nope}", Err("unknown placeholder"));
        check_fill("x{tenant_id", Err("unclosed"));
    }

    #[test]
    fn classifies_event_types() {
        let s = EventSemantics::default();
        assert_eq!(s.classify("AtomCreated"), EventKind::Create);
        assert_eq!(s.classify("AtomUpdated"), EventKind::Update);
        assert_eq!(s.classify("AtomDeleted"), EventKind::Delete);
        assert_eq!(s.classify("AtomViewed"), EventKind::Other);
    }

    #[test]
    fn rejects_bad_identifiers_and_unknown_fields() {
        let bad =
            SANDBOX_PROFILE_TOML.replace("table = \"atoms\"", "table = \"atoms; drop table x\"");
        assert!(Profile::from_toml(&bad).is_err());
        let unknown = format!("{SANDBOX_PROFILE_TOML}\n[surprise]\nx = 1\n");
        assert!(Profile::from_toml(&unknown).is_err());
    }
}

#[cfg(test)]
mod readme_example {
    /// The commented example in the README is a real, loadable profile.
    #[test]
    fn readme_profile_example_parses() {
        let readme = include_str!("../../../README.md");
        let start = readme.find("```toml\n").expect("README has a toml block") + "```toml\n".len();
        let end = start + readme[start..].find("```").expect("closed block");
        let profile =
            super::Profile::from_toml(&readme[start..end]).expect("README example parses");
        assert_eq!(profile.name, "acme-platform");
        assert_eq!(
            profile.objects.map(|o| o.layout),
            Some(super::ObjectLayout::PerTenant)
        );
    }
}
