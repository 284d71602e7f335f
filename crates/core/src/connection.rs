//! Named connections: one endpoint per store plus a platform profile, kept in the OS config dir
//! without secrets. Passwords go to the keychain (see `secrets`); a password pasted inside a URL
//! is moved there and stripped from the URL before anything is written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result, StoreKind};
use crate::profile::Profile;

/// The name of the built-in profile.
pub const BUILTIN_PROFILE: &str = "sandbox";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    Disable,
    #[default]
    Prefer,
    Require,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostgresEndpoint {
    pub url: String,
    pub tls: TlsMode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GraphEndpoint {
    /// `bolt://host:port` (or `bolt+s://` for TLS).
    pub url: String,
    pub user: String,
    pub database: Option<String>,
    /// An empty database on the same server that backup verification restores into and
    /// empties again (Neo4j Community has only one database: leave it unset there).
    #[serde(default)]
    pub scratch_database: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedisEndpoint {
    /// One URL for a single node; the seed nodes for a cluster. `rediss://` for TLS.
    pub urls: Vec<String>,
    pub cluster: bool,
    pub username: Option<String>,
    /// An empty database index (single node only) that backup verification restores into
    /// and empties again.
    #[serde(default)]
    pub scratch_db: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectsEndpoint {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
}

/// A connection as the editor edits it and as it is stored: never a secret in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionDraft {
    pub name: String,
    /// `sandbox` (built in) or a path to a profile TOML file.
    pub profile: String,
    /// Required in files too: a hand-written entry must say it, rather than default to anything.
    pub read_only: bool,
    pub postgres: Option<PostgresEndpoint>,
    pub graph: Option<GraphEndpoint>,
    pub redis: Option<RedisEndpoint>,
    pub objects: Option<ObjectsEndpoint>,
}

/// Passwords typed into the editor: `None` keeps what the keychain has, `""` removes it.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SecretsInput {
    pub postgres: Option<String>,
    pub graph: Option<String>,
    pub redis: Option<String>,
    pub objects: Option<String>,
}

// Hand-written so that a secret can never reach a log line through `{:?}`.
impl std::fmt::Debug for SecretsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |s: &Option<String>| match s {
            None => "unchanged",
            Some(s) if s.is_empty() => "remove",
            Some(_) => "***",
        };
        f.debug_struct("SecretsInput")
            .field("postgres", &shown(&self.postgres))
            .field("graph", &shown(&self.graph))
            .field("redis", &shown(&self.redis))
            .field("objects", &shown(&self.objects))
            .finish()
    }
}

impl SecretsInput {
    pub fn get(&self, store: StoreKind) -> Option<&str> {
        match store {
            StoreKind::Postgres => self.postgres.as_deref(),
            StoreKind::Graph => self.graph.as_deref(),
            StoreKind::Redis => self.redis.as_deref(),
            StoreKind::Objects => self.objects.as_deref(),
        }
    }

    fn slot(&mut self, store: StoreKind) -> &mut Option<String> {
        match store {
            StoreKind::Postgres => &mut self.postgres,
            StoreKind::Graph => &mut self.graph,
            StoreKind::Redis => &mut self.redis,
            StoreKind::Objects => &mut self.objects,
        }
    }
}

/// Which stores have a secret in the keychain.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct StoredSecrets {
    pub postgres: bool,
    pub graph: bool,
    pub redis: bool,
    pub objects: bool,
}

