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

/// Longest name of a file the UI saves.
const MAX_NAME: usize = 200;

/// Writes `bytes` as a new file `name` in `dir` (the exports folder): a plain file name only
/// (no folders, no `..`), never over an existing file, whole or not at all. Returns its path.
pub(crate) fn save_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    use std::io::Write;
    let plain = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name().is_some_and(|n| n == name);
    if !plain {
        return Err(Error::InvalidInput(format!(
            "a file name has 1 to {MAX_NAME} characters, no folder and no leading dot"
        )));
    }
    let dest = dir.join(name);
    let (mut file, partial) = create(&dest)?;
    let written = file
        .write_all(bytes)
        .map_err(|e| write_error(&partial, &e))
        .and_then(|()| finish(file, &partial, &dest));
    if let Err(e) = written {
        discard(&partial);
        return Err(e);
    }
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_is_new_whole_and_inside_the_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = save_new(dir.path(), "view.json", b"{}").expect("saved");
        assert_eq!(std::fs::read(&path).expect("read"), b"{}");
        let again = save_new(dir.path(), "view.json", b"[]").expect_err("exists");
        assert!(again.to_string().contains("already exists"), "{again}");
        assert_eq!(std::fs::read(&path).expect("read"), b"{}");
        for bad in [
            "",
            "../x.json",
            "a/b.json",
            ".hidden",
            "a\\b",
            &"x".repeat(201),
        ] {
            assert!(save_new(dir.path(), bad, b"x").is_err(), "{bad:?}");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(names.len(), 1, "no partial file left");
    }
}
