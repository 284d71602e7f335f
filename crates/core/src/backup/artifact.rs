//! Writing a backup's files: each one hashed (SHA-256) and counted as it is written, so the
//! manifest's checksums are of the bytes on disk, not of a second read.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::Artifact;
use crate::error::{Error, Result};

const BUFFER: usize = 1 << 20;

/// Bytes are gathered into chunks of [`BUFFER`]; each chunk is hashed and written on a blocking
/// thread (hashing is CPU work, a few milliseconds a chunk), so the runtime's threads only copy.
pub struct ArtifactWriter {
    rel: String,
    path: PathBuf,
    /// `None` only while a chunk is on a blocking thread, or after that thread failed.
    sink: Option<Sink>,
    pending: Vec<u8>,
    bytes: u64,
}

struct Sink {
    file: std::fs::File,
    sha: Sha256,
}

impl ArtifactWriter {
    /// Creates `rel` (with `/` separators) under `root`; it must not exist.
    pub async fn create(root: &Path, rel: &str) -> Result<Self> {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| write_error(dir, &e))?;
        }
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(|e| write_error(&path, &e))?
            .into_std()
            .await;
        Ok(Self {
            rel: rel.to_owned(),
            path,
            sink: Some(Sink {
                file,
                sha: Sha256::new(),
            }),
            pending: Vec::with_capacity(BUFFER),
            bytes: 0,
        })
    }

    pub async fn write(&mut self, data: &[u8]) -> Result<()> {
        self.bytes += data.len() as u64;
        self.pending.extend_from_slice(data);
        if self.pending.len() >= BUFFER {
            self.write_pending(false).await?;
        }
        Ok(())
    }

    /// Writes what is gathered, and syncs the file too when `sync`.
    async fn write_pending(&mut self, sync: bool) -> Result<()> {
        let mut sink = self.take_sink()?;
        let chunk = std::mem::take(&mut self.pending);
        let path = self.path.clone();
        let (sink, mut chunk) = crate::tasks::blocking(move || {
            sink.sha.update(&chunk);
            sink.file
                .write_all(&chunk)
                .and_then(|()| if sync { sink.file.sync_all() } else { Ok(()) })
                .map_err(|e| write_error(&path, &e))?;
            Ok((sink, chunk))
        })
        .await?;
        chunk.clear();
        (self.sink, self.pending) = (Some(sink), chunk);
        Ok(())
    }

    /// The file and hasher, off to a blocking thread (a failed write does not give them back).
    fn take_sink(&mut self) -> Result<Sink> {
        self.sink.take().ok_or_else(|| {
            Error::Internal(format!(
                "{}: an earlier write was lost",
                self.path.display()
            ))
        })
    }

    /// Writes the rest and syncs the file; its size and checksum.
    pub async fn finish(mut self) -> Result<Artifact> {
        self.write_pending(true).await?;
        let sink = self.take_sink()?;
        Ok(Artifact {
            path: self.rel,
            bytes: self.bytes.to_string(),
            sha256: hex(&sink.sha.finalize()),
        })
    }
}

/// The artifact of a file another program wrote (pg_dump), read once to hash it (on a blocking
/// thread: hashing is CPU work).
pub async fn hash_file(root: &Path, rel: &str) -> Result<Artifact> {
    hash_file_owned(root.to_path_buf(), rel.to_owned()).await
}

/// Files hashed two at a time (each on its own blocking thread), in the order given.
pub async fn hash_files(root: &Path, rels: Vec<String>) -> Result<Vec<Artifact>> {
    use futures::{StreamExt, TryStreamExt};
    futures::stream::iter(
        rels.into_iter()
            .map(|rel| hash_file_owned(root.to_path_buf(), rel)),
    )
    .buffered(2)
    .try_collect()
    .await
}

/// Owned arguments: the hashing runs as a stream of blocking tasks.
async fn hash_file_owned(root: PathBuf, rel: String) -> Result<Artifact> {
    crate::tasks::blocking(move || {
        use std::io::Read;
        let path = root.join(&rel);
        let mut file = std::fs::File::open(&path).map_err(|e| read_error(&path, &e))?;
        let mut sha = Sha256::new();
        let mut bytes = 0_u64;
        let mut buf = vec![0_u8; BUFFER];
        loop {
            let n = file.read(&mut buf).map_err(|e| read_error(&path, &e))?;
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            bytes += n as u64;
        }
        Ok(Artifact {
            path: rel,
            bytes: bytes.to_string(),
            sha256: hex(&sha.finalize()),
        })
    })
    .await
}

