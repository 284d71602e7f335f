//! Long-running work that a user can cancel: each run registers a cancellation token under an
//! id the caller chose (the UI makes one per run), and `cancel(id)` trips it. The token is
//! removed when the run ends, whatever way it ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};

#[derive(Debug, Default, Clone)]
pub struct Tasks(Arc<Mutex<HashMap<String, CancellationToken>>>);

/// A registered run; dropping it unregisters the id.
#[derive(Debug)]
pub struct TaskGuard {
    tasks: Tasks,
    id: String,
    token: CancellationToken,
}

impl TaskGuard {
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.tasks.lock().remove(&self.id);
    }
}

impl Tasks {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a run under `id`; an id already running is refused.
    pub fn start(&self, id: &str) -> Result<TaskGuard> {
        if id.is_empty() || id.len() > 128 {
            return Err(Error::InvalidInput(
                "a task id has 1 to 128 characters".into(),
            ));
        }
        let token = CancellationToken::new();
        let mut map = self.lock();
        if map.contains_key(id) {
            return Err(Error::InvalidInput(format!(
                "task {id:?} is already running"
            )));
        }
        map.insert(id.to_owned(), token.clone());
        Ok(TaskGuard {
            tasks: self.clone(),
            id: id.to_owned(),
            token,
        })
    }

    /// Asks the run `id` to stop; false when no such run is going.
    pub fn cancel(&self, id: &str) -> bool {
        match self.lock().get(id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

/// Runs blocking work (keychain D-Bus calls, file writes) off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(format!("worker failed: {e}")))?
}

/// Milliseconds since `since`, for the `elapsed_ms` of results.
pub(crate) fn elapsed_ms(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// Cuts `text` after `max` characters; true when it was longer.
pub(crate) fn cut_chars(text: &mut String, max: usize) -> bool {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            text.truncate(at);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_cancelled_by_id_and_forgotten_when_it_ends() {
        let tasks = Tasks::default();
        let guard = tasks.start("export-1").expect("start");
        assert!(tasks.start("export-1").is_err(), "same id twice");
        assert!(tasks.cancel("export-1"));
        assert!(guard.token().is_cancelled());
        drop(guard);
        assert!(!tasks.cancel("export-1"));
        assert!(tasks.start("export-1").is_ok());
    }

    #[test]
    fn cuts_by_characters_not_bytes() {
        let mut t = "héllo".to_owned();
        assert!(cut_chars(&mut t, 2));
        assert_eq!(t, "hé");
        assert!(!cut_chars(&mut t, 2));
    }
}
