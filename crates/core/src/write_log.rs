//! The local log of every write Storelens makes to a store (cache invalidations, restores):
//! JSON Lines in the data dir, each entry chained to the one before by a SHA-256 hash, so an
//! entry edited, removed or reordered afterwards breaks the chain and `verify` says where. An
//! entry is written before its write is sent; a write that cannot be logged is not made.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result, StoreKind};

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WriteEntry {
    /// 1, 2, 3, ... in file order.
    pub seq: u32,
    /// RFC 3339, UTC.
    pub at: String,
    pub connection: String,
    pub store: StoreKind,
    /// What was done, e.g. `cache.delete`.
    pub action: String,
    /// What it was done to (keys, a tenant, a backup id).
    pub targets: Vec<String>,
    pub detail: String,
    /// The hash of the entry before (zeros for the first).
    pub prev: String,
    /// SHA-256 of `prev` and this entry's other fields.
    pub hash: String,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ChainCheck {
    pub entries: u32,
    pub intact: bool,
    /// The first line that breaks the chain (1-based), and why.
    pub broken_at: Option<u32>,
    pub problem: Option<String>,
}

/// The log's entries (oldest first) and its chain check.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WriteLogReport {
    pub entries: Vec<WriteEntry>,
    pub chain: ChainCheck,
}

#[derive(Debug)]
pub struct WriteLog {
    path: PathBuf,
    /// One appender at a time in this process (the hash of the last entry is read first).
    lock: Mutex<()>,
}

impl WriteLog {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends an entry after the last one and syncs it to disk.
    pub fn append(
        &self,
        connection: &str,
        store: StoreKind,
        action: &str,
        targets: Vec<String>,
        detail: String,
    ) -> Result<WriteEntry> {
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entries = self.read()?;
        let check = check_chain(&entries);
        if !check.intact {
            return Err(Error::Config(format!(
                "the write log {} is not intact ({}); writes are refused until it is looked at",
                self.path.display(),
                check.problem.unwrap_or_default()
            )));
        }
        let (seq, prev) = entries
            .last()
            .map_or((1, GENESIS.to_owned()), |e| (e.seq + 1, e.hash.clone()));
        let mut entry = WriteEntry {
            seq,
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            connection: connection.to_owned(),
            store,
            action: action.to_owned(),
            targets,
            detail,
            prev,
            hash: String::new(),
        };
        entry.hash = hash_of(&entry);
        let line = serde_json::to_string(&entry).map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.io_error(&e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| self.io_error(&e))?;
        writeln!(file, "{line}").map_err(|e| self.io_error(&e))?;
        file.sync_all().map_err(|e| self.io_error(&e))?;
        Ok(entry)
    }

    /// Every entry, in file order (none when there is no log yet).
    pub fn read(&self) -> Result<Vec<WriteEntry>> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io_error(&e)),
        };
        std::io::BufReader::new(file)
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let line = line.map_err(|e| self.io_error(&e))?;
                serde_json::from_str(&line).map_err(|e| {
                    Error::Config(format!(
                        "the write log {} has a line that is not an entry (line {}: {e})",
                        self.path.display(),
                        i + 1
                    ))
                })
            })
            .collect()
    }

    /// Checks the whole chain.
    pub fn verify(&self) -> Result<ChainCheck> {
        match self.read() {
            Ok(entries) => Ok(check_chain(&entries)),
            Err(Error::Config(problem)) => Ok(ChainCheck {
                entries: 0,
                intact: false,
                broken_at: None,
                problem: Some(problem),
            }),
            Err(e) => Err(e),
        }
    }

    fn io_error(&self, e: &std::io::Error) -> Error {
        Error::Config(format!("the write log {}: {e}", self.path.display()))
    }
}

fn hash_of(entry: &WriteEntry) -> String {
    let unhashed = WriteEntry {
        hash: String::new(),
        ..entry.clone()
    };
    let text = serde_json::to_string(&unhashed).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    crate::cache::key_name::hex(&digest)
}

fn check_chain(entries: &[WriteEntry]) -> ChainCheck {
    let mut prev = GENESIS.to_owned();
    for (i, e) in entries.iter().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let problem = if e.prev != prev {
            Some("it does not follow the entry before it (removed or reordered entries)")
        } else if e.hash != hash_of(e) {
            Some("its content does not match its hash (edited)")
        } else if e.seq != line {
            Some("its sequence number is not its place")
        } else {
            None
        };
        if let Some(problem) = problem {
            return ChainCheck {
                entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
                intact: false,
                broken_at: Some(line),
                problem: Some(format!("entry {line}: {problem}")),
            };
        }
        prev = e.hash.clone();
    }
    ChainCheck {
        entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
        intact: true,
        broken_at: None,
        problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with(n: usize) -> (tempfile::TempDir, WriteLog) {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = WriteLog::new(dir.path().join("writes.jsonl"));
        for i in 0..n {
            log.append(
                "c",
                StoreKind::Redis,
                "cache.delete",
                vec![format!("k{i}")],
                String::new(),
            )
            .expect("append");
        }
        (dir, log)
    }

    /// Rewrites the log's lines with `edit`, then checks where the chain breaks.
    fn check(edit: impl FnOnce(&mut Vec<String>), broken_at: Option<u32>) {
        let (_dir, log) = log_with(3);
        let text = std::fs::read_to_string(log.path()).expect("read");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        edit(&mut lines);
        std::fs::write(log.path(), lines.join("\n") + "\n").expect("write");
        let got = log.verify().expect("verify");
        assert_eq!(got.broken_at, broken_at, "{got:?}");
        assert_eq!(got.intact, broken_at.is_none(), "{got:?}");
    }

    #[test]
    fn edits_removals_and_reorders_break_the_chain() {
        check(|_| {}, None);
        check(|l| l[1] = l[1].replace("k1", "k9"), Some(2));
        check(|l| drop(l.remove(1)), Some(2));
        check(|l| l.swap(0, 1), Some(1));
        check(|l| drop(l.remove(0)), Some(1));
        // The tail may be cut without a trace in the chain itself: the count says so.
        check(|l| drop(l.pop()), None);
    }

    #[test]
    fn a_broken_log_refuses_further_writes() {
        let (_dir, log) = log_with(2);
        let text = std::fs::read_to_string(log.path()).expect("read");
        std::fs::write(log.path(), text.replace("k0", "kx")).expect("tamper");
        let e = log
            .append("c", StoreKind::Redis, "cache.delete", vec![], String::new())
            .expect_err("refused");
        assert_eq!(e.code(), crate::error::ErrorCode::Config);
        assert_eq!(log.read().expect("read").len(), 2, "nothing appended");
    }
}