/// Every file under `rel` in `root` (`""` for all), as paths relative to `root` with `/`,
/// sorted.
pub async fn files_under(root: &Path, rel: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut dirs = vec![rel.to_owned()];
    while let Some(dir) = dirs.pop() {
        let path = if dir.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&dir)
        };
        let mut entries = tokio::fs::read_dir(&path)
            .await
            .map_err(|e| read_error(&path, &e))?;
        while let Some(e) = entries
            .next_entry()
            .await
            .map_err(|e| read_error(&path, &e))?
        {
            let name = e.file_name().to_string_lossy().into_owned();
            let child = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            if e.file_type().await.is_ok_and(|t| t.is_dir()) {
                dirs.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A hash of a multiset of items that does not depend on their order: the wrapping sum of each
/// item's SHA-256 (as four 64-bit lanes). A store that cannot sort a large answer (ArcadeDB
/// refuses an ORDER BY over its query heap budget) streams it in any order, and a restore read
/// back in another order still compares equal.
#[derive(Default)]
pub struct MultisetHash {
    lanes: [u64; 4],
}

impl MultisetHash {
    pub fn add(&mut self, item: &[u8]) {
        let digest = Sha256::digest(item);
        for (lane, chunk) in self.lanes.iter_mut().zip(digest.chunks_exact(8)) {
            let mut word = [0_u8; 8];
            word.copy_from_slice(chunk);
            *lane = lane.wrapping_add(u64::from_le_bytes(word));
        }
    }

    pub fn hex(&self) -> String {
        self.lanes.iter().map(|l| format!("{l:016x}")).collect()
    }
}

pub use crate::cache::key_name::hex;

pub fn write_error(path: &Path, e: &std::io::Error) -> Error {
    let why = if e.raw_os_error() == Some(28) {
        "the destination is full".to_owned()
    } else {
        e.to_string()
    };
    Error::InvalidInput(format!("cannot write {}: {why}", path.display()))
}

pub fn read_error(path: &Path, e: &std::io::Error) -> Error {
    Error::InvalidInput(format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_checksum_is_of_the_bytes_written_and_a_file_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = ArtifactWriter::create(dir.path(), "a/b.txt")
            .await
            .expect("create");
        w.write(b"hello ").await.expect("write");
        w.write(b"world").await.expect("write");
        // More than a chunk, so that some bytes are hashed before `finish`.
        let long = vec![b'x'; BUFFER + 10];
        w.write(&long).await.expect("write");
        let a = w.finish().await.expect("finish");
        assert_eq!(a.bytes, (11 + BUFFER + 10).to_string());
        // A known vector: sha256("hello world").
        let mut short = ArtifactWriter::create(dir.path(), "short.txt")
            .await
            .expect("create");
        short.write(b"hello world").await.expect("write");
        assert_eq!(
            short.finish().await.expect("finish").sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        let mut whole = b"hello world".to_vec();
        whole.extend_from_slice(&long);
        assert_eq!(
            std::fs::read(dir.path().join("a/b.txt")).expect("read"),
            whole
        );
        assert_eq!(a.sha256, hex(&Sha256::digest(&whole)));
        assert_eq!(hash_file(dir.path(), "a/b.txt").await.expect("hash"), a);
        assert!(ArtifactWriter::create(dir.path(), "a/b.txt").await.is_err());
    }

    #[test]
    fn the_multiset_hash_ignores_order_but_not_content_or_count() {
        let of = |items: &[&str]| {
            let mut h = MultisetHash::default();
            items.iter().for_each(|i| h.add(i.as_bytes()));
            h.hex()
        };
        assert_eq!(of(&["a", "b", "c"]), of(&["c", "a", "b"]));
        assert_ne!(of(&["a", "b"]), of(&["a", "c"]));
        assert_ne!(of(&["a", "a"]), of(&["a"]));
        assert_ne!(of(&["a", "a"]), of(&[]));
    }
}
