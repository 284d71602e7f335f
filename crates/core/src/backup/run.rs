//! Taking a backup, of a tenant (every store the platform has) or of one whole store: the
//! PostgreSQL part first (its snapshot fixes the event-log position the manifest records),
//! into a `.partial` folder that becomes the backup only when complete.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::manifest::{Manifest, Part, Scope, TenantRef, Version, FORMAT, MANIFEST_FILE};
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::tenants::Tenant;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BackupRequest {
    /// Tenant id or slug: a tenant's backup, every store.
    pub tenant: Option<String>,
    /// Or a whole store: the database (pg_dump), the graph, Redis (BGSAVE) or the bucket.
    pub store: Option<StoreKind>,
    /// A local folder; default: `backups` in Storelens' data folder.
    pub destination: Option<String>,
}

/// Where a backup run is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct BackupProgress {
    pub store: StoreKind,
    /// Parts finished, of `parts`.
    pub parts_done: u32,
    pub parts: u32,
    pub message: String,
}

/// What a backup holds.
#[derive(Debug, Clone)]
pub enum BackupScope {
    Tenant(Tenant),
    Store(StoreKind),
}

impl BackupScope {
    fn label(&self) -> &str {
        match self {
            Self::Tenant(t) => &t.slug,
            Self::Store(s) => s.as_str(),
        }
    }

    fn tenant(&self) -> Option<&Tenant> {
        match self {
            Self::Tenant(t) => Some(t),
            Self::Store(_) => None,
        }
    }

    /// The stores it takes: every configured one for a tenant, the one asked for otherwise.
    fn stores(&self, platform: &Platform) -> Result<Vec<StoreKind>> {
        match self {
            Self::Tenant(_) => Ok(StoreKind::ALL
                .into_iter()
                .filter(|s| configured(platform, *s))
                .collect()),
            Self::Store(s) if configured(platform, *s) => Ok(vec![*s]),
            Self::Store(s) => Err(Error::NotFound(format!(
                "connection {} has no {s} that its profile describes",
                platform.name()
            ))),
        }
    }
}

pub async fn run(
    platform: &Platform,
    scope: &BackupScope,
    destination: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(BackupProgress) + Send + Sync),
) -> Result<(Manifest, PathBuf)> {
    let started = chrono::Utc::now();
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let id = format!(
        "{}-{}-{suffix}",
        started.format("%Y%m%dT%H%M%SZ"),
        scope.label()
    );
    tokio::fs::create_dir_all(destination)
        .await
        .map_err(|e| super::artifact::write_error(destination, &e))?;
    let staging = destination.join(format!("{id}.partial"));
    tokio::fs::create_dir(&staging)
        .await
        .map_err(|e| super::artifact::write_error(&staging, &e))?;
    let done = take(platform, scope, &id, &staging, token, progress).await;
    let manifest = match done {
        Ok(m) => m,
        Err(e) => {
            // Nothing that could pass for a backup is left behind.
            let _ = tokio::fs::remove_dir_all(&staging).await;
            return Err(e);
        }
    };
    let finished = destination.join(&id);
    if let Err(e) = tokio::fs::rename(&staging, &finished).await {
        let _ = tokio::fs::remove_dir_all(&staging).await;
        return Err(super::artifact::write_error(&finished, &e));
    }
    Ok((manifest, finished))
}

async fn take(
    platform: &Platform,
    scope: &BackupScope,
    id: &str,
    root: &Path,
    token: &CancellationToken,
    progress: &(dyn Fn(BackupProgress) + Send + Sync),
) -> Result<Manifest> {
    let started_at = crate::timetravel::fold::rfc3339(&chrono::Utc::now());
    let stores = scope.stores(platform)?;
    let tenant = scope.tenant();
    let count = stores.len() as u32;
    let mut parts: Vec<Part> = Vec::new();
    let mut tools = vec![Version {
        name: "storelens".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }];
    let mut position = None;
    for (i, store) in stores.iter().copied().enumerate() {
        super::stop_if_cancelled(token)?;
        let say = |message: String| {
            progress(BackupProgress {
                store,
                parts_done: i as u32,
                parts: count,
                message,
            });
        };
        say(format!("{store}: starting"));
        let part_started = std::time::Instant::now();
        let mut part = match (store, tenant) {
            (StoreKind::Postgres, _) => {
                let (part, pos, used) = match tenant {
                    Some(t) => super::postgres::backup(platform, t, root, token, &say).await?,
                    None => super::postgres::backup_database(platform, root, token, &say).await?,
                };
                position = pos;
                tools.extend(used);
                part
            }
            (StoreKind::Graph, _) => {
                super::graph::backup(platform, tenant, root, token, &say).await?
            }
            (StoreKind::Redis, Some(t)) => {
                super::redis::backup(platform, t, root, token, &say).await?
            }
            (StoreKind::Redis, None) => super::redis::bgsave(platform, token, &say).await?,
            (StoreKind::Objects, _) => {
                super::objects::backup(platform, tenant, root, token, &say).await?
            }
        };
        part.elapsed_ms = crate::tasks::elapsed_ms(part_started);
        parts.push(part);
        progress(BackupProgress {
            store,
            parts_done: i as u32 + 1,
            parts: count,
            message: format!("{store}: done"),
        });
    }
    let manifest = Manifest {
        format: FORMAT,
        id: id.to_owned(),
        connection: platform.name().to_owned(),
        profile: platform.profile.name.clone(),
        scope: Scope {
            tenant: tenant.map(TenantRef::from),
            store: match scope {
                BackupScope::Store(s) => Some(*s),
                BackupScope::Tenant(_) => None,
            },
        },
        started_at,
        finished_at: crate::timetravel::fold::rfc3339(&chrono::Utc::now()),
        event_position: position,
        parts,
        tools,
        servers: server_versions(platform, &stores).await,
    };
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Error::Internal(format!("encoding the manifest: {e}")))?;
    let path = root.join(MANIFEST_FILE);
    tokio::fs::write(&path, text)
        .await
        .map_err(|e| super::artifact::write_error(&path, &e))?;
    Ok(manifest)
}

/// A store the connection has and the profile describes.
fn configured(platform: &Platform, store: StoreKind) -> bool {
    let p = &platform.profile;
    match store {
        StoreKind::Postgres => platform.postgres.is_some(),
        StoreKind::Graph => platform.graph.is_some() && p.graph.is_some(),
        StoreKind::Redis => platform.redis.is_some() && p.cache.is_some(),
        StoreKind::Objects => platform.objects.is_some() && p.objects.is_some(),
    }
}

/// The versions of the stores backed up (only those are asked).
async fn server_versions(platform: &Platform, stores: &[StoreKind]) -> Vec<Version> {
    let probes = stores.iter().map(|s| crate::health::probe(platform, *s));
    futures::future::join_all(probes)
        .await
        .into_iter()
        .map(|s| Version {
            name: s.store.as_str().to_owned(),
            version: s.version.unwrap_or_else(|| "unknown".into()),
        })
        .collect()
}
