//! The backups in a destination folder or S3 prefix: every sub-folder with a manifest, newest
//! first, with its size, age and last verification; folders of runs that never completed are
//! counted apart.

use std::path::Path;

use serde::Serialize;

use super::location::RemoteBackups;
use super::manifest::{Manifest, Scope, MANIFEST_FILE};
use super::verify::Verification;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    pub id: String,
    pub path: String,
    pub scope: Scope,
    pub started_at: String,
    pub finished_at: String,
    pub age_seconds: String,
    pub bytes: String,
    pub event_position: Option<String>,
    /// The last verification, when there was one.
    pub verification: Option<Verification>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub destination: String,
    pub backups: Vec<CatalogEntry>,
    /// Folders without a manifest (runs that failed or are running): not backups.
    pub incomplete: Vec<String>,
}

pub async fn list(destination: &Path) -> Result<Catalog> {
    let mut backups = Vec::new();
    let mut incomplete = Vec::new();
    let mut entries = match tokio::fs::read_dir(destination).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Catalog {
                destination: destination.display().to_string(),
                backups,
                incomplete,
            })
        }
        Err(e) => return Err(super::artifact::read_error(destination, &e)),
    };
    let now = chrono::Utc::now();
    while let Some(entry) = entries
        .next_entry()
        .await
        .map_err(|e| super::artifact::read_error(destination, &e))?
    {
        if !entry.file_type().await.is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(manifest) = read_manifest(&dir).await else {
            incomplete.push(name);
            continue;
        };
        let verification = super::verify::last(&dir).await;
        backups.push(catalog_entry(
            &manifest,
            dir.display().to_string(),
            verification,
            now,
        ));
    }
    Ok(sorted(
        destination.display().to_string(),
        backups,
        incomplete,
    ))
}

/// The backups under an S3 prefix: every folder with a manifest.
pub async fn list_remote(remote: &RemoteBackups) -> Result<Catalog> {
    let now = chrono::Utc::now();
    let (mut backups, mut incomplete) = (Vec::new(), Vec::new());
    for id in remote.ids().await? {
        let manifest = remote
            .read(&id, MANIFEST_FILE)
            .await?
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok());
        let Some(manifest) = manifest else {
            incomplete.push(id);
            continue;
        };
        let verification = remote
            .read(&id, super::verify::VERIFICATION_FILE)
            .await?
            .and_then(|b| serde_json::from_slice(&b).ok());
        backups.push(catalog_entry(
            &manifest,
            remote.describe(&id),
            verification,
            now,
        ));
    }
    Ok(sorted(
        remote.describe("").trim_end_matches('/').to_owned(),
        backups,
        incomplete,
    ))
}

fn catalog_entry(
    manifest: &Manifest,
    path: String,
    verification: Option<Verification>,
    now: chrono::DateTime<chrono::Utc>,
) -> CatalogEntry {
    let age = chrono::DateTime::parse_from_rfc3339(&manifest.finished_at)
        .map(|t| (now - t.with_timezone(&chrono::Utc)).num_seconds().max(0))
        .unwrap_or(0);
    CatalogEntry {
        id: manifest.id.clone(),
        path,
        scope: manifest.scope.clone(),
        started_at: manifest.started_at.clone(),
        finished_at: manifest.finished_at.clone(),
        age_seconds: age.to_string(),
        bytes: manifest.bytes().to_string(),
        event_position: manifest.event_position.clone(),
        verification,
    }
}

/// Newest first.
fn sorted(
    destination: String,
    mut backups: Vec<CatalogEntry>,
    mut incomplete: Vec<String>,
) -> Catalog {
    backups.sort_by(|a, b| b.finished_at.cmp(&a.finished_at));
    incomplete.sort();
    Catalog {
        destination,
        backups,
        incomplete,
    }
}

pub async fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST_FILE);
    let text = tokio::fs::read(&path)
        .await
        .map_err(|e| super::artifact::read_error(&path, &e))?;
    serde_json::from_slice(&text)
        .map_err(|e| Error::InvalidInput(format!("{} is not a manifest: {e}", path.display())))
}

/// A backup id is a plain folder name: no path tricks.
pub fn check_id(id: &str) -> Result<()> {
    let plain = !id.is_empty()
        && !id.starts_with('.')
        && !id.contains(['/', '\\', '\0'])
        && Path::new(id).file_name().is_some_and(|n| n == id);
    if !plain {
        return Err(Error::InvalidInput(format!("{id:?} is not a backup id")));
    }
    Ok(())
}

/// The folder of backup `id` in `destination`.
pub fn backup_dir(destination: &Path, id: &str) -> Result<std::path::PathBuf> {
    check_id(id)?;
    let dir = destination.join(id);
    if !dir.join(MANIFEST_FILE).is_file() {
        return Err(Error::NotFound(format!(
            "no backup {id} in {}",
            destination.display()
        )));
    }
    Ok(dir)
}
