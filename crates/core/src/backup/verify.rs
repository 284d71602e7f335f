//! Verifying a backup: every file the manifest lists is there with its size and SHA-256, and
//! no other file is; then, when asked, every part restored into scratch targets and compared
//! with the manifest's counts and content hashes. The result is kept beside the manifest.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::artifact::hash_file;
use super::catalog::read_manifest;
use super::manifest::{Manifest, MANIFEST_FILE};
use super::restore::{restore_all, Destination, RestoreCheck};
use super::run::BackupProgress;
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::tenants::Tenant;

pub const VERIFICATION_FILE: &str = "verification.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub backup: String,
    pub checked_at: String,
    pub passed: bool,
    /// Whether the parts were restored into scratch targets (not only checksummed).
    #[serde(default)]
    pub restored: bool,
    pub parts: Vec<PartCheck>,
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PartCheck {
    pub store: StoreKind,
    pub passed: bool,
    pub files: u32,
    /// What is wrong, file by file.
    pub problems: Vec<String>,
    /// The restore into scratch and its comparison with the manifest, when one was made.
    #[serde(default)]
    pub restore: Option<RestoreCheck>,
}

/// What a restore into scratch targets needs: a platform whose writes are unlocked (the caller
/// checks) and the backup's tenant there (none for a whole store).
pub struct ScratchRestore<'a> {
    pub platform: &'a Platform,
    pub tenant: Option<&'a Tenant>,
    pub token: &'a CancellationToken,
    pub progress: &'a (dyn Fn(BackupProgress) + Send + Sync),
}

/// Checks every artifact of the backup in `dir`, restores it into scratch targets when
/// `restore` is given (and the files are sound), and records the result there.
pub async fn verify(dir: &Path, restore: Option<ScratchRestore<'_>>) -> Result<Verification> {
    let manifest = read_manifest(dir).await?;
    let mut parts = check_files(dir, &manifest).await?;
    let mut notes = Vec::new();
    let mut restored = false;
    if let Some(r) = restore {
        if parts.iter().all(|p| p.passed) {
            let checks = restore_all(
                r.platform,
                &manifest,
                r.tenant,
                dir,
                Destination::Scratch,
                r.token,
                r.progress,
            )
            .await?;
            for check in checks {
                if let Some(part) = parts.iter_mut().find(|p| p.store == check.store) {
                    part.passed &= check.passed || check.skipped;
                    part.restore = Some(check);
                }
            }
            restored = true;
        } else {
            notes.push("not restored: its files do not match the manifest".into());
        }
    }
    let verification = Verification {
        backup: manifest.id,
        checked_at: crate::timetravel::fold::rfc3339(&chrono::Utc::now()),
        passed: parts.iter().all(|p| p.passed),
        restored,
        parts,
        notes,
    };
    let text = serde_json::to_vec_pretty(&verification)
        .map_err(|e| Error::Internal(format!("encoding the verification: {e}")))?;
    let path = dir.join(VERIFICATION_FILE);
    tokio::fs::write(&path, text)
        .await
        .map_err(|e| super::artifact::write_error(&path, &e))?;
    Ok(verification)
}

/// Each part's files against the manifest, and a failing check for files it does not list.
async fn check_files(dir: &Path, manifest: &Manifest) -> Result<Vec<PartCheck>> {
    let mut listed = BTreeSet::new();
    let mut parts = Vec::new();
    for part in &manifest.parts {
        let mut problems = Vec::new();
        for a in &part.artifacts {
            listed.insert(a.path.clone());
            match hash_file(dir, &a.path).await {
                Ok(found) if found.sha256 == a.sha256 && found.bytes == a.bytes => {}
                Ok(found) => problems.push(format!(
                    "{}: {} bytes with SHA-256 {}, the manifest says {} bytes with {}",
                    a.path, found.bytes, found.sha256, a.bytes, a.sha256
                )),
                Err(e) => problems.push(format!("{}: {e}", a.path)),
            }
        }
        parts.push(PartCheck {
            store: part.store,
            passed: problems.is_empty(),
            files: part.artifacts.len() as u32,
            problems,
            restore: None,
        });
    }
    let extra = unlisted(dir, &listed).await?;
    if !extra.is_empty() {
        parts.push(PartCheck {
            store: StoreKind::Postgres,
            passed: false,
            files: 0,
            problems: extra
                .into_iter()
                .map(|f| format!("{f}: not in the manifest"))
                .collect(),
            restore: None,
        });
    }
    Ok(parts)
}

/// The last verification recorded for the backup in `dir`.
pub async fn last(dir: &Path) -> Option<Verification> {
    let text = tokio::fs::read(dir.join(VERIFICATION_FILE)).await.ok()?;
    serde_json::from_slice(&text).ok()
}

/// Files in `dir` that the manifest does not list (besides the manifest and verification).
async fn unlisted(dir: &Path, listed: &BTreeSet<String>) -> Result<Vec<String>> {
    Ok(super::artifact::files_under(dir, "")
        .await?
        .into_iter()
        .filter(|f| f != MANIFEST_FILE && f != VERIFICATION_FILE && !listed.contains(f))
        .collect())
}
