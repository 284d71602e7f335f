//! Backups of a tenant across the four stores, with a manifest (parts, counts, content hashes,
//! SHA-256 of every file, tools and servers, the event-log position), and their verification.
//!
//! A backup is written into `<destination>/<id>.partial/` and renamed to `<id>/` only when
//! every part and the manifest are complete: a failed or cancelled run removes its folder, and
//! a folder without `manifest.json` is never listed as a backup.

pub(crate) mod artifact;
pub mod catalog;
pub(crate) mod graph;
pub mod location;
pub mod manifest;
pub(crate) mod objects;
pub(crate) mod postgres;
pub(crate) mod redis;
pub mod restore;
pub mod row_hash;
pub mod run;
pub mod verify;

use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};

pub(crate) fn stop_if_cancelled(token: &CancellationToken) -> Result<()> {
    if token.is_cancelled() {
        return Err(Error::Cancelled);
    }
    Ok(())
}
