//! `Storelens`: the one API both shells (Tauri and CLI) call. It owns the connections file, the
//! keychain and the opened platforms; every method is a complete use case. Each area adds its
//! methods in its own file (`tenants.rs`, ...), as another `impl Storelens` block.

pub mod audit;
mod backup_files;
pub mod backups;
mod cache;
mod console;
pub mod exports;
mod footprint;
mod graph;
mod lookup;
mod rows;
mod tenants;
mod timetravel;
pub mod writes;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::Serialize;

use crate::connection::{
    ConnectionDetails, ConnectionDraft, ConnectionFile, ConnectionSummary, SecretsInput,
    StoredSecrets,
};
use crate::error::{Error, Result, StoreKind};
use crate::health::{self, HealthReport};
use crate::paths::Dirs;
use crate::platform::{default_timeout, Platform};
use crate::profile::ProfileSummary;
use crate::secrets::SecretStore;
use crate::tasks::{blocking, Tasks};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub config_dir: String,
    pub data_dir: String,
    pub log_file: String,
    pub default_connection: Option<String>,
}

pub struct Storelens {
    dirs: Dirs,
    connections: ConnectionFile,
    secrets: Arc<dyn SecretStore>,
    timeout: Duration,
    /// Opened platforms by connection name. The lock only guards the map, never a store call.
    platforms: RwLock<HashMap<String, Arc<Platform>>>,
    /// Cancellable runs (exports, scans, ...) by the id their caller gave them.
    tasks: Tasks,
    /// Connections whose writes are unlocked, until when.
    unlocked: std::sync::Mutex<HashMap<String, std::time::Instant>>,
    /// Every write made, hash-chained.
    write_log: Arc<crate::write_log::WriteLog>,
    /// Held by a restore into scratch targets: the scratch graph database and Redis index are
    /// shared, and each restore needs them empty.
    scratch: tokio::sync::Mutex<()>,
    /// The last audit reports, for export.
    audits: std::sync::Mutex<std::collections::VecDeque<Arc<crate::audit::AuditReport>>>,
}

impl std::fmt::Debug for Storelens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storelens")
            .field("dirs", &self.dirs)
            .finish_non_exhaustive()
    }
}

impl Storelens {
    pub fn new(dirs: Dirs, secrets: Arc<dyn SecretStore>) -> Self {
        let connections = ConnectionFile::new(dirs.connections_file());
        let write_log = Arc::new(crate::write_log::WriteLog::new(
            dirs.data.join("writes.jsonl"),
        ));
        Self {
            write_log,
            unlocked: std::sync::Mutex::default(),
            scratch: tokio::sync::Mutex::default(),
            audits: std::sync::Mutex::default(),
            dirs,
            connections,
            secrets,
            timeout: default_timeout(),
            platforms: RwLock::default(),
            tasks: Tasks::default(),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn dirs(&self) -> &Dirs {
        &self.dirs
    }

    pub fn app_info(&self, log_file: &str) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            config_dir: self.dirs.config.display().to_string(),
            data_dir: self.dirs.data.display().to_string(),
            log_file: log_file.to_owned(),
            default_connection: self.default_connection().ok().flatten(),
        }
    }

    pub fn list_connections(&self) -> Result<Vec<ConnectionSummary>> {
        Ok(self
            .connections
            .load()?
            .iter()
            .map(ConnectionDraft::summary)
            .collect())
    }

    /// `sandbox` when it exists, else the only connection, else none.
    pub fn default_connection(&self) -> Result<Option<String>> {
        let all = self.connections.load()?;
        if all.iter().any(|c| c.name == "sandbox") {
            return Ok(Some("sandbox".into()));
        }
        Ok(match all.as_slice() {
            [only] => Some(only.name.clone()),
            _ => None,
        })
    }

    /// The named connection, or the default one when no name is given.
    pub fn resolve_name(&self, name: Option<&str>) -> Result<String> {
        match name {
            Some(n) => Ok(n.to_owned()),
            None => self.default_connection()?.ok_or_else(|| {
                Error::NotFound(
                    "no connection given and no default (add one, or name it with --connection)"
                        .into(),
                )
            }),
        }
    }

    pub async fn get_connection(&self, name: &str) -> Result<ConnectionDetails> {
        let draft = self.connections.get(name)?;
        let secrets = self.secrets.clone();
        let stores = draft.configured_stores();
        let name = name.to_owned();
        let stored = blocking(move || {
            let mut stored = StoredSecrets::default();
            for store in stores {
                stored.set(store, secrets.get(&name, store)?.is_some());
            }
            Ok(stored)
        })
        .await?;
        Ok(ConnectionDetails {
            draft,
            secrets: stored,
        })
    }

    /// Validates, moves secrets to the keychain, then writes the file (without secrets).
    #[tracing::instrument(skip(self, draft, secrets), fields(connection = %draft.name), err)]
    pub async fn save_connection(
        &self,
        draft: ConnectionDraft,
        mut secrets: SecretsInput,
    ) -> Result<ConnectionSummary> {
        let draft = draft.normalize(&mut secrets)?;
        let keychain = self.secrets.clone();
        let name = draft.name.clone();
        let configured = draft.configured_stores();
        blocking(move || {
            for store in StoreKind::ALL {
                match secrets.get(store) {
                    Some("") => keychain.delete(&name, store)?,
                    Some(secret) if configured.contains(&store) => {
                        keychain.set(&name, store, secret)?
                    }
                    _ => {}
                }
            }
            Ok(())
        })
        .await?;
        self.connections.upsert(draft.clone(), None)?;
        self.forget(&draft.name);
        tracing::info!(stores = ?draft.configured_stores(), "connection saved");
        Ok(draft.summary())
    }

    #[tracing::instrument(skip(self), err)]
    pub async fn delete_connection(&self, name: &str) -> Result<()> {
        if !self.connections.remove(name)? {
            return Err(Error::NotFound(format!("no connection named {name:?}")));
        }
        self.forget(name);
        let keychain = self.secrets.clone();
        let name = name.to_owned();
        blocking(move || {
            StoreKind::ALL
                .into_iter()
                .try_for_each(|s| keychain.delete(&name, s))
        })
        .await
    }

    /// The opened platform of a connection, opening it on first use.
    pub async fn platform(&self, name: &str) -> Result<Arc<Platform>> {
        if let Some(p) = self.read_platforms().get(name) {
            return Ok(p.clone());
        }
        let draft = self.connections.get(name)?;
        let secrets = self.secrets.clone();
        let timeout = self.timeout;
        let platform =
            Arc::new(blocking(move || Platform::open(draft, secrets.as_ref(), timeout)).await?);
        let mut map = self
            .platforms
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok(map.entry(name.to_owned()).or_insert(platform).clone())
    }

    /// The profile of a connection's platform, as the UI needs it.
    pub async fn profile_summary(&self, name: &str) -> Result<ProfileSummary> {
        Ok(self.platform(name).await?.profile.summary())
    }

    #[tracing::instrument(skip(self), err)]
    pub async fn check_health(&self, name: &str) -> Result<HealthReport> {
        let platform = self.platform(name).await?;
        Ok(health::check(&platform).await)
    }

    fn read_platforms(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<Platform>>> {
        self.platforms
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn forget(&self, name: &str) {
        self.platforms
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(name);
    }
}