impl StoredSecrets {
    pub fn set(&mut self, store: StoreKind, value: bool) {
        match store {
            StoreKind::Postgres => self.postgres = value,
            StoreKind::Graph => self.graph = value,
            StoreKind::Redis => self.redis = value,
            StoreKind::Objects => self.objects = value,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDetails {
    pub draft: ConnectionDraft,
    pub secrets: StoredSecrets,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSummary {
    pub name: String,
    pub profile: String,
    pub read_only: bool,
    pub stores: Vec<StoreKind>,
}

impl ConnectionDraft {
    pub fn summary(&self) -> ConnectionSummary {
        ConnectionSummary {
            name: self.name.clone(),
            profile: self.profile.clone(),
            read_only: self.read_only,
            stores: self.configured_stores(),
        }
    }

    pub fn configured_stores(&self) -> Vec<StoreKind> {
        StoreKind::ALL
            .into_iter()
            .filter(|s| self.has_store(*s))
            .collect()
    }

    pub fn has_store(&self, store: StoreKind) -> bool {
        match store {
            StoreKind::Postgres => self.postgres.is_some(),
            StoreKind::Graph => self.graph.is_some(),
            StoreKind::Redis => self.redis.is_some(),
            StoreKind::Objects => self.objects.is_some(),
        }
    }

    pub fn load_profile(&self) -> Result<Profile> {
        if self.profile == BUILTIN_PROFILE {
            Ok(Profile::sandbox())
        } else {
            Profile::load(Path::new(&self.profile))
        }
    }

    /// Checks every field and moves passwords found inside URLs into `secrets` (an explicitly
    /// typed password wins). Returns the draft as it may be stored.
    pub fn normalize(mut self, secrets: &mut SecretsInput) -> Result<Self> {
        validate_name(&self.name)?;
        self.profile = self.profile.trim().to_owned();
        if self.profile.is_empty() {
            self.profile = BUILTIN_PROFILE.into();
        }
        self.load_profile()?;
        if let Some(pg) = &mut self.postgres {
            let (url, pw) = strip_password(&pg.url, &["postgres", "postgresql"], "PostgreSQL URL")?;
            pg.url = url;
            take_password(secrets, StoreKind::Postgres, pw);
        }
        if let Some(graph) = &mut self.graph {
            let schemes = [
                "bolt",
                "bolt+s",
                "bolt+ssc",
                "neo4j",
                "neo4j+s",
                "neo4j+ssc",
            ];
            let (url, pw) = strip_password(&graph.url, &schemes, "Bolt URL")?;
            graph.url = url;
            take_password(secrets, StoreKind::Graph, pw);
            if graph.user.trim().is_empty() {
                return Err(Error::InvalidInput("Bolt user is empty".into()));
            }
            graph.database = graph.database.take().filter(|d| !d.trim().is_empty());
            graph.scratch_database = graph
                .scratch_database
                .take()
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty());
            if graph.scratch_database.is_some() && graph.scratch_database == graph.database {
                return Err(Error::InvalidInput(
                    "the scratch graph database must not be the database read".into(),
                ));
            }
        }
        if let Some(redis) = &mut self.redis {
            redis.urls.retain(|u| !u.trim().is_empty());
            if redis.urls.is_empty() {
                return Err(Error::InvalidInput("Redis needs at least one URL".into()));
            }
            for u in &mut redis.urls {
                let (url, pw) = strip_password(u, &["redis", "rediss"], "Redis URL")?;
                *u = url;
                take_password(secrets, StoreKind::Redis, pw);
            }
            if !redis.cluster && redis.urls.len() > 1 {
                return Err(Error::InvalidInput(
                    "several Redis URLs are only allowed for a cluster".into(),
                ));
            }
            redis.username = redis.username.take().filter(|u| !u.trim().is_empty());
        }
        if let Some(objects) = &self.objects {
            let url = Url::parse(&objects.endpoint).map_err(|e| {
                Error::InvalidInput(format!(
                    "S3 endpoint is malformed ({e}); expected http(s)://host:port"
                ))
            })?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(Error::InvalidInput(
                    "S3 endpoint must be an http:// or https:// URL with a host".into(),
                ));
            }
            if objects.bucket.trim().is_empty() || objects.access_key_id.trim().is_empty() {
                return Err(Error::InvalidInput(
                    "S3 bucket and access key id are required".into(),
                ));
            }
        }
        Ok(self)
    }
}

fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "connection name {name:?} must be 1-64 characters of letters, digits, '-', '_' or '.'"
        )))
    }
}

