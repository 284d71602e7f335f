//! Guarded writes. A connection is read-only unless it was saved read-write, and even then its
//! writes are locked until the user unlocks them, for a limited time. Every write is entered in
//! the hash-chained write log before it is sent; one that cannot be logged is not made.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cache::key_name::KeyName;
use crate::error::{Error, Result, StoreKind};
use crate::stores::with_timeout;
use crate::write_log::{WriteEntry, WriteLogReport};

use super::Storelens;

/// The longest unlock.
const MAX_UNLOCK_MINUTES: u32 = 240;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct WriteAccess {
    pub connection: String,
    /// Seconds left; 0 when locked.
    pub unlocked_for_seconds: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CacheDeletion {
    pub requested: u32,
    /// Keys that existed and are gone now.
    pub deleted: u32,
    /// The write log entry of this deletion.
    pub log_entry: WriteEntry,
}

impl Storelens {
    /// Unlocks writes on a read-write connection for `minutes` (1 to 240).
    #[tracing::instrument(skip(self), err)]
    pub async fn unlock_writes(&self, connection: &str, minutes: u32) -> Result<WriteAccess> {
        if !(1..=MAX_UNLOCK_MINUTES).contains(&minutes) {
            return Err(Error::InvalidInput(format!(
                "writes unlock for 1 to {MAX_UNLOCK_MINUTES} minutes"
            )));
        }
        let platform = self.platform(connection).await?;
        if platform.connection.read_only {
            return Err(Error::ReadOnly(format!(
                "connection {connection} is read-only; save it as read-write to allow writes"
            )));
        }
        let until = Instant::now() + Duration::from_secs(u64::from(minutes) * 60);
        self.unlocks().insert(connection.to_owned(), until);
        Ok(self.write_access(connection))
    }

    /// Locks writes again.
    pub fn lock_writes(&self, connection: &str) -> WriteAccess {
        self.unlocks().remove(connection);
        self.write_access(connection)
    }

    pub fn write_access(&self, connection: &str) -> WriteAccess {
        let left = self
            .unlocks()
            .get(connection)
            .map_or(Duration::ZERO, |until| {
                until.saturating_duration_since(Instant::now())
            });
        WriteAccess {
            connection: connection.to_owned(),
            unlocked_for_seconds: u32::try_from(left.as_secs()).unwrap_or(u32::MAX),
        }
    }

    /// Deletes cache keys (UNLINK), after the unlock check and the write log entry.
    #[tracing::instrument(skip(self, keys), err)]
    pub async fn cache_delete(
        &self,
        connection: &str,
        keys: Vec<KeyName>,
    ) -> Result<CacheDeletion> {
        if keys.is_empty() || keys.len() > 10_000 {
            return Err(Error::InvalidInput(
                "delete 1 to 10,000 keys at a time".into(),
            ));
        }
        let bytes: Vec<Vec<u8>> = keys.iter().map(KeyName::to_bytes).collect::<Result<_>>()?;
        self.require_unlocked(connection)?;
        let platform = self.platform(connection).await?;
        let redis = platform.redis()?;
        let targets = keys.iter().map(|k| k.text.clone()).collect();
        let (log, name, detail) = (
            self.write_log.clone(),
            connection.to_owned(),
            format!("UNLINK of {} keys", bytes.len()),
        );
        let entry = crate::tasks::blocking(move || {
            log.append(&name, StoreKind::Redis, "cache.delete", targets, detail)
        })
        .await?;
        let mut deleted = 0u32;
        for key in &bytes {
            // One key per command: in a cluster the keys live on different nodes.
            if let redis::Value::Int(n) = with_timeout(
                StoreKind::Redis,
                platform.timeout,
                redis.command(&[b"UNLINK", key]),
            )
            .await?
            {
                deleted += u32::try_from(n).unwrap_or(0);
            }
        }
        Ok(CacheDeletion {
            requested: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            deleted,
            log_entry: entry,
        })
    }

    /// The write log's entries (newest last) and whether its chain is intact.
    pub async fn write_log(&self) -> Result<WriteLogReport> {
        let log = self.write_log.clone();
        crate::tasks::blocking(move || {
            Ok(WriteLogReport {
                entries: log.read().unwrap_or_default(),
                chain: log.verify()?,
            })
        })
        .await
    }

    pub(super) fn require_unlocked(&self, connection: &str) -> Result<()> {
        if self.write_access(connection).unlocked_for_seconds == 0 {
            return Err(Error::ReadOnly(format!(
                "writes on {connection} are locked; unlock them first"
            )));
        }
        Ok(())
    }

    fn unlocks(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Instant>> {
        self.unlocked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
