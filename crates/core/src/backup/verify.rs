//! Verifying a backup: every file the manifest lists is there with its size and SHA-256, and
//! no other file is. (Restoring into scratch targets and comparing counts and content hashes
//! with the manifest comes on top of this.) The result is kept beside the manifest.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::artifact::hash_file;
use super::catalog::read_manifest;
use super::manifest::MANIFEST_FILE;
use crate::error::{Error, Result, StoreKind};

pub const VERIFICATION_FILE: &str = "verification.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub backup: String,
    pub checked_at: String,
    pub passed: bool,
    pub parts: Vec<PartCheck>,
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
}

/// Checks every artifact of the backup in `dir` and records the result there.
pub async fn checksums(dir: &Path) -> Result<Verification> {
    let manifest = read_manifest(dir).await?;
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
        });
    }
    let verification = Verification {
        backup: manifest.id,
        checked_at: crate::timetravel::fold::rfc3339(&chrono::Utc::now()),
        passed: parts.iter().all(|p| p.passed),
        parts,
    };
    let text = serde_json::to_vec_pretty(&verification)
        .map_err(|e| Error::Internal(format!("encoding the verification: {e}")))?;
    let path = dir.join(VERIFICATION_FILE);
    tokio::fs::write(&path, text)
        .await
        .map_err(|e| super::artifact::write_error(&path, &e))?;
    Ok(verification)
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
