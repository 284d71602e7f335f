//! A SCAN over the whole key space: every master of a cluster in turn (or the single node), a
//! page at a time, each page within a deadline and after a cancel check. SCAN may return a key
//! more than once (while a table rehashes); callers that count keep their own `seen` set.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::redis::{Redis, ScanNode};
use super::with_timeout;
use crate::error::{Error, Result, StoreKind};

/// `MEMORY USAGE` calls in flight (they share the multiplexed connection).
const SIZING_CONCURRENCY: usize = 32;

pub struct KeyspaceScan<'r> {
    redis: &'r Redis,
    nodes: Vec<ScanNode>,
    pattern: Vec<u8>,
    count: u32,
    timeout: Duration,
    cancel: Option<CancellationToken>,
    /// The node to scan next and its cursor; `node == nodes.len()` when done.
    node: usize,
    cursor: u64,
    returned: u64,
}

impl<'r> KeyspaceScan<'r> {
    /// A scan of the keys matching `pattern` (a MATCH glob), `count` per SCAN, from the start.
    pub async fn start(
        redis: &'r Redis,
        pattern: impl Into<Vec<u8>>,
        count: u32,
        timeout: Duration,
    ) -> Result<Self> {
        let nodes = with_timeout(StoreKind::Redis, timeout, redis.scan_nodes()).await?;
        Ok(Self {
            redis,
            nodes,
            pattern: pattern.into(),
            count,
            timeout,
            cancel: None,
            node: 0,
            cursor: 0,
            returned: 0,
        })
    }

    /// Goes on from a `position` an earlier scan of the same pattern gave.
    pub fn resume_at(mut self, (node, cursor): (usize, u64)) -> Result<Self> {
        if node >= self.nodes.len() {
            return Err(Error::InvalidInput(format!(
                "the scan position names node {node} of {}",
                self.nodes.len()
            )));
        }
        (self.node, self.cursor) = (node, cursor);
        Ok(self)
    }

    /// Stops with `Cancelled` before the next page once `token` is cancelled.
    pub fn cancelled_by(mut self, token: &CancellationToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }

    /// The next page of keys (it may be empty), or `None` when every node is done. A failed page
    /// says how far the scan got.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Vec<u8>>>> {
        let Some(node) = self.nodes.get(self.node) else {
            return Ok(None);
        };
        if self
            .cancel
            .as_ref()
            .is_some_and(CancellationToken::is_cancelled)
        {
            return Err(Error::Cancelled);
        }
        let page = self
            .redis
            .scan_page(node, self.cursor, &self.pattern, self.count);
        let (next, keys) = with_timeout(StoreKind::Redis, self.timeout, page)
            .await
            .map_err(|e| self.stopped(e))?;
        if next == 0 {
            (self.node, self.cursor) = (self.node + 1, 0);
        } else {
            self.cursor = next;
        }
        self.returned += keys.len() as u64;
        Ok(Some(keys))
    }

    /// `MEMORY USAGE` of each `(tag, key)` (of a page), [`SIZING_CONCURRENCY`] at a time, each
    /// within the scan's deadline, in any order; `None` for a key gone since it was scanned. A
    /// failure says how far the scan got.
    pub async fn memory_usages<T>(
        &self,
        keys: Vec<(T, Vec<u8>)>,
    ) -> Result<Vec<(T, Vec<u8>, Option<u64>)>> {
        let (redis, timeout) = (self.redis, self.timeout);
        futures::stream::iter(keys)
            .map(|(tag, key)| async move {
                let size =
                    with_timeout(StoreKind::Redis, timeout, redis.memory_usage(&key)).await?;
                Ok((tag, key, size))
            })
            .buffer_unordered(SIZING_CONCURRENCY)
            .try_collect()
            .await
            .map_err(|e| self.stopped(e))
    }

    /// `e` (of a page) saying how far the scan got.
    fn stopped(&self, e: Error) -> Error {
        let node = self
            .nodes
            .get(self.node.min(self.nodes.len().saturating_sub(1)))
            .map_or_else(String::new, |n| format!(", on {n}"));
        e.context(format!(
            "the scan stopped after {} keys{node}",
            self.returned
        ))
    }

    /// Where the scan would go on (`None` when done), for `resume_at`.
    pub fn position(&self) -> Option<(usize, u64)> {
        (self.node < self.nodes.len()).then_some((self.node, self.cursor))
    }

    /// How many nodes are done.
    pub fn nodes_done(&self) -> usize {
        self.node
    }

    /// The nodes in scan order (never empty).
    pub fn nodes(&self) -> &[ScanNode] {
        &self.nodes
    }
}