fn take_password(secrets: &mut SecretsInput, store: StoreKind, found: Option<String>) {
    let slot = secrets.slot(store);
    if slot.is_none() {
        *slot = found;
    }
}

/// Parses a store URL, checks its scheme and host, and splits off the password.
fn strip_password(raw: &str, schemes: &[&str], what: &str) -> Result<(String, Option<String>)> {
    let raw = raw.trim();
    // The input is not echoed: a malformed string may hold a password in a shape redact misses.
    let mut url = Url::parse(raw).map_err(|e| {
        Error::InvalidInput(format!(
            "{what} is malformed ({e}); expected {}://user@host:port/...",
            schemes[0]
        ))
    })?;
    if !schemes.contains(&url.scheme()) {
        return Err(Error::InvalidInput(format!(
            "{what} must start with {}://, got {}://",
            schemes[0],
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::InvalidInput(format!("{what} has no host")));
    }
    let password = url.password().map(percent_decode);
    if password.is_some() {
        url.set_password(None)
            .map_err(|()| Error::InvalidInput(format!("{what}: cannot remove the password")))?;
    }
    Ok((url.to_string(), password))
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// The connections file: `[[connections]]` tables, one per connection, no secrets.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ConnectionsFile {
    #[serde(default)]
    connections: Vec<ConnectionDraft>,
}

/// Reads and writes the connections file. Writes are atomic (temp file + rename).
#[derive(Debug, Clone)]
pub struct ConnectionFile {
    path: PathBuf,
}

impl ConnectionFile {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Result<Vec<ConnectionDraft>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => {
                let file: ConnectionsFile = toml::from_str(&text).map_err(|e| {
                    Error::Config(format!("{}: {}", self.path.display(), e.message()))
                })?;
                Ok(file.connections)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(Error::Config(format!(
                "cannot read {}: {e}",
                self.path.display()
            ))),
        }
    }

    pub fn get(&self, name: &str) -> Result<ConnectionDraft> {
        self.load()?
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| Error::NotFound(format!("no connection named {name:?}")))
    }

    /// Inserts or replaces by name; `previous_name` renames.
    pub fn upsert(&self, draft: ConnectionDraft, previous_name: Option<&str>) -> Result<()> {
        let mut all = self.load()?;
        let key = previous_name.unwrap_or(&draft.name).to_owned();
        all.retain(|c| c.name != key && c.name != draft.name);
        all.push(draft);
        all.sort_by(|a, b| a.name.cmp(&b.name));
        self.write(&all)
    }

    pub fn remove(&self, name: &str) -> Result<bool> {
        let mut all = self.load()?;
        let before = all.len();
        all.retain(|c| c.name != name);
        let removed = all.len() != before;
        if removed {
            self.write(&all)?;
        }
        Ok(removed)
    }

    fn write(&self, all: &[ConnectionDraft]) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Config(format!("cannot create {}: {e}", dir.display())))?;
        let text = toml::to_string_pretty(&ConnectionsFile {
            connections: all.to_vec(),
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        let tmp = self.path.with_extension("toml.tmp");
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| Error::Config(format!("cannot write {}: {e}", self.path.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ConnectionDraft {
        ConnectionDraft {
            name: "prod-eu".into(),
            profile: "sandbox".into(),
            read_only: true,
            postgres: Some(PostgresEndpoint {
                url: "postgres://admin:p%40ss@db.example:5432/app".into(),
                tls: TlsMode::Require,
            }),
            graph: Some(GraphEndpoint {
                url: "bolt://graph:7687".into(),
                user: "neo4j".into(),
                database: Some(String::new()),
                scratch_database: None,
            }),
            redis: Some(RedisEndpoint {
                urls: vec!["redis://:rpw@cache:6379".into()],
                cluster: false,
                username: None,
                scratch_db: None,
            }),
            objects: None,
        }
    }

    #[test]
    fn moves_url_passwords_to_secrets() {
        let mut secrets = SecretsInput::default();
        let d = draft().normalize(&mut secrets).expect("valid");
        assert_eq!(
            d.postgres.as_ref().map(|p| p.url.as_str()),
            Some("postgres://admin@db.example:5432/app")
        );
        assert_eq!(secrets.postgres.as_deref(), Some("p@ss"));
        assert_eq!(
            d.redis.as_ref().map(|r| r.urls[0].as_str()),
            Some("redis://cache:6379")
        );
        assert_eq!(secrets.redis.as_deref(), Some("rpw"));
        assert_eq!(d.graph.as_ref().and_then(|g| g.database.clone()), None);
    }

    #[test]
    fn typed_password_wins_over_url_password() {
        let mut secrets = SecretsInput {
            postgres: Some("typed".into()),
            ..Default::default()
        };
        draft().normalize(&mut secrets).expect("valid");
        assert_eq!(secrets.postgres.as_deref(), Some("typed"));
    }

    fn check_invalid(edit: impl FnOnce(&mut ConnectionDraft), expect: &str) {
        let mut d = draft();
        edit(&mut d);
        let err = d
            .normalize(&mut SecretsInput::default())
            .expect_err("should be rejected");
        assert_eq!(err.code(), crate::error::ErrorCode::InvalidInput, "{err}");
        let text = err.to_string();
        assert!(text.contains(expect), "{text:?} lacks {expect:?}");
        assert!(
            !text.contains("p%40ss") && !text.contains("p@ss"),
            "secret leaked: {text}"
        );
    }

    #[test]
    fn rejects_malformed_connections_without_leaking_secrets() {
        check_invalid(|d| d.name = "../etc".into(), "connection name");
        check_invalid(|d| d.name = String::new(), "connection name");
        check_invalid(
            |d| {
                d.postgres
                    .as_mut()
                    .map(|p| p.url = "mysql://admin:p@ss@h/db".into())
                    .unwrap_or(())
            },
            "must start with postgres://",
        );
        check_invalid(
            |d| {
                d.postgres
                    .as_mut()
                    .map(|p| p.url = "postgres://admin:p%40ss@:5432/db".into())
                    .unwrap_or(())
            },
            "malformed",
        );
        check_invalid(
            |d| {
                d.postgres
                    .as_mut()
                    .map(|p| p.url = "not a url p@ss".into())
                    .unwrap_or(())
            },
            "malformed",
        );
        check_invalid(
            |d| d.redis.as_mut().map(|r| r.urls.clear()).unwrap_or(()),
            "at least one URL",
        );
        check_invalid(
            |d| {
                d.redis
                    .as_mut()
                    .map(|r| r.urls.push("redis://b:1".into()))
                    .unwrap_or(())
            },
            "only allowed for a cluster",
        );
        check_invalid(
            |d| {
                d.graph
                    .as_mut()
                    .map(|g| g.url = "http://graph:7474".into())
                    .unwrap_or(())
            },
            "must start with bolt://",
        );
    }

    #[test]
    fn file_round_trip_has_no_secrets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = ConnectionFile::new(dir.path().join("c/connections.toml"));
        let mut secrets = SecretsInput::default();
        let d = draft().normalize(&mut secrets).expect("valid");
        file.upsert(d.clone(), None).expect("write");
        assert_eq!(file.get("prod-eu").expect("read"), d);
        let text = std::fs::read_to_string(file.path()).expect("read file");
        assert!(!text.contains("p@ss") && !text.contains("rpw"), "{text}");
        assert!(file.remove("prod-eu").expect("remove"));
        assert!(file.load().expect("load").is_empty());
    }
}
