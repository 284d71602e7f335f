//! Files Storelens writes for the user (exports, reconstructions): never over an existing file,
//! written under `<name>.partial` and renamed only when complete, so a failed or cancelled run
//! leaves nothing that could pass for a whole file.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The write buffer for these files: large writes, few system calls.
pub(crate) const WRITE_BUFFER: usize = 1 << 20;

/// Checks that `dest` is new, creates its folder, and opens `<dest>.partial` for writing.
pub(crate) fn create(dest: &Path) -> Result<(File, PathBuf)> {
    if dest.exists() {
        return Err(Error::InvalidInput(format!(
            "{} already exists; choose another file",
            dest.display()
        )));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    }
    let partial = partial_path(dest);
    let file = File::create(&partial).map_err(|e| write_error(&partial, &e))?;
    Ok((file, partial))
}

/// Syncs the finished partial file and renames it to `dest`; returns its size.
pub(crate) fn finish(file: File, partial: &Path, dest: &Path) -> Result<u64> {
    file.sync_all().map_err(|e| write_error(partial, &e))?;
    let bytes = file.metadata().map_err(|e| write_error(partial, &e))?.len();
    std::fs::rename(partial, dest).map_err(|e| write_error(partial, &e))?;
    Ok(bytes)
}

/// Removes what a failed run wrote.
pub(crate) fn discard(partial: &Path) {
    let _ = std::fs::remove_file(partial);
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    dest.with_file_name(name)
}

pub(crate) fn write_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::InvalidInput(format!("cannot write {}: {e}", path.display()))
}
