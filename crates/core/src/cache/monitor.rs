//! Watching a tenant's live cache traffic: its pub/sub channel and its update stream (the
//! profile's `pubsub_channel` and `update_stream`), each read by a task on a connection of its
//! own, so the shared connection is never held by a blocking read. Messages are handed on in
//! batches at most every [`BATCH_EVERY`]; a batch holds at most [`BATCH_MAX`] messages and
//! counts the ones it left out, so a busy channel cannot flood the UI. Runs until cancelled.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::value::{self, Cell};
use crate::error::{Error, Result, StoreKind};
use crate::platform::Platform;
use crate::profile::fill_pattern;
use crate::stores::redis::send_on;
use crate::stores::with_timeout;
use crate::tenants::Tenant;

pub const BATCH_EVERY: Duration = Duration::from_millis(250);
pub const BATCH_MAX: usize = 200;
/// XREAD's BLOCK: how long one read waits for new entries.
const BLOCK_MS: &[u8] = b"1000";
/// The stream reader's response timeout: a BLOCK plus the time to answer.
const READ_TIMEOUT: Duration = Duration::from_secs(6);

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum MonitorMessage {
    Pubsub {
        channel: String,
        payload: Cell,
    },
    Stream {
        key: String,
        id: String,
        fields: Vec<(Cell, Cell)>,
    },
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MonitorBatch {
    pub messages: Vec<MonitorMessage>,
    /// Messages of this interval left out (beyond [`BATCH_MAX`]).
    pub dropped: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MonitorSummary {
    pub channel: Option<String>,
    pub stream: Option<String>,
    pub received: String,
    pub dropped: String,
    pub elapsed_ms: u32,
}

/// What arrived since the last batch.
#[derive(Default)]
struct Batcher {
    pending: Vec<MonitorMessage>,
    pending_dropped: u32,
    received: u64,
    dropped: u64,
}

impl Batcher {
    fn push(&mut self, m: MonitorMessage) {
        self.received += 1;
        if self.pending.len() < BATCH_MAX {
            self.pending.push(m);
        } else {
            self.pending_dropped += 1;
            self.dropped += 1;
        }
    }

    fn take(&mut self) -> Option<MonitorBatch> {
        if self.pending.is_empty() && self.pending_dropped == 0 {
            return None;
        }
        Some(MonitorBatch {
            messages: std::mem::take(&mut self.pending),
            dropped: std::mem::take(&mut self.pending_dropped),
        })
    }
}

/// Watches the tenant's channel and stream until `cancel`; `on_batch` hears what arrived.
pub async fn monitor(
    platform: &Platform,
    tenant: &Tenant,
    cancel: &CancellationToken,
    on_batch: &(dyn Fn(MonitorBatch) + Send + Sync),
) -> Result<MonitorSummary> {
    let started = Instant::now();
    let redis = platform.redis()?;
    let spec = platform.profile.cache_spec()?;
    let vars = tenant.vars();
    let channel = spec
        .pubsub_channel
        .as_deref()
        .map(|p| fill_pattern(p, &vars))
        .transpose()?;
    let stream = spec
        .update_stream
        .as_deref()
        .map(|p| fill_pattern(p, &vars))
        .transpose()?;
    if channel.is_none() && stream.is_none() {
        return Err(Error::Profile(
            "the profile's cache section names no pubsub_channel or update_stream".into(),
        ));
    }
    let timeout = platform.timeout;
    let (tx, mut rx) = mpsc::channel::<Result<MonitorMessage>>(1_024);
    let mut readers = Vec::new();
    if let Some(c) = &channel {
        let mut messages =
            with_timeout(StoreKind::Redis, timeout, redis.subscribe(c.as_bytes())).await?;
        let tx = tx.clone();
        readers.push(tokio::spawn(async move {
            while let Some(msg) = messages.next().await {
                let m = MonitorMessage::Pubsub {
                    channel: msg.get_channel_name().to_owned(),
                    payload: value::cell(msg.get_payload_bytes()),
                };
                if tx.send(Ok(m)).await.is_err() {
                    return;
                }
            }
            let _ = tx
                .send(Err(Error::unavailable(
                    StoreKind::Redis,
                    "the pub/sub connection closed",
                )))
                .await;
        }));
    }
    if let Some(key) = stream.clone() {
        let mut conn =
            with_timeout(StoreKind::Redis, timeout, redis.dedicated(READ_TIMEOUT)).await?;
        let (tx, read_only) = (tx.clone(), redis.read_only());
        // From the stream's newest entry now, then from the last id seen, so nothing
        // added between two reads is missed ("$" each time would).
        let newest: [&[u8]; 6] = [b"XREVRANGE", key.as_bytes(), b"+", b"-", b"COUNT", b"1"];
        let last = match send_on(&mut conn, &newest, read_only).await? {
            redis::Value::Array(entries) => entries
                .into_iter()
                .next()
                .and_then(|e| match e {
                    redis::Value::Array(parts) => match parts.into_iter().next() {
                        Some(redis::Value::BulkString(id)) => Some(id),
                        _ => None,
                    },
                    _ => None,
                })
                .unwrap_or_else(|| b"0-0".to_vec()),
            _ => b"0-0".to_vec(),
        };
        readers.push(tokio::spawn(async move {
            let mut last = last;
            loop {
                let args: [&[u8]; 8] = [
                    b"XREAD",
                    b"COUNT",
                    b"100",
                    b"BLOCK",
                    BLOCK_MS,
                    b"STREAMS",
                    key.as_bytes(),
                    &last,
                ];
                let entries = match send_on(&mut conn, &args, read_only).await {
                    Ok(answer) => value::xread_entries(answer),
                    Err(e) => Err(e),
                };
                match entries {
                    Ok(entries) => {
                        for value::StreamEntry { id, fields } in entries {
                            last = id.clone().into_bytes();
                            let m = MonitorMessage::Stream {
                                key: key.clone(),
                                id,
                                fields,
                            };
                            if tx.send(Ok(m)).await.is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
            }
        }));
    }
    drop(tx);
    // Subscribed and positioned: an empty first batch says the monitor is listening.
    on_batch(MonitorBatch {
        messages: Vec::new(),
        dropped: 0,
    });

    let mut batcher = Batcher::default();
    let mut tick = tokio::time::interval(BATCH_EVERY);
    let outcome = loop {
        tokio::select! {
            () = cancel.cancelled() => break Ok(()),
            _ = tick.tick() => {
                if let Some(batch) = batcher.take() {
                    on_batch(batch);
                }
            }
            message = rx.recv() => match message {
                Some(Ok(m)) => batcher.push(m),
                Some(Err(e)) => break Err(e),
                None => break Ok(()),
            },
        }
    };
    for r in &readers {
        r.abort();
    }
    if let Some(batch) = batcher.take() {
        on_batch(batch);
    }
    outcome?;
    Ok(MonitorSummary {
        channel,
        stream,
        received: batcher.received.to_string(),
        dropped: batcher.dropped.to_string(),
        elapsed_ms: crate::tasks::elapsed_ms(started),
    })
}
