//! One adapter per kind of store. Each opens a shared, cheaply clonable handle (a pool or a
//! multiplexed connection) and answers a health probe with a real query.

pub mod graph;
pub mod objects;
pub mod postgres;
pub mod redis;
pub mod redis_guard;
pub mod redis_scan;

use std::future::Future;
use std::time::Duration;

use crate::error::{Error, Result, StoreKind};

/// What a probe learned from a store that answered.
#[derive(Debug, Clone)]
pub struct Probe {
    pub version: Option<String>,
    /// Whether the server itself confirmed read-only (e.g. PostgreSQL's transaction_read_only).
    pub server_read_only: Option<bool>,
}

/// Runs a store call with a deadline; a store that does not answer becomes a `Timeout` error.
pub async fn with_timeout<T>(
    store: StoreKind,
    limit: Duration,
    fut: impl Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, fut).await {
        Ok(result) => result,
        Err(_) => Err(Error::Timeout {
            store,
            millis: limit.as_millis().try_into().unwrap_or(u64::MAX),
        }),
    }
}
